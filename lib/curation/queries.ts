import "server-only";
// The review queue and every change a reviewer makes. States only move along the table in
// states.ts; each move writes a SampleReview row in the same statement, so the log and the state
// never disagree. Lists are keyset-paginated in the database (the queue must stay fast at a million rows).
import { randomUUID } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { estimateTokens } from "@/lib/llm/tokens";
import { filterConditions, SqlParams, whereClause } from "./filter-sql";
import { checkSample, type Turn } from "./heuristics";
import type { QueueQuery, QueueSort, SampleFilter } from "./schema";
import { canMoveSample, SAMPLE_STATES, type SampleState, sampleMoveProblem, statesThatCanBecome } from "./states";

export const QUEUE_PAGE = 50;
/** Counts above this show as "10,000+": an exact count of a million rows would cost more than the page. */
export const COUNT_CAP = 10_000;

const SORTS: Record<QueueSort, { column: string; direction: "ASC" | "DESC"; scoredOnly?: boolean }> = {
  newest: { column: `s."createdAt"`, direction: "DESC" },
  oldest: { column: `s."createdAt"`, direction: "ASC" },
  score_desc: { column: "s.score", direction: "DESC", scoredOnly: true },
  score_asc: { column: "s.score", direction: "ASC", scoredOnly: true },
};

type Cursor = [value: string | number, id: string];

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString("base64url");
}

function decodeCursor(raw: string): Cursor {
  try {
    const value = JSON.parse(Buffer.from(raw, "base64url").toString());
    if (Array.isArray(value) && value.length === 2 && typeof value[1] === "string") {
      if (typeof value[0] === "number" || (typeof value[0] === "string" && !Number.isNaN(Date.parse(value[0])))) {
        return value as Cursor;
      }
    }
  } catch {
    // fall through to the error below
  }
  throw new AppError("bad_request:cursor", "That page link is not valid any more; start from the first page.");
}

export type QueueRow = {
  id: string;
  kind: string;
  source: string;
  state: SampleState;
  createdAt: Date;
  score: number | null;
  flags: string[];
  language: string | null;
  pipeline: string | null;
  characterId: string | null;
  characterName: string | null;
  modelId: string | null;
  duplicateOf: string | null;
  revisionOf: string | null;
  question: string | null;
  answer: string;
};

const ROW_COLUMNS = `s.id, s.kind, s.source, s.state, s."createdAt", s.score, s.flags, s.language, s.pipeline,
  s."characterId", c.name AS "characterName", s."modelId", s."duplicateOf", s."revisionOf",
  left(s.prompt -> -1 ->> 'content', 160) AS question, left(s.chosen, 240) AS answer`;

function orderedQuery(query: QueueQuery, params: SqlParams, options: { reverse?: boolean; after?: Cursor }) {
  const sort = SORTS[query.sort ?? "newest"];
  const direction = options.reverse ? (sort.direction === "ASC" ? "DESC" : "ASC") : sort.direction;
  const conditions = filterConditions(query, params);
  if (sort.scoredOnly) conditions.push("s.score IS NOT NULL");
  if (options.after) {
    const [value, id] = options.after;
    const typed =
      sort.column === "s.score" ? `${params.add(Number(value))}::float8` : `${params.add(value)}::timestamp`;
    conditions.push(`(${sort.column}, s.id) ${direction === "ASC" ? ">" : "<"} (${typed}, ${params.add(id)})`);
  }
  return { where: whereClause(conditions), order: `ORDER BY ${sort.column} ${direction}, s.id ${direction}`, sort };
}

function cursorOf(row: { id: string; createdAt: Date; score: number | null }, sort: QueueSort): Cursor {
  return SORTS[sort].column === "s.score" ? [row.score ?? 0, row.id] : [row.createdAt.toISOString(), row.id];
}

/** One page of the queue, plus how many samples match (capped). */
export async function listQueue(query: QueueQuery) {
  const params = new SqlParams();
  const after = query.cursor ? decodeCursor(query.cursor) : undefined;
  const { where, order } = orderedQuery(query, params, { after });
  const rows = await db.$queryRawUnsafe<QueueRow[]>(
    `SELECT ${ROW_COLUMNS} FROM "TrainingSample" s LEFT JOIN "Character" c ON c.id = s."characterId"
      ${where} ${order} LIMIT ${QUEUE_PAGE + 1}`,
    ...params.values,
  );
  const more = rows.length > QUEUE_PAGE;
  const page = rows.slice(0, QUEUE_PAGE);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: more && last ? encodeCursor(cursorOf(last, query.sort ?? "newest")) : null,
    total: query.cursor ? null : await countMatching(query, COUNT_CAP),
  };
}

/** How many samples the filter matches, counting at most `cap` (+1 to tell "more"). */
export async function countMatching(filter: SampleFilter, cap?: number): Promise<{ count: number; capped: boolean }> {
  const params = new SqlParams();
  const where = whereClause(filterConditions(filter, params));
  const inner = `SELECT 1 FROM "TrainingSample" s ${where}${cap ? ` LIMIT ${cap + 1}` : ""}`;
  const [row] = await db.$queryRawUnsafe<{ count: bigint }[]>(
    `SELECT count(*) AS count FROM (${inner}) t`,
    ...params.values,
  );
  const count = Number(row?.count ?? 0);
  return cap && count > cap ? { count: cap, capped: true } : { count, capped: false };
}

/** The sample before or after `sampleId` in the queue's order (for the reviewer's next/previous). */
export async function adjacentSample(query: QueueQuery, sampleId: string, step: "next" | "previous") {
  const current = await db.trainingSample.findUnique({
    where: { id: sampleId },
    select: { id: true, createdAt: true, score: true },
  });
  if (!current) return null;
  const sort = query.sort ?? "newest";
  if (SORTS[sort].scoredOnly && current.score === null) return null;
  const params = new SqlParams();
  const { where, order } = orderedQuery({ ...query, cursor: undefined }, params, {
    reverse: step === "previous",
    after: cursorOf(current, sort),
  });
  const [row] = await db.$queryRawUnsafe<{ id: string }[]>(
    `SELECT s.id FROM "TrainingSample" s ${where} ${order} LIMIT 1`,
    ...params.values,
  );
  return row?.id ?? null;
}

const SAFE_COLUMNS = { pipeline: "pipeline", language: "language", modelId: `"modelId"`, characterId: `"characterId"` };

/**
 * The distinct values of a filter column, read by skipping through its index (a loose index scan),
 * so listing a few dozen values does not read a million rows.
 */
export async function distinctValues(column: keyof typeof SAFE_COLUMNS, limit = 200): Promise<string[]> {
  const name = SAFE_COLUMNS[column];
  const rows = await db.$queryRawUnsafe<{ value: string }[]>(
    `WITH RECURSIVE walk(value, n) AS (
       SELECT min(${name}), 1 FROM "TrainingSample"
       UNION ALL
       SELECT (SELECT min(${name}) FROM "TrainingSample" WHERE ${name} > walk.value), n + 1
         FROM walk WHERE walk.value IS NOT NULL AND n < ${Number(limit)}
     )
     SELECT value FROM walk WHERE value IS NOT NULL`,
  );
  return rows.map((row) => row.value);
}

type Executor = Pick<Prisma.TransactionClient, "$queryRawUnsafe">;

/**
 * Move the samples the condition selects to `to`, logging each move. Only rows whose state may
 * legally become `to` move; the rest are left as they are. Returns the moved ids' count.
 */
export async function moveSamples(
  executor: Executor,
  selection: { where: string; params: SqlParams },
  to: SampleState,
  by: { reviewerId: string | null; reason?: string | null; bulkId?: string | null },
): Promise<number> {
  const from = statesThatCanBecome(to);
  const { params } = selection;
  const fromParam = params.add(from);
  const toParam = params.add(to);
  const reviewer = params.add(by.reviewerId);
  const reason = params.add(by.reason ?? null);
  const bulk = params.add(by.bulkId ?? null);
  const review =
    to === "APPROVED" || to === "REJECTED"
      ? `, "reviewedById" = ${reviewer}, "reviewedAt" = now(), "rejectReason" = ${to === "REJECTED" ? reason : "NULL"}`
      : "";
  const [row] = await executor.$queryRawUnsafe<{ moved: bigint }[]>(
    `WITH picked AS (
       SELECT s.id, s.state FROM "TrainingSample" s
        ${whereClause([selection.where, `s.state = ANY(${fromParam}::"SampleState"[])`])}
        FOR UPDATE OF s
     ), moved AS (
       UPDATE "TrainingSample" t SET state = ${toParam}::"SampleState", "updatedAt" = now()${review}
         FROM picked WHERE t.id = picked.id
       RETURNING t.id, picked.state AS "fromState"
     ), logged AS (
       INSERT INTO "SampleReview" (id, "sampleId", "reviewerId", "fromState", "toState", reason, "bulkId", "createdAt")
       SELECT gen_random_uuid()::text, id, ${reviewer}, "fromState", ${toParam}::"SampleState", ${reason}, ${bulk}, now()
         FROM moved
       RETURNING 1
     )
     SELECT count(*) AS moved FROM logged`,
    ...params.values,
  );
  return Number(row?.moved ?? 0);
}

/** One reviewer decision on one sample. */
export async function reviewSample(
  reviewerId: string,
  input: { sampleId: string; decision: "APPROVED" | "REJECTED" | "NEEDS_REVIEW"; reason?: string },
): Promise<{ state: SampleState }> {
  return db.$transaction(async (tx) => {
    const [sample] = await tx.$queryRawUnsafe<{ state: SampleState }[]>(
      `SELECT state FROM "TrainingSample" WHERE id = $1 FOR UPDATE`,
      input.sampleId,
    );
    if (!sample) throw new AppError("not_found:sample", "That sample does not exist.");
    if (sample.state === input.decision) return { state: sample.state };
    const problem = sampleMoveProblem(sample.state, input.decision, input.reason);
    if (problem) throw new AppError("conflict:sample", problem);
    const params = new SqlParams();
    await moveSamples(tx, { where: `s.id = ${params.add(input.sampleId)}`, params }, input.decision, {
      reviewerId,
      reason: input.reason,
    });
    return { state: input.decision };
  });
}

/** Apply one decision to everything a filter matches; refuses when the count moved since the preview. */
export async function bulkReview(
  reviewerId: string,
  input: { filter: SampleFilter; decision: "APPROVED" | "REJECTED"; reason?: string; expected: number },
): Promise<{ bulkId: string; moved: number }> {
  return db.$transaction(
    async (tx) => {
      const params = new SqlParams();
      const conditions = filterConditions(input.filter, params);
      const where = conditions.length > 0 ? conditions.join(" AND ") : "TRUE";
      const from = statesThatCanBecome(input.decision);
      const countParams = new SqlParams();
      const countWhere = filterConditions(input.filter, countParams);
      countWhere.push(`s.state = ANY(${countParams.add(from)}::"SampleState"[])`);
      const [counted] = await tx.$queryRawUnsafe<{ count: bigint }[]>(
        `SELECT count(*) AS count FROM "TrainingSample" s ${whereClause(countWhere)}`,
        ...countParams.values,
      );
      const matching = Number(counted?.count ?? 0);
      if (matching !== input.expected) {
        throw new AppError(
          "conflict:bulk",
          `The filter now matches ${matching.toLocaleString("en")} movable samples, not ${input.expected.toLocaleString("en")}; check the preview again.`,
        );
      }
      const bulk = await tx.reviewBulk.create({
        data: {
          id: randomUUID(),
          reviewerId,
          toState: input.decision,
          reason: input.reason ?? null,
          filter: input.filter as Prisma.InputJsonValue,
          count: 0,
        },
      });
      const moved = await moveSamples(tx, { where, params }, input.decision, {
        reviewerId,
        reason: input.reason,
        bulkId: bulk.id,
      });
      await tx.reviewBulk.update({ where: { id: bulk.id }, data: { count: moved } });
      return { bulkId: bulk.id, moved };
    },
    { timeout: 300_000 },
  );
}

/** How many samples a bulk decision would move (the preview the reviewer confirms). */
export async function previewBulk(filter: SampleFilter, decision: "APPROVED" | "REJECTED"): Promise<number> {
  const from = statesThatCanBecome(decision);
  const allowed = filter.state?.length ? filter.state.filter((state) => from.includes(state)) : from;
  if (allowed.length === 0) return 0;
  return (await countMatching({ ...filter, state: allowed })).count;
}

/**
 * Undo a bulk action: samples whose latest move is still this bulk's go back to the state they had.
 * A sample someone reviewed again since, or that was erased, keeps its newer state.
 */
export async function undoBulk(reviewerId: string, bulkId: string): Promise<{ restored: number }> {
  return db.$transaction(
    async (tx) => {
      const [bulk] = await tx.$queryRawUnsafe<{ undoneAt: Date | null; toState: SampleState }[]>(
        `SELECT "undoneAt", "toState" FROM "ReviewBulk" WHERE id = $1 FOR UPDATE`,
        bulkId,
      );
      if (!bulk) throw new AppError("not_found:bulk", "That bulk action does not exist.");
      if (bulk.undoneAt) throw new AppError("conflict:bulk", "That bulk action was already undone.");
      let restored = 0;
      // Each sample returns to its own earlier state, so undo in one pass per earlier state.
      for (const previous of SAMPLE_STATES) {
        if (previous === bulk.toState || !canMoveSample(bulk.toState, previous)) continue;
        const params = new SqlParams();
        const where = `s.state = ${params.add(bulk.toState)}::"SampleState" AND EXISTS (
          SELECT 1 FROM "SampleReview" r WHERE r."sampleId" = s.id AND r."bulkId" = ${params.add(bulkId)}
             AND r."fromState" = ${params.add(previous)}::"SampleState"
             AND NOT EXISTS (SELECT 1 FROM "SampleReview" later
                              WHERE later."sampleId" = s.id AND later."createdAt" > r."createdAt"))`;
        restored += await moveSamples(tx, { where, params }, previous, {
          reviewerId,
          reason: `undo of bulk ${bulkId}`,
        });
      }
      await tx.reviewBulk.update({ where: { id: bulkId }, data: { undoneAt: new Date() } });
      return { restored };
    },
    { timeout: 300_000 },
  );
}

export async function recentBulks(limit = 10) {
  return db.reviewBulk.findMany({ orderBy: { createdAt: "desc" }, take: limit });
}

/**
 * An edit makes a revision: a new sample with the edited answer, approved by the editor, while the
 * original stays as written and is rejected as replaced. Both in one transaction.
 */
export async function reviseSample(
  reviewerId: string,
  input: { sampleId: string; chosen: string; rejected?: string; note?: string },
): Promise<{ id: string }> {
  return db.$transaction(async (tx) => {
    const [original] = await tx.$queryRawUnsafe<{ id: string }[]>(
      `SELECT id FROM "TrainingSample" WHERE id = $1 FOR UPDATE`,
      input.sampleId,
    );
    if (!original) throw new AppError("not_found:sample", "That sample does not exist.");
    const sample = await tx.trainingSample.findUniqueOrThrow({ where: { id: input.sampleId } });
    if (sample.state === "ERASED") {
      throw new AppError("conflict:sample", "An erased sample cannot be edited: the user withdrew their consent.");
    }
    const revised = await tx.trainingSample.findFirst({ where: { revisionOf: sample.id }, select: { id: true } });
    if (revised) {
      throw new AppError(
        "conflict:sample",
        `This sample already has a revision (${revised.id}): edit that one instead.`,
      );
    }
    const refused = sample.state === "REJECTED" ? null : sampleMoveProblem(sample.state, "REJECTED", "revised");
    if (refused) throw new AppError("conflict:sample", `${refused} Wait for the automatic checks before editing it.`);
    if (sample.kind !== "PREFERENCE" && input.rejected) {
      throw new AppError("bad_request:rejected", "Only a preference pair has a rejected answer.");
    }
    const rejected = sample.kind === "PREFERENCE" ? (input.rejected ?? sample.rejected) : null;
    if (input.chosen === sample.chosen && rejected === sample.rejected) {
      throw new AppError("bad_request:unchanged", "Nothing changed: edit the answer before saving a revision.");
    }
    const prompt = sample.prompt as Turn[];
    const turns: Turn[] = [...prompt, { role: "assistant", content: input.chosen }];
    const flags = checkSample(turns);
    const id = randomUUID();
    await tx.trainingSample.create({
      data: {
        id,
        kind: sample.kind,
        source: sample.source,
        state: "NEEDS_REVIEW",
        prompt: sample.prompt as Prisma.InputJsonValue,
        chosen: input.chosen,
        rejected,
        label: sample.label,
        userId: sample.userId,
        feedbackEventId: sample.feedbackEventId,
        synthesisItemId: sample.synthesisItemId,
        lineage: { ...(sample.lineage as Record<string, unknown>), revisedBy: reviewerId, revisionNote: input.note },
        dedupeKey: `revision:${id}`,
        trainOn: sample.trainOn,
        checkedAt: new Date(),
        characterId: sample.characterId,
        modelId: sample.modelId,
        pipeline: sample.pipeline,
        jobId: sample.jobId,
        splitKey: sample.splitKey,
        language: sample.language,
        promptTokens: sample.promptTokens,
        answerTokens: estimateTokens(input.chosen),
        flags: flags.map((flag) => flag.code),
        checks: { flags },
        revisionOf: sample.id,
        duplicateOf: sample.duplicateOf,
      },
    });
    const approve = new SqlParams();
    await moveSamples(tx, { where: `s.id = ${approve.add(id)}`, params: approve }, "APPROVED", {
      reviewerId,
      reason: input.note ?? "edited",
    });
    if (sample.state !== "REJECTED") {
      const reject = new SqlParams();
      await moveSamples(tx, { where: `s.id = ${reject.add(sample.id)}`, params: reject }, "REJECTED", {
        reviewerId,
        reason: `replaced by revision ${id}`,
      });
    }
    return { id };
  });
}

/** Everything the reviewer view shows about one sample. */
export async function sampleForReview(id: string) {
  const sample = await db.trainingSample.findUnique({
    where: { id },
    include: { reviews: { orderBy: { createdAt: "desc" }, take: 20 } },
  });
  if (!sample) return null;
  const [character, revisions, duplicates, reviewers] = await Promise.all([
    sample.characterId
      ? db.character.findUnique({ where: { id: sample.characterId }, select: { id: true, name: true } })
      : null,
    db.trainingSample.findMany({
      where: { revisionOf: sample.id },
      select: { id: true, state: true, createdAt: true },
      orderBy: { createdAt: "asc" },
    }),
    db.trainingSample.findMany({
      where: {
        OR: [
          { duplicateOf: sample.duplicateOf ?? sample.id },
          ...(sample.duplicateOf ? [{ id: sample.duplicateOf }] : []),
        ],
        NOT: { id: sample.id },
      },
      select: { id: true, state: true, chosen: true, createdAt: true },
      orderBy: { createdAt: "asc" },
      take: 10,
    }),
    db.user.findMany({
      where: { id: { in: sample.reviews.flatMap((review) => (review.reviewerId ? [review.reviewerId] : [])) } },
      select: { id: true, name: true, email: true },
    }),
  ]);
  const reviewerName = new Map(reviewers.map((user) => [user.id, user.name ?? user.email]));
  return {
    sample,
    character,
    revisions,
    duplicates,
    reviews: sample.reviews.map((review) => ({
      ...review,
      reviewer: review.reviewerId ? (reviewerName.get(review.reviewerId) ?? "a deleted user") : "automatic checks",
    })),
  };
}

/** Reviewer activity: decisions per reviewer today, this week and overall, and the top reject reasons. */
export async function reviewerStats() {
  const rows = await db.$queryRawUnsafe<
    {
      reviewerId: string;
      name: string | null;
      approved: bigint;
      rejected: bigint;
      today: bigint;
      week: bigint;
      last: Date;
    }[]
  >(
    `SELECT r."reviewerId", coalesce(u.name, u.email) AS name,
            count(*) FILTER (WHERE single AND r."toState" = 'APPROVED') AS approved,
            count(*) FILTER (WHERE single AND r."toState" = 'REJECTED') AS rejected,
            count(*) FILTER (WHERE single AND r."createdAt" > now() - interval '1 day') AS today,
            count(*) FILTER (WHERE single AND r."createdAt" > now() - interval '7 days') AS week,
            max(r."createdAt") AS last
       FROM (SELECT *, "bulkId" IS NULL AND coalesce(reason, '') NOT LIKE 'undo of bulk %' AS single
               FROM "SampleReview") r
       LEFT JOIN "User" u ON u.id = r."reviewerId"
      WHERE r."reviewerId" IS NOT NULL
      GROUP BY r."reviewerId", u.name, u.email
      ORDER BY week DESC, last DESC
      LIMIT 50`,
  );
  const [bulkRows, reasons, revisions] = await Promise.all([
    db.$queryRawUnsafe<{ reviewerId: string; actions: bigint; samples: bigint }[]>(
      `SELECT "reviewerId", count(*) AS actions, coalesce(sum(count), 0) AS samples FROM "ReviewBulk"
        WHERE "undoneAt" IS NULL GROUP BY "reviewerId"`,
    ),
    db.$queryRawUnsafe<{ reason: string; count: bigint }[]>(
      `SELECT reason, count(*) AS count FROM "SampleReview"
        WHERE "toState" = 'REJECTED' AND "reviewerId" IS NOT NULL AND reason IS NOT NULL
          AND reason NOT LIKE 'replaced by revision %'
        GROUP BY reason ORDER BY count DESC LIMIT 8`,
    ),
    db.$queryRawUnsafe<{ reviewerId: string; count: bigint }[]>(
      `SELECT lineage->>'revisedBy' AS "reviewerId", count(*) AS count FROM "TrainingSample"
        WHERE "revisionOf" IS NOT NULL GROUP BY 1`,
    ),
  ]);
  const bulks = new Map(bulkRows.map((row) => [row.reviewerId, row]));
  const edits = new Map(revisions.map((row) => [row.reviewerId, Number(row.count)]));
  return {
    reviewers: rows.map((row) => ({
      reviewerId: row.reviewerId,
      name: row.name ?? "a deleted user",
      approved: Number(row.approved),
      rejected: Number(row.rejected),
      edited: edits.get(row.reviewerId) ?? 0,
      today: Number(row.today),
      week: Number(row.week),
      bulkActions: Number(bulks.get(row.reviewerId)?.actions ?? 0),
      bulkSamples: Number(bulks.get(row.reviewerId)?.samples ?? 0),
      last: row.last,
    })),
    reasons: reasons.map((row) => ({ reason: row.reason, count: Number(row.count) })),
  };
}
