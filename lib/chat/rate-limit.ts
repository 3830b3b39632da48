import "server-only";
// How many replies one person may ask for: every model call a reply makes — a message's answer,
// a regeneration, a continuation, an edited message's answer, each side of an arena round, and
// retries of any of them — counts one. `generateReply` counts them itself, so no route can forget
// to; the CLI is the operator's and is not limited.
import { AppError } from "@/lib/errors";
import { hitRateLimit, peekRateLimit, type RateLimitRule, type RateLimitState } from "@/lib/rate-limit";

/** CHAT_RATE_LIMIT_PER_MINUTE (default 30, validated at boot); 0 turns the limit off. */
export function chatRateLimitRule(): RateLimitRule | null {
  const setting = process.env.CHAT_RATE_LIMIT_PER_MINUTE?.trim();
  const limit = setting ? Number(setting) : 30;
  return limit > 0 ? { limit, windowSeconds: 60 } : null;
}

const chatKey = (userId: string) => `chat:${userId}`;

function refusal(rule: RateLimitRule, state: RateLimitState): AppError {
  return new AppError(
    "rate_limited:chat",
    `You are sending messages faster than ${rule.limit} a minute. Wait ${state.retryAfterSeconds} seconds and send again.`,
    { retryAfterSeconds: state.retryAfterSeconds },
  );
}

/** Count one reply for the user, refusing it with a 429 past the limit. */
export async function countChatTurn(userId: string, rule = chatRateLimitRule()): Promise<void> {
  if (!rule) return;
  const state = await hitRateLimit(chatKey(userId), rule);
  if (!state.allowed) throw refusal(rule, state);
}

/**
 * The same 429 when the user has no reply left, without counting one: for a step that stores a
 * message whose replies are counted as they are asked for (an arena round), so a throttled
 * message is refused before it is stored and stays in the composer.
 */
export async function assertChatTurnLeft(userId: string, rule = chatRateLimitRule()): Promise<void> {
  if (!rule) return;
  const state = await peekRateLimit(chatKey(userId), rule);
  if (!state.allowed) throw refusal(rule, state);
}
