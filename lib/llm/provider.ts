// Builds AI SDK language models for a model target: an OpenAI-compatible endpoint or a local GGUF
// run in-process. Nothing outside lib/llm and lib/models names a vendor or a URL; everyone else
// asks for a model here or receives one.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { AppError } from "@/lib/errors";
import { type DefaultModelConfig, requireDefaultModelConfig } from "./config";
import type { Endpoint } from "./endpoint";
import { listModels } from "./endpoint";
import { maxModelLen } from "./model-info";

/** Where a model runs and the id it is asked for by. */
export type ModelTarget =
  | { kind: "remote"; endpoint: Endpoint; modelId: string }
  | { kind: "local"; path: string; modelId: string };

export function languageModelFor(endpoint: Endpoint, modelId: string) {
  const provider = createOpenAICompatible({
    name: "vllm",
    baseURL: endpoint.apiUrl,
    ...(endpoint.apiKey ? { apiKey: endpoint.apiKey } : {}),
    // Without it no stream_options are sent and vLLM reports no usage.
    includeUsage: true,
    // Structured calls go out as response_format json_schema, which vLLM enforces.
    supportsStructuredOutputs: true,
  });
  return provider.chatModel(modelId);
}

/** The language model for a target. The local engine is loaded only when a target needs it. */
export async function modelForTarget(target: ModelTarget): Promise<LanguageModelV4> {
  if (target.kind === "remote") return languageModelFor(target.endpoint, target.modelId);
  const { createLocalLanguageModel } = await import("./local/language-model");
  return createLocalLanguageModel(target.path, target.modelId);
}

/** The target's context window in tokens, for prompt budgeting. */
export async function contextLengthFor(target: ModelTarget): Promise<number> {
  if (target.kind === "remote") return maxModelLen(target.endpoint, target.modelId);
  const { localContextLength } = await import("./local/engine");
  return localContextLength(target.path);
}

/** The environment's model source asked for `modelId`. */
export function targetFromConfig(config: DefaultModelConfig, modelId: string): ModelTarget {
  return config.kind === "local"
    ? { kind: "local", path: config.path, modelId }
    : { kind: "remote", endpoint: config.endpoint, modelId };
}

/** The environment's default model as a target; when LLM_MODEL is unset, the endpoint's first base model. */
export async function defaultModelTarget(): Promise<ModelTarget> {
  const config = requireDefaultModelConfig();
  if (config.kind === "local") return targetFromConfig(config, config.model);
  let modelId = config.model;
  if (!modelId) {
    const models = await listModels(config.endpoint).catch(() => {
      throw new AppError("upstream_unavailable:model", "The model server is not reachable.");
    });
    modelId = models.find((candidate) => !candidate.parent)?.id ?? models[0]?.id ?? null;
    if (!modelId) throw new AppError("upstream_unavailable:model", "The model server lists no models.");
  }
  return targetFromConfig(config, modelId);
}

/** The default model, ready to call (profile generation and other one-off calls). */
export async function getDefaultChatModel() {
  const target = await defaultModelTarget();
  return { model: await modelForTarget(target), modelId: target.modelId, target };
}
