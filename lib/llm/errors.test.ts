import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { generateText } from "ai";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Simulator, startSimulator } from "@/e2e/vllm-sim/server";
import { toUpstreamError } from "./errors";
import { streamChat } from "./stream";

const MODEL = "troupe-sim/base-7b";
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, model: MODEL, ttftMs: 1, itlMs: 2 });
});
afterAll(() => sim.close());

const model = () => createOpenAICompatible({ name: "vllm", baseURL: `${sim.url}/v1` }).chatModel(MODEL);

async function streamFailure(content: string): Promise<unknown> {
  try {
    for await (const _event of streamChat(model(), {
      system: "Be brief.",
      messages: [{ role: "user", content }],
      maxOutputTokens: 40,
    })) {
      // read to the end
    }
  } catch (error) {
    return error;
  }
  throw new Error("expected the stream to fail");
}

it("a connection dropped in the middle of a streamed answer is a lost connection, not a refusal", async () => {
  expect(toUpstreamError(await streamFailure("Hello [sim:reset@3]"))).toMatchObject({
    code: "upstream_unavailable:model",
    message: "The connection to the model server broke off.",
  });
});

it("HTTP errors keep their meaning: a 5xx failed, a 404 is a model not served", async () => {
  const call = (content: string, modelId = MODEL) =>
    generateText({
      model: createOpenAICompatible({ name: "vllm", baseURL: `${sim.url}/v1` }).chatModel(modelId),
      prompt: content,
      maxRetries: 0,
    }).catch((error: unknown) => toUpstreamError(error));
  expect(await call("Hi [sim:http_503]")).toMatchObject({ code: "upstream_error:server" });
  expect(await call("Hi", "no-such-model")).toMatchObject({ code: "upstream_error:model_not_found" });
});
