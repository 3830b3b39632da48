import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cacheNamespace, PrefixCache } from "./prefix-cache";
import { type Simulator, startSimulator } from "./server";
import { postJson } from "./test-helpers";

interface ChatBody {
  choices: { message: { content: string } }[];
  usage: { prompt_tokens: number; prompt_tokens_details: { cached_tokens: number } };
}

const system = {
  role: "system",
  content: `You are Aria, a lighthouse keeper on a windswept northern island. ${"She speaks softly and remembers every ship. ".repeat(12)}`,
};

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    ttftMs: 0,
    itlMs: 0,
    enableLora: true,
    loraModules: [{ name: "char-aria-v1", path: "/adapters/aria" }],
  });
});
afterAll(() => sim.close());

function counter(name: string): number {
  const line = sim
    .metrics()
    .split("\n")
    .find((l) => l.startsWith(`${name}{`));
  return Number(line?.split(" ").at(-1));
}

describe("prefix caching", () => {
  it("reports cached_tokens for a request that extends an earlier one", async () => {
    const queriesBefore = counter("vllm:prefix_cache_queries_total");
    const hitsBefore = counter("vllm:prefix_cache_hits_total");
    const turn1 = [system, { role: "user", content: "Good evening. Any ships tonight?" }];
    const first = await postJson<ChatBody>(sim, "/v1/chat/completions", { messages: turn1 });
    expect(first.body.usage.prompt_tokens_details.cached_tokens).toBe(0);

    const reply = first.body.choices[0]?.message.content ?? "";
    const turn2 = [...turn1, { role: "assistant", content: reply }, { role: "user", content: "Tell me more." }];
    const second = await postJson<ChatBody>(sim, "/v1/chat/completions", { messages: turn2 });
    const p1 = first.body.usage.prompt_tokens;
    const cached = second.body.usage.prompt_tokens_details.cached_tokens;
    expect(cached).toBeGreaterThanOrEqual(Math.floor(p1 / 16) * 16);
    expect(cached % 16).toBe(0);
    expect(cached).toBeLessThan(second.body.usage.prompt_tokens);

    expect(counter("vllm:prefix_cache_queries_total") - queriesBefore).toBe(p1 + second.body.usage.prompt_tokens);
    expect(counter("vllm:prefix_cache_hits_total") - hitsBefore).toBe(cached);
  });

  it("misses under a different cache_salt or model, and after an edit near the top", async () => {
    const messages = [system, { role: "user", content: "What do you see on the horizon?" }];
    await postJson(sim, "/v1/chat/completions", { messages });
    const same = await postJson<ChatBody>(sim, "/v1/chat/completions", { messages });
    expect(same.body.usage.prompt_tokens_details.cached_tokens).toBeGreaterThan(0);

    const salted = await postJson<ChatBody>(sim, "/v1/chat/completions", { messages, cache_salt: "user-42" });
    expect(salted.body.usage.prompt_tokens_details.cached_tokens).toBe(0);
    const lora = await postJson<ChatBody>(sim, "/v1/chat/completions", { messages, model: "char-aria-v1" });
    expect(lora.body.usage.prompt_tokens_details.cached_tokens).toBe(0);

    const edited = [{ role: "system", content: `Now: 21:04. ${system.content}` }, messages[1]];
    const miss = await postJson<ChatBody>(sim, "/v1/chat/completions", { messages: edited });
    expect(miss.body.usage.prompt_tokens_details.cached_tokens).toBe(0);
  });
});

describe("PrefixCache", () => {
  const ns = cacheNamespace("m", null);
  const tokens = (n: number, offset = 0) => Array.from({ length: n }, (_, i) => i + offset);

  it("counts only full leading blocks and always recomputes the last token", () => {
    const cache = new PrefixCache(4, 100);
    expect(cache.lookup(ns, tokens(8))).toBe(0);
    expect(cache.lookup(ns, tokens(8))).toBe(4);
    expect(cache.lookup(ns, tokens(11))).toBe(8);
    expect(cache.lookup(ns, [...tokens(4), 99, ...tokens(6, 5)])).toBe(4);
    expect(cache.queries).toBe(8 + 8 + 11 + 11);
    expect(cache.hits).toBe(16);
  });

  it("evicts the least recently used blocks beyond capacity", () => {
    const cache = new PrefixCache(2, 4);
    cache.insert(ns, tokens(4, 0));
    cache.insert(ns, tokens(4, 100));
    cache.lookup(ns, tokens(5, 0)); // touches the first sequence's blocks
    cache.insert(ns, tokens(4, 200));
    expect(cache.size).toBe(4);
    expect(cache.lookup(ns, tokens(5, 0))).toBe(4);
    expect(cache.lookup(ns, tokens(5, 100))).toBe(0);
  });
});
