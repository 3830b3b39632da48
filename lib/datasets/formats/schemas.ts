// What each exported line must look like, as strict zod schemas (unknown keys fail). Used by the
// tests only: the exporters never parse per row, so this is where a shape regression is caught.
import { z } from "zod";
import type { DatasetFormat } from "./index";

const turn = z.strictObject({ role: z.enum(["system", "user", "assistant"]), content: z.string() });
const answer = z.strictObject({ role: z.literal("assistant"), content: z.string() });
/** A trainer's single completion slot. */
const oneAnswer = z.tuple([answer]);

const openaiMessage = z.union([
  z.strictObject({ role: z.enum(["system", "user"]), content: z.string() }),
  z.strictObject({
    role: z.literal("assistant"),
    content: z.string(),
    weight: z.union([z.literal(0), z.literal(1)]).optional(),
  }),
]);

const sharegptTurn = z.union([
  z.strictObject({ from: z.literal("human"), value: z.string() }),
  z.strictObject({ from: z.literal("gpt"), value: z.string(), weight: z.literal(0).optional() }),
]);

export const FORMAT_SCHEMAS = {
  "openai-sft": z.strictObject({ messages: z.array(openaiMessage).min(1) }),
  "openai-dpo": z.strictObject({
    input: z.strictObject({ messages: z.array(turn) }),
    preferred_output: oneAnswer,
    non_preferred_output: oneAnswer,
  }),
  "trl-sft": z.strictObject({ prompt: z.array(turn), completion: oneAnswer }),
  "trl-dpo": z.strictObject({ prompt: z.array(turn), chosen: oneAnswer, rejected: oneAnswer }),
  "trl-kto": z.strictObject({ prompt: z.array(turn), completion: oneAnswer, label: z.boolean() }),
  sharegpt: z.strictObject({ system: z.string(), conversations: z.array(sharegptTurn).min(1) }),
} satisfies Record<DatasetFormat, z.ZodType>;
