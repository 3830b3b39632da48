// Synthesis saturation: 10,000 items through the job runner against the simulator (its own
// process) with a fixed per-request latency L and C requests in flight. The target is an achieved
// rate of at least 0.95 × C / L, with L measured in the same run, and resident memory flat (±20%)
// between item 1,000 and item 10,000. Before the job, in the fresh process: a 1,000,000-line persona file
// imported as a stream.
import v8 from "node:v8";
import vm from "node:vm";
import { generatePersonaLines } from "@/lib/synthesis/inputs/bench";
import type { Benchmark, Measure } from "./harness";
import { withScratchDatabase } from "./harness";
import { startSimulatorProcess } from "./servers";

const SIM_PORT = 8032;
const MODEL = "troupe-sim/base-7b";
const ITEMS = 10_000;
const CONCURRENCY = 32;
const PERSONA_LINES = 1_000_000;

export const synthesisBenchmark: Benchmark = {
  name: "synthesis",
  description: `${ITEMS.toLocaleString()} items at concurrency ${CONCURRENCY} against the simulator; 1M-line persona import`,
  async run() {
    const measures: Measure[] = [];
    const sim = await startSimulatorProcess(SIM_PORT, [
      "--model",
      MODEL,
      "--ttft-ms",
      "150",
      "--itl-ms",
      "2",
      "--output-tokens",
      "25",
      "--max-num-seqs",
      "1024",
    ]);
    try {
      const saturation = await withScratchDatabase("troupe_bench_synth", async () => {
        // First the import, end to end (parsed as a stream, written to the database in batches), in
        // the fresh process: its peak is the import's own, not what the job below leaves behind.
        const { importInput } = await import("@/lib/synthesis/service");
        let peakRss = process.memoryUsage.rss();
        const sampler = setInterval(() => {
          peakRss = Math.max(peakRss, process.memoryUsage.rss());
        }, 100);
        const importStarted = performance.now();
        const imported = await importInput({
          kind: "personas",
          name: "bench.jsonl",
          source: generatePersonaLines(PERSONA_LINES),
        }).finally(() => clearInterval(sampler));
        const importSeconds = (performance.now() - importStarted) / 1000;
        measures.push(
          {
            measure: "persona import, 1M lines into the DB",
            figure: Math.round(imported.seeds / importSeconds),
            unit: "lines/s",
            target: "streams",
            pass: imported.seeds === PERSONA_LINES,
          },
          {
            measure: "persona import peak RSS",
            figure: Math.round(peakRss / 1024 / 1024),
            unit: "MB",
            target: "< 256 MB",
            pass: peakRss < 256 * 1024 * 1024,
          },
        );

        const { createOpenAICompatible } = await import("@ai-sdk/openai-compatible");
        const { complete } = await import("@/lib/synthesis/llm");
        const { createJob } = await import("@/lib/synthesis/jobs");
        const { runJob } = await import("@/lib/synthesis/runner");
        const model = createOpenAICompatible({ name: "vllm", baseURL: `${sim.url}/v1`, includeUsage: true }).chatModel(
          MODEL,
        );
        const sampling = { temperature: 0.8, topP: 0.95, maxOutputTokens: 64 };
        const call = (signal: AbortSignal) =>
          complete(model, {
            system: "Stay in character.",
            messages: [{ role: "user", content: "Hello?" }],
            sampling,
            signal,
          });
        // L: one request alone, measured now on this machine.
        const latencies: number[] = [];
        for (let i = 0; i < 20; i++) {
          const started = performance.now();
          await call(new AbortController().signal);
          latencies.push(performance.now() - started);
        }
        latencies.sort((a, b) => a - b);
        const latency = latencies[Math.floor(latencies.length / 2)] ?? 1;

        const job = await createJob({
          pipeline: "bench",
          template: "bench@1",
          params: {},
          items: Array.from({ length: ITEMS }, (_, index) => ({
            key: `bench:${String(index).padStart(6, "0")}`,
            input: {},
          })),
        });
        let finished = 0;
        // Memory is compared after a full collection at both points: retained, not yet-collected, garbage.
        v8.setFlagsFromString("--expose-gc");
        const collect = vm.runInNewContext("gc") as () => void;
        const memory = () => {
          collect();
          return process.memoryUsage();
        };
        const samples: Record<number, NodeJS.MemoryUsage> = {};
        const started = performance.now();
        await runJob(
          job.id,
          async (_input, { signal }) => {
            const answer = await call(signal);
            finished++;
            if (finished === 1000 || finished === ITEMS - CONCURRENCY) samples[finished] = memory();
            return {
              output: { length: answer.text.length },
              samples: [
                { kind: "SFT", prompt: [{ role: "user", content: "Hello?" }], chosen: answer.text, lineage: {} },
              ],
              tokensIn: answer.tokensIn,
              tokensOut: answer.tokensOut,
              parseFailures: 0,
            };
          },
          { workerId: "bench", concurrency: CONCURRENCY },
        );
        const seconds = (performance.now() - started) / 1000;
        const achieved = ITEMS / seconds;
        const ideal = CONCURRENCY / (latency / 1000);
        const early = samples[1000]?.rss ?? 0;
        const late = samples[ITEMS - CONCURRENCY]?.rss ?? 0;
        const heapEarly = samples[1000]?.heapUsed ?? 0;
        const heapLate = samples[ITEMS - CONCURRENCY]?.heapUsed ?? 0;
        return {
          achieved,
          ideal,
          latency,
          growth: early > 0 ? late / early - 1 : 0,
          heapGrowth: heapEarly > 0 ? heapLate / heapEarly - 1 : 0,
        };
      });
      measures.push(
        {
          measure: "single-request latency L",
          figure: Math.round(saturation.latency),
          unit: "ms",
          target: "measured",
          pass: true,
        },
        {
          measure: `achieved rate / (C/L), C=${CONCURRENCY}`,
          figure: Number((saturation.achieved / saturation.ideal).toFixed(3)),
          unit: `(${saturation.achieved.toFixed(1)}/s)`,
          target: "≥ 0.95",
          pass: saturation.achieved / saturation.ideal >= 0.95,
        },
        {
          measure: "RSS change, item 1k → 10k (after GC)",
          figure: Math.round(saturation.growth * 100),
          unit: "%",
          // A fall is the opposite of a leak; the README reports the figure as it is.
          target: "≤ +20%",
          pass: saturation.growth <= 0.2,
        },
        {
          measure: "heap change, item 1k → 10k (after GC)",
          figure: Math.round(saturation.heapGrowth * 100),
          unit: "%",
          target: "≤ +20%",
          pass: saturation.heapGrowth <= 0.2,
        },
      );
    } finally {
      await sim.stop();
    }
    return measures;
  },
};
