import { z } from "zod";

/** Why a reply was good or bad: chips under the thumbs. */
export const RATING_REASONS = {
  out_of_character: "Out of character",
  wrong_facts: "Wrong facts",
  knows_too_much: "Knows what it shouldn't",
  fourth_wall: "Breaks the fourth wall",
  repetitive: "Repetitive",
  too_long: "Too long",
  too_short: "Too short",
  unsafe: "Unsafe",
  ignored_me: "Ignored what I said",
  great_roleplay: "Great role-play",
  funny: "Funny",
  vivid: "Vivid",
} as const;
export type RatingReason = keyof typeof RATING_REASONS;

export const rateSchema = z.object({
  messageId: z.string().min(1).max(64),
  /** 1 thumbs up, -1 thumbs down, null removes the rating. */
  value: z.union([z.literal(1), z.literal(-1)]).nullable(),
  reasons: z
    .array(z.enum(Object.keys(RATING_REASONS) as [RatingReason, ...RatingReason[]]))
    .max(12)
    .default([]),
  comment: z.string().trim().max(2000).optional(),
});
export type RateInput = z.input<typeof rateSchema>;

export const ARENA_VOTES = ["A", "B", "TIE", "BOTH_BAD"] as const;
export type ArenaVote = (typeof ARENA_VOTES)[number];

export const EXPORT_FORMATS = ["events", "trl-dpo", "openai-dpo", "trl-kto"] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** Offer a chat as training data, up to and including this reply (the last one on screen). */
export const offerSchema = z.object({ messageId: z.string().min(1).max(64) });
