// Chat streaming through Troupe against the simulator, measured in one run: time-to-first-token
// overhead at 64 concurrent chats (Troupe vs calling the simulator directly) and the token rate
// Troupe delivers at 500 concurrent streams compared with the simulator's own rate.

import { buildIfStale } from "@/scripts/build-app";
import {
  type Benchmark,
  createBenchCharacter,
  type Measure,
  percentile,
  pointModelAt,
  withScratchDatabase,
} from "./harness";
import { sessionCookie, startAppProcess, startSimulatorProcess } from "./servers";

const SIM_PORT = 8031;
const APP_PORT = 3131;
const MODEL = "troupe-sim/base-7b";
const ITL_MS = 20;
const CHATS = 64;
const TURNS = 5;
/** Between turns each chat pauses 1–3 s: people read the reply and type (real pauses are longer). */
const THINK_MS = [1_000, 3_000] as const;
const SHORT_REPLY = 32;
const STREAMS = 500;
const LONG_REPLY = 150;
const STREAM_ITL_MS = 100;
const RAMP_MS = 5_000;
const SECRET = "bench-secret-bench-secret-bench-secret-0123";

/** `chars` counts delivered text: Troupe may merge deltas that arrive together into one frame. */
type StreamTiming = { ttft: number; first: number; last: number; chars: number; done: boolean; ok: boolean };

/** Read an SSE body, timing the first and last content events. */
async function timeStream(
  response: Response,
  started: number,
  textOf: (data: string) => string | null,
): Promise<StreamTiming> {
  const timing: StreamTiming = { ttft: Number.NaN, first: 0, last: 0, chars: 0, done: false, ok: response.ok };
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
      const text = data === "[DONE]" ? null : textOf(data);
      if (text) {
        const now = performance.now();
        if (timing.chars === 0) {
          timing.ttft = now - started;
          timing.first = now;
        }
        timing.last = now;
        timing.chars += text.length;
      } else if (data === "[DONE]" || data.startsWith('{"type":"done"')) {
        timing.done = true;
      } else if (data.includes('"type":"error"')) {
        timing.ok = false;
      }
      boundary = buffer.indexOf("\n\n");
    }
  }
  return timing;
}

const directText = (data: string): string | null => {
  if (!data.includes('"content":"') || data.includes('"content":""')) return null;
  return JSON.parse(data).choices?.[0]?.delta?.content ?? null;
};
const troupeText = (data: string): string | null => (data.startsWith('{"type":"delta"') ? JSON.parse(data).text : null);

function direct(simUrl: string, text: string, tokens: number): Promise<StreamTiming> {
  const started = performance.now();
  return fetch(`${simUrl}/v1/chat/completions`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({
      model: MODEL,
      stream: true,
      stream_options: { include_usage: true },
      max_tokens: tokens,
      messages: [
        { role: "system", content: "You are a character in a role-play." },
        { role: "user", content: text },
      ],
    }),
  }).then((response) => timeStream(response, started, directText));
}

/** Send a turn through Troupe (the conversation's max_tokens sets the reply length). */
function throughTroupe(appUrl: string, cookie: string, conversationId: string, text: string): Promise<StreamTiming> {
  const started = performance.now();
  return fetch(`${appUrl}/api/chat/${conversationId}/messages`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Cookie: cookie },
    body: JSON.stringify({ content: text, clientRequestId: crypto.randomUUID() }),
  }).then((response) => timeStream(response, started, troupeText));
}

/** The most streams that were between their first and last token at the same moment. */
function peakConcurrency(timings: StreamTiming[]): number {
  const edges = timings
    .filter((timing) => timing.chars > 0)
    .flatMap((timing) => [
      [timing.first, 1],
      [timing.last, -1],
    ])
    .sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0) || (a[1] ?? 0) - (b[1] ?? 0));
  let current = 0;
  let peak = 0;
  for (const [, delta] of edges) {
    current += delta ?? 0;
    peak = Math.max(peak, current);
  }
  return peak;
}

/** Characters per second delivered, over all streams, from each one's first text to its last. */
function aggregateRate(timings: StreamTiming[]): number {
  const ok = timings.filter((timing) => timing.ok && timing.last > timing.first);
  const chars = ok.reduce((sum, timing) => sum + timing.chars, 0);
  const seconds = ok.reduce((sum, timing) => sum + (timing.last - timing.first) / 1000, 0);
  return chars / seconds;
}

export const chatStreamBenchmark: Benchmark = {
  name: "chat-stream",
  description:
    "chat TTFT overhead at 64 concurrent chats and token-rate fidelity at 500 concurrent streams (takes ~1 min)",
  async run(): Promise<Measure[]> {
    buildIfStale((message) => console.log(`  ${message}`));
    return withScratchDatabase("troupe_bench", async () => {
      const { startConversation } = await import("@/lib/chat/queries");
      const { user, character } = await createBenchCharacter({
        description: "A patient character for load tests.",
        greeting: "Hello.",
      });
      const conversations = async (count: number, replyTokens: number) => {
        const ids: string[] = [];
        const sampling = { max_tokens: replyTokens };
        for (let i = 0; i < count; i++) ids.push((await startConversation(user, character.id, { sampling })).id);
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
        String(LONG_REPLY),
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
        // One user drives every stream here; the per-user chat limit would stop it at 30 a minute.
        CHAT_RATE_LIMIT_PER_MINUTE: "0",
      });
      const restoreModel = pointModelAt(`${sim.url}/v1`, MODEL);
      try {
        const cookie = await sessionCookie({ ...user, role: "USER" }, SECRET);
        const text = "Tell me about the harbor at night, and what you remember of it.";

        // Warm both paths (JIT, connection pools, the model-info cache).
        const warm = await conversations(8, SHORT_REPLY);
        await Promise.all(warm.map((id) => throughTroupe(app.url, cookie, id, text)));
        await Promise.all(warm.map(() => direct(sim.url, text, SHORT_REPLY)));

        // 1. TTFT overhead: 64 chats at once. Each sends a turn, reads the reply, "reads and
        //    types" for THINK_MS (a compressed human pause), and sends the next.
        const loops = await conversations(CHATS, SHORT_REPLY);
        const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
        const run = (send: (index: number) => Promise<StreamTiming>) =>
          Promise.all(
            loops.map(async (_, index) => {
              const timings: StreamTiming[] = [];
              await pause((index / CHATS) * THINK_MS[1]);
              for (let turn = 0; turn < TURNS; turn++) {
                timings.push(await send(index));
                await pause(THINK_MS[0] + Math.random() * (THINK_MS[1] - THINK_MS[0]));
              }
              return timings;
            }),
          ).then((all) => all.flat());
        const troupeTurns = await run((index) => throughTroupe(app.url, cookie, loops[index] ?? "", text));
        const directTurns = await run(() => direct(sim.url, text, SHORT_REPLY));
        const failures = troupeTurns.filter((timing) => !timing.ok).length;
        const troupeTtft = troupeTurns.map((timing) => timing.ttft);
        const directTtft = directTurns.map((timing) => timing.ttft);
        const overhead50 = percentile(troupeTtft, 50) - percentile(directTtft, 50);
        const overhead99 = percentile(troupeTtft, 99) - percentile(directTtft, 99);

        // 2. Token-rate fidelity at 500 concurrent streams: long replies, started over RAMP_MS so
        //    they all stream at once, direct first, then through Troupe.
        const ramp = <T>(count: number, start: (index: number) => Promise<T>) =>
          Promise.all(
            Array.from({ length: count }, (_, index) =>
              new Promise<void>((resolve) => setTimeout(resolve, (index / count) * RAMP_MS)).then(() => start(index)),
            ),
          );
        // At 500 sequences in one batch a GPU decode step takes far longer than at 64: slow the
        // simulator to STREAM_ITL_MS per token for this phase.
        await fetch(`${sim.url}/sim/config`, {
          method: "PUT",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ itlMs: STREAM_ITL_MS }),
        });
        const many = await conversations(STREAMS, LONG_REPLY);
        const directMany = await ramp(STREAMS, () => direct(sim.url, text, LONG_REPLY));
        const troupeMany = await ramp(STREAMS, (index) => throughTroupe(app.url, cookie, many[index] ?? "", text));
        const manyFailures = troupeMany.filter((timing) => !timing.ok || !timing.done).length;
        const fidelity = aggregateRate(troupeMany) / aggregateRate(directMany);
        const concurrent = peakConcurrency(troupeMany);

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
          { measure: "failed turns (TTFT runs)", figure: failures, unit: "", target: "0", pass: failures === 0 },
          {
            measure: "peak concurrent streams",
            figure: concurrent,
            unit: "",
            target: `≥ ${STREAMS}`,
            pass: concurrent >= STREAMS,
          },
          {
            measure: "stream rate per stream",
            figure: round2(aggregateRate(troupeMany)),
            unit: "chars/s",
            target: "(info)",
            pass: true,
          },
          {
            measure: "stream rate vs direct",
            figure: round2(fidelity * 100),
            unit: "%",
            target: "≥ 98 %",
            pass: fidelity >= 0.98,
          },
          { measure: "streams failed or short", figure: manyFailures, unit: "", target: "0", pass: manyFailures === 0 },
        ];
      } finally {
        restoreModel();
        await app.stop();
        await sim.stop();
      }
    });
  },
};
