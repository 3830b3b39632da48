// Faults during synthesis: a `rewrite` job on the sample instructions, run by two worker processes
// while the simulator answers with bursts of 5xx, engine errors, dropped connections and hangs,
// and refuses a few prompts outright (over its context). Transient failures must be retried until
// the item is done, refusals must fail their item with the reason, and every item must end DONE or
// FAILED exactly once, with exactly one sample per done item.
import { createReadStream, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { db, pool } from "@/lib/db";
import { importInput, startSynthesis } from "@/lib/synthesis/service";
import { type Child, startSimulatorProcess, startWorkerProcess } from "../bench/servers";
import {
  createCharacterFor,
  createUsers,
  MODEL,
  ports,
  serverEnv,
  showOutputOnFailure,
  type TestUser,
  waitUntil,
} from "./stack";

const { sim: SIM_PORT } = ports(2);
/** Characters per seed. */
const N = 2;
/** Seeds whose prompt is over the model's context: each of their items is refused. */
const OVERSIZED_SEEDS = 2;
const REQUEST_TIMEOUT_MS = 3_000;
/** Armed before the job starts, then again halfway: each rule hits the next requests in turn. */
const EARLY_FAULTS = ["http_503:3", "stream_error:2@2", "reset:2@2", "hang:2@1", "http_500:2"];
const LATE_FAULTS = ["http_503:4", "reset:1@1", "hang:1@1"];
const faultCount = (rules: string[]) => rules.reduce((sum, rule) => sum + Number(/:(\d+)/.exec(rule)?.[1] ?? 1), 0);

let sim: Child;
const workers: Child[] = [];
let workDir: string;
let jobId: string;
let total: number;

async function armFaults(rules: string[]) {
  const response = await fetch(`${sim.url}/sim/faults`, {
    method: "PUT",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(rules),
  });
  expect(response.status).toBe(200);
}

beforeAll(async () => {
  sim = await startSimulatorProcess(
    SIM_PORT,
    ["--model", MODEL, "--ttft-ms", "100", "--itl-ms", "2", "--max-model-len", "4096"],
    { echoStderr: false },
  );
  const env = serverEnv(sim.url, { SYNTH_CONCURRENCY: "4", SYNTH_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) });
  workers.push(...(await Promise.all([startWorkerProcess(env, 2), startWorkerProcess(env, 2)])));

  const [admin] = (await createUsers("synth-faults", 1, "ADMIN")) as [TestUser];
  const characters = await Promise.all(["Ada", "Bram", "Cleo"].map((name) => createCharacterFor(admin.id, name)));
  // The sample instructions, plus seeds pasted from a JSON dump: every symbol is a token to the
  // server, so their prompts are over its 4,096-token context.
  workDir = mkdtempSync(path.join(tmpdir(), "troupe-resilience-"));
  const file = path.join(workDir, "instructions.jsonl");
  const oversized = Array.from({ length: OVERSIZED_SEEDS }, (_, index) =>
    JSON.stringify({
      instruction: `Summarize this export (part ${index + 1}): ${'{"k": [1, 2, 3]}, '.repeat(300)}`,
      input: "",
      output: "It is a list of small records.",
    }),
  );
  const samples = readFileSync(path.resolve("samples/synthesis/instructions-alpaca.jsonl"), "utf8").trim();
  writeFileSync(file, `${samples}\n${oversized.join("\n")}\n`);
  const input = await importInput({
    kind: "instructions",
    name: "instructions.jsonl",
    source: createReadStream(file),
  });

  await armFaults(EARLY_FAULTS);
  const started = performance.now();
  const job = await startSynthesis({
    pipeline: "rewrite",
    params: { inputId: input.id, characterIds: characters.map((character) => character.id), n: N, seed: 7 },
    createdById: admin.id,
    runners: 2,
  });
  jobId = job.id;
  total = job.total;
  expect(total).toBe(input.seeds * N);

  await waitUntil(
    "half of the items",
    async () => ((await db.synthesisItem.count({ where: { jobId, status: "DONE" } })) >= total / 2 ? true : undefined),
    60_000,
  );
  await armFaults(LATE_FAULTS);
  await waitUntil(
    "the job to complete",
    async () => {
      const { status } = await db.synthesisJob.findUniqueOrThrow({ where: { id: jobId } });
      return status === "COMPLETED" ? true : undefined;
    },
    90_000,
  );
  const finished = await db.synthesisJob.findUniqueOrThrow({ where: { id: jobId } });
  console.log(
    `synthesis faults: ${total} items in ${((performance.now() - started) / 1000).toFixed(1)} s, ` +
      `${finished.done} done, ${finished.failed} failed, ${finished.retries} retries ` +
      `(${faultCount(EARLY_FAULTS) + faultCount(LATE_FAULTS)} faults injected)`,
  );
}, 180_000);

showOutputOnFailure(() => workers);

afterAll(async () => {
  await Promise.all(workers.map((worker) => worker.stop()));
  await sim?.stop();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

async function items() {
  return db.synthesisItem.findMany({
    where: { jobId },
    select: { id: true, key: true, status: true, error: true, attempts: true, retries: true, input: true },
  });
}

const oversizedItem = (input: unknown) =>
  ((input as { turns: { content: string }[] }).turns[0]?.content ?? "").startsWith("Summarize this export");

it("every item ends DONE or FAILED, and the job's counters say so", async () => {
  const all = await items();
  expect(all).toHaveLength(total);
  expect(new Set(all.map((item) => item.status))).toEqual(new Set(["DONE", "FAILED"]));
  const failed = all.filter((item) => item.status === "FAILED");
  // Exactly the refused prompts failed; every transient failure was retried to a result.
  expect(failed.map((item) => item.key).sort()).toEqual(
    all
      .filter((item) => oversizedItem(item.input))
      .map((item) => item.key)
      .sort(),
  );
  expect(failed).toHaveLength(OVERSIZED_SEEDS * N);
  const job = await db.synthesisJob.findUniqueOrThrow({ where: { id: jobId } });
  expect(job).toMatchObject({ status: "COMPLETED", done: total - failed.length, failed: failed.length });
});

it("refusals (HTTP 400) fail their item at once with the reason; every fault was retried exactly once", async () => {
  const all = await items();
  for (const item of all.filter((candidate) => candidate.status === "FAILED")) {
    expect(item.error).toMatch(/too long for this model/);
    expect(item.retries).toBe(0);
  }
  // Every rule was used up: a request now goes through.
  const probe = await fetch(`${sim.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ model: MODEL, messages: [{ role: "user", content: "ping" }], max_tokens: 4 }),
  });
  expect(probe.status).toBe(200);
  const injected = faultCount(EARLY_FAULTS) + faultCount(LATE_FAULTS);
  const retries = all.reduce((sum, item) => sum + item.retries, 0);
  expect(retries).toBe(injected);
  // Each request the server saw is accounted for: a result, a refusal, or a retried fault.
  const { requests } = (await (await fetch(`${sim.url}/sim/requests`)).json()) as { requests: { path: string }[] };
  const job = await db.synthesisJob.findUniqueOrThrow({ where: { id: jobId } });
  const completions = requests.filter((request) => request.path === "/v1/chat/completions").length - 1;
  expect(completions).toBe(job.done + job.failed + retries + job.parseFailures);
});

it("one sample per done item, none for failed ones, none duplicated", async () => {
  const all = await items();
  const { rows } = await pool.query<{ itemKey: string; synthesisItemId: string; count: string }>(
    `SELECT lineage->>'itemKey' AS "itemKey", "synthesisItemId", count(*) AS count
       FROM "TrainingSample" WHERE lineage->>'jobId' = $1 GROUP BY 1, 2`,
    [jobId],
  );
  const byKey = new Map(rows.map((row) => [row.itemKey, row]));
  expect(rows.every((row) => row.count === "1")).toBe(true);
  for (const item of all) {
    if (item.status === "DONE") expect(byKey.get(item.key)).toMatchObject({ synthesisItemId: item.id, count: "1" });
    else expect(byKey.has(item.key)).toBe(false);
  }
  expect(rows).toHaveLength(all.filter((item) => item.status === "DONE").length);
});
