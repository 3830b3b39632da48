// What the review queue, the reviewer and bulk actions accept. The same filter chooses the rows a
// queue page lists, a bulk action moves and a dataset version snapshots.
import { z } from "zod";
import { SAMPLE_STATES } from "./states";

export const SAMPLE_SOURCES = ["SYNTHETIC", "SWIPE", "EDIT", "ARENA", "RATING", "CHAT"] as const;
export const SAMPLE_KINDS = ["SFT", "PREFERENCE", "KTO"] as const;
export const QUEUE_SORTS = ["newest", "oldest", "score_desc", "score_asc"] as const;
export type QueueSort = (typeof QUEUE_SORTS)[number];

/** Reasons a reviewer can pick with one key (1–6); any other text is accepted too. */
export const REJECT_REASONS = [
  "out of character",
  "factually wrong",
  "low quality",
  "unsafe",
  "duplicate",
  "formatting",
] as const;

const id = z.string().trim().min(1).max(120);
const blankToUndefined = (value: unknown) => (value === "" || value === null ? undefined : value);
const optional = <T extends z.ZodType>(schema: T) => z.preprocess(blankToUndefined, schema.optional());
const score = z.coerce.number().min(1).max(5);
const states = z.preprocess(
  (value) => (typeof value === "string" ? (value ? value.split(",") : undefined) : value),
  z.array(z.enum(SAMPLE_STATES)).max(SAMPLE_STATES.length).optional(),
);

export const sampleFilterSchema = z.object({
  state: states,
  source: optional(z.enum(SAMPLE_SOURCES)),
  kind: optional(z.enum(SAMPLE_KINDS)),
  pipeline: optional(z.string().trim().max(40)),
  jobId: optional(id),
  characterId: optional(id),
  modelId: optional(z.string().trim().max(200)),
  minScore: optional(score),
  maxScore: optional(score),
  /** A flag code, `any` (some flag) or `none` (no flags). */
  flag: optional(z.string().trim().max(40)),
  language: optional(z.string().trim().max(12)),
  /** Words to find in the prompt or the answers (all of them; "quoted phrases" and -exclusions work). */
  q: optional(z.string().trim().max(200)),
  /** Near-duplicates: list them too (default), leave them out, or only them. */
  duplicates: optional(z.enum(["include", "exclude", "only"])),
});
export type SampleFilter = z.infer<typeof sampleFilterSchema>;

export const queueQuerySchema = sampleFilterSchema.extend({
  sort: optional(z.enum(QUEUE_SORTS)),
  cursor: optional(z.string().max(400)),
});
export type QueueQuery = z.infer<typeof queueQuerySchema>;

export const reviewSchema = z
  .object({
    sampleId: id,
    decision: z.enum(["APPROVED", "REJECTED", "NEEDS_REVIEW"]),
    reason: optional(z.string().trim().max(300)),
  })
  .refine((value) => value.decision !== "REJECTED" || value.reason, {
    message: "Say why the sample is rejected.",
    path: ["reason"],
  });

export const bulkSchema = z
  .object({
    filter: sampleFilterSchema,
    decision: z.enum(["APPROVED", "REJECTED"]),
    reason: optional(z.string().trim().max(300)),
    /** The count the reviewer was shown; the action refuses if the filter now matches a different number. */
    expected: z.number().int().min(0),
  })
  .refine((value) => value.decision !== "REJECTED" || value.reason, {
    message: "Say why the samples are rejected.",
    path: ["reason"],
  });

const MAX_ANSWER = 20_000;
export const revisionSchema = z.object({
  sampleId: id,
  chosen: z.string().trim().min(1, "The answer cannot be empty.").max(MAX_ANSWER),
  rejected: optional(z.string().trim().min(1).max(MAX_ANSWER)),
  note: optional(z.string().trim().max(300)),
});

/**
 * The queue's query from URL search params, keeping the parameters that are valid and dropping the
 * rest, so a hand-edited or stale link still opens the queue.
 */
export function parseQueueParams(params: Record<string, string | string[] | undefined>): QueueQuery {
  const query: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(queueQuerySchema.shape)) {
    const raw = params[key];
    const value = Array.isArray(raw) ? raw[0] : raw;
    if (value === undefined) continue;
    const parsed = (field as z.ZodType).safeParse(value);
    if (parsed.success && parsed.data !== undefined) query[key] = parsed.data;
  }
  return query as QueueQuery;
}

/** The query as URL search params (for links between the queue and the reviewer). */
export function queueSearch(query: QueueQuery, overrides: Partial<Record<keyof QueueQuery, string | undefined>> = {}) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries({ ...query, ...overrides })) {
    if (value === undefined || value === null || value === "") continue;
    search.set(key, Array.isArray(value) ? value.join(",") : String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : "";
}
