// Runs before every page (not static files, and only the API paths below): gives the page its
// Content Security Policy with a fresh nonce, and redirects signed-out visitors away from app
// pages — a convenience only: every page, route handler and server action checks who is asking
// itself. Also answers API paths that do not percent-decode with a JSON 400.
//
// Next reads the nonce from the Content-Security-Policy request header set here and puts it on
// its own scripts; the root layout reads `x-nonce` for the theme script.
//
// The session cookie is only read here, never rewritten: Auth.js's own middleware refreshes the
// cookie on every request, so a page request that started before a sign-out and answered after it
// would set the session cookie again and undo the sign-out.
import { type NextRequest, NextResponse } from "next/server";
import { getToken } from "next-auth/jwt";
import { AppError } from "@/lib/errors";
import { servedOverHttps } from "@/lib/security/origin";
import { createNonce, pageContentSecurityPolicy, STRICT_TRANSPORT_SECURITY } from "@/lib/security/policy";

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

/** Whether the raw path percent-decodes as UTF-8 (a segment like %ED%A0%80 does not). */
function decodable(pathname: string): boolean {
  try {
    decodeURIComponent(pathname);
    return true;
  } catch {
    return false;
  }
}

export default async function proxy(request: NextRequest) {
  const { pathname, search } = request.nextUrl;
  // Next answers a route handler's path parameter it cannot decode with a bare 500, before the handler runs.
  if (pathname.startsWith("/api/")) {
    if (decodable(pathname)) return NextResponse.next();
    const error = new AppError("bad_request:path", "The path is not valid percent-encoded UTF-8.");
    return NextResponse.json(error.toJSON(), { status: error.status });
  }
  const https = servedOverHttps(request);
  const nonce = createNonce();
  const policy = pageContentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });

  let response: NextResponse;
  const protectedArea = SIGNED_IN_AREAS.some((area) => pathname === area || pathname.startsWith(`${area}/`));
  if (protectedArea && !(await signedIn(request))) {
    const login = new URL("/login", request.nextUrl);
    login.searchParams.set("next", `${pathname}${search}`);
    response = NextResponse.redirect(login);
  } else {
    const headers = new Headers(request.headers);
    headers.set("Content-Security-Policy", policy);
    headers.set("x-nonce", nonce);
    response = NextResponse.next({ request: { headers } });
  }
  response.headers.set("Content-Security-Policy", policy);
  if (https) response.headers.set("Strict-Transport-Security", STRICT_TRANSPORT_SECURITY);
  return response;
}

export const config = {
  matcher: [
    "/((?!api|_next/static|_next/image|favicon.ico).*)",
    // Only API paths with bytes ≥ 0x80 (the ones that may not decode): the proxy buffers request
    // bodies up to 10 MB, which the upload routes must never pass through.
    "/api/:path(.*%[89a-fA-F][0-9a-fA-F].*)",
  ],
};
