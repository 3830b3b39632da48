// Fixed-window rate limits kept in PostgreSQL, so every app instance shares the same counts.
import { db } from "./db";

export type RateLimitRule = { limit: number; windowSeconds: number };

export type RateLimitState = { allowed: boolean; remaining: number; retryAfterSeconds: number };

export const RATE_LIMITS = {
  /** Failed sign-ins per email and address. */
  loginFailures: { limit: 5, windowSeconds: 15 * 60 },
  /** Failed sign-ins per email from anywhere: caps guessing from rotating (or forged) addresses. */
  loginFailuresPerAccount: { limit: 50, windowSeconds: 15 * 60 },
  signUp: { limit: 20, windowSeconds: 60 * 60 },
  /** Card import requests per user (each up to IMPORT_LIMITS.filesPerRequest files). */
  imports: { limit: 50, windowSeconds: 60 * 60 },
  /** "Generate from persona" per user: each is up to two long structured model calls. */
  personaProfiles: { limit: 20, windowSeconds: 60 * 60 },
} satisfies Record<string, RateLimitRule>;

function stateOf(row: { count: number; windowEnds: Date } | null, rule: RateLimitRule, now: Date): RateLimitState {
  if (!row || row.windowEnds <= now) return { allowed: true, remaining: rule.limit, retryAfterSeconds: 0 };
  const remaining = Math.max(0, rule.limit - row.count);
  return {
    allowed: remaining > 0,
    remaining,
    retryAfterSeconds: remaining > 0 ? 0 : Math.ceil((row.windowEnds.getTime() - now.getTime()) / 1000),
  };
}

/** Read a bucket without counting. */
export async function peekRateLimit(key: string, rule: RateLimitRule): Promise<RateLimitState> {
  const row = await db.rateLimitBucket.findUnique({ where: { key } });
  return stateOf(row, rule, new Date());
}

/** Count one hit atomically (a single upsert statement) and return the state after it. */
export async function hitRateLimit(key: string, rule: RateLimitRule): Promise<RateLimitState> {
  const rows = await db.$queryRaw<{ count: number; windowEnds: Date }[]>`
    INSERT INTO "RateLimitBucket" ("key", "count", "windowEnds")
    VALUES (${key}, 1, now() + make_interval(secs => ${rule.windowSeconds}))
    ON CONFLICT ("key") DO UPDATE SET
      "count" = CASE WHEN "RateLimitBucket"."windowEnds" <= now() THEN 1 ELSE "RateLimitBucket"."count" + 1 END,
      "windowEnds" = CASE WHEN "RateLimitBucket"."windowEnds" <= now()
        THEN now() + make_interval(secs => ${rule.windowSeconds}) ELSE "RateLimitBucket"."windowEnds" END
    RETURNING "count", "windowEnds"`;
  const row = rows[0] ?? null;
  // The hit itself is allowed when it is within the limit.
  const state = stateOf(row ? { ...row, count: row.count - 1 } : null, rule, new Date());
  return { ...state, remaining: Math.max(0, state.remaining - 1) };
}

/** Give one hit back, for an attempt counted up front that turned out not to be one (a sign-in that succeeded). */
export async function refundRateLimit(key: string): Promise<void> {
  await db.$executeRaw`
    UPDATE "RateLimitBucket" SET "count" = "count" - 1
    WHERE "key" = ${key} AND "count" > 0 AND "windowEnds" > now()`;
}

export async function clearRateLimit(key: string): Promise<void> {
  await db.rateLimitBucket.deleteMany({ where: { key } });
}

/** Remove buckets whose window has ended (the maintenance job calls this). */
export async function purgeExpiredRateLimits(now: Date = new Date()): Promise<number> {
  const { count } = await db.rateLimitBucket.deleteMany({ where: { windowEnds: { lte: now } } });
  return count;
}
