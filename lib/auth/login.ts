import "server-only";
import { clearRateLimit, hitRateLimit, peekRateLimit, RATE_LIMITS, type RateLimitState } from "@/lib/rate-limit";
import { findCredentialsByEmail } from "@/lib/users/queries";
import { hashPassword, verifyPassword } from "./password";

// Compared against when the email is unknown, so both paths take the same time.
let dummyHash: Promise<string> | undefined;

function hashForUnknownEmail(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomUUID());
  return dummyHash;
}

function loginLimitKey(email: string, ip: string): string {
  return `login:${email}:${ip}`;
}

function accountLimitKey(email: string): string {
  return `login-account:${email}`;
}

/**
 * The caller's address: the last X-Forwarded-For entry, the one the nearest proxy wrote (Next
 * writes the socket's address when no proxy did). Earlier entries are whatever the client sent.
 */
export function clientIp(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",").at(-1)?.trim() || headers.get("x-real-ip") || "local";
}

/**
 * Whether this email may try a password from this address. Failures count per email and address
 * (a stranger's typos never lock the owner out elsewhere) and per email across all addresses,
 * because a client that talks to Next directly can claim any address it likes.
 */
export async function peekLoginLimit(email: string, ip: string): Promise<RateLimitState> {
  const states = await Promise.all([
    peekRateLimit(loginLimitKey(email, ip), RATE_LIMITS.loginFailures),
    peekRateLimit(accountLimitKey(email), RATE_LIMITS.loginFailuresPerAccount),
  ]);
  return states.find((state) => !state.allowed) ?? states[0]!;
}

export type LoginResult =
  | { ok: true; user: { id: string; email: string; name: string; role: "USER" | "ADMIN" } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/** Check the rate limit, then the password; failures count toward the limit, success clears it. */
export async function attemptLogin(email: string, password: string, ip: string): Promise<LoginResult> {
  const limit = await peekLoginLimit(email, ip);
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfterSeconds: limit.retryAfterSeconds };
  const user = await findCredentialsByEmail(email);
  const valid = await verifyPassword(password, user?.passwordHash ?? (await hashForUnknownEmail()));
  if (!user || !valid) {
    await Promise.all([
      hitRateLimit(loginLimitKey(email, ip), RATE_LIMITS.loginFailures),
      hitRateLimit(accountLimitKey(email), RATE_LIMITS.loginFailuresPerAccount),
    ]);
    return { ok: false, reason: "invalid" };
  }
  await clearRateLimit(loginLimitKey(email, ip));
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
