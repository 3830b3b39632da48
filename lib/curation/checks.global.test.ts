// Global: the checks claim every unchecked sample in the database, so they must not run beside
// tests that assert their own samples are still NEW.
import type { JobHelpers } from "graphile-worker";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "@/e2e/vllm-sim/server";
import { createCharacter } from "@/lib/characters/queries";
import { emptyProfile } from "@/lib/characters/schema";
import { db } from "@/lib/db";
import { releaseQueue } from "@/lib/jobs/queue";
import { TASKS } from "@/lib/jobs/tasks";
import { assertTestDatabase } from "@/lib/testing/db";
import { createUser } from "@/lib/users/queries";
import { checkPendingSamples, requestSampleChecks } from "./checks";
import { configuredJudge, JUDGE_TEMPLATE_HASH, JUDGE_TEMPLATE_REF, type Judge } from "./judge";

const MODEL = "troupe-sim/base-7b";
const run = Date.now().toString(36);
let sim: Simulator;
let judge: Judge;
let characterId: string;

const WORDS = (
  "river stone lantern harbor winter market captain garden letter bridge candle forest mountain village sailor " +
  "copper thunder meadow whisper journey silver orchard tavern compass feather morning shadow engine violin " +
  "kettle library anchor canyon blanket orange pepper saddle island mirror ladder pocket rabbit window tunnel " +
  "beacon cotton dragon empire falcon glacier hammer ivory jungle kernel lemon marble needle oyster parrot " +
  "quartz ribbon spider temple umbrella velvet walnut yonder zephyr amber basket cedar dune ember fable " +
  "goblet hollow inkwell jasmine kindle lagoon mosaic nectar oracle pebble quiver raven summit thistle"
).split(" ");

/** Pseudo-random prose, different for every seed, so runs on a reused database never look alike. */
function prose(seed: string, words: number): string {
  let state = [...seed].reduce((hash, char) => Math.imul(hash ^ char.charCodeAt(0), 16777619), 2166136261);
  const next = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const sentences: string[] = [];
  for (let left = words; left > 0; ) {
    const length = Math.min(left, 6 + Math.floor(next() * 8));
    const picked = Array.from({ length }, () => WORDS[Math.floor(next() * WORDS.length)] as string);
    sentences.push(`${picked.join(" ").replace(/^./, (first) => first.toUpperCase())}.`);
    left -= length;
  }
  return sentences.join(" ");
}

type Draft = {
  kind?: "SFT" | "PREFERENCE" | "KTO";
  user?: string;
  chosen: string;
  rejected?: string;
  lineage?: Record<string, unknown>;
  synthesisItemId?: string;
};

let counter = 0;
async function addSample(draft: Draft) {
  counter++;
  return db.trainingSample.create({
    data: {
      kind: draft.kind ?? "SFT",
      source: "SYNTHETIC",
      prompt: [
        { role: "system", content: "You are Mara Vell, a retired sea captain who runs a lighthouse." },
        { role: "user", content: draft.user ?? `Tell me about your day, captain ${run}-${counter}.` },
      ],
      chosen: draft.chosen,
      rejected: draft.rejected ?? null,
      label: draft.kind === "KTO" ? true : null,
      lineage: (draft.lineage ?? {}) as object,
      synthesisItemId: draft.synthesisItemId ?? null,
      dedupeKey: `test:checks:${run}:${counter}`,
    },
  });
}

async function checkAll(options: { judge?: Judge | null; limit?: number } = {}) {
  let checked = 0;
  for (let round = 0; round < 1000; round++) {
    const result = await checkPendingSamples({ judge: null, ...options });
    if (result.checked === 0) return checked;
    checked += result.checked;
  }
  throw new Error("the checks never ran out of samples");
}

const reviewsOf = (sampleId: string) => db.sampleReview.findMany({ where: { sampleId } });
const reload = (id: string) => db.trainingSample.findUniqueOrThrow({ where: { id } });

beforeAll(async () => {
  assertTestDatabase();
  sim = await startSimulator({ port: 0, model: MODEL, ttftMs: 0, itlMs: 0 });
  process.env.LLM_BASE_URL = `${sim.url}/v1`;
  process.env.LLM_MODEL = MODEL;
  delete process.env.CURATION_JUDGE;
  const configured = await configuredJudge();
  if (!configured) throw new Error("expected a judge when a model is configured");
  judge = configured;
  const owner = await createUser({ email: `checks-${run}@unit.troupe`, name: "Checker", password: "pass-word-1" });
  characterId = (await createCharacter({ ownerId: owner.id, profile: emptyProfile("Mara Vell"), tags: [] })).id;
  // Samples other test files left behind are checked first, so each test sees only its own.
  await checkAll();
});

afterAll(async () => {
  delete process.env.LLM_BASE_URL;
  delete process.env.LLM_MODEL;
  await releaseQueue();
  await sim?.close();
});

describe("automatic sample checks", () => {
  it("a clean sample passes with the judge's scores, model and template hash, and its lineage columns", async () => {
    sim.setScript([
      { match: `GOOD-${run}`, reply: '{"consistency": 5, "instruction": 4, "rationale": "In voice and on topic."}' },
    ]);
    const lineage = { characterId, modelId: MODEL, pipeline: "generate", jobId: `job-${run}`, itemKey: "k1" };
    const inConversation = await addSample({
      chosen: `I spent the morning polishing the great lamp and watching the fishing boats come home. ${prose(`${run}-clean`, 30)} GOOD-${run} ends here.`,
      lineage: { ...lineage, conversationId: `conv-${run}` },
    });
    const fromItem = await addSample({ chosen: prose(`${run}-item`, 30), lineage, synthesisItemId: `item-${run}` });
    const alone = await addSample({ chosen: prose(`${run}-alone`, 30) });
    expect(await checkAll({ judge })).toBe(3);

    const clean = await reload(inConversation.id);
    expect(clean).toMatchObject({
      state: "AUTO_CHECKED",
      flags: [],
      score: 4.5,
      characterId,
      modelId: MODEL,
      pipeline: "generate",
      jobId: `job-${run}`,
      splitKey: `conv-${run}`,
      language: "en",
    });
    expect(clean.checkedAt).not.toBeNull();
    expect(clean.promptTokens).toBeGreaterThan(10);
    expect(clean.answerTokens).toBeGreaterThan(10);
    expect(clean.bands).toHaveLength(32);
    expect(clean.judgement).toEqual({
      consistency: 5,
      instruction: 4,
      rationale: "In voice and on topic.",
      score: 4.5,
      model: MODEL,
      template: JUDGE_TEMPLATE_REF,
      templateHash: JUDGE_TEMPLATE_HASH,
    });
    expect(JUDGE_TEMPLATE_HASH).toMatch(/^[0-9a-f]{64}$/);
    expect(await reviewsOf(clean.id)).toEqual([
      expect.objectContaining({ reviewerId: null, fromState: "NEW", toState: "AUTO_CHECKED" }),
    ]);
    expect((await reload(fromItem.id)).splitKey).toBe(`item-${run}`);
    expect((await reload(alone.id)).splitKey).toBe(alone.id);
    // The judge saw the character's system prompt and the reply.
    const sent = sim.requests.filter((request) => JSON.stringify(request.body).includes(`GOOD-${run}`));
    expect(JSON.stringify(sent[0]?.body)).toContain("retired sea captain");
  });

  it("flags a reply that steps out of the character, names itself, or answers in another script", async () => {
    const outOfRole = await addSample({
      chosen: `As an AI language model, I cannot have a day. ${prose(`${run}-ai`, 20)}`,
    });
    const named = await addSample({ chosen: `Mara Vell: ${prose(`${run}-named`, 20)}`, lineage: { characterId } });
    const russian = await addSample({
      user: "Расскажи мне, пожалуйста, как прошёл твой день на маяке сегодня?",
      chosen: prose(`${run}-ru`, 25),
    });
    await checkAll();
    const flagged = await reload(outOfRole.id);
    expect(flagged).toMatchObject({ state: "NEEDS_REVIEW", flags: ["breaks_role"], score: null, judgement: null });
    expect(await reviewsOf(flagged.id)).toEqual([
      expect.objectContaining({ reviewerId: null, toState: "NEEDS_REVIEW", reason: "flags: breaks_role" }),
    ]);
    expect(flagged.checks).toMatchObject({
      flags: [{ code: "breaks_role", detail: expect.stringMatching(/as an ai/i) }],
    });
    expect((await reload(named.id)).flags).toEqual(["repeated_name"]);
    expect((await reload(russian.id)).flags).toEqual(["wrong_language"]);
  });

  it("keeps the earliest of near-duplicates and points the others at it, never across kinds", async () => {
    const question = `What do you keep in the lantern room? ${prose(`${run}-q`, 10)}`;
    const answer = prose(`${run}-dup`, 120);
    const kept = await addSample({ user: question, chosen: answer });
    await checkAll();
    const words = answer.split(" ");
    words[60] = "changed";
    const close = await addSample({ user: question, chosen: words.join(" ").toUpperCase() });
    const same = await addSample({ user: question, chosen: `${answer.replaceAll(".", "!")}  ` });
    const otherKind = await addSample({ kind: "KTO", user: question, chosen: answer });
    const differentAnswer = await addSample({ user: question, chosen: prose(`${run}-other`, 120) });
    // Duplicates within one batch: the earlier one is kept.
    const twin = prose(`${run}-twin`, 80);
    const firstTwin = await addSample({ chosen: twin });
    const secondTwin = await addSample({ chosen: twin });
    await checkAll();

    expect(await reload(kept.id)).toMatchObject({ duplicateOf: null, state: "AUTO_CHECKED" });
    for (const duplicate of [close, same]) {
      const row = await reload(duplicate.id);
      expect(row).toMatchObject({ duplicateOf: kept.id, flags: ["near_duplicate"], state: "NEEDS_REVIEW" });
      expect(row.checks).toMatchObject({ duplicate: { of: kept.id, similarity: expect.any(Number) } });
    }
    expect(await reload(otherKind.id)).toMatchObject({ duplicateOf: null, flags: [] });
    expect(await reload(differentAnswer.id)).toMatchObject({ duplicateOf: null, flags: [] });
    expect(await reload(firstTwin.id)).toMatchObject({ duplicateOf: null, flags: [] });
    expect(await reload(secondTwin.id)).toMatchObject({ duplicateOf: firstTwin.id, flags: ["near_duplicate"] });
  });

  it("does not group one long question answered differently", async () => {
    // The whole texts are ≈90% alike; the answers are not alike at all.
    const question = prose(`${run}-long-question`, 300);
    const first = await addSample({ user: question, chosen: prose(`${run}-a1`, 10) });
    const second = await addSample({ user: question, chosen: prose(`${run}-a2`, 10) });
    await checkAll();
    expect((await reload(first.id)).duplicateOf).toBeNull();
    expect((await reload(second.id)).duplicateOf).toBeNull();
  });

  it("a judge answer that does not parse is retried; one that never parses or a failing server is recorded", async () => {
    sim.setScript([{ match: `ONCE-${run}`, reply: "Sure! I would rate this a four.", times: 1 }]);
    const retried = await addSample({ chosen: `${prose(`${run}-once`, 20)} ONCE-${run} done.` });
    await checkAll({ judge });
    const scored = await reload(retried.id);
    expect(scored.judgement).toMatchObject({ consistency: expect.any(Number), model: MODEL });
    expect(scored.judgement).not.toHaveProperty("error");

    sim.setScript([
      { match: `NEVER-${run}`, reply: "no json here" },
      { match: "That answer was not valid", reply: "still no json" },
    ]);
    const broken = await addSample({ chosen: `${prose(`${run}-never`, 20)} NEVER-${run} done.` });
    const failing = await addSample({ chosen: `${prose(`${run}-500`, 20)} [sim:http_500] done.` });
    await checkAll({ judge });
    sim.setScript([]);
    for (const [sample, message] of [
      [broken, /did not match the expected format/],
      [failing, /HTTP 500/],
    ] as const) {
      const row = await reload(sample.id);
      expect(row).toMatchObject({ state: "NEEDS_REVIEW", score: null, flags: [] });
      expect(row.checkedAt).not.toBeNull();
      expect(row.judgement).toMatchObject({ error: expect.stringMatching(message), templateHash: JUDGE_TEMPLATE_HASH });
      expect((await reviewsOf(row.id))[0]?.reason).toMatch(/^judge failed: /);
    }
  });

  it("with the judge on but no model, samples are still checked and sent to review", async () => {
    const saved = { url: process.env.LLM_BASE_URL, model: process.env.LLM_MODEL };
    delete process.env.LLM_BASE_URL;
    delete process.env.LLM_MODEL;
    try {
      expect(await configuredJudge()).toBeNull();
      process.env.CURATION_JUDGE = "on";
      const unavailable = await configuredJudge();
      expect(unavailable?.model).toBeNull();
      const sample = await addSample({ chosen: prose(`${run}-nomodel`, 20) });
      await checkAll({ judge: unavailable });
      expect(await reload(sample.id)).toMatchObject({
        state: "NEEDS_REVIEW",
        judgement: { error: expect.stringMatching(/No model is connected/), model: null },
      });
    } finally {
      delete process.env.CURATION_JUDGE;
      process.env.LLM_BASE_URL = saved.url;
      process.env.LLM_MODEL = saved.model;
    }
  });

  it("an aborted batch leaves its samples unchecked", async () => {
    const hanging = await addSample({ chosen: `${prose(`${run}-hang`, 20)} [sim:hang] done.` });
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 300);
    const result = await checkPendingSamples({ judge, signal: controller.signal });
    expect(result.checked).toBe(0);
    expect(await reload(hanging.id)).toMatchObject({ state: "NEW", checkedAt: null, flags: [], judgement: null });
    expect(await reviewsOf(hanging.id)).toHaveLength(0);
    await db.trainingSample.delete({ where: { id: hanging.id } });
  });

  it("a slow judge never holds the sample: erasing it meanwhile is immediate, and the check's write is skipped", async () => {
    const sample = await addSample({ chosen: prose(`${run}-slow`, 20) });
    const slow: Judge = {
      model: "slow-judge",
      judge: () =>
        new Promise((resolve) =>
          setTimeout(() => resolve({ consistency: 5, instruction: 5, rationale: "fine", score: 5 }), 1500),
        ),
    };
    const checking = checkPendingSamples({ judge: slow, limit: 1 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await db.$transaction(
      (tx) => tx.trainingSample.update({ where: { id: sample.id }, data: { state: "ERASED", chosen: "" } }),
      { timeout: 1000 },
    );
    expect(performance.now() - started).toBeLessThan(1000);
    await checking;
    expect(await reload(sample.id)).toMatchObject({ state: "ERASED", checkedAt: null, judgement: null });
    expect(await reviewsOf(sample.id)).toHaveLength(0);
  });

  it("two checkers at once never check a sample twice", async () => {
    const ids: string[] = [];
    for (let index = 0; index < 300; index++) {
      ids.push((await addSample({ chosen: prose(`${run}-bulk-${index}`, 25) })).id);
    }
    const [a, b] = await Promise.all([checkAll({ limit: 20 }), checkAll({ limit: 20 })]);
    expect(a + b).toBe(300);
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    const reviews = await db.sampleReview.groupBy({ by: ["sampleId"], where: { sampleId: { in: ids } }, _count: true });
    expect(reviews).toHaveLength(300);
    expect(reviews.every((row) => row._count === 1)).toBe(true);
  });

  it("triggers coalesce into one queued job, which checks what is pending", async () => {
    await requestSampleChecks();
    await requestSampleChecks();
    const queued = await db.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM graphile_worker._private_jobs WHERE key = 'curation:check_samples' AND locked_at IS NULL`;
    expect(queued).toHaveLength(1);
    const sample = await addSample({ chosen: prose(`${run}-task`, 20) });
    const logged: string[] = [];
    const helpers = {
      abortSignal: new AbortController().signal,
      logger: { info: (message: string) => logged.push(message) },
    } as unknown as JobHelpers;
    process.env.CURATION_JUDGE = "off";
    try {
      await TASKS["curation:check_samples"].run({}, helpers);
    } finally {
      delete process.env.CURATION_JUDGE;
    }
    expect((await reload(sample.id)).state).toBe("AUTO_CHECKED");
    expect(logged).toEqual(["checked 1 sample(s), 0 need review"]);
    await db.$executeRaw`DELETE FROM graphile_worker._private_jobs WHERE key = 'curation:check_samples'`;
  });
});
