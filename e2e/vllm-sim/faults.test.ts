import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseDirective, parseFaultRule } from "./faults";
import { type Simulator, startSimulator } from "./server";
import { chunksOf, post, postJson, readSse, user, waitFor } from "./test-helpers";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, ttftMs: 2, itlMs: 2, outputTokens: 10 });
});
afterEach(() => {
  sim.setFaults([]);
  sim.setScript([]);
});
afterAll(() => sim.close());

describe("fault rules", () => {
  it("parse the CLI grammar kind[:times][@afterTokens] and JSON", () => {
    expect(parseFaultRule("http_500")).toEqual({ kind: "http_500" });
    expect(parseFaultRule("reset:2@7")).toEqual({ kind: "reset", times: 2, afterTokens: 7 });
    expect(parseFaultRule("slow@300")).toEqual({ kind: "slow", itlMs: 300 });
    expect(parseFaultRule('{"kind":"http_503","path":"/v1/models"}')).toEqual({ kind: "http_503", path: "/v1/models" });
    expect(() => parseFaultRule("explode")).toThrow();
    expect(parseDirective("hello [sim:stream_error@5] there")).toMatchObject({ kind: "stream_error", afterTokens: 5 });
    expect(parseDirective("[sim:nonsense]")).toBeNull();
  });

  it("http_500 and http_503 answer with vLLM's envelopes for the next N requests", async () => {
    sim.setFaults(["http_500:1", "http_503:1"]);
    const first = await postJson(sim, "/v1/chat/completions", { messages: user("a") });
    expect(first.status).toBe(500);
    expect(first.body).toMatchObject({ error: { type: "InternalServerError", code: 500 } });
    const second = await postJson(sim, "/v1/chat/completions", { messages: user("a"), stream: true });
    expect(second.status).toBe(503);
    expect(second.body).toMatchObject({ error: { type: "ServiceUnavailableError", code: 503 } });
    expect((await postJson(sim, "/v1/chat/completions", { messages: user("a") })).status).toBe(200);
  });

  it("filter by path and model", async () => {
    sim.setFaults([
      { kind: "http_503", path: "/v1/models" },
      { kind: "http_500", model: "other" },
    ]);
    expect((await fetch(`${sim.url}/v1/models`)).status).toBe(503);
    expect((await postJson(sim, "/v1/chat/completions", { messages: user("a") })).status).toBe(200);
  });

  it("stream_error sends N tokens, then an error event and [DONE]", async () => {
    sim.setFaults(["stream_error@4"]);
    const res = await post(sim, "/v1/chat/completions", { messages: user("a"), stream: true });
    expect(res.status).toBe(200);
    const result = await readSse(res);
    expect(result.events.at(-1)).toBe("[DONE]");
    const chunks = chunksOf(result);
    const tokens = chunks.filter((c) => !c.error && c.choices[0]?.delta?.content);
    expect(tokens).toHaveLength(4);
    expect(chunks.at(-1)?.error).toMatchObject({ type: "InternalServerError", code: 500, message: expect.any(String) });
  });

  it("reset drops the connection mid-stream", async () => {
    sim.setFaults(["reset:1@3"]);
    const res = await post(sim, "/v1/chat/completions", { messages: user("a"), stream: true });
    expect(res.status).toBe(200);
    await expect(readSse(res)).rejects.toThrow();
    await expect(post(sim, "/v1/chat/completions", { messages: user("[sim:reset]") })).rejects.toThrow();
  });

  it("hang keeps the request open until the client gives up, which frees the slot", async () => {
    const before = sim.stats().aborted;
    const controller = new AbortController();
    const res = await post(
      sim,
      "/v1/chat/completions",
      { messages: user("[sim:hang@2]"), stream: true },
      {
        signal: controller.signal,
      },
    );
    const reader = res.body?.getReader();
    await reader?.read();
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(sim.stats().running).toBe(1);
    controller.abort();
    await waitFor(() => sim.stats().running === 0);
    expect(sim.stats().aborted).toBe(before + 1);

    const timedOut = post(
      sim,
      "/v1/chat/completions",
      { messages: user("[sim:hang]") },
      { signal: AbortSignal.timeout(80) },
    );
    await expect(timedOut).rejects.toThrow();
    await waitFor(() => sim.stats().running === 0);
  });

  it("dead makes /health 503 and completions 503 until cleared", async () => {
    sim.setFaults(["dead"]);
    expect((await fetch(`${sim.url}/health`)).status).toBe(503);
    const { status, body } = await postJson(sim, "/v1/chat/completions", { messages: user("a") });
    expect(status).toBe(503);
    expect(body).toMatchObject({ error: { type: "ServiceUnavailableError" } });
    sim.setFaults([]);
    expect((await fetch(`${sim.url}/health`)).status).toBe(200);
  });

  it("slow drips tokens at the given inter-token latency", async () => {
    const start = performance.now();
    await postJson(sim, "/v1/chat/completions", { messages: user("[sim:slow@30]"), max_tokens: 5 });
    expect(performance.now() - start).toBeGreaterThanOrEqual(4 * 30 - 5);
  });
});

describe("directives", () => {
  it("apply to the request whose last user message carries them, and only to it", async () => {
    const faulted = await postJson(sim, "/v1/chat/completions", {
      messages: [...user("[sim:http_500]"), { role: "assistant", content: "ok" }, ...user("plain")],
    });
    expect(faulted.status).toBe(200);
    const [a, b] = await Promise.all([
      postJson(sim, "/v1/chat/completions", { messages: user("please fail [sim:http_503]") }),
      postJson(sim, "/v1/chat/completions", { messages: user("please succeed") }),
    ]);
    expect([a.status, b.status]).toEqual([503, 200]);
    const completion = await postJson(sim, "/v1/completions", { prompt: "[sim:http_500]" });
    expect(completion.status).toBe(500);
  });

  it("inject a stream error after N tokens", async () => {
    const res = await post(sim, "/v1/chat/completions", { messages: user("[sim:stream_error@2]"), stream: true, n: 2 });
    const chunks = chunksOf(await readSse(res));
    expect(chunks.filter((c) => !c.error && c.choices[0]?.delta?.content)).toHaveLength(4);
    expect(chunks.at(-1)?.error).toBeDefined();
  });
});

describe("scripted replies", () => {
  it("return fixed text for matching requests, first rule first, for N times", async () => {
    sim.setScript([
      { match: "Rate this reply", reply: "The final score is 4", times: 1 },
      { match: "/judge of (tone|style)/i", reply: "1" },
    ]);
    const rated = await postJson<{ choices: { message: { content: string } }[] }>(sim, "/v1/chat/completions", {
      messages: user("Rate this reply: hello"),
    });
    expect(rated.body.choices[0]?.message.content).toBe("The final score is 4");
    const again = await postJson<{ choices: { message: { content: string } }[] }>(sim, "/v1/chat/completions", {
      messages: user("Rate this reply: hello"),
    });
    expect(again.body.choices[0]?.message.content).not.toBe("The final score is 4");
    const bySystem = await postJson<{ choices: { message: { content: string } }[] }>(sim, "/v1/chat/completions", {
      messages: [{ role: "system", content: "You are a JUDGE OF STYLE." }, ...user("x")],
    });
    expect(bySystem.body.choices[0]?.message.content).toBe("1");
  });

  it("are returned verbatim for structured-output requests, even when invalid", async () => {
    sim.setScript([{ match: "profile", reply: '{"name": "Aria", oops' }]);
    const { body } = await postJson<{ choices: { message: { content: string }; finish_reason: string }[] }>(
      sim,
      "/v1/chat/completions",
      { messages: user("profile"), structured_outputs: { json: { type: "object" } } },
    );
    expect(body.choices[0]?.message.content).toBe('{"name": "Aria", oops');
    expect(body.choices[0]?.finish_reason).toBe("stop");
  });
});
