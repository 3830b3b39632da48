import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RecordedRequest } from "./recorder";
import { type Simulator, startSimulator } from "./server";
import { post, postJson, user } from "./test-helpers";

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, ttftMs: 0, itlMs: 0, apiKey: "sk-secret" });
});
afterAll(() => sim.close());

const auth = { headers: { authorization: "Bearer sk-secret" } };

async function control(method: string, path: string, body?: unknown): Promise<Response> {
  return fetch(`${sim.url}${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
}

describe("request recording", () => {
  it("records method, path, headers (bearer redacted) and parsed body, in order", async () => {
    sim.clearRequests();
    await post(sim, "/v1/chat/completions", { messages: user("hello"), temperature: 0.7 }, auth);
    await fetch(`${sim.url}/health`);
    expect(sim.requests).toHaveLength(2);
    const [chat, health] = sim.requests;
    expect(chat).toMatchObject({
      seq: expect.any(Number),
      method: "POST",
      path: "/v1/chat/completions",
      body: { messages: user("hello"), temperature: 0.7 },
    });
    expect(chat?.headers.authorization).toBe("Bearer ***");
    expect(chat?.headers["content-type"]).toBe("application/json");
    expect(JSON.stringify(sim.requests)).not.toContain("sk-secret");
    expect(health).toMatchObject({ method: "GET", path: "/health", body: null });
    expect(health?.headers.authorization).toBeUndefined();
  });

  it("serves them over /sim/requests with ?since, and clears them", async () => {
    await post(sim, "/v1/completions", { prompt: "a" }, auth);
    const all = (await (await control("GET", "/sim/requests")).json()) as { requests: RecordedRequest[] };
    const last = all.requests.at(-1);
    expect(last?.path).toBe("/v1/completions");
    const since = (await (await control("GET", `/sim/requests?since=${(last?.seq ?? 0) - 1}`)).json()) as {
      requests: RecordedRequest[];
    };
    expect(since.requests.map((r) => r.seq)).toEqual([last?.seq]);
    expect((await control("DELETE", "/sim/requests")).status).toBe(204);
    expect(sim.requests).toHaveLength(0);
    // Control calls themselves are never recorded.
    await control("GET", "/sim/stats");
    expect(sim.requests).toHaveLength(0);
  });
});

describe("control API", () => {
  it("arms and clears faults over HTTP, rejecting bad rules", async () => {
    const armed = await control("PUT", "/sim/faults", ["http_503:1", { kind: "http_500", path: "/v1/models" }]);
    expect(armed.status).toBe(200);
    expect((await armed.json()).faults).toEqual([
      { rule: { kind: "http_503", times: 1 }, remaining: 1 },
      { rule: { kind: "http_500", path: "/v1/models" }, remaining: null },
    ]);
    const failed = await post(sim, "/v1/chat/completions", { messages: user("x") }, auth);
    expect(failed.status).toBe(503);
    expect((await fetch(`${sim.url}/v1/models`, auth)).status).toBe(500);
    expect((await control("DELETE", "/sim/faults")).status).toBe(204);
    expect((await fetch(`${sim.url}/v1/models`, auth)).status).toBe(200);
    expect((await control("PUT", "/sim/faults", ["explode"])).status).toBe(400);
  });

  it("arms scripted replies over HTTP", async () => {
    expect((await control("PUT", "/sim/script", [{ match: "judge", reply: "final score is 5" }])).status).toBe(200);
    const res = await post(sim, "/v1/chat/completions", { messages: user("you are the judge") }, auth);
    expect((await res.json()).choices[0].message.content).toBe("final score is 5");
    expect((await control("DELETE", "/sim/script")).status).toBe(204);
    expect((await control("PUT", "/sim/script", [{ match: "/(unclosed/", reply: "x" }])).status).toBe(400);
  });

  it("reports stats", async () => {
    const stats = await (await control("GET", "/sim/stats")).json();
    expect(stats).toMatchObject({
      accepted: expect.any(Number),
      completed: expect.any(Number),
      running: 0,
      waiting: 0,
      promptTokens: expect.any(Number),
      prefixCacheQueries: expect.any(Number),
    });
    expect((await control("GET", "/sim/nope")).status).toBe(404);
  });

  it("leaves /health, /metrics and /tokenize open when an API key is set", async () => {
    expect((await fetch(`${sim.url}/metrics`)).status).toBe(200);
    expect((await postJson(sim, "/tokenize", { prompt: "hi" })).status).toBe(200);
  });
});
