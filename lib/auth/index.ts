// Auth.js v5: email + password, JWT sessions carrying the user's id and role.
import { cookies } from "next/headers";
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { appEnv } from "@/lib/env";
import { servedOverHttps } from "@/lib/security/origin";
import { signInSchema } from "@/lib/users/schema";
import {
  isKnownBrowserToken,
  KNOWN_BROWSER_COOKIE,
  KNOWN_BROWSER_MAX_AGE_SECONDS,
  knownBrowserToken,
} from "./known-browser";
import { attemptLogin, clientIp } from "./login";

export class InvalidCredentials extends CredentialsSignin {
  override code = "invalid_credentials";
}

export class LoginRateLimited extends CredentialsSignin {
  override code = "rate_limited";
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  session: { strategy: "jwt", maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: "/login" },
  providers: [
    Credentials({
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      // Runs inside the sign-in route handler or the sign-in server action, where cookies() can be set.
      async authorize(credentials, request) {
        const parsed = signInSchema.safeParse(credentials);
        if (!parsed.success) throw new InvalidCredentials();
        const { email, password } = parsed.data;
        const jar = await cookies();
        const secret = appEnv().AUTH_SECRET;
        const knownBrowser = isKnownBrowserToken(jar.get(KNOWN_BROWSER_COOKIE)?.value, email, secret);
        const result = await attemptLogin(email, password, clientIp(request.headers), { knownBrowser });
        if (!result.ok) throw result.reason === "rate_limited" ? new LoginRateLimited() : new InvalidCredentials();
        jar.set(KNOWN_BROWSER_COOKIE, knownBrowserToken(email, secret), {
          httpOnly: true,
          sameSite: "lax",
          secure: servedOverHttps(request),
          path: "/",
          maxAge: KNOWN_BROWSER_MAX_AGE_SECONDS,
        });
        return result.user;
      },
    }),
  ],
  callbacks: {
    jwt({ token, user }) {
      if (user?.id) {
        token.id = user.id;
        token.role = user.role;
      }
      return token;
    },
    session({ session, token }) {
      session.user.id = token.id;
      session.user.role = token.role;
      return session;
    },
  },
  logger: {
    // A wrong password is an expected outcome, not a server error worth a stack trace.
    error(error) {
      if (error instanceof CredentialsSignin) return;
      console.error("[auth]", error);
    },
    warn() {},
  },
});
