import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { assertTestDatabase } from "@/lib/testing/db";
import { chatRateLimitRule, countChatTurn } from "./rate-limit";

beforeAll(assertTestDatabase);

beforeEach(() => {
  delete process.env.CHAT_RATE_LIMIT_PER_MINUTE;
});

describe("chat rate limit", () => {
  it("allows the limit per minute, then refuses with a 429 that says when to retry", async () => {
    const userId = `chat-limit-${Math.random()}`;
    const rule = { limit: 3, windowSeconds: 60 };
    for (let turn = 0; turn < 3; turn++) await countChatTurn(userId, rule);
    const refusal = await countChatTurn(userId, rule).then(
      () => null,
      (error: unknown) => error,
    );
    expect(refusal).toMatchObject({ status: 429, code: "rate_limited:chat" });
    const { retryAfterSeconds } = (refusal as { details: { retryAfterSeconds: number } }).details;
    expect(retryAfterSeconds).toBeGreaterThan(0);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    expect((refusal as Error).message).toContain(`Wait ${retryAfterSeconds} seconds`);
    // Counted per person: someone else is not affected.
    await expect(countChatTurn(`${userId}-other`, rule)).resolves.toBeUndefined();
  });

  it("reads CHAT_RATE_LIMIT_PER_MINUTE: 30 by default, 0 turns it off", async () => {
    expect(chatRateLimitRule()).toEqual({ limit: 30, windowSeconds: 60 });
    process.env.CHAT_RATE_LIMIT_PER_MINUTE = "5";
    expect(chatRateLimitRule()).toEqual({ limit: 5, windowSeconds: 60 });
    process.env.CHAT_RATE_LIMIT_PER_MINUTE = "0";
    expect(chatRateLimitRule()).toBeNull();
    const userId = `chat-off-${Math.random()}`;
    for (let turn = 0; turn < 40; turn++) await countChatTurn(userId);
    expect(await db.rateLimitBucket.findUnique({ where: { key: `chat:${userId}` } })).toBeNull();
  });
});
