/**
 * Turns a /v1/chat/completions or /v1/completions body into a generation plan, with vLLM's checks
 * in vLLM's order: field types, model (404), sampling ranges, chat template, context length. The
 * output of every choice is decided here; the engine only plays it out in time.
 */

import { randomUUID } from "node:crypto";
import type { GenerationPlan, PlannedChoice, PlannedPrompt } from "./engine";
import { type ActiveFault, type FaultBook, parseDirective } from "./faults";
import type { Endpoint } from "./frames";
import { applyLimits, mulberry32, pick, rolePlayPieces, seedFrom } from "./generate";
import { ApiError } from "./http";
import { sampleJson } from "./json-schema";
import type { ModelRegistry, ResolvedModel } from "./models";
import type { RuntimeConfig, SimOptions } from "./options";
import {
  type ChatMessage,
  type ChatRequest,
  type CompletionRequest,
  chatRequestSchema,
  checkSampling,
  completionRequestSchema,
  parseRequest,
  rejectLegacyGuided,
  tokenizeRequestSchema,
} from "./schema";
import type { ScriptBook, ScriptTarget } from "./script";
import { renderChatMl, type TemplateMessage, tokenIds, tokenize } from "./tokenizer";

export interface PlanContext {
  options: SimOptions;
  config: RuntimeConfig;
  models: ModelRegistry;
  faults: FaultBook;
  script: ScriptBook;
}

/** What the "model" is constrained to produce. */
type OutputShape = { kind: "text" } | { kind: "json"; schema: unknown } | { kind: "choice"; options: string[] };

/** vLLM's default max_tokens for the legacy completions endpoint. */
const COMPLETIONS_DEFAULT_MAX_TOKENS = 16;

export function planChat(ctx: PlanContext, body: unknown, path: string): GenerationPlan {
  const req = parseRequest(chatRequestSchema, body);
  const model = resolveModel(ctx.models, req.model);
  if (ctx.options.strictExtras) rejectLegacyGuided(req);
  const maxTokens = req.max_completion_tokens ?? req.max_tokens ?? null;
  if (req.top_logprobs != null && req.logprobs !== true) {
    throw new ApiError(400, "when using `top_logprobs`, `logprobs` must be set to true.", "top_logprobs");
  }
  checkSampling(req, maxTokens, req.top_logprobs ?? null);
  checkPriority(ctx.options, req.priority);
  const messages = req.messages.map((m) => ({ role: m.role, content: messageText(m) }));
  const prompt = renderChat(messages, req.add_generation_prompt, req.continue_final_message);
  const tokens = tokenIds(tokenize(prompt));
  checkContext(ctx.options.maxModelLen, tokens.length, maxTokens, "messages");

  const target: ScriptTarget = {
    lastUser: messages.findLast((m) => m.role === "user")?.content ?? "",
    system: messages
      .filter((m) => m.role === "system")
      .map((m) => m.content)
      .join("\n"),
  };
  const fault = takeFault(ctx.faults, parseDirective(target.lastUser), path, model.id);
  const settings = outputSettings(model, req, maxTokens, ctx.script.take(target));
  const choices = Array.from({ length: req.n ?? 1 }, (_, index) =>
    planChoice(ctx, settings, prompt, tokens.length, index, index),
  );
  return plan("chat", model, req, [{ tokens, choices }], req.logprobs === true ? (req.top_logprobs ?? 0) : null, fault);
}

export function planCompletion(ctx: PlanContext, body: unknown, path: string): GenerationPlan {
  const req = parseRequest(completionRequestSchema, body);
  const model = resolveModel(ctx.models, req.model);
  if (ctx.options.strictExtras) rejectLegacyGuided(req);
  const maxTokens = req.max_tokens === undefined ? COMPLETIONS_DEFAULT_MAX_TOKENS : req.max_tokens;
  if (req.logprobs != null && req.logprobs < 0) {
    throw new ApiError(400, `logprobs must be non-negative, got ${req.logprobs}.`, "logprobs");
  }
  checkSampling(req, maxTokens, req.logprobs ?? null);
  checkPriority(ctx.options, req.priority);
  const prompts = promptList(req.prompt).map((p) => ({
    text: typeof p === "string" ? p : null,
    tokens: typeof p === "string" ? tokenIds(tokenize(p)) : p,
  }));
  for (const p of prompts) checkContext(ctx.options.maxModelLen, p.tokens.length, maxTokens, "prompt");

  const allText = prompts.flatMap((p) => (p.text === null ? [] : [p.text])).join("\n");
  const fault = takeFault(ctx.faults, parseDirective(allText), path, model.id);
  const settings = outputSettings(model, req, maxTokens, ctx.script.take({ lastUser: allText, system: "" }));
  const n = req.n ?? 1;
  const planned: PlannedPrompt[] = prompts.map((p, promptIndex) => ({
    tokens: p.tokens,
    choices: Array.from({ length: n }, (_, i) =>
      planChoice(ctx, settings, p.text ?? p.tokens.join(" "), p.tokens.length, i, promptIndex * n + i),
    ),
  }));
  return plan("text", model, req, planned, req.logprobs ?? null, fault);
}

/** The body of POST /tokenize: counts agree with `usage.prompt_tokens` by construction. */
export function tokenizeBody(ctx: PlanContext, body: unknown): unknown {
  const req = parseRequest(tokenizeRequestSchema, body);
  resolveModel(ctx.models, req.model);
  const text =
    req.messages !== undefined
      ? renderChat(
          req.messages.map((m) => ({ role: m.role, content: messageText(m) })),
          req.add_generation_prompt,
          req.continue_final_message,
        )
      : (req.prompt ?? "");
  const tokens = tokenIds(tokenize(text));
  return { count: tokens.length, max_model_len: ctx.options.maxModelLen, tokens, token_strs: null };
}

function resolveModel(models: ModelRegistry, name: string | null | undefined): ResolvedModel {
  const resolved = models.resolve(name);
  if (!resolved) throw new ApiError(404, `The model \`${name}\` does not exist.`, "model");
  return resolved;
}

function messageText(message: ChatMessage): string {
  const { content } = message;
  if (typeof content === "string") return content;
  if (!content) return "";
  return content.flatMap((part) => (part.type === "text" && part.text !== undefined ? [part.text] : [])).join("\n");
}

function renderChat(
  messages: readonly TemplateMessage[],
  addGenerationPrompt: boolean | null | undefined,
  continueFinalMessage: boolean | null | undefined,
): string {
  // vLLM defaults add_generation_prompt to true, so continuing a message requires turning it off.
  if (continueFinalMessage && addGenerationPrompt !== false) {
    throw new ApiError(400, "Cannot set both `continue_final_message` and `add_generation_prompt` to True.");
  }
  return renderChatMl(messages, {
    addGenerationPrompt: addGenerationPrompt ?? true,
    continueFinalMessage: continueFinalMessage ?? false,
  });
}

/** vLLM refuses a non-zero priority unless the server schedules by priority. */
function checkPriority(options: SimOptions, priority: number | null | undefined): void {
  if (priority != null && priority !== 0 && options.schedulingPolicy !== "priority") {
    throw new ApiError(400, `Got priority ${priority} but Priority scheduling is not enabled.`, "priority");
  }
}

function checkContext(maxModelLen: number, promptTokens: number, maxTokens: number | null, param: string): void {
  if (maxTokens === null) {
    if (promptTokens >= maxModelLen) {
      throw new ApiError(
        400,
        `This model's maximum context length is ${maxModelLen} tokens. However, you requested ${promptTokens} tokens in the messages, Please reduce the length of the messages.`,
        param,
      );
    }
    return;
  }
  if (promptTokens + maxTokens > maxModelLen) {
    throw new ApiError(
      400,
      `This model's maximum context length is ${maxModelLen} tokens. However, you requested ${promptTokens + maxTokens} tokens (${promptTokens} in the messages, ${maxTokens} in the completion). Please reduce the length of the messages or completion.`,
      param,
    );
  }
}

/** A directive in the request wins over process-wide rules; HTTP-level faults end the request here. */
function takeFault(
  faults: FaultBook,
  directive: ActiveFault | null,
  path: string,
  modelId: string,
): ActiveFault | null {
  const fault = directive ?? faults.take(path, modelId);
  if (fault?.kind === "http_500") throw new ApiError(500, "Internal Server Error (vllm-sim fault http_500).");
  if (fault?.kind === "http_503") throw new ApiError(503, "Service Unavailable (vllm-sim fault http_503).");
  if (fault?.kind === "dead") {
    throw new ApiError(503, "EngineCore encountered an issue. See stack trace (above) for the root cause.");
  }
  return fault;
}

function outputShape(req: ChatRequest | CompletionRequest): OutputShape {
  const structured = req.structured_outputs;
  if (structured?.json != null) {
    if (typeof structured.json !== "string") return { kind: "json", schema: structured.json };
    try {
      return { kind: "json", schema: JSON.parse(structured.json) };
    } catch {
      throw new ApiError(400, "structured_outputs.json is not a valid JSON schema.", "structured_outputs");
    }
  }
  if (structured?.json_object) return { kind: "json", schema: { type: "object" } };
  if (structured?.choice && structured.choice.length > 0) return { kind: "choice", options: structured.choice };
  const format = req.response_format;
  if (format?.type === "json_schema") return { kind: "json", schema: format.json_schema.schema ?? { type: "object" } };
  if (format?.type === "json_object") return { kind: "json", schema: { type: "object" } };
  return { kind: "text" };
}

/** What every choice of a request shares. */
interface OutputSettings {
  model: ResolvedModel;
  requestSeed: number | null;
  /** Null: up to the context window. */
  maxTokens: number | null;
  minTokens: number;
  stop: string[];
  includeStopStrInOutput: boolean;
  scripted: string | null;
  shape: OutputShape;
}

function outputSettings(
  model: ResolvedModel,
  req: ChatRequest | CompletionRequest,
  maxTokens: number | null,
  scripted: string | null,
): OutputSettings {
  return {
    model,
    requestSeed: req.seed ?? null,
    maxTokens,
    minTokens: req.min_tokens ?? 0,
    stop: req.stop == null ? [] : typeof req.stop === "string" ? [req.stop] : req.stop,
    includeStopStrInOutput: req.include_stop_str_in_output ?? false,
    scripted,
    shape: outputShape(req),
  };
}

/** One choice's output: seeded by (sim seed, model, prompt, request seed, choice index within its prompt). */
function planChoice(
  ctx: PlanContext,
  settings: OutputSettings,
  promptText: string,
  promptTokens: number,
  seedIndex: number,
  index: number,
): PlannedChoice {
  const { model, shape, scripted, minTokens } = settings;
  const seed = seedFrom(ctx.options.seed, model.id, promptText, settings.requestSeed ?? "", seedIndex);
  const rng = mulberry32(seed);
  const limit = settings.maxTokens ?? ctx.options.maxModelLen - promptTokens;
  let candidate: string[];
  if (scripted !== null) candidate = tokenize(scripted);
  else if (shape.kind === "json") candidate = tokenize(JSON.stringify(sampleJson(shape.schema, rng)));
  else if (shape.kind === "choice") candidate = tokenize(pick(rng, shape.options));
  else {
    const { minOutputTokens, maxOutputTokens } = ctx.options;
    const fixed = ctx.config.outputTokens;
    const natural = Math.max(
      minTokens,
      fixed ?? minOutputTokens + Math.floor(rng() * (maxOutputTokens - minOutputTokens + 1)),
    );
    // A fixed length is exact; otherwise the reply may end early, at a sentence boundary.
    const floor = fixed === null ? Math.max(minTokens, minOutputTokens) : natural;
    // One token past the limit is enough to know the reply was cut.
    const count = Math.min(natural, limit + 1);
    candidate = rolePlayPieces(rng, count, Math.min(floor, count));
  }
  const decoded = applyLimits(candidate, {
    maxTokens: limit,
    minTokens,
    stop: settings.stop,
    includeStopStrInOutput: settings.includeStopStrInOutput,
  });
  return { index, decoded, seed };
}

function plan(
  endpoint: Endpoint,
  model: ResolvedModel,
  req: ChatRequest | CompletionRequest,
  prompts: PlannedPrompt[],
  topLogprobs: number | null,
  fault: ActiveFault | null,
): GenerationPlan {
  const prefix = endpoint === "chat" ? "chatcmpl" : "cmpl";
  return {
    endpoint,
    identity: {
      id: `${prefix}-${randomUUID().replaceAll("-", "")}`,
      created: Math.floor(Date.now() / 1000),
      model: model.id,
    },
    modelId: model.id,
    lora: model.lora?.name ?? null,
    cacheSalt: req.cache_salt ?? null,
    priority: req.priority ?? 0,
    prompts,
    stream: req.stream === true,
    includeUsage: req.stream_options != null && req.stream_options.include_usage !== false,
    topLogprobs,
    fault,
  };
}

function promptList(prompt: CompletionRequest["prompt"]): (string | number[])[] {
  if (typeof prompt === "string") return [prompt];
  if (prompt.every((p): p is number => typeof p === "number")) return [prompt];
  return prompt.filter((p): p is string | number[] => typeof p !== "number");
}
