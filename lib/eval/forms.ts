// What the evaluation pages send: the start-a-run and regression-suite forms, the suite upload's
// fields, and the compare view's query. (The suite file format itself is in schema.ts.)
import { z } from "zod";
import { characterIdSchema } from "@/lib/characters/schema";

/** A suite file is read whole before anything is stored (all or nothing); this bounds one upload. */
export const SUITE_UPLOAD_MAX_BYTES = 20 * 1024 * 1024;

const recordId = z.string().trim().min(1).max(64);

export const startEvalRunSchema = z.object({
  suiteId: recordId,
  /** null: the environment's model. */
  modelVersionId: recordId.nullable(),
  judgeVersionId: recordId.nullable(),
  samples: z.number().int("A whole number.").min(1).max(9),
});
export type StartEvalRunInput = z.input<typeof startEvalRunSchema>;

export const regressionSuiteSchema = z.object({ characterId: characterIdSchema });

/** The upload's text fields; an empty field means "not given". */
export const suiteUploadSchema = z.object({
  name: z
    .string()
    .trim()
    .max(200)
    .optional()
    .transform((value) => value || undefined),
  seed: z
    .string()
    .trim()
    .max(64)
    .optional()
    .transform((value) => value || undefined),
});

export const compareQuerySchema = z.object({ a: recordId, b: recordId });
