// API keys never reach a log line, a stored error or an error object that might be logged one
// day: every way a model call fails is driven against a simulator that wants a key, with the
// console captured.
import { randomUUID } from "node:crypto";
import { format, inspect } from "node:util";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { type Simulator, startSimulator } from "@/e2e/vllm-sim/server";
import { profileFromPersona } from "@/lib/characters/persona";
import { createCharacter } from "@/lib/characters/queries";
import { emptyProfile } from "@/lib/characters/schema";
import { startConversation } from "@/lib/chat/queries";
import type { ChatStreamEvent } from "@/lib/chat/schema";
import { generateReply } from "@/lib/chat/stream";
import { db } from "@/lib/db";
import { errorResponse } from "@/lib/http";
import { fetchMetrics } from "@/lib/models/metrics";
import { deleteEndpoint, endpointMetrics, listEndpoints, saveEndpoint } from "@/lib/models/queries";
import { loadAdapter } from "@/lib/models/vllm-admin";
import { assertTestDatabase } from "@/lib/testing/db";
import { createUser } from "@/lib/users/queries";
import { endpointFromBaseUrl, listModels, probeEndpoint } from "./endpoint";
import { languageModelFor } from "./provider";
import { streamChat } from "./stream";

const MODEL = "troupe-sim/base-7b";
const KEY = `sk-troupe-${randomUUID()}`;
const WRONG_KEY = `sk-wrong-${randomUUID()}`;
const KEYS = [KEY, WRONG_KEY];

let sim: Simulator;
let userId: string;
let characterId: string;
let logged: string[] = [];
/** Errors the calls threw or reported, inspected the way console.error would print them. */
let errors: string[] = [];

beforeAll(async () => {
  assertTestDatabase();
  sim = await startSimulator({ port: 0, model: MODEL, apiKey: KEY, ttftMs: 1, itlMs: 1, maxModelLen: 4096 });
  process.env.LLM_BASE_URL = `${sim.url}/v1`;
  process.env.LLM_MODEL = MODEL;
  const user = await createUser({ email: `keys-${Date.now()}@unit.troupe`, name: "Kim", password: "pass-word-1" });
  userId = user.id;
  const character = await createCharacter({
    ownerId: userId,
    profile: { ...emptyProfile("Keeper Kit"), greeting: "Hello." },
    tags: [],
  });
  characterId = character.id;
});

afterAll(async () => {
  delete process.env.LLM_BASE_URL;
  delete process.env.LLM_MODEL;
  delete process.env.LLM_API_KEY;
  await sim.close();
});

beforeEach(() => {
  logged = [];
  errors = [];
  for (const method of ["log", "info", "warn", "error", "debug", "trace"] as const) {
    vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
      logged.push(format(...args));
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
  const everything = [...logged, ...errors].join("\n");
  for (const key of KEYS) expect(everything).not.toContain(key);
});

const remember = (error: unknown) => {
  errors.push(inspect(error, { depth: 20, showHidden: true }));
  return error;
};

async function turn(content: string) {
  const { id } = await startConversation({ id: userId, role: "USER" }, characterId);
  const events: ChatStreamEvent[] = [];
  try {
    for await (const event of generateReply(
      userId,
      id,
      { kind: "send", content, clientRequestId: randomUUID() },
      new AbortController().signal,
    )) {
      events.push(event);
    }
  } catch (error) {
    remember(error);
    // The route answers a failure before the stream like this, logging what it does not know.
    await errorResponse(error).text();
  }
  const stored = await db.message.findMany({ where: { conversationId: id }, select: { content: true, error: true } });
  errors.push(JSON.stringify(stored));
  return events;
}

describe("API keys stay out of logs and errors", () => {
  it("a wrong LLM_API_KEY: the reply fails with a message about the key, never the key", async () => {
    process.env.LLM_API_KEY = WRONG_KEY;
    const events = await turn("Hello there");
    const last = events.at(-1);
    expect(last).toMatchObject({ type: "error", error: { code: "upstream_error:auth" } });
    expect(JSON.stringify(events)).not.toContain(WRONG_KEY);
  });

  it("server errors, errors inside the stream and dropped connections with the right key", async () => {
    process.env.LLM_API_KEY = KEY;
    for (const [directive, code] of [
      ["[sim:http_500]", "upstream_error:server"],
      ["[sim:stream_error@3]", "upstream_error:stream"],
      ["[sim:reset@2]", "upstream_unavailable:model"],
    ] as const) {
      const events = await turn(`Tell me a story ${directive}`);
      expect(events.at(-1), directive).toMatchObject({ type: "error", error: { code } });
    }
    expect(sim.requests.some((request) => request.headers.authorization === "Bearer ***")).toBe(true);
  });

  it("the AI SDK's own error objects carry no key, even printed whole", async () => {
    for (const apiKey of KEYS) {
      const model = languageModelFor(endpointFromBaseUrl(`${sim.url}/v1`, apiKey), MODEL);
      const events = streamChat(model, {
        system: "You are terse.",
        messages: [{ role: "user", content: `Hi ${apiKey === KEY ? "[sim:http_503]" : ""}` }],
        maxOutputTokens: 16,
      });
      const failure = await (async () => {
        for await (const _ of events) {
          // drain
        }
      })().then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).not.toBeNull();
      remember(failure);
      console.error("[test] logged as the app would", failure);
      await errorResponse(failure).text();
    }
  });

  it("structured calls (persona → profile) with a wrong key and with a failing server", async () => {
    for (const [apiKey, persona] of [
      [WRONG_KEY, "A lighthouse keeper"],
      [KEY, "A lighthouse keeper [sim:http_500]"],
    ] as const) {
      const model = languageModelFor(endpointFromBaseUrl(`${sim.url}/v1`, apiKey), MODEL);
      const failure = await profileFromPersona(model, MODEL, persona).then(
        () => null,
        (error: unknown) => error,
      );
      expect(failure).toMatchObject({ type: "upstream_error" });
      remember(failure);
      await errorResponse(failure).text();
    }
  });

  it("probes, model lists, metrics and LoRA loading with a wrong key", async () => {
    const endpoint = endpointFromBaseUrl(`${sim.url}/v1`, WRONG_KEY);
    const probe = await probeEndpoint(endpoint);
    errors.push(JSON.stringify(probe));
    expect(probe.healthy).toBe(false);
    remember(await listModels(endpoint).catch((error: unknown) => error));
    remember(await fetchMetrics(endpoint).catch((error: unknown) => error));
    const load = await loadAdapter(endpoint, "char-keys-v1", "/adapters/keys");
    errors.push(JSON.stringify(load));
    expect(load.ok).toBe(false);
  });

  it("a registry endpoint's stored key: as saved, listed, and used to read metrics", async () => {
    const name = `keys-${randomUUID().slice(0, 8)}`;
    const saved = await saveEndpoint({ name, kind: "VLLM", baseUrl: `${sim.url}/v1`, apiKey: WRONG_KEY });
    try {
      const listed = (await listEndpoints()).find((endpoint) => endpoint.name === name);
      expect(listed?.hasApiKey).toBe(true);
      sim.setFaults([{ kind: "http_500", path: "/metrics", times: 1 }]);
      const metrics = (await endpointMetrics()).get(saved.id);
      expect(metrics).toMatchObject({ error: expect.any(String) });
      errors.push(JSON.stringify(saved), JSON.stringify(listed), JSON.stringify(metrics));
    } finally {
      sim.setFaults([]);
      await deleteEndpoint(saved.id);
    }
  });
});
