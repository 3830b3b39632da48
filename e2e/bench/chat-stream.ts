// Chat streaming through Troupe against the simulator, measured in one run: time-to-first-token
// overhead at 64 concurrent chats (Troupe vs calling the simulator directly) and the token rate
// Troupe delivers at 500 concurrent streams compared with the simulator's own rate.

import { buildIfStale } from "@/scripts/build-app";
import { type Benchmark, type Measure, percentile, withScratchDatabase } from "./harness";
import { sessionCookie, startAppProcess, startSimulatorProcess } from "./servers";

const SIM_PORT = 8031;
const APP_PORT = 3131;
const MODEL = "troupe-sim/base-7b";
const ITL_MS = 20;
const OUTPUT_TOKENS = 64;
const SECRET = "bench-secret-bench-secret-bench-secret-0123";

type StreamTiming = { ttft: number; first: number; last: number; tokens: number; ok: boolean };

/** Read an SSE body, timing the first and last content events. */
async function timeStream(
  response: Response,
  started: number,
  isContent: (data: string) => boolean,
): Promise<StreamTiming> {
  const timing: StreamTiming = { ttft: Number.NaN, first: 0, last: 0, tokens: 0, ok: response.ok };
  if (!response.body) return { ...timing, ok: false };
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let boundary = buffer.indexOf("\n\n");
    while (boundary >= 0) {
      const data = buffer.slice(0, boundary).replace(/^data: /, "");
      buffer = buffer.slice(boundary + 2);
      if (isContent(data)) {
        const now = performance.now();
        if (timing.tokens === 0) {
          timing.ttft = now - started;
          timing.first = now;
        }
        timing.last = now;
        timing.tokens += 1;
      } else if (data.includes('"type":"error"')) {
        timing.ok = false;
      }
      boundary = buffer.indexOf("\n\n");
    }
  }
  return timing;
}

const directContent = (data: string) => data.includes('"content":"') && !data.includes('"content":""');
const troupeContent = (data: string) => data.startsWith('{"type":"delta"');

function direct(simUrl: string, text: string): Promise<StreamTiming> {
  const started = performance.now();
  return fetch(`${simUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      model: MODEL,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: OUTPUT_TOKENS,
      messages: [
        { role: "system", content: "You are a character in a role-play." },
        { role: "user", content: text },
      ],
    }),
  }).then((response) => timeStream(response, started, directContent));
}

function throughTroupe(appUrl: string, cookie: string, conversationId: string, text: string): Promise<StreamTiming> {
  const started = performance.now();
  return fetch(`${appUrl}/api/chat/${conversationId}/messages`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookie },
    body: JSON.stringify({ content: text, clientRequestId: crypto.randomUUID() }),
  }).then((response) => timeStream(response, started, troupeContent));
}

/** Tokens per second delivered over all streams: tokens after the first over the time they took. */
function aggregateRate(timings: StreamTiming[]): number {
  const ok = timings.filter((timing) => timing.ok && timing.tokens > 1);
  const tokens = ok.reduce((sum, timing) => sum + timing.tokens - 1, 0);
  const seconds = ok.reduce((sum, timing) => sum + (timing.last - timing.first) / 1000, 0);
  return tokens / seconds;
}

export const chatStreamBenchmark: Benchmark = {
  name: "chat-stream",
  description: "chat TTFT overhead at 64 concurrent chats and token-rate fidelity at 500 concurrent streams",
  async run(): Promise<Measure[]> {
    buildIfStale((message) => console.log(`  ${message}`));
    return withScratchDatabase("troupe_bench", async () => {
      const { createUser } = await import("@/lib/users/queries");
      const { createCharacter } = await import("@/lib/characters/queries");
      const { emptyProfile } = await import("@/lib/characters/schema");
      const { startConversation } = await import("@/lib/chat/queries");
      const user = await createUser({ email: "bench@troupe.local", name: "Bench", password: "bench-password" });
      const character = await createCharacter({
        ownerId: user.id,
        profile: {
          ...emptyProfile("Bench Bea"),
          description: "A patient character for load tests.",
          greeting: "Hello.",
        },
        tags: [],
      });
      const conversations = async (count: number) => {
        const ids: string[] = [];
        for (let i = 0; i < count; i++) ids.push((await startConversation(user, character.id, MODEL)).id);
        return ids;
      };

      const sim = await startSimulatorProcess(SIM_PORT, [
        "--model",
        MODEL,
        "--ttft-ms",
        "20",
        "--itl-ms",
        String(ITL_MS),
        "--output-tokens",
        String(OUTPUT_TOKENS),
        "--max-num-seqs",
        "1024",
        "--max-model-len",
        "8192",
      ]);
      const app = await startAppProcess(APP_PORT, {
        DATABASE_URL: process.env.DATABASE_URL ?? "",
        AUTH_SECRET: SECRET,
        LLM_BASE_URL: `${sim.url}/v1`,
        LLM_MODEL: MODEL,
        DB_POOL_SIZE: "40",
      });
      try {
        const cookie = await sessionCookie({ ...user, role: "USER" }, SECRET);
        const text = "Tell me about the harbor at night, and what you remember of it.";

        // Warm both paths (JIT, connection pools, the model-info cache).
        const warm = await conversations(8);
        await Promise.all(warm.map((id) => throughTroupe(app.url, cookie, id, text)));
        await Promise.all(warm.map(() => direct(sim.url, text)));

        // 1. TTFT overhead, 64 concurrent chats, three rounds each, interleaved.
        const directTtft: number[] = [];
        const troupeTtft: number[] = [];
        let failures = 0;
        for (let round = 0; round < 3; round++) {
          const ids = await conversations(64);
          const ours = await Promise.all(ids.map((id) => throughTroupe(app.url, cookie, id, text)));
          const theirs = await Promise.all(ids.map(() => direct(sim.url, text)));
          failures += ours.filter((timing) => !timing.ok).length;
          troupeTtft.push(...ours.map((timing) => timing.ttft));
          directTtft.push(...theirs.map((timing) => timing.ttft));
        }
        const overhead50 = percentile(troupeTtft, 50) - percentile(directTtft, 50);
        const overhead99 = percentile(troupeTtft, 99) - percentile(directTtft, 99);

        // 2. Token-rate fidelity at 500 concurrent streams, direct then through Troupe.
        const many = await conversations(500);
        const directMany = await Promise.all(many.map(() => direct(sim.url, text)));
        const troupeMany = await Promise.all(many.map((id) => throughTroupe(app.url, cookie, id, text)));
        const manyFailures = troupeMany.filter((timing) => !timing.ok || timing.tokens < OUTPUT_TOKENS).length;
        const fidelity = aggregateRate(troupeMany) / aggregateRate(directMany);

        const round2 = (value: number) => Number(value.toFixed(2));
        return [
          {
            measure: "TTFT direct p50 (64 concurrent)",
            figure: round2(percentile(directTtft, 50)),
            unit: "ms",
            target: "(info)",
            pass: true,
          },
          {
            measure: "TTFT via Troupe p50",
            figure: round2(percentile(troupeTtft, 50)),
            unit: "ms",
            target: "(info)",
            pass: true,
          },
          {
            measure: "TTFT overhead p50",
            figure: round2(overhead50),
            unit: "ms",
            target: "≤ +5 ms",
            pass: overhead50 <= 5,
          },
          {
            measure: "TTFT overhead p99",
            figure: round2(overhead99),
            unit: "ms",
            target: "≤ +20 ms",
            pass: overhead99 <= 20,
          },
          { measure: "failed chats (TTFT runs)", figure: failures, unit: "", target: "0", pass: failures === 0 },
          {
            measure: "500 streams: rate vs direct",
            figure: round2(fidelity * 100),
            unit: "%",
            target: "≥ 98 %",
            pass: fidelity >= 0.98,
          },
          {
            measure: "500 streams: failed/short",
            figure: manyFailures,
            unit: "",
            target: "0",
            pass: manyFailures === 0,
          },
        ];
      } finally {
        await app.stop();
        await sim.stop();
      }
    });
  },
};
