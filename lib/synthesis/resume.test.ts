import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type Simulator, startSimulator } from "@/e2e/vllm-sim/server";
import { db } from "@/lib/db";
import { assertTestDatabase } from "@/lib/testing/db";
import { createUser } from "@/lib/users/queries";
import { executeJob, importInput, startSynthesis } from "./service";

const MODEL = "troupe-sim/base-7b";
const LEASE_MS = 1500;
let sim: Simulator;

beforeAll(async () => {
  assertTestDatabase();
  // Slow enough that the job is mid-way when the worker is killed.
  sim = await startSimulator({ port: 0, model: MODEL, ttftMs: 150, itlMs: 1 });
  process.env.LLM_BASE_URL = `${sim.url}/v1`;
  process.env.LLM_MODEL = MODEL;
});

afterAll(async () => {
  delete process.env.LLM_BASE_URL;
  delete process.env.LLM_MODEL;
  await sim.close();
});

it("after a worker is killed mid-job, the job resumes and yields exactly the expected items", async () => {
  const admin = await createUser({
    email: `resume-${Date.now()}@unit.troupe`,
    name: "Resume",
    password: "pass-word-1",
    role: "ADMIN",
  });
  const input = await importInput({
    kind: "personas",
    name: "personas.jsonl",
    source: createReadStream(path.resolve("samples/synthesis/personas.jsonl")),
  });
  const job = await startSynthesis({
    pipeline: "profiles",
    params: { inputId: input.id, limit: 24 },
    createdById: admin.id,
    enqueue: false,
  });
  expect(job.total).toBe(24);

  const child = spawn(
    process.execPath,
    ["--conditions=react-server", "--import", "tsx", "lib/testing/run-synthesis-job.ts", job.id, String(LEASE_MS)],
    { env: { ...process.env }, stdio: "ignore" },
  );
  // Kill it (SIGKILL: no cleanup) once it has finished some items and holds others.
  for (let waited = 0; waited < 20_000; waited += 100) {
    const done = await db.synthesisItem.count({ where: { jobId: job.id, status: "DONE" } });
    if (done >= 4) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  child.kill("SIGKILL");
  await new Promise((resolve) => child.once("exit", resolve));
  const atKill = await db.synthesisItem.groupBy({ by: ["status"], where: { jobId: job.id }, _count: true });
  const count = (status: string) => atKill.find((group) => group.status === status)?._count ?? 0;
  expect(count("DONE")).toBeGreaterThan(0);
  expect(count("DONE")).toBeLessThan(24);

  // Another worker takes over: pending items at once, the dead worker's once their leases lapse.
  for (let round = 0; round < 10; round++) {
    await executeJob(job.id, { concurrency: 4, workerId: `heir-${round}`, leaseMs: LEASE_MS });
    const state = await db.synthesisJob.findUniqueOrThrow({ where: { id: job.id } });
    if (state.status === "COMPLETED") break;
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS));
  }
  const finished = await db.synthesisJob.findUniqueOrThrow({ where: { id: job.id } });
  expect(finished).toMatchObject({ status: "COMPLETED", done: 24, failed: 0 });
  expect(await db.synthesisItem.count({ where: { jobId: job.id, status: "DONE" } })).toBe(24);
  // One character per item: none lost, none made twice.
  expect(await db.character.count({ where: { provenance: { path: ["jobId"], equals: job.id } } })).toBe(24);
}, 60_000);
