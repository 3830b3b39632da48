import "server-only";
// How many replies one person may ask for: every message sent, regeneration, continuation,
// edited message and arena round counts one. The CLI is the operator's and is not limited.
import { AppError } from "@/lib/errors";
import { hitRateLimit, type RateLimitRule } from "@/lib/rate-limit";

/** CHAT_RATE_LIMIT_PER_MINUTE (default 30, validated at boot); 0 turns the limit off. */
export function chatRateLimitRule(): RateLimitRule | null {
  const setting = process.env.CHAT_RATE_LIMIT_PER_MINUTE?.trim();
  const limit = setting ? Number(setting) : 30;
  return limit > 0 ? { limit, windowSeconds: 60 } : null;
}

/** Count one chat turn for the user, refusing it with a 429 past the limit. */
export async function countChatTurn(userId: string, rule = chatRateLimitRule()): Promise<void> {
  if (!rule) return;
  const state = await hitRateLimit(`chat:${userId}`, rule);
  if (!state.allowed) {
    throw new AppError(
      "rate_limited:chat",
      `You are sending messages faster than ${rule.limit} a minute. Wait ${state.retryAfterSeconds} seconds and send again.`,
      { retryAfterSeconds: state.retryAfterSeconds },
    );
  }
}
