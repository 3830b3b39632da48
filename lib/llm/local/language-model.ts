// A local GGUF model as an AI SDK language model (spec v4), so lib/llm/stream.ts and
// lib/llm/structured.ts call it exactly as they call a vLLM endpoint. The prompt goes through the
// model's own chat template (resolved from the GGUF by node-llama-cpp); JSON response formats are
// enforced with a JSON-schema grammar; vLLM's extra sampling fields (top_k, min_p,
// repetition_penalty, continue_final_message) are honoured from providerOptions.
import type {
  LanguageModelV4,
  LanguageModelV4CallOptions,
  LanguageModelV4FinishReason,
  LanguageModelV4GenerateResult,
  LanguageModelV4StreamPart,
  LanguageModelV4StreamResult,
  LanguageModelV4Usage,
  SharedV4Warning,
} from "@ai-sdk/provider";
import type { ChatHistoryItem, GbnfJsonSchema, LlamaChat, LlamaGrammar } from "node-llama-cpp";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { localModelId } from "../config";
import { getLocalEngine, type LocalEngine } from "./engine";

/** vLLM's extra body fields as lib/llm/stream.ts sends them (providerOptions.vllm); unknown ones are ignored. */
const extraSchema = z.looseObject({
  top_k: z.number().int().optional(),
  min_p: z.number().min(0).max(1).optional(),
  repetition_penalty: z.number().positive().optional(),
  presence_penalty: z.number().optional(),
  frequency_penalty: z.number().optional(),
  continue_final_message: z.boolean().optional(),
});
type Extra = z.infer<typeof extraSchema>;

/** How many recent generated tokens the penalties look at (vLLM looks at all of them; 64 is llama.cpp's default). */
const PENALTY_WINDOW = 64;

type PreparedCall = {
  history: ChatHistoryItem[];
  extra: Extra;
  warnings: SharedV4Warning[];
};

function prepare(options: LanguageModelV4CallOptions): PreparedCall {
  const warnings: SharedV4Warning[] = [];
  const parsed = extraSchema.safeParse({ ...options.providerOptions?.vllm, ...options.providerOptions?.local });
  if (!parsed.success) {
    throw new AppError(
      "upstream_error:request",
      `The local model rejected the sampling options: ${parsed.error.message}`,
    );
  }
  const extra = parsed.data;
  if (options.tools?.length) warnings.push({ type: "unsupported", feature: "tools" });

  const system: string[] = [];
  const turns: ChatHistoryItem[] = [];
  for (const message of options.prompt) {
    if (message.role === "system") {
      system.push(message.content);
    } else if (message.role === "user" || message.role === "assistant") {
      const texts: string[] = [];
      for (const part of message.content) {
        if (part.type === "text") texts.push(part.text);
        else if (part.type !== "reasoning")
          warnings.push({ type: "unsupported", feature: `${message.role} ${part.type} parts` });
      }
      const text = texts.join("");
      turns.push(message.role === "user" ? { type: "user", text } : { type: "model", response: [text] });
    } else {
      warnings.push({ type: "unsupported", feature: "tool messages" });
    }
  }
  const history: ChatHistoryItem[] = [
    ...(system.length ? [{ type: "system" as const, text: system.join("\n\n") }] : []),
    ...turns,
  ];
  // Continuing the final assistant message (vLLM's continue_final_message) means generating into it;
  // otherwise the reply is a new assistant turn.
  const continueFinal = extra.continue_final_message === true && history.at(-1)?.type === "model";
  if (!continueFinal) history.push({ type: "model", response: [] });
  return { history, extra, warnings };
}

const ANY_SCALAR = { type: ["string", "number", "boolean", "null"] };
const ANY_JSON = {
  oneOf: [ANY_SCALAR, { type: "object", additionalProperties: true }, { type: "array", items: ANY_SCALAR }],
};
const GRAMMAR_FORMATS = new Set(["date", "time", "date-time"]);

/** The JSON Schema keywords read below (the AI SDK's JSONSchema7 type needs @types/json-schema). */
type SchemaNode = {
  type?: string | string[];
  properties?: Record<string, unknown>;
  additionalProperties?: unknown;
  items?: unknown;
  anyOf?: unknown[];
  oneOf?: unknown[];
  allOf?: unknown[];
  $ref?: string;
  const?: unknown;
  enum?: unknown[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  definitions?: Record<string, unknown>;
  $defs?: Record<string, unknown>;
};

const schemaNode = (value: unknown): SchemaNode | null =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as SchemaNode) : null;

/** Copy the numeric keywords that are set. */
function limits(node: SchemaNode, keys: (keyof SchemaNode)[]): Record<string, number> {
  return Object.fromEntries(keys.flatMap((key) => (typeof node[key] === "number" ? [[key, node[key]]] : [])));
}

/**
 * JSON Schema (as the AI SDK sends it) to the subset node-llama-cpp turns into a grammar. Without
 * this, `anyOf` and unknown string formats (email, uri) would constrain answers to null or "".
 */
export function toGrammarSchema(schema: unknown): GbnfJsonSchema {
  const root = schemaNode(schema) ?? {};
  const defs = { ...root.definitions, ...root.$defs };
  const convert = (value: unknown): object => {
    const node = schemaNode(value);
    if (!node) return ANY_JSON;
    if (node.allOf?.length) {
      const { allOf, ...rest } = node;
      return convert(Object.assign({}, rest, ...allOf.map((part) => schemaNode(part) ?? {})));
    }
    if (node.$ref !== undefined) {
      const match = /^#\/(?:definitions|\$defs)\/(.+)$/.exec(node.$ref);
      return match?.[1] && match[1] in defs ? { $ref: `#/$defs/${match[1]}` } : ANY_JSON;
    }
    if (node.const !== undefined) return { const: node.const };
    if (node.enum) return { enum: node.enum };
    const alternatives = node.anyOf ?? node.oneOf;
    if (alternatives) return { oneOf: alternatives.map(convert) };
    const types = node.type === undefined ? [] : Array.isArray(node.type) ? node.type : [node.type];
    if (types.length === 0) {
      if (node.properties || node.additionalProperties !== undefined) return convert({ ...node, type: "object" });
      if (node.items) return convert({ ...node, type: "array" });
      return ANY_JSON;
    }
    if (types.length > 1) {
      // node-llama-cpp reads a list of types for scalars only (e.g. a nullable number).
      if (types.every((type) => type !== "object" && type !== "array")) return { type: types };
      return { oneOf: types.map((type) => convert({ ...node, type })) };
    }
    const [type] = types;
    if (type === "object") {
      const additional = node.additionalProperties;
      return {
        type: "object",
        properties: Object.fromEntries(
          Object.entries(node.properties ?? {}).map(([key, value]) => [key, convert(value)]),
        ),
        ...(additional === true ? { additionalProperties: true } : {}),
        ...(schemaNode(additional) ? { additionalProperties: convert(additional) } : {}),
        ...limits(node, ["minProperties", "maxProperties"]),
      };
    }
    if (type === "array") {
      const items = node.items;
      return {
        type: "array",
        ...(Array.isArray(items)
          ? { prefixItems: items.map(convert) }
          : items !== undefined
            ? { items: convert(items) }
            : {}),
        ...limits(node, ["minItems", "maxItems"]),
      };
    }
    if (type === "string") {
      if (node.format && GRAMMAR_FORMATS.has(node.format)) return { type: "string", format: node.format };
      return { type: "string", ...limits(node, ["minLength", "maxLength"]) };
    }
    return { type };
  };
  const converted = convert(root);
  const $defs = Object.fromEntries(Object.entries(defs).map(([name, def]) => [name, convert(def)]));
  // node-llama-cpp checks the shape while building the grammar; its schema type is a deep generic.
  return (Object.keys($defs).length ? { ...converted, $defs } : converted) as GbnfJsonSchema;
}

async function grammarFor(
  engine: LocalEngine,
  format: LanguageModelV4CallOptions["responseFormat"],
  warnings: SharedV4Warning[],
): Promise<LlamaGrammar | undefined> {
  if (format?.type !== "json") return undefined;
  if (!format.schema) return engine.jsonGrammar();
  try {
    return await engine.jsonGrammar(toGrammarSchema(format.schema));
  } catch (error) {
    console.warn("[local-model] JSON schema not usable as a grammar; falling back to any JSON", error);
    warnings.push({ type: "compatibility", feature: "responseFormat", details: "schema enforced as plain JSON only" });
    return engine.jsonGrammar();
  }
}

type Outcome = { finishReason: LanguageModelV4FinishReason; usage: LanguageModelV4Usage };

/** One generation on a slot: queue for the slot, generate, free the slot whatever happens. */
async function generate(
  engine: LocalEngine,
  options: LanguageModelV4CallOptions,
  call: PreparedCall,
  signal: AbortSignal,
  onText: (text: string) => void,
): Promise<Outcome> {
  const grammar = await grammarFor(engine, options.responseFormat, call.warnings);
  const prompt = engine.chatWrapper
    .generateContextState({ chatHistory: call.history })
    .contextText.tokenize(engine.model.tokenizer);
  const slot = await engine.acquire({ prompt, signal });
  let chat: LlamaChat | undefined;
  let failed = false;
  try {
    chat = new engine.lib.LlamaChat({ contextSequence: slot.sequence, chatWrapper: engine.chatWrapper });
    const reused = Math.min(slot.sequence.compareContextTokens(prompt).firstDifferentIndex, prompt.length);
    const meter = slot.sequence.tokenMeter.getState();
    const { extra } = call;
    const topK = options.topK ?? extra.top_k;
    const presencePenalty = options.presencePenalty ?? extra.presence_penalty;
    const frequencyPenalty = options.frequencyPenalty ?? extra.frequency_penalty;
    const penalized =
      (extra.repetition_penalty !== undefined && extra.repetition_penalty !== 1) || presencePenalty || frequencyPenalty;
    const result = await chat.generateResponse(call.history, {
      onTextChunk: onText,
      signal,
      stopOnAbortSignal: true,
      // Without a limit, stop when the context is full rather than shifting it forever.
      maxTokens: options.maxOutputTokens ?? Math.max(1, engine.contextSize - prompt.length),
      temperature: options.temperature ?? 1,
      topP: options.topP ?? 1,
      // vLLM's -1 and llama.cpp's 0 both mean "no top-k".
      topK: topK !== undefined && topK > 0 ? topK : 0,
      minP: extra.min_p ?? 0,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      repeatPenalty: penalized
        ? {
            lastTokens: PENALTY_WINDOW,
            // node-llama-cpp's own default is 1.1; vLLM's is none.
            penalty: extra.repetition_penalty ?? 1,
            ...(presencePenalty ? { presencePenalty } : {}),
            ...(frequencyPenalty ? { frequencyPenalty } : {}),
          }
        : false,
      ...(options.stopSequences?.length ? { customStopTriggers: options.stopSequences } : {}),
      ...(grammar ? { grammar } : {}),
    });
    if (signal.aborted) throw signal.reason;
    const generated = slot.sequence.tokenMeter.diff(meter).usedOutputTokens;
    const unified = result.metadata.stopReason === "maxTokens" ? "length" : "stop";
    return {
      finishReason: { unified, raw: unified },
      usage: {
        inputTokens: {
          total: prompt.length,
          noCache: prompt.length - reused,
          cacheRead: reused,
          cacheWrite: undefined,
        },
        outputTokens: { total: generated, text: generated, reasoning: undefined },
      },
    };
  } catch (error) {
    if (signal.aborted) throw signal.reason;
    failed = true;
    if (error instanceof AppError) throw error;
    console.error("[local-model] generation failed", error);
    throw new AppError("upstream_error:local_model", "The local model failed while writing the reply.");
  } finally {
    chat?.dispose();
    // After an unexpected failure the slot's cached state is not trusted.
    slot.release({ reset: failed });
  }
}

/** `modelId` defaults to the file name without `.gguf`. */
export function createLocalLanguageModel(
  modelPath: string,
  modelId: string = localModelId(modelPath),
): LanguageModelV4 {
  return {
    specificationVersion: "v4",
    provider: "local.llama-cpp",
    modelId,
    supportedUrls: {},

    async doGenerate(options): Promise<LanguageModelV4GenerateResult> {
      const engine = await getLocalEngine(modelPath);
      const call = prepare(options);
      const signal = options.abortSignal ?? new AbortController().signal;
      let text = "";
      const outcome = await generate(engine, options, call, signal, (chunk) => {
        text += chunk;
      });
      return {
        content: text ? [{ type: "text", text }] : [],
        ...outcome,
        warnings: call.warnings,
        response: { modelId, timestamp: new Date() },
      };
    },

    async doStream(options): Promise<LanguageModelV4StreamResult> {
      // Loading (and a missing or broken file) fails here, like a refused connection would.
      const engine = await getLocalEngine(modelPath);
      const call = prepare(options);
      const cancelled = new AbortController();
      const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, cancelled.signal]) : cancelled.signal;
      const stream = new ReadableStream<LanguageModelV4StreamPart>({
        start(controller) {
          const id = "text-0";
          let open = false;
          const emit = (part: LanguageModelV4StreamPart) => {
            if (!cancelled.signal.aborted) controller.enqueue(part);
          };
          emit({ type: "stream-start", warnings: call.warnings });
          emit({ type: "response-metadata", modelId, timestamp: new Date() });
          generate(engine, options, call, signal, (delta) => {
            if (!delta) return;
            if (!open) emit({ type: "text-start", id });
            open = true;
            emit({ type: "text-delta", id, delta });
          }).then(
            (outcome) => {
              if (cancelled.signal.aborted) return;
              if (open) emit({ type: "text-end", id });
              emit({ type: "finish", ...outcome });
              controller.close();
            },
            // An abort ends the stream with the signal's reason, as an aborted fetch does.
            (error: unknown) => {
              if (!cancelled.signal.aborted) controller.error(error);
            },
          );
        },
        cancel(reason) {
          cancelled.abort(reason);
        },
      });
      return { stream };
    },
  };
}
