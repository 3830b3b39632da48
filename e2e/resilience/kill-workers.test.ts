// kill -9 of every worker process during a synthesis job (the `profiles` pipeline on the sample
// personas), then new workers: they must notice the dead ones (heartbeats), take over their queue
// jobs and, once the leases lapse, the items the dead held, and finish the job with exactly one
// character per item, none missing, none made twice. resume.test.ts checks the runner in one
// process; this is the same across real `troupe worker` processes.
import { createReadStream } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db } from "@/lib/db";
import { DEAD_AFTER_MS } from "@/lib/jobs/worker";
import { importInput, startSynthesis } from "@/lib/synthesis/service";
import { type Child, startSimulatorProcess, startWorkerProcess } from "../bench/servers";
import { createUsers, MODEL, ports, serverEnv, showOutputOnFailure, type TestUser, waitUntil } from "./stack";

const { sim: SIM_PORT } = ports(4);
/** The runner's default lease: an item a dead worker held is taken over this long after its last renewal. */
const LEASE_MS = 60_000;

let sim: Child;
let workers: Child[] = [];
let jobId: string;
let total: number;
let runningAtKill: Set<string>;
let killedAt: number;

const startWorkers = () => {
  const env = serverEnv(sim.url, { SYNTH_CONCURRENCY: "4" });
  return Promise.all([startWorkerProcess(env, 2), startWorkerProcess(env, 2)]);
};

beforeAll(async () => {
  // Each persona takes ~1.5 s to answer, so the job is well under way but far from done at the kill.
  sim = await startSimulatorProcess(SIM_PORT, ["--model", MODEL, "--ttft-ms", "1500", "--itl-ms", "1"], {
    echoStderr: false,
  });
});

showOutputOnFailure(() => workers);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await sim?.stop();
});

it("kill -9 of both worker processes mid-job leaves items done, items held by the dead and items pending", async () => {
  const [admin] = (await createUsers("kill-workers", 1, "ADMIN")) as [TestUser];
  const input = await importInput({
    kind: "personas",
    name: "personas.jsonl",
    source: createReadStream(path.resolve("samples/synthesis/personas.jsonl")),
  });
  workers = await startWorkers();
  const job = await startSynthesis({
    pipeline: "profiles",
    params: { inputId: input.id },
    createdById: admin.id,
    runners: 2,
  });
  jobId = job.id;
  total = job.total;
  expect(total).toBe(40);
  await waitUntil(
    "a quarter of the items",
    async () => ((await db.synthesisItem.count({ where: { jobId, status: "DONE" } })) >= total / 4 ? true : undefined),
    90_000,
    100,
  );
  await Promise.all(workers.map((worker) => worker.kill()));
  killedAt = performance.now();
  workers = [];

  const items = await db.synthesisItem.findMany({ where: { jobId }, select: { id: true, status: true } });
  runningAtKill = new Set(items.filter((item) => item.status === "RUNNING").map((item) => item.id));
  const done = items.filter((item) => item.status === "DONE").length;
  const pending = items.filter((item) => item.status === "PENDING").length;
  console.log(`kill -9 of the workers: ${done} items done, ${runningAtKill.size} held, ${pending} pending`);
  expect(done).toBeLessThan(total);
  expect(runningAtKill.size).toBeGreaterThan(0);
  expect(pending).toBeGreaterThan(0);
});

it(
  "new workers finish the job: every item done, exactly the ones the dead held run again",
  async () => {
    workers = await startWorkers();
    await waitUntil(
      "the job to complete",
      async () => {
        const { status } = await db.synthesisJob.findUniqueOrThrow({ where: { id: jobId } });
        return status === "COMPLETED" ? true : undefined;
      },
      DEAD_AFTER_MS + LEASE_MS + 60_000,
      500,
    );
    console.log(`new workers completed the job ${((performance.now() - killedAt) / 1000).toFixed(1)} s after the kill`);
    const job = await db.synthesisJob.findUniqueOrThrow({ where: { id: jobId } });
    expect(job).toMatchObject({ done: total, failed: 0 });
    const items = await db.synthesisItem.findMany({
      where: { jobId },
      select: { id: true, status: true, attempts: true },
    });
    expect(items.every((item) => item.status === "DONE")).toBe(true);
    // Items in flight at the kill were claimed once more; nothing else was.
    const rerun = new Set(items.filter((item) => item.attempts > 1).map((item) => item.id));
    expect(rerun).toEqual(runningAtKill);
    expect(Math.max(...items.map((item) => item.attempts))).toBe(2);
  },
  DEAD_AFTER_MS + LEASE_MS + 90_000,
);

it("one character per item, each with one version: none lost, none made twice", async () => {
  const characters = await db.character.findMany({
    where: { provenance: { path: ["jobId"], equals: jobId } },
    select: { id: true, _count: { select: { versions: true } } },
  });
  expect(characters).toHaveLength(total);
  expect(characters.every((character) => character._count.versions === 1)).toBe(true);
  const items = await db.synthesisItem.findMany({ where: { jobId }, select: { output: true } });
  const made = new Set(items.map((item) => (item.output as { characterId?: string } | null)?.characterId));
  expect(made).toEqual(new Set(characters.map((character) => character.id)));
});
