import { Agent, request } from "node:http";
import { describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "./server";
import { chunksOf, post, postJson, readSse, user, waitFor } from "./test-helpers";

function metric(sim: Simulator, name: string): number {
  const line = sim
    .metrics()
    .split("\n")
    .find((l) => l.startsWith(`${name}{`));
  return Number(line?.split(" ").at(-1));
}

describe("--max-num-seqs", () => {
  it("queues requests beyond the limit FIFO and reports them as waiting", async () => {
    const sim = await startSimulator({ port: 0, maxNumSeqs: 2, ttftMs: 40, itlMs: 10, outputTokens: 5 });
    try {
      const started = performance.now();
      const requests = ["a", "b", "c", "d", "e"].map((name) =>
        post(sim, "/v1/chat/completions", { messages: user(name), stream: true }).then(async (res) => {
          const chunks = chunksOf(await readSse(res));
          return { name, chunks, end: performance.now() - started };
        }),
      );
      await waitFor(() => sim.stats().waiting === 3);
      expect(sim.stats().running).toBe(2);
      expect(metric(sim, "vllm:num_requests_running")).toBe(2);
      expect(metric(sim, "vllm:num_requests_waiting")).toBe(3);
      const results = await Promise.all(requests);
      // Each wave takes ttft + 4 gaps = 80 ms; the fifth request runs in the third wave.
      const last = results.find((r) => r.name === "e");
      expect(last?.end).toBeGreaterThanOrEqual(3 * 80 - 10);
      expect(sim.stats()).toMatchObject({ running: 0, waiting: 0, peakRunning: 2, peakWaiting: 3, completed: 5 });
      expect(metric(sim, "vllm:num_requests_waiting")).toBe(0);
    } finally {
      await sim.close();
    }
  });

  it("drops a queued request whose client went away", async () => {
    const sim = await startSimulator({ port: 0, maxNumSeqs: 1, ttftMs: 100, itlMs: 0, outputTokens: 2 });
    try {
      const first = postJson(sim, "/v1/chat/completions", { messages: user("first") });
      const controller = new AbortController();
      const queued = post(sim, "/v1/chat/completions", { messages: user("second") }, { signal: controller.signal });
      await waitFor(() => sim.stats().waiting === 1);
      controller.abort();
      await expect(queued).rejects.toThrow();
      await waitFor(() => sim.stats().waiting === 0);
      expect((await first).status).toBe(200);
      expect(sim.stats()).toMatchObject({ aborted: 1, completed: 1 });
    } finally {
      await sim.close();
    }
  });
});

describe("--scheduling-policy", () => {
  it("rejects a non-zero priority under fcfs, like vLLM", async () => {
    const sim = await startSimulator({ port: 0, ttftMs: 0, itlMs: 0 });
    try {
      const { status, body } = await postJson(sim, "/v1/chat/completions", { messages: user("x"), priority: 5 });
      expect(status).toBe(400);
      expect(body).toMatchObject({ error: { message: "Got priority 5 but Priority scheduling is not enabled." } });
      expect((await postJson(sim, "/v1/chat/completions", { messages: user("x"), priority: 0 })).status).toBe(200);
    } finally {
      await sim.close();
    }
  });

  it("admits lower priority values first under the priority policy", async () => {
    const sim = await startSimulator({
      port: 0,
      schedulingPolicy: "priority",
      maxNumSeqs: 1,
      ttftMs: 30,
      itlMs: 0,
      outputTokens: 2,
    });
    try {
      const finished: string[] = [];
      const send = (name: string, priority: number) =>
        postJson(sim, "/v1/chat/completions", { messages: user(name), priority }).then(() => finished.push(name));
      const first = send("first", 0);
      await waitFor(() => sim.stats().running === 1);
      const late = send("late", 10);
      await waitFor(() => sim.stats().waiting === 1);
      const urgent = send("urgent", -5);
      await Promise.all([first, late, urgent]);
      expect(finished).toEqual(["first", "urgent", "late"]);
    } finally {
      await sim.close();
    }
  });
});

describe("timing and metrics", () => {
  it("delivers the first token after TTFT and the rest at the ITL, and records histograms", async () => {
    const sim = await startSimulator({ port: 0, ttftMs: 50, itlMs: 20, outputTokens: 6, splitFrames: false });
    try {
      const start = performance.now();
      const res = await post(sim, "/v1/chat/completions", { messages: user("time me"), stream: true });
      const reader = res.body?.getReader();
      const arrivals: number[] = [];
      for (;;) {
        const read = await reader?.read();
        if (!read || read.done) break;
        arrivals.push(performance.now() - start);
      }
      expect(arrivals[0]).toBeGreaterThanOrEqual(45);
      const total = arrivals.at(-1) ?? 0;
      expect(total).toBeGreaterThanOrEqual(50 + 5 * 20 - 5);
      expect(total).toBeLessThan(50 + 5 * 20 + 400);
      const text = sim.metrics();
      expect(text).toMatch(
        /^vllm:time_to_first_token_seconds_count\{model_name="troupe-sim\/base-7b",engine="0"\} 1\.0$/m,
      );
      expect(text).toMatch(/^vllm:inter_token_latency_seconds_count\{.*\} 5\.0$/m);
      expect(text).toMatch(/^vllm:e2e_request_latency_seconds_bucket\{.*le="\+Inf"\} 1\.0$/m);
      expect(text).toContain("# TYPE vllm:prompt_tokens_total counter");
      expect(metric(sim, "vllm:generation_tokens_total")).toBe(6);
    } finally {
      await sim.close();
    }
  });

  it("sustains 500 concurrent streams at close to the configured ITL", async () => {
    const sim = await startSimulator({ port: 0, ttftMs: 20, itlMs: 10, outputTokens: 30, maxNumSeqs: 1000 });
    // node:http rather than fetch: this measures the simulator, not the client's web streams.
    const agent = new Agent({ keepAlive: true });
    const stream = (i: number) =>
      new Promise<{ body: string; streamingMs: number }>((resolve, reject) => {
        const req = request(`${sim.url}/v1/chat/completions`, { method: "POST", agent }, (res) => {
          let body = "";
          let first = 0;
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            first ||= performance.now();
            body += chunk;
          });
          res.on("end", () => resolve({ body, streamingMs: performance.now() - first }));
        });
        req.on("error", reject);
        req.end(JSON.stringify({ messages: user(`stream ${i}`), stream: true }));
      });
    try {
      const start = performance.now();
      const results = await Promise.all(Array.from({ length: 500 }, (_, i) => stream(i)));
      expect(performance.now() - start).toBeLessThan(10_000);
      expect(results.every((r) => r.body.endsWith("data: [DONE]\n\n"))).toBe(true);
      expect(sim.stats().completed).toBe(500);
      // From first to last token: nominally 29 × 10 ms. Connection setup for 500 clients in this
      // same process is excluded; it is the client's cost, not the simulator's pacing.
      const durations = results.map((r) => r.streamingMs).sort((a, b) => a - b);
      const median = durations[durations.length >> 1] ?? 0;
      expect(median).toBeGreaterThan(29 * 10 * 0.8);
      expect(median).toBeLessThan(29 * 10 * 2.5);
    } finally {
      agent.destroy();
      await sim.close();
    }
  });
});

describe("runtime config", () => {
  it("changes timing and length for later requests", async () => {
    const sim = await startSimulator({ port: 0, ttftMs: 0, itlMs: 0 });
    try {
      expect(sim.setConfig({ outputTokens: 7 })).toMatchObject({ outputTokens: 7, ttftMs: 0 });
      const { body } = await postJson<{ usage: { completion_tokens: number } }>(sim, "/v1/chat/completions", {
        messages: user("x"),
      });
      expect(body.usage.completion_tokens).toBe(7);
      const viaHttp = await fetch(`${sim.url}/sim/config`, {
        method: "PUT",
        body: JSON.stringify({ outputTokens: null, ttftMs: 5 }),
      });
      expect((await viaHttp.json()).config).toMatchObject({ outputTokens: null, ttftMs: 5 });
    } finally {
      await sim.close();
    }
  });
});
