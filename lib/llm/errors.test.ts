import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, generateText } from "ai";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Simulator, startSimulator } from "@/e2e/vllm-sim/server";
import { promptTokensOf, toUpstreamError } from "./errors";
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

it("reads the server's prompt token count from each vLLM wording of a context-length refusal", () => {
  const refusal = (message: string, statusCode = 400) =>
    new APICallError({ message, url: "http://vllm/v1/chat/completions", requestBodyValues: {}, statusCode });
  const limit = "This model's maximum context length is 4096 tokens.";
  expect(
    promptTokensOf(
      refusal(`${limit} However, you requested 6515 tokens (6003 in the messages, 512 in the completion).`),
    ),
  ).toBe(6003);
  expect(
    promptTokensOf(refusal(`${limit} However, you requested 6003 tokens in the messages, Please reduce the length.`)),
  ).toBe(6003);
  expect(
    promptTokensOf(refusal(`'max_tokens' is too large: 512. ${limit} and your request has 6003 input tokens.`)),
  ).toBe(6003);
  expect(promptTokensOf(refusal(`${limit} Please shorten it.`))).toBeNull();
  expect(promptTokensOf(refusal("Internal error (6003 in the messages)", 500))).toBeNull();
});
