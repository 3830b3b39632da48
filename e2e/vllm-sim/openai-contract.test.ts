import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "./server";
import { chunksOf, post, postJson, readSse, textByChoice, user } from "./test-helpers";

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, ttftMs: 1, itlMs: 1, maxModelLen: 512 });
});
afterAll(() => sim.close());

describe("GET /v1/models, /health, /version", () => {
  it("lists the base model with vLLM's card fields", async () => {
    const body = await (await fetch(`${sim.url}/v1/models`)).json();
    expect(body.object).toBe("list");
    expect(body.data).toHaveLength(1);
    expect(body.data[0]).toMatchObject({
      id: "troupe-sim/base-7b",
      object: "model",
      owned_by: "vllm",
      root: "troupe-sim/base-7b",
      parent: null,
      max_model_len: 512,
    });
    expect(body.data[0].permission[0].object).toBe("model_permission");
    expect(typeof body.data[0].created).toBe("number");
  });

  it("answers /health with 200 and an empty body, /version with a version", async () => {
    const health = await fetch(`${sim.url}/health`);
    expect(health.status).toBe(200);
    expect(await health.text()).toBe("");
    expect(await (await fetch(`${sim.url}/version`)).json()).toEqual({ version: expect.any(String) });
  });

  it("answers unknown routes like FastAPI", async () => {
    const res = await fetch(`${sim.url}/v1/nope`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ detail: "Not Found" });
  });
});

describe("POST /v1/chat/completions (non-streaming)", () => {
  it("has vLLM's exact response shape", async () => {
    const { status, body } = await postJson(sim, "/v1/chat/completions", {
      model: "troupe-sim/base-7b",
      messages: [
        { role: "system", content: "You are Aria." },
        { role: "user", content: "Hello there" },
      ],
      temperature: 0.8,
      top_p: 0.9,
      top_k: 40,
      min_p: 0.05,
      repetition_penalty: 1.1,
      chat_template_kwargs: { enable_thinking: false },
      priority: 0,
      some_future_field: { anything: true },
    });
    expect(status).toBe(200);
    expect(body.id).toMatch(/^chatcmpl-[0-9a-f]{32}$/);
    expect(body).toMatchObject({ object: "chat.completion", model: "troupe-sim/base-7b", prompt_logprobs: null });
    const choice = (body.choices as Record<string, unknown>[])[0];
    expect(choice).toMatchObject({
      index: 0,
      message: { role: "assistant", tool_calls: [], reasoning_content: null },
      logprobs: null,
      finish_reason: "stop",
      stop_reason: null,
    });
    const content = (body.choices as { message: { content: string } }[])[0]?.message.content ?? "";
    expect(content.length).toBeGreaterThan(10);
    const usage = body.usage as Record<string, number | Record<string, number>>;
    expect(usage).toEqual({
      prompt_tokens: expect.any(Number),
      completion_tokens: expect.any(Number),
      total_tokens: (usage.prompt_tokens as number) + (usage.completion_tokens as number),
      prompt_tokens_details: { cached_tokens: expect.any(Number) },
    });
    expect(usage.completion_tokens).toBeGreaterThanOrEqual(12);
    expect(usage.completion_tokens).toBeLessThanOrEqual(60);
  });

  it("serves the base model when `model` is omitted and returns n choices", async () => {
    const { body } = await postJson<{ choices: { index: number; message: { content: string } }[] }>(
      sim,
      "/v1/chat/completions",
      { messages: user("Tell me a story"), n: 3 },
    );
    expect(body.choices.map((c) => c.index)).toEqual([0, 1, 2]);
    expect(new Set(body.choices.map((c) => c.message.content)).size).toBe(3);
  });

  it("cuts at max_completion_tokens (or max_tokens) with finish_reason length", async () => {
    for (const limit of [{ max_completion_tokens: 5 }, { max_tokens: 5 }]) {
      const { body } = await postJson<{ choices: { finish_reason: string }[]; usage: { completion_tokens: number } }>(
        sim,
        "/v1/chat/completions",
        { messages: user("Go on"), ...limit },
      );
      expect(body.choices[0]?.finish_reason).toBe("length");
      expect(body.usage.completion_tokens).toBe(5);
    }
  });

  it("honours min_tokens", async () => {
    const { body } = await postJson<{ usage: { completion_tokens: number } }>(sim, "/v1/chat/completions", {
      messages: user("Go on"),
      min_tokens: 100,
    });
    expect(body.usage.completion_tokens).toBeGreaterThanOrEqual(100);
  });

  it("stops before a stop string and reports it in stop_reason", async () => {
    const first = await postJson<{ choices: { message: { content: string } }[] }>(sim, "/v1/chat/completions", {
      messages: user("stop test"),
      seed: 7,
    });
    const full = first.body.choices[0]?.message.content ?? "";
    const stop = full.slice(6, 9);
    const { body } = await postJson<{
      choices: { message: { content: string }; finish_reason: string; stop_reason: string }[];
    }>(sim, "/v1/chat/completions", { messages: user("stop test"), seed: 7, stop: ["<never>", stop] });
    const choice = body.choices[0];
    expect(choice?.finish_reason).toBe("stop");
    expect(choice?.stop_reason).toBe(stop);
    expect(choice?.message.content).toBe(full.slice(0, full.indexOf(stop)));
  });

  it("returns logprobs with top_logprobs alternatives", async () => {
    const { body } = await postJson<{
      choices: {
        logprobs: { content: { token: string; logprob: number; bytes: number[]; top_logprobs: unknown[] }[] };
      }[];
      usage: { completion_tokens: number };
    }>(sim, "/v1/chat/completions", { messages: user("hi"), logprobs: true, top_logprobs: 3, max_tokens: 4 });
    const content = body.choices[0]?.logprobs.content ?? [];
    expect(content).toHaveLength(4);
    for (const entry of content) {
      expect(entry.logprob).toBeLessThanOrEqual(0);
      expect(entry.top_logprobs).toHaveLength(3);
      expect(Buffer.from(entry.bytes).toString("utf8")).toBe(entry.token);
    }
  });

  it("is deterministic per (model, prompt, seed, index) across server instances", async () => {
    const other = await startSimulator({ port: 0, ttftMs: 1, itlMs: 1, maxModelLen: 512 });
    try {
      const request = { messages: user("Same prompt"), n: 2, seed: 42 };
      const a = await postJson<{ choices: unknown[] }>(sim, "/v1/chat/completions", request);
      const b = await postJson<{ choices: unknown[] }>(other, "/v1/chat/completions", request);
      expect(a.body.choices).toEqual(b.body.choices);
      const reseeded = await postJson<{ choices: unknown[] }>(other, "/v1/chat/completions", { ...request, seed: 43 });
      expect(reseeded.body.choices).not.toEqual(a.body.choices);
    } finally {
      await other.close();
    }
  });
});

describe("POST /v1/completions", () => {
  it("answers a prompt array with cmpl ids, text choices and vLLM's default max_tokens of 16", async () => {
    const { body } = await postJson<{
      id: string;
      object: string;
      choices: { index: number; text: string; finish_reason: string }[];
      usage: { completion_tokens: number; prompt_tokens: number };
    }>(sim, "/v1/completions", { prompt: ["Once upon a time", "The harbor at night"], n: 2, min_tokens: 16 });
    expect(body.id).toMatch(/^cmpl-[0-9a-f]{32}$/);
    expect(body.object).toBe("text_completion");
    expect(body.choices.map((c) => c.index)).toEqual([0, 1, 2, 3]);
    expect(body.choices.every((c) => c.finish_reason === "length")).toBe(true);
    expect(body.usage.completion_tokens).toBe(4 * 16);
  });

  it("streams text chunks without a role chunk", async () => {
    const res = await post(sim, "/v1/completions", { prompt: "Hello", stream: true, max_tokens: 5 });
    const chunks = chunksOf(await readSse(res));
    expect(chunks.every((c) => c.object === "text_completion")).toBe(true);
    expect(chunks.at(-1)?.choices[0]).toMatchObject({ text: "", finish_reason: "length", stop_reason: null });
    expect(chunks.slice(0, -1).every((c) => c.choices[0]?.finish_reason === null)).toBe(true);
  });
});

describe("streaming", () => {
  it("sends role chunks first, interleaves choices, finishes each, ends with [DONE]; no usage without stream_options", async () => {
    const res = await post(sim, "/v1/chat/completions", { messages: user("Stream please"), stream: true, n: 2 });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    const result = await readSse(res);
    expect(result.events.at(-1)).toBe("[DONE]");
    const chunks = chunksOf(result);
    expect(chunks.slice(0, 2).map((c) => [c.choices[0]?.index, c.choices[0]?.delta])).toEqual([
      [0, { role: "assistant", content: "" }],
      [1, { role: "assistant", content: "" }],
    ]);
    expect(chunks.every((c) => c.object === "chat.completion.chunk" && c.choices.length === 1)).toBe(true);
    expect(chunks.every((c) => !("usage" in c))).toBe(true);
    // Tokens alternate between the two choices while both are generating.
    const indexes = chunks.slice(2, 6).map((c) => c.choices[0]?.index);
    expect(indexes).toEqual([0, 1, 0, 1]);
    for (const index of [0, 1]) {
      const mine = chunks.filter((c) => c.choices[0]?.index === index);
      expect(mine.at(-1)?.choices[0]).toMatchObject({
        delta: { content: "" },
        finish_reason: "stop",
        stop_reason: null,
      });
      expect(mine.filter((c) => c.choices[0]?.finish_reason !== null)).toHaveLength(1);
    }
  });

  it("adds usage: null to every chunk and a final usage chunk only with stream_options", async () => {
    const res = await post(sim, "/v1/chat/completions", {
      messages: user("Stream please"),
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: 6,
    });
    const chunks = chunksOf(await readSse(res));
    const last = chunks.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage).toMatchObject({ completion_tokens: 6, prompt_tokens: expect.any(Number) });
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);

    const noUsage = await post(sim, "/v1/chat/completions", {
      messages: user("Stream please"),
      stream: true,
      stream_options: { include_usage: false },
    });
    expect(chunksOf(await readSse(noUsage)).every((c) => c.choices.length === 1 && !("usage" in c))).toBe(true);
  });

  it("decodes split frames and split UTF-8 to exactly the non-streamed text", async () => {
    const request = { messages: user("Something with accents, please"), seed: 3, min_tokens: 200, n: 2 };
    const { body } = await postJson<{ choices: { message: { content: string } }[] }>(
      sim,
      "/v1/chat/completions",
      request,
    );
    const result = await readSse(await post(sim, "/v1/chat/completions", { ...request, stream: true }));
    const streamed = textByChoice(chunksOf(result));
    expect(streamed.get(0)).toBe(body.choices[0]?.message.content);
    expect(streamed.get(1)).toBe(body.choices[1]?.message.content);
    expect(streamed.get(0)).toMatch(/[\u0080-\uffff]/);
    // Some reads ended inside a frame, and some inside a multi-byte character.
    const strict = new TextDecoder("utf-8", { fatal: true });
    const midFrame = result.chunks.filter((c) => !Buffer.from(c).toString("utf8").endsWith("\n\n"));
    const midChar = result.chunks.filter((c) => {
      try {
        strict.decode(c);
        return false;
      } catch {
        return true;
      }
    });
    expect(midFrame.length).toBeGreaterThan(0);
    expect(midChar.length).toBeGreaterThan(0);
  });
});

describe("errors", () => {
  it("rejects bad bodies with vLLM's 400 envelope", async () => {
    const missing = await postJson<{ error: Record<string, unknown> }>(sim, "/v1/chat/completions", { model: "x" });
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ type: "BadRequestError", code: 400, param: null });
    expect(missing.body.error.message).toContain("'messages'");

    const cases: [Record<string, unknown>, string, string][] = [
      [{ temperature: -1 }, "temperature must be non-negative, got -1.0.", "temperature"],
      [{ n: 0 }, "n must be at least 1, got 0.", "n"],
      [{ top_p: 0 }, "top_p must be in (0, 1], got 0.0.", "top_p"],
      [
        { logprobs: true, top_logprobs: 21 },
        "Requested sample logprobs of 21, which is greater than max allowed: 20",
        "logprobs",
      ],
      [{ top_logprobs: 2 }, "when using `top_logprobs`, `logprobs` must be set to true.", "top_logprobs"],
      [{ stream_options: {} }, "Stream options can only be defined when `stream=True`.", "stream_options"],
    ];
    for (const [extra, message, param] of cases) {
      const { status, body } = await postJson(sim, "/v1/chat/completions", { messages: user("hi"), ...extra });
      expect(status).toBe(400);
      expect(body).toEqual({ error: { message, type: "BadRequestError", param, code: 400 } });
    }
  });

  it("rejects invalid JSON with a 400", async () => {
    const res = await fetch(`${sim.url}/v1/chat/completions`, { method: "POST", body: "{nope" });
    expect(res.status).toBe(400);
    expect((await res.json()).error.message).toContain("JSON decode error");
  });

  it("answers an unknown model with 404", async () => {
    const { status, body } = await postJson(sim, "/v1/chat/completions", { model: "gpt-4", messages: user("hi") });
    expect(status).toBe(404);
    expect(body).toEqual({
      error: { message: "The model `gpt-4` does not exist.", type: "NotFoundError", param: "model", code: 404 },
    });
  });

  it("enforces the context length with the pseudo-tokenizer", async () => {
    const long = "word ".repeat(300);
    const tokenized = await postJson<{ count: number }>(sim, "/tokenize", { messages: user(long) });
    const p = tokenized.body.count;
    const { status, body } = await postJson(sim, "/v1/chat/completions", { messages: user(long), max_tokens: 300 });
    expect(status).toBe(400);
    expect(body).toEqual({
      error: {
        message: `This model's maximum context length is 512 tokens. However, you requested ${p + 300} tokens (${p} in the messages, 300 in the completion). Please reduce the length of the messages or completion.`,
        type: "BadRequestError",
        param: "messages",
        code: 400,
      },
    });
    // Without max_tokens the request fits and may use the rest of the window.
    expect((await postJson(sim, "/v1/chat/completions", { messages: user(long) })).status).toBe(200);
    const tooLong = await postJson<{ error: { message: string; param: string } }>(sim, "/v1/completions", {
      prompt: "word ".repeat(600),
      max_tokens: null,
    });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error.param).toBe("prompt");
    expect(tooLong.body.error.message).toContain("maximum context length is 512 tokens");
  });

  it("requires the bearer token on /v1 routes when --api-key is set", async () => {
    const locked = await startSimulator({ port: 0, apiKey: "s3cret", ttftMs: 0, itlMs: 0 });
    try {
      const anonymous = await fetch(`${locked.url}/v1/models`);
      expect(anonymous.status).toBe(401);
      expect(await anonymous.json()).toEqual({ error: "Unauthorized" });
      const wrong = await fetch(`${locked.url}/v1/models`, { headers: { authorization: "Bearer nope" } });
      expect(wrong.status).toBe(401);
      const right = await fetch(`${locked.url}/v1/models`, { headers: { authorization: "Bearer s3cret" } });
      expect(right.status).toBe(200);
      expect((await fetch(`${locked.url}/health`)).status).toBe(200);
    } finally {
      await locked.close();
    }
  });
});

describe("POST /tokenize", () => {
  it("counts exactly what usage.prompt_tokens reports", async () => {
    const messages = [
      { role: "system", content: "You are Élodie, a café owner — warm, a little wry 🌙" },
      { role: "user", content: "What's on the menu tonight?" },
    ];
    const tokenized = await postJson<{ count: number; tokens: number[]; max_model_len: number }>(sim, "/tokenize", {
      model: "troupe-sim/base-7b",
      messages,
    });
    const { body } = await postJson<{ usage: { prompt_tokens: number } }>(sim, "/v1/chat/completions", { messages });
    expect(tokenized.body.count).toBe(body.usage.prompt_tokens);
    expect(tokenized.body.tokens).toHaveLength(tokenized.body.count);
    expect(tokenized.body.max_model_len).toBe(512);

    const prompt = await postJson<{ count: number }>(sim, "/tokenize", { prompt: "Once upon a time" });
    const completion = await postJson<{ usage: { prompt_tokens: number } }>(sim, "/v1/completions", {
      prompt: "Once upon a time",
    });
    expect(prompt.body.count).toBe(completion.body.usage.prompt_tokens);
  });
});

describe("legacy guided_* fields", () => {
  const guided = { messages: user("hi"), guided_json: { type: "object" } };

  it("are accepted and ignored by default, like current vLLM", async () => {
    const { status, body } = await postJson<{ choices: { message: { content: string } }[] }>(
      sim,
      "/v1/chat/completions",
      guided,
    );
    expect(status).toBe(200);
    expect(() => JSON.parse(body.choices[0]?.message.content ?? "")).toThrow();
  });

  it("are rejected with a 400 naming the field under --strict-extras", async () => {
    const strict = await startSimulator({ port: 0, strictExtras: true, ttftMs: 0, itlMs: 0 });
    try {
      const { status, body } = await postJson<{ error: { param: string; message: string } }>(
        strict,
        "/v1/chat/completions",
        guided,
      );
      expect(status).toBe(400);
      expect(body.error.param).toBe("guided_json");
      expect(body.error.message).toContain("guided_json");
    } finally {
      await strict.close();
    }
  });
});
