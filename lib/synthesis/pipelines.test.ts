import { createReadStream } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "@/e2e/vllm-sim/server";
import { createCharacter } from "@/lib/characters/queries";
import { emptyProfile } from "@/lib/characters/schema";
import { db } from "@/lib/db";
import { assertTestDatabase } from "@/lib/testing/db";
import { createUser } from "@/lib/users/queries";
import { executeJob, importInput, startSynthesis } from "./service";

const MODEL = "troupe-sim/base-7b";
const samples = path.resolve("samples/synthesis");
let sim: Simulator;
let adminId: string;
let characterIds: string[];

const file = (name: string) => ({ name, source: createReadStream(path.join(samples, name)) });

async function runToEnd(jobId: string) {
  await executeJob(jobId, { concurrency: 4, workerId: "test" });
  return db.synthesisJob.findUniqueOrThrow({ where: { id: jobId } });
}

const samplesOf = (jobId: string) =>
  db.trainingSample.findMany({
    where: { dedupeKey: { startsWith: `synth:${jobId}:` } },
    orderBy: { dedupeKey: "asc" },
  });

beforeAll(async () => {
  assertTestDatabase();
  sim = await startSimulator({ port: 0, model: MODEL, ttftMs: 0, itlMs: 0, strictExtras: true });
  process.env.LLM_BASE_URL = `${sim.url}/v1`;
  process.env.LLM_MODEL = MODEL;
  const admin = await createUser({
    email: `synth-${Date.now()}@unit.troupe`,
    name: "Synth",
    password: "pass-word-1",
    role: "ADMIN",
  });
  adminId = admin.id;
  characterIds = [];
  for (const name of ["Synth Sol", "Synth Tam", "Synth Uma"]) {
    const character = await createCharacter({
      ownerId: admin.id,
      profile: { ...emptyProfile(name), personality: "Dry wit.", greeting: "Hm?" },
      tags: [],
    });
    characterIds.push(character.id);
  }
});

afterAll(async () => {
  delete process.env.LLM_BASE_URL;
  delete process.env.LLM_MODEL;
  await sim.close();
});

describe("synthesis inputs", () => {
  it("imports a file streaming, keeps the good lines and reports the bad ones", async () => {
    const input = await importInput({ kind: "personas", ...file("personas.jsonl"), createdById: adminId });
    expect(input).toMatchObject({ kind: "personas", lines: 40, seeds: 40, failed: 0 });
    const bad = await importInput({ kind: "personas", ...file("bad-lines.jsonl") });
    expect(bad.failed).toBeGreaterThan(0);
    expect((bad.errors as { error: string }[])[0]?.error).toMatch(/^line \d+: /);
  });
});

describe("pipelines against the simulator", () => {
  it("profiles: personas become synthetic characters with provenance", async () => {
    const input = await importInput({ kind: "personas", ...file("personas.txt"), createdById: adminId });
    const job = await startSynthesis({
      pipeline: "profiles",
      params: { inputId: input.id, limit: 3 },
      createdById: adminId,
      enqueue: false,
    });
    const done = await runToEnd(job.id);
    expect(done).toMatchObject({ status: "COMPLETED", total: 3, done: 3, failed: 0, template: "persona-to-profile@1" });
    expect(done.tokensOut).toBeGreaterThan(0);
    const items = await db.synthesisItem.findMany({ where: { jobId: job.id } });
    const ids = items.map((item) => (item.output as { characterId: string }).characterId);
    const characters = await db.character.findMany({ where: { id: { in: ids } } });
    expect(characters).toHaveLength(3);
    for (const character of characters) {
      expect(character).toMatchObject({ origin: "SYNTHETIC", ownerId: adminId });
      expect(character.provenance).toMatchObject({ modelId: MODEL, template: "persona-to-profile@1", jobId: job.id });
    }
  });

  it("generate: each seed answered by N characters drawn with the seed, as SFT rows with lineage", async () => {
    const input = await importInput({ kind: "instructions", ...file("instructions-alpaca.jsonl") });
    const params = { inputId: input.id, characterIds, n: 2, seed: 7, limit: 3 };
    const job = await startSynthesis({ pipeline: "generate", params, enqueue: false });
    expect(job.total).toBe(6);
    // Same seed, same draws.
    const again = await startSynthesis({ pipeline: "generate", params, enqueue: false });
    const keys = async (id: string) =>
      (await db.synthesisItem.findMany({ where: { jobId: id }, orderBy: { key: "asc" } })).map((item) => item.key);
    expect(await keys(again.id)).toEqual(await keys(job.id));
    expect(await runToEnd(job.id)).toMatchObject({ done: 6, failed: 0 });
    const rows = await samplesOf(job.id);
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      const prompt = row.prompt as { role: string; content: string }[];
      expect(row).toMatchObject({ kind: "SFT", source: "SYNTHETIC" });
      // A worker started by another test file may already have checked it; nobody has reviewed it.
      expect(["NEW", "AUTO_CHECKED", "NEEDS_REVIEW"]).toContain(row.state);
      expect(prompt[0]?.role).toBe("system");
      expect(prompt.at(-1)?.role).toBe("user");
      expect(row.chosen.length).toBeGreaterThan(0);
      expect(row.lineage).toMatchObject({ template: "opencharacter-generate@1", modelId: MODEL, pipeline: "generate" });
    }
  });

  it("rewrite: user turns verbatim, one rewritten answer per reference", async () => {
    const input = await importInput({ kind: "instructions", ...file("instructions-sharegpt.jsonl") });
    const job = await startSynthesis({
      pipeline: "rewrite",
      params: { inputId: input.id, characterIds, n: 1, limit: 2 },
      enqueue: false,
    });
    expect(await runToEnd(job.id)).toMatchObject({ done: 2, failed: 0 });
    const seeds = await db.synthesisSeed.findMany({ where: { inputId: input.id }, orderBy: { line: "asc" }, take: 2 });
    for (const row of await samplesOf(job.id)) {
      const prompt = row.prompt as { role: string; content: string }[];
      const users = prompt.filter((turn) => turn.role === "user").map((turn) => turn.content);
      const seed = seeds.find((candidate) => (row.lineage as { seedId: string }).seedId === candidate.seedId);
      if (!seed) throw new Error("the row's seed is missing");
      const seedUsers = (seed.data as { turns: { role: string; content: string }[] }).turns
        .filter((turn) => turn.role === "user")
        .map((turn) => turn.content);
      expect(seedUsers.slice(0, users.length)).toEqual(users);
    }
  });

  it("ditto: brief-intro system prompt only, three questions, and refusal ≻ leak pairs on request", async () => {
    const input = await importInput({ kind: "knowledge", ...file("knowledge.jsonl") });
    const job = await startSynthesis({
      pipeline: "ditto",
      params: { inputId: input.id, pairs: 2, contrastive: true },
      enqueue: false,
    });
    expect(await runToEnd(job.id)).toMatchObject({ done: 2, failed: 0 });
    const rows = await samplesOf(job.id);
    const sft = rows.filter((row) => row.kind === "SFT");
    const pairs = rows.filter((row) => row.kind === "PREFERENCE");
    expect(sft).toHaveLength(4);
    expect(pairs).toHaveLength(6);
    for (const row of sft) {
      const prompt = row.prompt as { role: string; content: string }[];
      expect(prompt[0]?.role).toBe("system");
      // The knowledge block is not in the trained row.
      expect((prompt[0]?.content ?? "").length).toBeLessThanOrEqual(400);
      expect(prompt.filter((turn) => turn.role === "user")).toHaveLength(3);
    }
    expect(pairs[0]?.rejected).toBeTruthy();
  });

  it("retries an answer that does not parse, and records the item as failed when it never does", async () => {
    const input = await importInput({ kind: "personas", ...file("personas.txt"), createdById: adminId });
    const run = async () => {
      const job = await startSynthesis({
        pipeline: "profiles",
        params: { inputId: input.id, limit: 1 },
        createdById: adminId,
        enqueue: false,
      });
      return runToEnd(job.id);
    };
    try {
      // The first answer and the first correction are broken; the second correction parses.
      sim.setScript([
        { match: "Persona:", reply: "this is not JSON", times: 1 },
        { match: "Reply again", reply: "{ still broken", times: 1 },
      ]);
      expect(await run()).toMatchObject({ done: 1, failed: 0, parseFailures: 2 });
      // Nothing ever parses: 1 answer + 3 corrections, then the item fails with the reason.
      sim.setScript([{ match: "/Persona:|Reply again/", reply: "{ broken" }]);
      const failedJob = await run();
      expect(failedJob).toMatchObject({ done: 0, failed: 1, parseFailures: 4 });
      const failed = await db.synthesisItem.findFirstOrThrow({ where: { jobId: failedJob.id, status: "FAILED" } });
      expect(failed.error).toMatch(/did not match the expected format after 4 attempt/);
    } finally {
      sim.setScript([]);
    }
  });

  it("repair: a thumbs-down reply becomes rewrite ≻ original and an SFT row", async () => {
    const { rateMessage } = await import("@/lib/feedback/record");
    const { setTrainingConsent } = await import("@/lib/users/queries");
    const { startConversation } = await import("@/lib/chat/queries");
    const { generateReply } = await import("@/lib/chat/stream");
    await setTrainingConsent(adminId, true);
    const actor = { id: adminId, role: "ADMIN" as const };
    const { id } = await startConversation(actor, characterIds[0] ?? "");
    let replyId = "";
    for await (const event of generateReply(
      adminId,
      id,
      { kind: "send", content: "Tell me about the sea.", clientRequestId: crypto.randomUUID() },
      new AbortController().signal,
    )) {
      if (event.type === "done") replyId = event.message.id;
    }
    await rateMessage(actor, id, { messageId: replyId, value: -1, reasons: ["too_long"], comment: "Rambles." });
    const job = await startSynthesis({ pipeline: "repair", params: {}, enqueue: false });
    expect(job.total).toBeGreaterThanOrEqual(1);
    expect(await runToEnd(job.id)).toMatchObject({ failed: 0 });
    const original = await db.message.findUniqueOrThrow({ where: { id: replyId } });
    const rows = (await samplesOf(job.id)).filter(
      (row) => (row.lineage as { original?: { messageId?: string } }).original?.messageId === replyId,
    );
    expect(rows.map((row) => row.kind).sort()).toEqual(["PREFERENCE", "SFT"]);
    expect(rows.find((row) => row.kind === "PREFERENCE")).toMatchObject({ rejected: original.content });
    expect(await db.repairSeed.count({ where: { messageId: replyId, consumedAt: null } })).toBe(0);
  });

  it("never sends the legacy guided_* fields for structured output", async () => {
    const structured = sim.requests.filter(
      (request) => request.path === "/v1/chat/completions" && JSON.stringify(request.body).includes("response_format"),
    );
    expect(structured.length).toBeGreaterThan(0);
    for (const request of sim.requests) expect(JSON.stringify(request.body ?? {})).not.toMatch(/guided_/);
  });
});

describe("the start form's preview", () => {
  it("renders the first item's prompt as plain, serializable text", async () => {
    const { previewSynthesis } = await import("./service");
    const input = await importInput({ kind: "personas", ...file("personas.txt"), createdById: adminId });
    const preview = await previewSynthesis("profiles", { inputId: input.id, limit: 1 });
    expect(Object.keys(preview).sort()).toEqual(["key", "prompt", "system"]);
    expect(preview.prompt).toContain("Persona:");
    expect(JSON.parse(JSON.stringify(preview))).toEqual(preview);
  });
});
