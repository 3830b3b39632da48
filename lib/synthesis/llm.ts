import "server-only";
// The model calls a synthesis item makes: plain completions and validated structured answers,
// both reporting token usage, with failures as AppErrors the runner can classify.
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { generateText, wrapLanguageModel } from "ai";
import type { z } from "zod";
import { isAppError } from "@/lib/errors";
import { toUpstreamError } from "@/lib/llm/errors";
import { defaultModelTarget, modelForTarget } from "@/lib/llm/provider";
import { generateStructured } from "@/lib/llm/structured";
import { targetForVersion } from "@/lib/models/routing";

export type Sampling = { temperature: number; topP: number; maxOutputTokens: number; seed?: number };

export const DEFAULT_SYNTH_SAMPLING: Sampling = { temperature: 0.8, topP: 0.95, maxOutputTokens: 1024 };

export type Usage = { tokensIn: number; tokensOut: number };

/** Extra attempts after an answer that does not parse. */
export const STRUCTURED_RETRIES = 3;

/**
 * Requests in flight per endpoint, shared by every job and runner in this process, so two jobs on
 * one vLLM server do not double its load (SYNTH_ENDPOINT_CONCURRENCY, default 32).
 */
class Gate {
  private active = 0;
  private readonly waiting: (() => void)[] = [];
  constructor(private readonly limit: number) {}
  async run<T>(body: () => Promise<T>): Promise<T> {
    // A released slot passes straight to the next waiter, so nobody can slip in between.
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active++;
    try {
      return await body();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active--;
    }
  }
}

const gates = new Map<string, Gate>();

function gateFor(key: string): Gate {
  let gate = gates.get(key);
  if (!gate) {
    gate = new Gate(Number(process.env.SYNTH_ENDPOINT_CONCURRENCY) || 32);
    gates.set(key, gate);
  }
  return gate;
}

/** A job's model, with every call it makes passing through its endpoint's gate. */
export type JobModel = { model: LanguageModelV4; modelId: string; gate: Gate };

/** The job's model: a registered version, or the environment's default model. */
export async function jobModel(modelVersionId: string | null): Promise<JobModel> {
  const target = modelVersionId ? await targetForVersion(modelVersionId) : await defaultModelTarget();
  const endpointKey = target.kind === "remote" ? target.endpoint.apiUrl : `local:${target.path}`;
  return { model: await modelForTarget(target), modelId: target.modelId, gate: gateFor(endpointKey) };
}

/**
 * How long one request may run (SYNTH_REQUEST_TIMEOUT_MS, default 5 minutes). A server that hangs
 * then counts as a timeout, which is retried; without it only undici's hidden 300 s limit ended it.
 */
function requestTimeoutMs(): number {
  return Number(process.env.SYNTH_REQUEST_TIMEOUT_MS) || 300_000;
}

/**
 * A model whose every (non-streaming) request waits for a slot at its endpoint, then has
 * `requestTimeoutMs` to answer (the clock starts at the endpoint, not in the queue).
 */
export function gated(model: LanguageModelV4, gate: Gate): LanguageModelV4 {
  return wrapLanguageModel({
    model,
    middleware: {
      specificationVersion: "v4",
      wrapGenerate: ({ params, model: inner }) =>
        gate.run(async () => {
          // A timer cleared when the request settles: AbortSignal.timeout's would live on for the
          // whole timeout, one per request, tens of thousands at a job's pace.
          const timeout = new AbortController();
          const timer = setTimeout(
            () => timeout.abort(new DOMException("The model server took too long to answer.", "TimeoutError")),
            requestTimeoutMs(),
          );
          const abortSignal = params.abortSignal
            ? AbortSignal.any([params.abortSignal, timeout.signal])
            : timeout.signal;
          try {
            return await inner.doGenerate({ ...params, abortSignal });
          } finally {
            clearTimeout(timer);
          }
        }),
    },
  });
}

export async function complete(
  model: LanguageModelV4,
  call: {
    system: string;
    messages: { role: "user" | "assistant"; content: string }[];
    sampling: Sampling;
    signal: AbortSignal;
  },
): Promise<{ text: string } & Usage> {
  try {
    const result = await generateText({
      model,
      system: call.system,
      messages: call.messages,
      temperature: call.sampling.temperature,
      topP: call.sampling.topP,
      maxOutputTokens: call.sampling.maxOutputTokens,
      ...(call.sampling.seed !== undefined ? { seed: call.sampling.seed } : {}),
      abortSignal: call.signal,
      maxRetries: 0,
    });
    return {
      text: result.text.trim(),
      tokensIn: result.usage.inputTokens ?? 0,
      tokensOut: result.usage.outputTokens ?? 0,
    };
  } catch (error) {
    throw toUpstreamError(error);
  }
}

/** A structured answer validated against `schema`, retried up to three times on a bad parse. */
export async function structured<S extends z.ZodType>(
  model: LanguageModelV4,
  call: { schema: S; schemaName: string; system: string; prompt: string; sampling: Sampling; signal: AbortSignal },
): Promise<{ object: z.infer<S>; raw: string; parseFailures: number } & Usage> {
  const result = await generateStructured({
    model,
    schema: call.schema,
    schemaName: call.schemaName,
    system: call.system,
    prompt: call.prompt,
    retries: STRUCTURED_RETRIES,
    temperature: call.sampling.temperature,
    maxOutputTokens: call.sampling.maxOutputTokens,
    ...(call.sampling.seed !== undefined ? { seed: call.sampling.seed } : {}),
    abortSignal: call.signal,
  }).catch((error: unknown) => {
    // Every one of the answers failed to parse: the runner counts them all.
    if (isAppError(error) && error.code === "upstream_error:invalid_output") {
      throw Object.assign(error, { parseAttempts: STRUCTURED_RETRIES + 1 });
    }
    throw error;
  });
  return {
    object: result.object,
    raw: result.raw,
    parseFailures: result.attempts - 1,
    tokensIn: result.usage.inputTokens,
    tokensOut: result.usage.outputTokens,
  };
}
