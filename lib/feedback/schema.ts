import { z } from "zod";
import { RATING_REASONS, type RatingReason } from "./reasons";

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
