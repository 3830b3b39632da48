// The local engine on a real (tiny, random-weight) GGUF: structure only, never content.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { LanguageModelV4, LanguageModelV4CallOptions, LanguageModelV4StreamPart } from "@ai-sdk/provider";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { streamChat } from "../stream";
import { generateStructured } from "../structured";
import { disposeLocalEngines, getLocalEngine, localContextLength } from "./engine";
import { createLocalLanguageModel, toGrammarSchema } from "./language-model";
import { tinyGguf, writeTinyGguf } from "./tiny-gguf";

let dir: string;
let modelPath: string;
let model: LanguageModelV4;

const PRINTABLE = [" ", ...Array.from({ length: 0x7e - 0x20 }, (_, index) => String.fromCharCode(0x21 + index))];

function call(overrides: Partial<LanguageModelV4CallOptions> = {}): LanguageModelV4CallOptions {
  return {
    prompt: [
      { role: "system", content: "You are Aria, a lighthouse keeper." },
      { role: "user", content: [{ type: "text", text: "Hello! How is the sea today?" }] },
    ],
    maxOutputTokens: 12,
    temperature: 0.8,
    seed: 7,
    ...overrides,
  };
}

type Recorded = { parts: LanguageModelV4StreamPart[]; error: unknown; endedAt: number };

async function record(
  stream: ReadableStream<LanguageModelV4StreamPart>,
  onPart?: (part: LanguageModelV4StreamPart) => void,
) {
  const result: Recorded = { parts: [], error: undefined, endedAt: 0 };
  const reader = stream.getReader();
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      result.parts.push(value);
      onPart?.(value);
    }
  } catch (error) {
    result.error = error;
  }
  result.endedAt = performance.now();
  return result;
}

async function withEnv(values: Record<string, string>, body: () => Promise<void>) {
  await disposeLocalEngines();
  for (const [key, value] of Object.entries(values)) vi.stubEnv(key, value);
  try {
    await body();
  } finally {
    await disposeLocalEngines();
    vi.stubEnv("LOCAL_MODEL_MAX_CONCURRENCY", "2");
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "troupe-local-"));
  modelPath = path.join(dir, "tiny-chatml.gguf");
  await writeTinyGguf(modelPath, { seed: 1 });
  vi.stubEnv("LOCAL_MODEL_THREADS", "1");
  vi.stubEnv("LOCAL_MODEL_MAX_CONCURRENCY", "2");
  vi.stubEnv("LOCAL_MODEL_CONTEXT", "512");
  model = createLocalLanguageModel(modelPath);
});

afterAll(async () => {
  await disposeLocalEngines();
  vi.unstubAllEnvs();
  await rm(dir, { recursive: true, force: true });
});

describe("the tiny GGUF", () => {
  it("is a few hundred KB of GGUF v3 and byte-identical per seed", () => {
    const first = tinyGguf({ seed: 1 }).buffer;
    expect(first.subarray(0, 4).toString("latin1")).toBe("GGUF");
    expect(first.readUInt32LE(4)).toBe(3);
    expect(first.length).toBeGreaterThan(100_000);
    expect(first.length).toBeLessThan(1_000_000);
    expect(tinyGguf({ seed: 1 }).buffer.equals(first)).toBe(true);
    expect(tinyGguf({ seed: 2 }).buffer.equals(first)).toBe(false);
  });
});

describe("the local engine", () => {
  it("applies the model's ChatML template and reports the context length", async () => {
    const engine = await getLocalEngine(modelPath);
    expect(engine.chatWrapper.wrapperName).toBe("ChatML");
    expect(await localContextLength(modelPath)).toBe(512);
    const text = engine.chatWrapper
      .generateContextState({
        chatHistory: [
          { type: "system", text: "S" },
          { type: "user", text: "U" },
          { type: "model", response: [] },
        ],
      })
      .contextText.toString();
    expect(text).toContain("<|im_start|>system\nS<|im_end|>");
    expect(text).toContain("<|im_start|>user\nU<|im_end|>");
    expect(text.endsWith("<|im_start|>assistant\n")).toBe(true);
  });

  it("streams text parts and a finish with usage through lib/llm/stream", async () => {
    const { stream } = await model.doStream(call());
    const { parts, error } = await record(stream);
    expect(error).toBeUndefined();
    const types = parts.map((part) => part.type);
    expect(types[0]).toBe("stream-start");
    expect(types.filter((type) => type === "text-delta").length).toBeGreaterThan(0);
    expect(types.indexOf("text-start")).toBeLessThan(types.indexOf("text-delta"));
    expect(types.slice(-2)).toEqual(["text-end", "finish"]);

    const events = [];
    for await (const event of streamChat(model, {
      system: "You are Aria.",
      messages: [{ role: "user", content: "Hi" }],
      maxOutputTokens: 10,
      temperature: 0.8,
      seed: 3,
      extraBody: { top_k: -1, min_p: 0.05, repetition_penalty: 1.05 },
    })) {
      events.push(event);
    }
    const finish = events.at(-1);
    if (finish?.type !== "finish") throw new Error("expected a finish event");
    expect(events.filter((event) => event.type === "text").length).toBeGreaterThan(0);
    expect(finish.usage.promptTokens).toBeGreaterThan(5);
    expect(finish.usage.completionTokens).toBeGreaterThan(0);
    expect(finish.usage.completionTokens).toBeLessThanOrEqual(10);
    expect(["stop", "length"]).toContain(finish.finishReason);
  });

  it("stops at maxOutputTokens with finish reason length", async () => {
    const result = await model.doGenerate(call({ maxOutputTokens: 5 }));
    expect(result.finishReason.unified).toBe("length");
    expect(result.usage.outputTokens.total).toBe(5);
    expect(result.content[0]?.type).toBe("text");
  });

  it("ends on a stop sequence with finish reason stop, without the sequence", async () => {
    const result = await model.doGenerate(call({ maxOutputTokens: 50, stopSequences: PRINTABLE }));
    expect(result.finishReason.unified).toBe("stop");
    expect(result.content).toEqual([]);
  });

  it("continues the final assistant message with vLLM's continue_final_message", async () => {
    const prompt: LanguageModelV4CallOptions["prompt"] = [
      { role: "system", content: "You are Aria." },
      { role: "user", content: [{ type: "text", text: "Tell me a story." }] },
      { role: "assistant", content: [{ type: "text", text: "Once upon a time" }] },
    ];
    const newTurn = await model.doGenerate(call({ prompt, maxOutputTokens: 3 }));
    const continued = await model.doGenerate(
      call({ prompt, maxOutputTokens: 3, providerOptions: { vllm: { continue_final_message: true } } }),
    );
    // A new turn closes the assistant message and opens another; continuing adds nothing.
    expect(continued.usage.inputTokens.total).toBeLessThan(newTurn.usage.inputTokens.total ?? 0);
    expect(continued.finishReason.unified).toBe("length");
  });

  it("reuses a slot's cached prefix for a repeated prompt", async () => {
    await model.doGenerate(call());
    const again = await model.doGenerate(call());
    expect(again.usage.inputTokens.cacheRead).toBeGreaterThan(0);
    expect(again.usage.inputTokens.total).toBe(
      (again.usage.inputTokens.cacheRead ?? 0) + (again.usage.inputTokens.noCache ?? 0),
    );
  });

  it("stops promptly on abort mid-stream and frees the slot", async () => {
    const controller = new AbortController();
    const reason = new Error("stopped by the test");
    let abortedAt = 0;
    let deltas = 0;
    const { stream } = await model.doStream(call({ maxOutputTokens: 400, abortSignal: controller.signal }));
    const result = await record(stream, (part) => {
      if (part.type === "text-delta" && ++deltas === 3) {
        abortedAt = performance.now();
        controller.abort(reason);
      }
    });
    expect(result.error).toBe(reason);
    expect(result.endedAt - abortedAt).toBeLessThan(500);
    expect(result.parts.some((part) => part.type === "finish")).toBe(false);
    const engine = await getLocalEngine(modelPath);
    expect(engine.stats).toEqual({ active: 0, queued: 0 });
  });

  it("frees the slot when the reader cancels the stream", async () => {
    const { stream } = await model.doStream(call({ maxOutputTokens: 400 }));
    const reader = stream.getReader();
    while ((await reader.read()).value?.type !== "text-delta") {}
    await reader.cancel();
    const engine = await getLocalEngine(modelPath);
    await vi.waitFor(() => expect(engine.stats.active).toBe(0), { timeout: 2000, interval: 10 });
  });

  it("queues beyond LOCAL_MODEL_MAX_CONCURRENCY, first in first out; an aborted queued request never runs", async () => {
    await withEnv({ LOCAL_MODEL_MAX_CONCURRENCY: "1" }, async () => {
      const engine = await getLocalEngine(modelPath);
      const firstToken = new Map<string, number>();
      const finished = new Map<string, number>();
      const run = async (name: string, options: Partial<LanguageModelV4CallOptions>) => {
        const { stream } = await model.doStream(call({ maxOutputTokens: 30, ...options }));
        return record(stream, (part) => {
          if (part.type === "text-delta" && !firstToken.has(name)) firstToken.set(name, performance.now());
          if (part.type === "finish") finished.set(name, performance.now());
        });
      };
      const cancelC = new AbortController();
      const a = run("a", {});
      const b = run("b", {});
      const c = run("c", { abortSignal: cancelC.signal });
      await vi.waitFor(() => expect(engine.stats).toEqual({ active: 1, queued: 2 }), { timeout: 5000, interval: 5 });
      cancelC.abort(new Error("gave up waiting"));
      expect(engine.stats).toEqual({ active: 1, queued: 1 });
      const [resultA, resultB, resultC] = await Promise.all([a, b, c]);
      expect(resultA.error).toBeUndefined();
      expect(resultB.error).toBeUndefined();
      expect(firstToken.get("b")).toBeGreaterThan(finished.get("a") ?? Number.POSITIVE_INFINITY);
      expect((resultC.error as Error).message).toBe("gave up waiting");
      expect(resultC.parts.map((part) => part.type)).toEqual(["stream-start", "response-metadata"]);
      expect(firstToken.has("c")).toBe(false);
      expect(engine.stats).toEqual({ active: 0, queued: 0 });
    });
  });

  it("writes JSON that matches a json-schema response format", async () => {
    const schema = z.object({
      mood: z.enum(["calm", "stormy"]),
      lit: z.boolean(),
      ships: z.array(z.enum(["sloop", "ketch"])).max(2),
      note: z.string().max(6).nullable(),
    });
    const result = await generateStructured({
      model,
      schema,
      schemaName: "weather",
      system: "Answer in JSON.",
      prompt: "How is the sea?",
      retries: 0,
      temperature: 0.8,
      maxOutputTokens: 120,
      seed: 5,
    });
    expect(() => JSON.parse(result.raw)).not.toThrow();
    expect(schema.safeParse(result.object).success).toBe(true);
  });

  it("turns AI SDK JSON schemas into the grammar subset", () => {
    expect(
      toGrammarSchema({
        type: "object",
        properties: {
          email: { type: "string", format: "email" },
          when: { type: "string", format: "date" },
          either: { anyOf: [{ type: "number" }, { $ref: "#/definitions/Item" }] },
          maybe: { type: ["object", "null"], properties: {} },
        },
        definitions: { Item: { type: "object", properties: { k: { type: "string", maxLength: 3 } } } },
      }),
    ).toEqual({
      type: "object",
      properties: {
        email: { type: "string" },
        when: { type: "string", format: "date" },
        either: { oneOf: [{ type: "number" }, { $ref: "#/$defs/Item" }] },
        maybe: { oneOf: [{ type: "object", properties: {} }, { type: "null" }] },
      },
      $defs: { Item: { type: "object", properties: { k: { type: "string", maxLength: 3 } } } },
    });
  });
});

describe("a model file that cannot be used", () => {
  const expectUnavailable = async (file: string, message: RegExp) => {
    const error = await Promise.resolve(createLocalLanguageModel(file).doStream(call())).catch(
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("upstream_unavailable:local_model");
    expect((error as AppError).message).toMatch(message);
  };

  it("is missing", async () => {
    await expectUnavailable(path.join(dir, "nowhere.gguf"), /does not exist.*LOCAL_MODEL_PATH/);
  });

  it("is not a GGUF", async () => {
    const file = path.join(dir, "notes.gguf");
    await writeFile(file, "these are not weights\n");
    await expectUnavailable(file, /is not a GGUF model/);
  });

  it("is a damaged GGUF", async () => {
    const file = path.join(dir, "truncated.gguf");
    await writeFile(file, tinyGguf({ seed: 3 }).buffer.subarray(0, 4096));
    await expectUnavailable(file, /could not be loaded/);
  });
});
