import { beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { assertTestDatabase } from "@/lib/testing/db";
import { createUser } from "@/lib/users/queries";
import { attemptLogin, clientIp } from "./login";

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

  it("takes the address the nearest proxy wrote, not one the client put first", () => {
    const headers = (value: Record<string, string>) => new Headers(value);
    expect(clientIp(headers({ "x-forwarded-for": "203.0.113.9" }))).toBe("203.0.113.9");
    expect(clientIp(headers({ "x-forwarded-for": "1.2.3.4, 203.0.113.9" }))).toBe("203.0.113.9");
    expect(clientIp(headers({ "x-real-ip": "198.51.100.7" }))).toBe("198.51.100.7");
    expect(clientIp(headers({}))).toBe("local");
  });
});
