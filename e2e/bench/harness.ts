// Shared pieces of the benchmark scripts: a throwaway database, timing, and the result row
// every benchmark returns so `npm run bench` can print one table.
import { borrowEmbedded, createScratchDatabase, dropDatabase } from "@/lib/db/embedded-server";
import { migrateDeploy } from "@/lib/db/migrate";

export type Measure = { measure: string; figure: number; unit: string; target: string; pass: boolean };

/** Words the benchmarks build names and text from. */
export const WORDS = [
  "harbor",
  "lantern",
  "storm",
  "violet",
  "copper",
  "meadow",
  "ember",
  "glass",
  "raven",
  "tide",
  "willow",
  "forge",
];

export type Benchmark = { name: string; description: string; run: () => Promise<Measure[]> };

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

/** Time `fn` `iterations` times after `warmup` untimed runs; milliseconds per run. */
export async function timeIt(fn: () => Promise<unknown>, iterations: number, warmup = 5): Promise<number[]> {
  for (let i = 0; i < warmup; i++) await fn();
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return samples;
}

/** Point this process's default model at a simulator (routing a new chat reads it); returns the undo. */
export function pointModelAt(baseUrl: string, model: string): () => void {
  const before = { LLM_BASE_URL: process.env.LLM_BASE_URL, LLM_MODEL: process.env.LLM_MODEL };
  Object.assign(process.env, { LLM_BASE_URL: baseUrl, LLM_MODEL: model });
  return () => {
    for (const [name, value] of Object.entries(before)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  };
}

/** Run `body` against a fresh migrated database on the embedded server, then drop it. */
export async function withScratchDatabase<T>(prefix: string, body: () => Promise<T>): Promise<T> {
  delete process.env.DATABASE_URL;
  const giveBackServer = await borrowEmbedded();
  const scratch = await createScratchDatabase(prefix);
  try {
    await migrateDeploy(scratch.url, true);
    process.env.DATABASE_URL = scratch.url;
    return await body();
  } finally {
    const { closeDatabase } = await import("@/lib/db");
    const { releaseQueue } = await import("@/lib/jobs/queue");
    await Promise.all([closeDatabase(), releaseQueue()]);
    await dropDatabase(scratch.name);
    await giveBackServer();
  }
}

/** A user and a character named Bench Bea for a benchmark's chats, in the scratch database. */
export async function createBenchCharacter(profile: { description?: string; greeting: string }) {
  const { createUser } = await import("@/lib/users/queries");
  const { createCharacter } = await import("@/lib/characters/queries");
  const { emptyProfile } = await import("@/lib/characters/schema");
  const user = await createUser({ email: "bench@troupe.local", name: "Bench", password: "bench-password" });
  const character = await createCharacter({
    ownerId: user.id,
    profile: { ...emptyProfile("Bench Bea"), ...profile },
    tags: [],
  });
  return { user, character };
}
