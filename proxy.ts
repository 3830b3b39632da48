// Redirects signed-out visitors away from app pages. A convenience only: every page, route
// handler and server action checks who is asking itself.
import { NextResponse } from "next/server";
import { auth } from "@/lib/auth";

const SIGNED_IN_AREAS = ["/characters", "/chats", "/chat", "/arena", "/settings", "/admin", "/health"];

export default auth((request) => {
  const { pathname, search } = request.nextUrl;
  const protectedArea = SIGNED_IN_AREAS.some((area) => pathname === area || pathname.startsWith(`${area}/`));
  if (protectedArea && !request.auth) {
    const login = new URL("/login", request.nextUrl);
    login.searchParams.set("next", `${pathname}${search}`);
    return NextResponse.redirect(login);
  }
  return NextResponse.next();
});

export const config = { matcher: ["/((?!api|_next/static|_next/image|favicon.ico).*)"] };
