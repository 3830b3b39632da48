// Builds AI SDK language models for an OpenAI-compatible endpoint. Nothing outside lib/llm and
// lib/models names a vendor or a URL; everyone else asks for a model here or receives one.
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { AppError } from "@/lib/errors";
import { requireDefaultModelConfig } from "./config";
import type { Endpoint } from "./endpoint";
import { listModels } from "./endpoint";

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

/** The configured default chat model; when LLM_MODEL is unset, the endpoint's first base model. */
export async function getDefaultChatModel() {
  const { endpoint, model } = requireDefaultModelConfig();
  let modelId = model;
  if (!modelId) {
    const models = await listModels(endpoint).catch(() => {
      throw new AppError("upstream_unavailable:model", "The model server is not reachable.");
    });
    modelId = models.find((candidate) => !candidate.parent)?.id ?? models[0]?.id ?? null;
    if (!modelId) throw new AppError("upstream_unavailable:model", "The model server lists no models.");
  }
  return { model: languageModelFor(endpoint, modelId), modelId, endpoint };
}
