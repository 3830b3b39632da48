import { beforeAll, describe, expect, it } from "vitest";
import { db } from "./db";
import { clearRateLimit, hitRateLimit, peekRateLimit, purgeExpiredRateLimits } from "./rate-limit";
import { assertTestDatabase } from "./testing/db";

beforeAll(assertTestDatabase);

describe("rate limits", () => {
  const rule = { limit: 3, windowSeconds: 60 };

  it("allows up to the limit, then refuses with a retry time", async () => {
    const key = `test:${Math.random()}`;
    const states = [];
    for (let i = 0; i < 4; i++) states.push(await hitRateLimit(key, rule));
    expect(states.map((state) => state.allowed)).toEqual([true, true, true, false]);
    expect(states.map((state) => state.remaining)).toEqual([2, 1, 0, 0]);
    const peek = await peekRateLimit(key, rule);
    expect(peek.allowed).toBe(false);
    expect(peek.retryAfterSeconds).toBeGreaterThan(0);
    await clearRateLimit(key);
    expect((await peekRateLimit(key, rule)).allowed).toBe(true);
  });

  it("counts concurrent hits exactly", async () => {
    const key = `test:${Math.random()}`;
    await Promise.all(Array.from({ length: 20 }, () => hitRateLimit(key, { limit: 100, windowSeconds: 60 })));
    expect((await db.rateLimitBucket.findUniqueOrThrow({ where: { key } })).count).toBe(20);
  });

  it("starts a new window after the old one ends, and purges expired buckets", async () => {
    const key = `test:${Math.random()}`;
    await db.rateLimitBucket.create({ data: { key, count: 99, windowEnds: new Date(Date.now() - 1000) } });
    expect((await peekRateLimit(key, rule)).allowed).toBe(true);
    expect((await hitRateLimit(key, rule)).remaining).toBe(2);
    const expired = `test:${Math.random()}`;
    await db.rateLimitBucket.create({ data: { key: expired, count: 1, windowEnds: new Date(Date.now() - 1000) } });
    expect(await purgeExpiredRateLimits()).toBeGreaterThanOrEqual(1);
    expect(await db.rateLimitBucket.findUnique({ where: { key: expired } })).toBeNull();
  });
});
