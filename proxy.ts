// Redirects signed-out visitors away from app pages. A convenience only: every page, route
// handler and server action checks who is asking itself.
//
// The session cookie is only read here, never rewritten: Auth.js's own middleware refreshes the
// cookie on every request, so a page request that started before a sign-out and answered after it
// would set the session cookie again and undo the sign-out.
import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";

const SIGNED_IN_AREAS = ["/characters", "/chats", "/chat", "/arena", "/settings", "/admin", "/health"];

async function signedIn(request: NextRequest): Promise<boolean> {
  const secret = process.env.AUTH_SECRET;
  if (!secret) return false;
  // Auth.js names the cookie __Secure-… on https; behind a TLS proxy the request may look like http.
  for (const secureCookie of [false, true]) {
    if (await getToken({ req: request, secret, secureCookie })) return true;
  }
  return false;
}

export default async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  const protectedArea = SIGNED_IN_AREAS.some((area) => pathname === area || pathname.startsWith(`${area}/`));
  if (protectedArea && !(await signedIn(request))) {
    const login = new URL("/login", request.nextUrl);
    login.searchParams.set("next", `${pathname}${search}`);
    return NextResponse.redirect(login);
  }
  return NextResponse.next();
}

export const config = { matcher: ["/((?!api|_next/static|_next/image|favicon.ico).*)"] };
