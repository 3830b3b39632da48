/**
 * Request bodies of the OpenAI-compatible endpoints, validated the way vLLM does it: pydantic
 * checks field types (unknown fields pass silently), then SamplingParams checks ranges with its own
 * messages. Both failures are 400s in vLLM's error envelope.
 */

import { z } from "zod";
import { ApiError, validationError } from "./http";

const contentPart = z.looseObject({ type: z.string(), text: z.string().optional() });
const message = z.looseObject({
  role: z.string(),
  content: z.union([z.string(), z.array(contentPart)]).nullish(),
  name: z.string().optional(),
});
export type ChatMessage = z.infer<typeof message>;

const jsonSchema = z.union([z.record(z.string(), z.unknown()), z.boolean(), z.string()]);

const structuredOutputs = z.looseObject({
  json: jsonSchema.nullish(),
  json_object: z.boolean().nullish(),
  choice: z.array(z.string()).nullish(),
  regex: z.string().nullish(),
  grammar: z.string().nullish(),
});

const responseFormat = z.discriminatedUnion("type", [
  z.looseObject({ type: z.literal("text") }),
  z.looseObject({ type: z.literal("json_object") }),
  z.looseObject({
    type: z.literal("json_schema"),
    json_schema: z.looseObject({
      name: z.string(),
      description: z.string().nullish(),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

const common = {
  model: z.string().nullish(),
  n: z.number().int().nullish(),
  seed: z.number().int().nullish(),
  temperature: z.number().nullish(),
  top_p: z.number().nullish(),
  top_k: z.number().int().nullish(),
  min_p: z.number().nullish(),
  repetition_penalty: z.number().nullish(),
  presence_penalty: z.number().nullish(),
  frequency_penalty: z.number().nullish(),
  max_tokens: z.number().int().nullish(),
  min_tokens: z.number().int().nullish(),
  stop: z.union([z.string(), z.array(z.string())]).nullish(),
  include_stop_str_in_output: z.boolean().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z
    .looseObject({ include_usage: z.boolean().nullish(), continuous_usage_stats: z.boolean().nullish() })
    .nullish(),
  structured_outputs: structuredOutputs.nullish(),
  response_format: responseFormat.nullish(),
  cache_salt: z.string().nullish(),
  priority: z.number().int().nullish(),
  user: z.string().nullish(),
};

export const chatRequestSchema = z.looseObject({
  messages: z.array(message),
  ...common,
  max_completion_tokens: z.number().int().nullish(),
  logprobs: z.boolean().nullish(),
  top_logprobs: z.number().int().nullish(),
  add_generation_prompt: z.boolean().nullish(),
  continue_final_message: z.boolean().nullish(),
  chat_template_kwargs: z.record(z.string(), z.unknown()).nullish(),
});
export type ChatRequest = z.infer<typeof chatRequestSchema>;

const tokenIds = z.array(z.number().int().min(0)).min(1);
export const completionRequestSchema = z.looseObject({
  prompt: z.union([z.string(), z.array(z.string()).min(1), tokenIds, z.array(tokenIds).min(1)]),
  ...common,
  logprobs: z.number().int().nullish(),
  echo: z.boolean().nullish(),
});
export type CompletionRequest = z.infer<typeof completionRequestSchema>;

/** Either a chat (`messages`) or a completion (`prompt`) tokenize request. */
export const tokenizeRequestSchema = z
  .looseObject({
    model: z.string().nullish(),
    messages: z.array(message).optional(),
    prompt: z.string().optional(),
    add_generation_prompt: z.boolean().nullish(),
    continue_final_message: z.boolean().nullish(),
    add_special_tokens: z.boolean().nullish(),
  })
  .refine((req) => (req.messages === undefined) !== (req.prompt === undefined), {
    message: "Provide either `messages` or `prompt`.",
  });

export const loraRequestSchema = z.looseObject({
  lora_name: z.string().nullish(),
  lora_path: z.string().nullish(),
});

/** Parses with `schema` or throws vLLM's 400 validation error. */
export function parseRequest<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const parsed = schema.safeParse(body);
  if (parsed.success) return parsed.data;
  throw validationError(
    parsed.error.issues.map((issue) => {
      const missing = issue.code === "invalid_type" && issue.message.endsWith("received undefined");
      return {
        type: missing ? "missing" : issue.code,
        loc: issue.path.filter((part): part is string | number => typeof part !== "symbol"),
        msg: missing ? "Field required" : issue.message,
      };
    }),
  );
}

const LEGACY_GUIDED_FIELDS = ["guided_json", "guided_regex", "guided_choice", "guided_grammar"] as const;

/** With --strict-extras: the first legacy guided-decoding field present (real vLLM ignores them). */
export function rejectLegacyGuided(body: Record<string, unknown>): void {
  const field = LEGACY_GUIDED_FIELDS.find((name) => body[name] !== undefined && body[name] !== null);
  if (field) {
    throw new ApiError(
      400,
      `'${field}' is no longer supported and would be ignored; use 'structured_outputs' instead.`,
      field,
    );
  }
}

type Common = z.infer<z.ZodObject<typeof common>>;

/** Python prints floats with a decimal point, and these messages come from Python. */
const float = (value: number) => (Number.isInteger(value) ? value.toFixed(1) : String(value));

/** SamplingParams' range checks, with vLLM's messages. */
export function checkSampling(req: Common, maxTokens: number | null, topLogprobs: number | null): void {
  const fail = (message: string, param: string) => {
    throw new ApiError(400, message, param);
  };
  const { n, temperature, top_p, top_k, min_p, repetition_penalty, presence_penalty, frequency_penalty } = req;
  if (n != null && n < 1) fail(`n must be at least 1, got ${n}.`, "n");
  if (presence_penalty != null && (presence_penalty < -2 || presence_penalty > 2)) {
    fail(`presence_penalty must be in [-2, 2], got ${float(presence_penalty)}.`, "presence_penalty");
  }
  if (frequency_penalty != null && (frequency_penalty < -2 || frequency_penalty > 2)) {
    fail(`frequency_penalty must be in [-2, 2], got ${float(frequency_penalty)}.`, "frequency_penalty");
  }
  if (repetition_penalty != null && repetition_penalty <= 0) {
    fail(`repetition_penalty must be greater than zero, got ${float(repetition_penalty)}.`, "repetition_penalty");
  }
  if (temperature != null && temperature < 0)
    fail(`temperature must be non-negative, got ${float(temperature)}.`, "temperature");
  if (top_p != null && (top_p <= 0 || top_p > 1)) fail(`top_p must be in (0, 1], got ${float(top_p)}.`, "top_p");
  if (top_k != null && top_k < -1) fail(`top_k must be 0 (disable), or at least 1, got ${top_k}.`, "top_k");
  if (min_p != null && (min_p < 0 || min_p > 1)) fail(`min_p must be in [0, 1], got ${float(min_p)}.`, "min_p");
  if (maxTokens !== null && maxTokens < 1) fail(`max_tokens must be at least 1, got ${maxTokens}.`, "max_tokens");
  const minTokens = req.min_tokens;
  if (minTokens != null && minTokens < 0) {
    fail(`min_tokens must be greater than or equal to 0, got ${minTokens}.`, "min_tokens");
  }
  if (minTokens != null && maxTokens !== null && minTokens > maxTokens) {
    fail(`min_tokens must be less than or equal to max_tokens=${maxTokens}, got ${minTokens}.`, "min_tokens");
  }
  if (topLogprobs !== null && topLogprobs < 0) fail("`top_logprobs` must be a positive value.", "top_logprobs");
  if (topLogprobs !== null && topLogprobs > 20) {
    fail(`Requested sample logprobs of ${topLogprobs}, which is greater than max allowed: 20`, "logprobs");
  }
  if (req.stream_options != null && req.stream !== true) {
    fail("Stream options can only be defined when `stream=True`.", "stream_options");
  }
}
