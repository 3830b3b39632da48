// Curation at a million samples. Seeds 1,000,000 approved samples plus 100,000 waiting for review
// (about 1 KB of text each), then measures:
// - the review queue's server time: the queries the queue page runs (the page, the capped count and
//   the filter options), for the default view and with filters, a deep cursor page and word search;
//   target p50 ≤ 100 ms;
// - creating a dataset version of the million approved samples (reported, no target);
// - exporting it to JSONL through the CLI in a child process: MB/s of the export loop (the CLI's own
//   timing, startup excluded) and the child's peak RSS from /proc; targets ≥ 100 MB/s and < 256 MB.
import { spawn } from "node:child_process";
import { readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { projectRoot } from "@/lib/paths";
import { type Benchmark, type Measure, percentile, timeIt, WORDS, withScratchDatabase } from "./harness";

const APPROVED = 1_000_000;
const WAITING = 100_000;

/** Seed `approved` approved samples and `waiting` ones waiting for review (exported for profiling). */
export async function seedSamples(approved: number, waiting: number): Promise<void> {
  const { pool } = await import("@/lib/db");
  const words = `ARRAY[${WORDS.map((word) => `'${word}'`).join(",")}]`;
  const batch = 100_000;
  for (let start = 1; start <= approved + waiting; start += batch) {
    await pool.query(
      `INSERT INTO "TrainingSample" (id, kind, source, state, prompt, chosen, lineage, "dedupeKey", "trainOn",
         "checkedAt", "characterId", pipeline, "jobId", "splitKey", language, "promptTokens", "answerTokens",
         score, flags, "createdAt", "updatedAt")
       SELECT 'bench-' || i, 'SFT', 'SYNTHETIC',
              (CASE WHEN i <= $3 THEN 'APPROVED' WHEN i % 2 = 0 THEN 'AUTO_CHECKED' ELSE 'NEEDS_REVIEW' END)::"SampleState",
              jsonb_build_array(
                jsonb_build_object('role', 'system', 'content',
                  'You are ' || w1 || ' ' || w2 || ', a keeper of the ' || w3 || ' coast. Stay in character, speak plainly, '
                  || 'remember the sea, and never mention that you are a program. Persona number ' || i || '.'),
                jsonb_build_object('role', 'user', 'content',
                  'What do you remember about the ' || w2 || ' ' || w3 || ' and the night of the ' || w1 || '? (' || i || ')')),
              repeat('The ' || w1 || ' came in low over the ' || w2 || ', and I lit the ' || w3 || ' lamp before the tide turned. ', 7)
                || 'That is all I remember of it.',
              '{"pipeline":"generate"}', 'bench:' || i, 'LAST', now(), 'character-' || (i % 500),
              (ARRAY['generate','rewrite','ditto'])[1 + i % 3], 'job-' || (i % 20), 'conversation-' || (i / 3), 'en',
              60 + i % 200, 90 + i % 400, 1 + (i % 9) / 2.0,
              CASE WHEN i % 17 = 0 THEN ARRAY['truncated'] ELSE ARRAY[]::text[] END,
              timestamp '2026-01-01' + (i || ' seconds')::interval, now()
         FROM generate_series($1::int, $2::int) AS i,
              LATERAL (SELECT (${words})[1 + i % 12] AS w1, (${words})[1 + (i / 12) % 12] AS w2,
                              (${words})[1 + (i / 144) % 12] AS w3) AS picked`,
      [start, Math.min(start + batch - 1, approved + waiting), approved],
    );
  }
  await pool.query('ANALYZE "TrainingSample"');
}

/** Run the CLI export in a child; its own throughput line, and its peak RSS sampled from /proc. */
async function exportThroughCli(
  id: string,
  out: string,
): Promise<{ mbPerSecond: number; peakMb: number; megabytes: number }> {
  const child = spawn(
    process.execPath,
    // The CLI process itself, started the way bin/troupe.cjs starts it (the wrapper's own RSS is not the export's).
    [
      "--conditions=react-server",
      "--import",
      "tsx",
      path.join(projectRoot(), "lib/cli/main.ts"),
      "datasets",
      "export",
      id,
      "--format",
      "openai-sft",
      "--out",
      out,
    ],
    {
      env: process.env,
      stdio: ["ignore", "ignore", "pipe"],
    },
  );
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  let peak = 0;
  const sampler = setInterval(() => {
    try {
      const status = readFileSync(`/proc/${child.pid}/status`, "utf8");
      const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, hwm);
    } catch {
      // the child has exited
    }
  }, 50);
  const code = await new Promise<number | null>((resolve) => child.on("exit", resolve));
  clearInterval(sampler);
  if (code !== 0) throw new Error(`export failed (${code}): ${stderr}`);
  const match = /\(([\d.]+) MB in ([\d.]+) s\)/.exec(stderr);
  if (!match) throw new Error(`unexpected export output: ${stderr}`);
  const megabytes = Number(match[1]);
  return { mbPerSecond: megabytes / Number(match[2]), peakMb: peak / 1024, megabytes };
}

export const curationBenchmark: Benchmark = {
  name: "curation",
  description: `review queue and dataset export at ${(APPROVED + WAITING).toLocaleString("en")} samples`,
  async run(): Promise<Measure[]> {
    return withScratchDatabase("troupe_bench_curation", async () => {
      const seeded = performance.now();
      await seedSamples(APPROVED, WAITING);
      console.log(
        `  seeded ${(APPROVED + WAITING).toLocaleString("en")} samples in ${((performance.now() - seeded) / 1000).toFixed(0)} s`,
      );
      const { listQueue, distinctValues, recentBulks, encodeCursor } = await import("@/lib/curation/queries");
      const { db } = await import("@/lib/db");
      const admin = await db.user.create({
        data: { email: "bench-admin@troupe.local", name: "Bench", passwordHash: "x", role: "ADMIN" },
      });
      // What the queue page loads on every view.
      const pageLoad = (query: Parameters<typeof listQueue>[0]) =>
        Promise.all([
          listQueue(query),
          distinctValues("pipeline"),
          distinctValues("language"),
          distinctValues("modelId"),
          distinctValues("characterId"),
          db.synthesisJob.findMany({ orderBy: { createdAt: "desc" }, take: 50 }),
          recentBulks(),
        ]);
      const waiting = { state: ["AUTO_CHECKED", "NEEDS_REVIEW"] } as const;
      const deep = encodeCursor(["2026-01-01T20:00:00.000Z", "bench-72000"]);
      const cases: [string, Parameters<typeof listQueue>[0]][] = [
        ["queue: waiting, newest", { ...waiting, state: [...waiting.state] }],
        ["queue: any state, deep page", { cursor: deep }],
        ["queue: character + score", { characterId: "character-42", minScore: 3 }],
        ["queue: flag, by score", { flag: "truncated", sort: "score_desc" }],
        ["queue: word search", { q: "violet lantern", state: ["AUTO_CHECKED", "NEEDS_REVIEW"] }],
      ];
      const measures: Measure[] = [];
      for (const [label, query] of cases) {
        const p50 = percentile(await timeIt(() => pageLoad(query), 30, 3), 50);
        measures.push({
          measure: `${label} p50`,
          figure: Math.round(p50 * 10) / 10,
          unit: "ms",
          target: "≤ 100 ms",
          pass: p50 <= 100,
        });
      }

      const { createDatasetVersion } = await import("@/lib/datasets/queries");
      const started = performance.now();
      const version = await createDatasetVersion(admin.id, { name: "bench", seed: "bench", validationShare: 0.02 });
      const createSeconds = (performance.now() - started) / 1000;
      measures.push({
        measure: `create version (${version.sampleCount.toLocaleString("en")})`,
        figure: Math.round(createSeconds * 10) / 10,
        unit: "s",
        target: "reported",
        pass: version.sampleCount === APPROVED,
      });

      const out = path.join(tmpdir(), `troupe-bench-export-${process.pid}.jsonl`);
      try {
        const result = await exportThroughCli(version.id, out);
        const size = statSync(out).size / 1e6;
        console.log(`  exported ${result.megabytes.toFixed(0)} MB (${size.toFixed(0)} MB on disk)`);
        measures.push(
          {
            measure: "export 1M samples (JSONL)",
            figure: Math.round(result.mbPerSecond),
            unit: "MB/s",
            target: "≥ 100 MB/s",
            pass: result.mbPerSecond >= 100,
          },
          {
            measure: "export peak RSS",
            figure: Math.round(result.peakMb),
            unit: "MB",
            target: "< 256 MB",
            pass: result.peakMb < 256,
          },
        );
      } finally {
        rmSync(out, { force: true });
      }
      return measures;
    });
  },
};
