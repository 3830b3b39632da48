// Streaming a chat completion through the AI SDK's language-model interface (the provider's
// doStream), without streamText's multi-step orchestration around it: a chat turn is one call,
// and at hundreds of concurrent streams that layer cost ~40% of the CPU per token (measured).
import type { JSONObject, LanguageModelV4, LanguageModelV4Prompt } from "@ai-sdk/provider";
import { AppError } from "@/lib/errors";

export type ModelStreamEvent =
  | { type: "text"; text: string }
  | {
      type: "finish";
      finishReason: string;
      usage: { promptTokens: number | null; completionTokens: number | null; cachedTokens: number | null };
    };

export type ChatCall = {
  system: string;
  messages: { role: "user" | "assistant"; content: string }[];
  maxOutputTokens: number;
  temperature?: number;
  topP?: number;
  seed?: number;
  /** Sent as extra body fields (vLLM's top_k, min_p, repetition_penalty, …). */
  extraBody?: JSONObject;
  abortSignal?: AbortSignal;
};

function toPrompt(call: ChatCall): LanguageModelV4Prompt {
  return [
    { role: "system", content: call.system },
    ...call.messages.map((message) =>
      message.role === "user"
        ? { role: "user" as const, content: [{ type: "text" as const, text: message.content }] }
        : { role: "assistant" as const, content: [{ type: "text" as const, text: message.content }] },
    ),
  ];
}

export async function* streamChat(model: LanguageModelV4, call: ChatCall): AsyncGenerator<ModelStreamEvent> {
  const { stream } = await model.doStream({
    prompt: toPrompt(call),
    maxOutputTokens: call.maxOutputTokens,
    ...(call.temperature !== undefined ? { temperature: call.temperature } : {}),
    ...(call.topP !== undefined ? { topP: call.topP } : {}),
    ...(call.seed !== undefined ? { seed: call.seed } : {}),
    ...(call.extraBody ? { providerOptions: { vllm: call.extraBody } } : {}),
    ...(call.abortSignal ? { abortSignal: call.abortSignal } : {}),
  });
  const reader = stream.getReader();
  try {
    while (true) {
      const { value: part, done } = await reader.read();
      if (done) return;
      if (part.type === "text-delta") {
        if (part.delta) yield { type: "text", text: part.delta };
      } else if (part.type === "error") {
        // vLLM's `data: {"error": …}` inside a 200 stream.
        throw new AppError("upstream_error:stream", "The model server failed while writing the reply.");
      } else if (part.type === "finish") {
        yield {
          type: "finish",
          finishReason: part.finishReason.raw ?? part.finishReason.unified,
          usage: {
            promptTokens: part.usage.inputTokens.total ?? null,
            completionTokens: part.usage.outputTokens.total ?? null,
            cachedTokens: part.usage.inputTokens.cacheRead ?? null,
          },
        };
      }
    }
  } finally {
    // Stops the upstream request when the caller stops early; a no-op after the end.
    await reader.cancel().catch(() => {});
  }
}
