import "server-only";
import { appEnv } from "@/lib/env";
import {
  clearRateLimit,
  hitRateLimit,
  peekRateLimit,
  RATE_LIMITS,
  type RateLimitState,
  refundRateLimit,
} from "@/lib/rate-limit";
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
 * The caller's address: the X-Forwarded-For entry `hops` from the end. The nearest proxy appends
 * the address it saw, so behind one proxy that is the last entry (hops 0), behind two in a chain
 * the one before it (hops 1), and so on. Next appends the socket's address only when the request
 * has no X-Forwarded-For at all: served directly, the last entry is whatever the client wrote,
 * which is why failures are also capped per account.
 */
export function clientIp(headers: Headers, hops = appEnv().TRUSTED_PROXY_HOPS ?? 0): string {
  const entries = headers.get("x-forwarded-for")?.split(",") ?? [];
  return entries[Math.max(0, entries.length - 1 - hops)]?.trim() || "local";
}

type LoginOptions = {
  /** The browser carries a valid known-browser token for this email: the account-wide ceiling does not apply. */
  knownBrowser?: boolean;
};

/**
 * Whether this email may try a password from this address, without counting. Failures count per
 * email and address (a stranger's typos never lock the owner out elsewhere) and per email across
 * all addresses, because a client that talks to Next directly can claim any address it likes.
 */
export async function peekLoginLimit(email: string, ip: string, options: LoginOptions = {}): Promise<RateLimitState> {
  const states = await Promise.all([
    peekRateLimit(loginLimitKey(email, ip), RATE_LIMITS.loginFailures),
    ...(options.knownBrowser ? [] : [peekRateLimit(accountLimitKey(email), RATE_LIMITS.loginFailuresPerAccount)]),
  ]);
  return states.find((state) => !state.allowed) ?? states[0]!;
}

export type LoginResult =
  | { ok: true; user: { id: string; email: string; name: string; role: "USER" | "ADMIN" } }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAfterSeconds: number };

const refused = (state: RateLimitState): LoginResult => ({
  ok: false,
  reason: "rate_limited",
  retryAfterSeconds: state.retryAfterSeconds,
});

/**
 * Count the attempt, then check the password. Each count is one atomic statement made before the
 * password is checked, so guesses sent at once cannot all pass a limit none of them has counted
 * yet. A success is not a failure: it clears this address's count and gives back its account-wide one.
 */
export async function attemptLogin(
  email: string,
  password: string,
  ip: string,
  options: LoginOptions = {},
): Promise<LoginResult> {
  const perAddress = await hitRateLimit(loginLimitKey(email, ip), RATE_LIMITS.loginFailures);
  if (!perAddress.allowed) return refused(perAddress);
  // Only after the address's own limit: one address alone cannot fill the account's ceiling.
  if (!options.knownBrowser) {
    const perAccount = await hitRateLimit(accountLimitKey(email), RATE_LIMITS.loginFailuresPerAccount);
    if (!perAccount.allowed) return refused(perAccount);
  }
  const user = await findCredentialsByEmail(email);
  const valid = await verifyPassword(password, user?.passwordHash ?? (await hashForUnknownEmail()));
  if (!user || !valid) return { ok: false, reason: "invalid" };
  await Promise.all([
    clearRateLimit(loginLimitKey(email, ip)),
    options.knownBrowser ? undefined : refundRateLimit(accountLimitKey(email)),
  ]);
  return { ok: true, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
}
