import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { assertTestDatabase } from "@/lib/testing/db";
import { createUser } from "@/lib/users/queries";
import { attemptLogin, clientIp, peekLoginLimit } from "./login";

const PASSWORD = "pass-word-1";
let email: string;

beforeAll(async () => {
  assertTestDatabase();
  email = `login-${Date.now()}-${Math.random().toString(36).slice(2, 8)}@unit.troupe`;
  await createUser({ email, name: "Lou", password: PASSWORD });
});

describe("sign-in limits", () => {
  it("refuses an address after 5 failures for 15 minutes, even the right password; other addresses still sign in", async () => {
    const results = [];
    for (let attempt = 0; attempt < 5; attempt++)
      results.push(await attemptLogin(email, `wrong-${attempt}`, "10.1.1.1"));
    expect(results.map((result) => (result.ok ? "ok" : result.reason))).toEqual(Array(5).fill("invalid"));
    const refused = await attemptLogin(email, PASSWORD, "10.1.1.1");
    expect(refused).toMatchObject({ ok: false, reason: "rate_limited" });
    if (refused.ok || refused.reason !== "rate_limited") throw new Error("expected a refusal");
    expect(refused.retryAfterSeconds).toBeGreaterThan(14 * 60);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
    expect(await attemptLogin(email, PASSWORD, "10.1.1.2")).toMatchObject({ ok: true });
  });

  it("caps failures per account across addresses, so forged addresses do not buy more guesses", async () => {
    const target = `cap-${Date.now()}@unit.troupe`;
    await createUser({ email: target, name: "Cap", password: PASSWORD });
    // 49 failures already spread over other addresses; the 50th uses one more.
    await db.rateLimitBucket.create({
      data: { key: `login-account:${target}`, count: 49, windowEnds: new Date(Date.now() + 15 * 60_000) },
    });
    expect(await attemptLogin(target, "wrong", "10.2.0.49")).toMatchObject({ ok: false, reason: "invalid" });
    expect(await attemptLogin(target, "another-guess", "10.2.0.50")).toMatchObject({
      ok: false,
      reason: "rate_limited",
    });
    expect(await attemptLogin(target, PASSWORD, "10.2.0.51")).toMatchObject({ ok: false, reason: "rate_limited" });
  });

  it("counts each attempt before checking it, so guesses sent at once stop at the limit", async () => {
    const target = `race-${Date.now()}@unit.troupe`;
    await createUser({ email: target, name: "Race", password: PASSWORD });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, attempt) => attemptLogin(target, `wrong-${attempt}`, "10.3.0.1")),
    );
    const reasons = results.map((result) => (result.ok ? "ok" : result.reason));
    expect(reasons.filter((reason) => reason === "invalid")).toHaveLength(5);
    expect(reasons.filter((reason) => reason === "rate_limited")).toHaveLength(15);
  });

  it("a success clears the address's count and gives back its account-wide one", async () => {
    const target = `refund-${Date.now()}@unit.troupe`;
    await createUser({ email: target, name: "Refund", password: PASSWORD });
    await attemptLogin(target, "wrong", "10.4.0.1");
    expect(await attemptLogin(target, PASSWORD, "10.4.0.1")).toMatchObject({ ok: true });
    expect(await db.rateLimitBucket.findUnique({ where: { key: `login:${target}:10.4.0.1` } })).toBeNull();
    expect(await db.rateLimitBucket.findUnique({ where: { key: `login-account:${target}` } })).toMatchObject({
      count: 1,
    });
  });

  it("a browser that signed in to the account before is not held by the account-wide ceiling", async () => {
    const target = `known-${Date.now()}@unit.troupe`;
    await createUser({ email: target, name: "Known", password: PASSWORD });
    await db.rateLimitBucket.create({
      data: { key: `login-account:${target}`, count: 1000, windowEnds: new Date(Date.now() + 15 * 60_000) },
    });
    expect(await attemptLogin(target, PASSWORD, "10.5.0.1")).toMatchObject({ ok: false, reason: "rate_limited" });
    expect(await peekLoginLimit(target, "10.5.0.1")).toMatchObject({ allowed: false });
    expect(await peekLoginLimit(target, "10.5.0.1", { knownBrowser: true })).toMatchObject({ allowed: true });
    expect(await attemptLogin(target, PASSWORD, "10.5.0.1", { knownBrowser: true })).toMatchObject({ ok: true });
    // The address's own limit still holds for it.
    for (let attempt = 0; attempt < 5; attempt++)
      await attemptLogin(target, "wrong", "10.5.0.2", { knownBrowser: true });
    expect(await attemptLogin(target, PASSWORD, "10.5.0.2", { knownBrowser: true })).toMatchObject({
      ok: false,
      reason: "rate_limited",
    });
  });

  it("takes the address TRUSTED_PROXY_HOPS entries before the last X-Forwarded-For entry", () => {
    const headers = (value: Record<string, string>) => new Headers(value);
    expect(clientIp(headers({ "x-forwarded-for": "203.0.113.9" }), 0)).toBe("203.0.113.9");
    expect(clientIp(headers({ "x-forwarded-for": "1.2.3.4, 203.0.113.9" }), 0)).toBe("203.0.113.9");
    // Behind two proxies: the last entry is the first proxy's address, the one before it the client's.
    expect(clientIp(headers({ "x-forwarded-for": "1.2.3.4, 198.51.100.7, 10.0.0.2" }), 1)).toBe("198.51.100.7");
    // Fewer entries than hops: the first one there is.
    expect(clientIp(headers({ "x-forwarded-for": "198.51.100.7" }), 3)).toBe("198.51.100.7");
    expect(clientIp(headers({}), 0)).toBe("local");
  });
});
