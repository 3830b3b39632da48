import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createOpenAICompatible } from "@ai-sdk/openai-compatible";
import { APICallError, generateText } from "ai";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "@/e2e/vllm-sim/server";
import { isTransient } from "@/lib/synthesis/retry";
import { promptTokensOf, toUpstreamError } from "./errors";
import { streamChat } from "./stream";

const MODEL = "troupe-sim/base-7b";
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, model: MODEL, ttftMs: 1, itlMs: 2 });
});
afterAll(() => sim.close());

const model = () => createOpenAICompatible({ name: "vllm", baseURL: `${sim.url}/v1` }).chatModel(MODEL);

async function streamFailure(content: string, chatModel = model()): Promise<unknown> {
  try {
    for await (const _event of streamChat(chatModel, {
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

it("a model server nobody answers on is not reachable, whether the call streams or not", async () => {
  // A port that was just free: the connection is refused.
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
  const down = createOpenAICompatible({ name: "vllm", baseURL: `http://127.0.0.1:${port}/v1` }).chatModel(MODEL);
  const refusedStream = await streamFailure("Hello", down);
  const refusedCall = await generateText({ model: down, prompt: "Hello", maxRetries: 0 }).catch((error) => error);
  for (const error of [refusedStream, refusedCall]) {
    expect(toUpstreamError(error)).toMatchObject({
      code: "upstream_unavailable:model",
      message: "The model server is not reachable.",
    });
  }
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

const apiError = (statusCode: number | undefined, extra: { cause?: unknown; responseBody?: string } = {}) =>
  new APICallError({
    message: "failed",
    url: "http://vllm/v1/chat/completions",
    requestBodyValues: {},
    statusCode,
    ...extra,
  });

/** What undici throws when the server closes the socket mid-response. */
function droppedSocket(): Error {
  const socket = Object.assign(new Error("other side closed"), { name: "SocketError", code: "UND_ERR_SOCKET" });
  return new TypeError("terminated", { cause: socket });
}

describe("model failures as the user is told them", () => {
  it("maps statuses, dropped connections and timeouts to codes and retries", () => {
    const cases: [unknown, string, boolean][] = [
      [apiError(401), "upstream_error:auth", false],
      [apiError(404), "upstream_error:model_not_found", false],
      [
        apiError(400, { responseBody: "maximum context length is 4096 tokens" }),
        "upstream_error:context_length",
        false,
      ],
      [apiError(422), "upstream_error:request", false],
      [apiError(503), "upstream_error:server", true],
      // The reply had started (HTTP 200) when the connection dropped: not a rejected request.
      [apiError(200, { cause: droppedSocket() }), "upstream_unavailable:model", true],
      [
        new TypeError("fetch failed", { cause: new Error("connect ECONNREFUSED 127.0.0.1:8000") }),
        "upstream_unavailable:model",
        true,
      ],
      [Object.assign(new Error("timed out"), { name: "TimeoutError" }), "upstream_timeout:model", true],
    ];
    for (const [error, code, transient] of cases) {
      const mapped = toUpstreamError(error);
      expect(mapped.code).toBe(code);
      expect(isTransient(mapped)).toBe(transient);
    }
    expect(toUpstreamError(apiError(200, { cause: droppedSocket() })).message).toBe(
      "The connection to the model server broke off.",
    );
  });
});
