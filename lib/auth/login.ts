import "server-only";
import { clearRateLimit, hitRateLimit, peekRateLimit, RATE_LIMITS } from "@/lib/rate-limit";
import { findCredentialsByEmail } from "@/lib/users/queries";
import { hashPassword, verifyPassword } from "./password";

// Compared against when the email is unknown, so both paths take the same time.
let dummyHash: Promise<string> | undefined;

function hashForUnknownEmail(): Promise<string> {
  dummyHash ??= hashPassword(crypto.randomUUID());
  return dummyHash;
}

export function loginLimitKey(email: string, ip: string): string {
  return `login:${email}:${ip}`;
}

export function clientIp(headers: Headers): string {
  return headers.get("x-forwarded-for")?.split(",")[0]?.trim() || headers.get("x-real-ip") || "local";
}

export type LoginResult =
  | { ok: true; user: { id: string; email: string; name: string; role: "USER" | "ADMIN" } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

/** Check the rate limit, then the password; failures count toward the limit, success clears it. */
export async function attemptLogin(email: string, password: string, ip: string): Promise<LoginResult> {
  const key = loginLimitKey(email, ip);
  const limit = await peekRateLimit(key, RATE_LIMITS.loginFailures);
  if (!limit.allowed) return { ok: false, reason: "rate_limited", retryAfterSeconds: limit.retryAfterSeconds };
  const user = await findCredentialsByEmail(email);
  const valid = await verifyPassword(password, user?.passwordHash ?? (await hashForUnknownEmail()));
  if (!user || !valid) {
    await hitRateLimit(key, RATE_LIMITS.loginFailures);
    return { ok: false, reason: "invalid" };
  }
  await clearRateLimit(key);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
