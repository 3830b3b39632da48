import { afterAll, beforeAll, expect, it } from "vitest";
import { type Simulator, startSimulator } from "@/e2e/vllm-sim/server";
import { complete, DEFAULT_SYNTH_SAMPLING, gated, jobModel } from "./llm";
import { isTransient } from "./retry";

const MODEL = "troupe-sim/base-7b";
let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ port: 0, model: MODEL, ttftMs: 1, itlMs: 1 });
  process.env.LLM_BASE_URL = `${sim.url}/v1`;
  process.env.LLM_MODEL = MODEL;
  process.env.SYNTH_REQUEST_TIMEOUT_MS = "500";
});

afterAll(async () => {
  delete process.env.LLM_BASE_URL;
  delete process.env.LLM_MODEL;
  delete process.env.SYNTH_REQUEST_TIMEOUT_MS;
  await sim.close();
});

it("a request the server never answers times out after SYNTH_REQUEST_TIMEOUT_MS, as a transient failure", async () => {
  const { model, gate } = await jobModel(null);
  const call = (content: string) =>
    complete(gated(model, gate), {
      system: "Stay in character.",
      messages: [{ role: "user", content }],
      sampling: DEFAULT_SYNTH_SAMPLING,
      signal: new AbortController().signal,
    });
  const started = Date.now();
  const error = await call("Hello? [sim:hang@0]").catch((caught: unknown) => caught);
  expect(error).toMatchObject({ code: "upstream_timeout:model" });
  expect(isTransient(error)).toBe(true);
  expect(Date.now() - started).toBeLessThan(5_000);
  // The gate's slot was given back: the next request goes through.
  expect((await call("Hello?")).text.length).toBeGreaterThan(0);
});
