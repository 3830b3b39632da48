import "server-only";
// The automatic checks every new training sample goes through once: lineage columns, split key,
// language, token counts, heuristic flags, near-duplicate grouping and the LLM judge, ending in
// AUTO_CHECKED or NEEDS_REVIEW with a review-log row. Checkers claim batches with FOR UPDATE SKIP
// LOCKED and keep the row locks until the batch's one write commits: a checker that dies leaves its
// batch unchecked (to be claimed again), never half-checked.
import { randomUUID } from "node:crypto";
import type pg from "pg";
import { detect } from "tinyld";
import { z } from "zod";
import { pool } from "@/lib/db";
import { enqueue } from "@/lib/jobs/queue";
import { estimateMessagesTokens, estimateTokens } from "@/lib/llm/tokens";
import { checkSample, type Flag, type Turn } from "./heuristics";
import { configuredJudge, type Judge, type Judgement, judgeSample, PASSING_SCORE } from "./judge";
import { normalize, signature, similarity } from "./minhash";
import { type SampleState, sampleMoveProblem } from "./states";

/**
 * Samples per batch without a judge. With one, two per judge slot: a batch keeps its row locks
 * while the judge works, and a writer touching one of its samples (a user re-rating) waits for them.
 */
const BATCH = 500;
const JUDGED_PER_SLOT = 2;
/** LSH bands of the 128-value signature (4 rows each): pairs at 0.8 similarity share one almost surely. */
const BANDS = 32;
const DUPLICATE_THRESHOLD = 0.8;
const CANDIDATES_PER_SAMPLE = 100;
/** Below this many letters a language guess is noise. */
const DETECT_MIN_LETTERS = 20;
const DETECT_CHARS = 400;
/** Held while a batch looks for duplicates and writes, so concurrent batches see each other's rows. */
const DEDUP_LOCK = "troupe:curation:dedup";

type StoredFlag = { code: Flag["code"] | "near_duplicate"; detail: string };

type Claimed = {
  id: string;
  kind: string;
  prompt: unknown;
  chosen: string;
  rejected: string | null;
  lineage: unknown;
  synthesisItemId: string | null;
  createdAt: Date;
  version: string;
};

type Sample = {
  id: string;
  kind: string;
  createdAt: Date;
  /** The row's updatedAt when claimed: the write is skipped if the row changed since. */
  version: string;
  prompt: Turn[];
  chosen: string;
  characterId: string | null;
  modelId: string | null;
  pipeline: string | null;
  jobId: string | null;
  splitKey: string;
  language: string | null;
  promptTokens: number;
  answerTokens: number;
  flags: StoredFlag[];
  dedup: DedupText | null;
  duplicate: { of: string; similarity: number } | null;
  score: number | null;
  judgement: Judgement | null;
};

/** The text duplicates are found by (last user turn + answer), and the answer alone to confirm. */
type DedupText = { kind: string; whole: Uint32Array; answer: string; answerSignature?: Uint32Array; bands: number[] };

export type CheckResult = { checked: number; autoChecked: number; needsReview: number; duplicates: number };

const turnsSchema = z.array(z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() }));

// Claimed with advisory locks on this connection, not row locks: judging can take minutes, and a
// user withdrawing consent (or re-rating) must not wait on it. The write below only lands if the row
// is still the one that was checked (same state and updatedAt).
const CLAIM = `
  SELECT id, kind, prompt, chosen, rejected, lineage, "synthesisItemId", "createdAt", "updatedAt"::text AS version
    FROM (SELECT * FROM "TrainingSample"
           WHERE "checkedAt" IS NULL AND state = 'NEW'
           ORDER BY "createdAt" LIMIT $1 * 4) candidate
   WHERE pg_try_advisory_lock(hashtext('curation:check:' || id))
   LIMIT $1`;

// One index probe per sample: a single probe with every band of the batch is far slower in GIN, and
// the LIMIT keeps the planner from turning the probes into one join over the whole table. It also
// caps a band that very many samples share; the earliest are the ones kept.
const CANDIDATES = `
  SELECT DISTINCT ON (c.id) c.id, c.kind, c."createdAt", c."duplicateOf", c.chosen, c.rejected,
         (SELECT turn->>'content'
            FROM jsonb_array_elements(CASE WHEN jsonb_typeof(c.prompt) = 'array' THEN c.prompt ELSE '[]' END)
                 WITH ORDINALITY AS t(turn, n)
           WHERE turn->>'role' = 'user' ORDER BY n DESC LIMIT 1) AS "lastUser"
    FROM jsonb_to_recordset($1::jsonb) AS q(kind text, bands int[])
    CROSS JOIN LATERAL (
      SELECT id, kind, "createdAt", "duplicateOf", chosen, rejected, prompt
        FROM "TrainingSample"
       WHERE bands && q.bands AND kind::text = q.kind AND "checkedAt" IS NOT NULL AND state <> 'ERASED'
       ORDER BY "createdAt" LIMIT ${CANDIDATES_PER_SAMPLE}) c`;

const WRITE = `
  WITH r AS (
    SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
      id text, "characterId" text, "modelId" text, pipeline text, "jobId" text, "splitKey" text, language text,
      "promptTokens" int, "answerTokens" int, flags text[], checks jsonb, score float8, judgement jsonb, bands int[],
      "duplicateOf" text, state text, reason text, "reviewId" text, version text)
  ), moved AS (
    UPDATE "TrainingSample" s
       SET state = r.state::"SampleState", "checkedAt" = now(), "updatedAt" = now(), "characterId" = r."characterId",
           "modelId" = r."modelId", pipeline = r.pipeline, "jobId" = r."jobId", "splitKey" = r."splitKey",
           language = r.language, "promptTokens" = r."promptTokens", "answerTokens" = r."answerTokens",
           flags = r.flags, checks = r.checks, score = r.score, judgement = r.judgement, bands = r.bands,
           "duplicateOf" = r."duplicateOf"
      FROM r
     WHERE s.id = r.id AND s.state = 'NEW' AND s."checkedAt" IS NULL AND s."updatedAt"::text = r.version
    RETURNING s.id, r.state, r.reason, r."reviewId"
  )
  INSERT INTO "SampleReview" (id, "sampleId", "reviewerId", "fromState", "toState", reason)
  SELECT "reviewId", id, NULL, 'NEW', state::"SampleState", reason FROM moved`;

const text = (record: unknown, key: string): string | null => {
  const value = record && typeof record === "object" ? (record as Record<string, unknown>)[key] : undefined;
  return typeof value === "string" && value.length > 0 ? value : null;
};

/** ISO 639-1 code of a text, or null when it is too short to tell. */
function languageOf(value: string): string | null {
  const sample = value.trim().slice(0, DETECT_CHARS);
  if ((sample.match(/\p{L}/gu)?.length ?? 0) < DETECT_MIN_LETTERS) return null;
  return detect(sample) || null;
}

const rotl = (value: number, bits: number) => (value << bits) | (value >>> (32 - bits));

/** One signed 32-bit hash per band (MurmurHash3 over the band's rows, seeded by the band number). */
function bandHashes(values: Uint32Array): number[] {
  const rows = values.length / BANDS;
  const result: number[] = [];
  for (let band = 0; band < BANDS; band++) {
    let hash = band;
    for (let row = band * rows; row < (band + 1) * rows; row++) {
      let k = Math.imul(values[row] ?? 0, 0xcc9e2d51);
      k = Math.imul(rotl(k, 15), 0x1b873593);
      hash = (Math.imul(rotl(hash ^ k, 13), 5) + 0xe6546b64) | 0;
    }
    hash ^= rows * 4;
    hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
    hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
    result.push((hash ^ (hash >>> 16)) | 0);
  }
  return result;
}

function dedupText(kind: string, lastUser: string, chosen: string, rejected: string | null): DedupText | null {
  const answer = kind === "PREFERENCE" ? `${chosen}\n${rejected ?? ""}` : chosen;
  // Texts without a word would all share one signature.
  if (!normalize(answer)) return null;
  const whole = signature(`${lastUser}\n${answer}`);
  return { kind, whole, answer, bands: bandHashes(whole) };
}

function answerSignature(candidate: DedupText): Uint32Array {
  candidate.answerSignature ??= signature(candidate.answer);
  return candidate.answerSignature;
}

function prepare(row: Claimed, names: Map<string, string>): Sample {
  const characterId = text(row.lineage, "characterId");
  const characterName = characterId ? names.get(characterId) : undefined;
  const parsed = turnsSchema.safeParse(row.prompt);
  const prompt: Turn[] = parsed.success ? parsed.data : [];
  const turns: Turn[] = [...prompt, { role: "assistant", content: row.chosen }];
  const answers = turns.filter((turn) => turn.role === "assistant").map((turn) => turn.content);
  const users = prompt.filter((turn) => turn.role === "user").map((turn) => turn.content);
  // Answers are expected in the writing system of the user's turns.
  const userLanguage = languageOf(users.join("\n"));
  const flags: StoredFlag[] = checkSample(turns, {
    ...(userLanguage ? { language: userLanguage } : {}),
    ...(characterName ? { characterName } : {}),
  });
  return {
    id: row.id,
    kind: row.kind,
    createdAt: row.createdAt,
    version: row.version,
    prompt,
    chosen: row.chosen,
    characterId,
    modelId: text(row.lineage, "modelId"),
    pipeline: text(row.lineage, "pipeline"),
    jobId: text(row.lineage, "jobId"),
    splitKey: text(row.lineage, "conversationId") ?? row.synthesisItemId ?? row.id,
    language: languageOf(answers.join("\n")),
    promptTokens: estimateMessagesTokens(prompt),
    answerTokens: estimateTokens(row.chosen),
    flags,
    dedup: dedupText(row.kind, users.at(-1) ?? "", row.chosen, row.rejected),
    duplicate: null,
    score: null,
    judgement: null,
  };
}

async function characterNames(client: pg.PoolClient, rows: Claimed[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((row) => text(row.lineage, "characterId") ?? []))];
  if (ids.length === 0) return new Map();
  const { rows: found } = await client.query<{ id: string; name: string }>(
    `SELECT id, name FROM "Character" WHERE id = ANY($1::text[])`,
    [ids],
  );
  return new Map(found.map((character) => [character.id, character.name]));
}

async function judgeAll(judge: Judge, batch: Sample[], concurrency: number, signal?: AbortSignal) {
  let next = 0;
  const slot = async () => {
    for (let sample = batch[next++]; sample; sample = batch[next++]) {
      const { score, judgement } = await judgeSample(judge, { prompt: sample.prompt, answer: sample.chosen }, signal);
      sample.score = score;
      sample.judgement = judgement;
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, batch.length) }, slot));
}

type Candidate = { id: string; kind: string; createdAt: Date; root: string; dedup: DedupText };

const earlier = (a: Candidate, b: Candidate) =>
  a.createdAt < b.createdAt || (a.createdAt.getTime() === b.createdAt.getTime() && a.id < b.id);

/**
 * Point each sample that nearly repeats an already-checked sample of its kind (or an earlier one of
 * this batch) at that group's kept sample. The kept one is the earliest already checked: a group
 * never re-points its members. Both the whole text and the answers alone must be alike, so one
 * question answered differently by two characters is not a duplicate.
 */
async function markDuplicates(client: pg.PoolClient, batch: Sample[]): Promise<void> {
  const searchable = batch.filter((sample) => sample.dedup);
  if (searchable.length === 0) return;
  const probes = searchable.map((sample) => ({ kind: sample.kind, bands: sample.dedup?.bands }));
  const { rows } = await client.query<{
    id: string;
    kind: string;
    createdAt: Date;
    duplicateOf: string | null;
    chosen: string;
    rejected: string | null;
    lastUser: string | null;
  }>(CANDIDATES, [JSON.stringify(probes)]);
  const byBand = new Map<number, Candidate[]>();
  const index = (candidate: Candidate) => {
    for (const band of candidate.dedup.bands) {
      const list = byBand.get(band);
      if (list) list.push(candidate);
      else byBand.set(band, [candidate]);
    }
  };
  for (const row of rows) {
    const dedup = dedupText(row.kind, row.lastUser ?? "", row.chosen, row.rejected);
    if (dedup) index({ id: row.id, kind: row.kind, createdAt: row.createdAt, root: row.duplicateOf ?? row.id, dedup });
  }
  const ordered = [...searchable].sort(
    (a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1),
  );
  for (const sample of ordered) {
    const dedup = sample.dedup as DedupText;
    const seen = new Set<Candidate>();
    let best: { candidate: Candidate; similarity: number } | null = null;
    for (const band of dedup.bands) {
      for (const candidate of byBand.get(band) ?? []) {
        if (seen.has(candidate)) continue;
        seen.add(candidate);
        // A re-checked sample may meet its own duplicates.
        if (candidate.kind !== sample.kind || candidate.root === sample.id) continue;
        const alike = similarity(dedup.whole, candidate.dedup.whole);
        if (alike < DUPLICATE_THRESHOLD) continue;
        if (similarity(answerSignature(dedup), answerSignature(candidate.dedup)) < DUPLICATE_THRESHOLD) continue;
        if (!best || earlier(candidate, best.candidate)) best = { candidate, similarity: alike };
      }
    }
    if (best) {
      sample.duplicate = { of: best.candidate.root, similarity: best.similarity };
      sample.flags.push({
        code: "near_duplicate",
        detail: `≈${Math.round(best.similarity * 100)}% like sample ${best.candidate.root}`,
      });
    }
    index({
      id: sample.id,
      kind: sample.kind,
      createdAt: sample.createdAt,
      root: best?.candidate.root ?? sample.id,
      dedup,
    });
  }
}

function verdictOf(sample: Sample, judged: boolean): { state: SampleState; reason: string } {
  const problems: string[] = [];
  if (sample.flags.length > 0) problems.push(`flags: ${sample.flags.map((flag) => flag.code).join(", ")}`);
  if (judged && sample.judgement && "error" in sample.judgement)
    problems.push(`judge failed: ${sample.judgement.error}`);
  else if (judged && (sample.score ?? 0) < PASSING_SCORE)
    problems.push(`judge score ${sample.score} (below ${PASSING_SCORE})`);
  if (problems.length > 0) return { state: "NEEDS_REVIEW", reason: problems.join("; ") };
  return {
    state: "AUTO_CHECKED",
    reason: judged ? `passed: no flags, judge score ${sample.score}` : "passed: no flags",
  };
}

async function write(client: pg.PoolClient, batch: Sample[], judged: boolean): Promise<CheckResult> {
  const result: CheckResult = { checked: batch.length, autoChecked: 0, needsReview: 0, duplicates: 0 };
  const records = batch.map((sample) => {
    const { state, reason } = verdictOf(sample, judged);
    const problem = sampleMoveProblem("NEW", state, reason);
    if (problem) throw new Error(problem);
    if (state === "AUTO_CHECKED") result.autoChecked++;
    else result.needsReview++;
    if (sample.duplicate) result.duplicates++;
    return {
      id: sample.id,
      characterId: sample.characterId,
      modelId: sample.modelId,
      pipeline: sample.pipeline,
      jobId: sample.jobId,
      splitKey: sample.splitKey,
      language: sample.language,
      promptTokens: sample.promptTokens,
      answerTokens: sample.answerTokens,
      flags: sample.flags.map((flag) => flag.code),
      checks: { flags: sample.flags, ...(sample.duplicate ? { duplicate: sample.duplicate } : {}) },
      score: sample.score,
      judgement: sample.judgement,
      bands: sample.dedup?.bands ?? [],
      duplicateOf: sample.duplicate?.of ?? null,
      state,
      reason,
      reviewId: randomUUID(),
      version: sample.version,
    };
  });
  await client.query(WRITE, [JSON.stringify(records)]);
  return result;
}

/**
 * Check one batch of unchecked NEW samples (up to `limit`). `judge` undefined means the configured
 * judge; null means heuristics and duplicates only. Several checkers may run at once: each claims
 * different samples. An abort rolls the batch back; its samples stay unchecked.
 */
export async function checkPendingSamples(
  options: { limit?: number; judge?: Judge | null; signal?: AbortSignal } = {},
): Promise<CheckResult> {
  const empty: CheckResult = { checked: 0, autoChecked: 0, needsReview: 0, duplicates: 0 };
  const judge = options.judge === undefined ? await configuredJudge() : options.judge;
  const concurrency = Number(process.env.CURATION_JUDGE_CONCURRENCY) || 4;
  const limit = options.limit ?? (judge ? concurrency * JUDGED_PER_SLOT : BATCH);
  if (options.signal?.aborted) return empty;
  const client = await pool.connect();
  let broken = false;
  try {
    const { rows } = await client.query<Claimed>(CLAIM, [limit]);
    if (rows.length === 0) return empty;
    const names = await characterNames(client, rows);
    const batch = rows.map((row) => prepare(row, names));
    if (judge) await judgeAll(judge, batch, concurrency, options.signal);
    if (options.signal?.aborted) return empty;
    await client.query("BEGIN");
    await client.query("SELECT pg_advisory_xact_lock(hashtext($1))", [DEDUP_LOCK]);
    await markDuplicates(client, batch);
    const result = await write(client, batch, judge !== null);
    await client.query("COMMIT");
    return result;
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {
      broken = true;
    });
    if (options.signal?.aborted) return empty;
    throw error;
  } finally {
    // The claims end with the batch; a connection that cannot say so is not reused.
    await client.query("SELECT pg_advisory_unlock_all()").catch(() => {
      broken = true;
    });
    client.release(broken);
  }
}

/** Ask for a checking run soon. Requests made while one is queued join it; a failure is only logged. */
export async function requestSampleChecks(): Promise<void> {
  try {
    await enqueue("curation:check_samples", {}, { jobKey: "curation:check_samples", jobKeyMode: "preserve_run_at" });
  } catch (error) {
    console.error("[curation] could not queue the sample checks", error);
  }
}
