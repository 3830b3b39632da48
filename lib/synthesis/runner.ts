import "server-only";
// Runs a synthesis job's items. Items live in the database, keyed deterministically; any number
// of workers may run the same job: each slot claims one pending item with SKIP LOCKED, keeps a
// lease on it while the model works, and writes the result only if it still holds the lease. An
// item whose lease ran out (its worker died) is claimed again; its samples are keyed by the item,
// so a retried item replaces its rows instead of adding more. Transient model failures are retried
// with backoff; anything else fails the item with its reason. Pausing or cancelling the job aborts
// the requests in flight within a poll interval and hands their items back.
import { randomUUID } from "node:crypto";
import { setMaxListeners } from "node:events";
import type { Prisma } from "@/generated/prisma/client";
import { requestSampleChecks } from "@/lib/curation/checks";
import { db, pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { backoffMs, isTransient, sleep } from "./retry";

export type SampleDraft = {
  kind: "SFT" | "PREFERENCE" | "KTO";
  prompt: Prisma.InputJsonValue;
  chosen: string;
  rejected?: string;
  label?: boolean;
  /** Train on every assistant turn of the prompt too (a synthesized dialogue), not just the answer. */
  trainOn?: "LAST" | "ALL";
  /** Whose data the row is made from (a repaired reply's author), so their erasure reaches it. */
  userId?: string | null;
  lineage: Record<string, unknown>;
};

export type ItemResult = {
  output: Prisma.InputJsonValue;
  samples: SampleDraft[];
  tokensIn: number;
  tokensOut: number;
  /** Answers the model gave that did not parse (each one retried). */
  parseFailures: number;
};

export type ItemHandler = (input: unknown, context: { signal: AbortSignal; key: string }) => Promise<ItemResult>;

export type RunOptions = {
  workerId: string;
  /** Requests this worker keeps in flight. */
  concurrency: number;
  /** A claimed item not renewed for this long is considered abandoned. */
  leaseMs?: number;
  /** Attempts per item for transient failures. */
  maxAttempts?: number;
  pollMs?: number;
  signal?: AbortSignal;
};

export type Claimed = { id: string; key: string; input: unknown; attempts?: number };

/** Claims of one item after which it is failed instead of run again (its workers keep dying on it). */
const MAX_CLAIMS = 10;

const CLAIM = (condition: string) => `
  UPDATE "SynthesisItem" SET status = 'RUNNING', "lockedBy" = $2, "lockedAt" = now(),
         attempts = attempts + 1, "updatedAt" = now()
   WHERE id = (
     SELECT id FROM "SynthesisItem"
      WHERE "jobId" = $1 AND ${condition}
      ORDER BY key
      LIMIT 1
      FOR UPDATE SKIP LOCKED)
  RETURNING id, key, input, attempts`;

// Two statements, each an index range scan on (jobId, status, key): a pending item, else one whose
// worker stopped renewing its lease.
const CLAIM_PENDING = CLAIM(`status = 'PENDING'`);
const CLAIM_ABANDONED = CLAIM(`status = 'RUNNING' AND "lockedAt" < now() - make_interval(secs => $3)`);

async function claim(jobId: string, workerId: string, leaseMs: number): Promise<Claimed | null> {
  const pending = await pool.query<Claimed>(CLAIM_PENDING, [jobId, workerId]);
  if (pending.rows[0]) return pending.rows[0];
  const abandoned = await pool.query<Claimed>(CLAIM_ABANDONED, [jobId, workerId, leaseMs / 1000]);
  return abandoned.rows[0] ?? null;
}

/** Whether items are still open once this runner holds none: held by other runners, or claimable now. */
async function openItems(jobId: string, leaseMs: number): Promise<{ held: boolean; claimable: boolean }> {
  const { rows } = await pool.query<{ held: boolean; claimable: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM "SynthesisItem" WHERE "jobId" = $1 AND status = 'RUNNING') AS held,
            EXISTS (SELECT 1 FROM "SynthesisItem" WHERE "jobId" = $1 AND status = 'PENDING')
              OR EXISTS (SELECT 1 FROM "SynthesisItem"
                          WHERE "jobId" = $1 AND status = 'RUNNING' AND "lockedAt" < now() - make_interval(secs => $2))
              AS claimable`,
    [jobId, leaseMs / 1000],
  );
  return rows[0] ?? { held: false, claimable: false };
}

/**
 * Record an item's result in one statement: the item becomes DONE (only if this worker still holds
 * it), its rows are upserted by key, and rows a previous attempt wrote beyond them are removed.
 */
export async function finishItem(jobId: string, item: Claimed, workerId: string, result: ItemResult): Promise<boolean> {
  const rows = result.samples.map((sample, index) => ({
    id: randomUUID(),
    kind: sample.kind,
    prompt: sample.prompt,
    chosen: sample.chosen,
    rejected: sample.rejected ?? null,
    label: sample.label ?? null,
    trainOn: sample.trainOn ?? "LAST",
    userId: sample.userId ?? null,
    lineage: { ...sample.lineage, jobId, itemKey: item.key },
    dedupeKey: `synth:${jobId}:${item.key}:${index}`,
  }));
  const { rows: updated } = await pool.query<{ finished: string }>(
    `WITH item AS (
       UPDATE "SynthesisItem"
          SET status = 'DONE', output = $3::jsonb, error = NULL, "lockedBy" = NULL, "finishedAt" = now(),
              "updatedAt" = now(), "tokensIn" = $5, "tokensOut" = $6, "parseFailures" = "parseFailures" + $7
        WHERE id = $1 AND "lockedBy" = $2 AND status = 'RUNNING'
        RETURNING id
     ), stale AS (
       DELETE FROM "TrainingSample"
        WHERE "synthesisItemId" = $1 AND "dedupeKey" <> ALL($8::text[]) AND EXISTS (SELECT 1 FROM item)
          AND state IN ('NEW', 'AUTO_CHECKED', 'NEEDS_REVIEW') AND "reviewedAt" IS NULL
          AND NOT EXISTS (SELECT 1 FROM "DatasetItem" d WHERE d."sampleId" = "TrainingSample".id)
     ), upserted AS (
       INSERT INTO "TrainingSample" (id, kind, source, state, prompt, chosen, rejected, label, "userId", lineage,
                                     "dedupeKey", "trainOn", "synthesisItemId", "createdAt", "updatedAt")
       SELECT r.id, r.kind::"SampleKind", 'SYNTHETIC', 'NEW', r.prompt, r.chosen, r.rejected, r.label, r."userId",
              r.lineage, r."dedupeKey", coalesce(r."trainOn", 'LAST')::"SampleTrainOn", $1, now(), now()
         FROM jsonb_to_recordset($4::jsonb) AS r(id text, kind text, prompt jsonb, chosen text, rejected text,
                                                  label boolean, "userId" text, lineage jsonb, "dedupeKey" text,
                                                  "trainOn" text)
        WHERE EXISTS (SELECT 1 FROM item)
       ON CONFLICT ("dedupeKey") DO UPDATE
          SET prompt = EXCLUDED.prompt, chosen = EXCLUDED.chosen, rejected = EXCLUDED.rejected,
              label = EXCLUDED.label, lineage = EXCLUDED.lineage, "trainOn" = EXCLUDED."trainOn", state = 'NEW',
              "checkedAt" = NULL, "updatedAt" = now()
        -- A reviewed row is what a reviewer saw (and maybe a dataset holds): a rerun never rewrites it.
        WHERE "TrainingSample".state IN ('NEW', 'AUTO_CHECKED', 'NEEDS_REVIEW') AND "TrainingSample"."reviewedAt" IS NULL
          AND NOT EXISTS (SELECT 1 FROM "DatasetItem" d WHERE d."sampleId" = "TrainingSample".id)
     )
     SELECT count(*) AS finished FROM item`,
    [
      item.id,
      workerId,
      JSON.stringify(result.output),
      JSON.stringify(rows),
      result.tokensIn,
      result.tokensOut,
      result.parseFailures,
      rows.map((row) => row.dedupeKey),
    ],
  );
  // Zero: the lease ran out and another worker owns the item now; its result wins.
  return Number(updated[0]?.finished ?? 0) > 0;
}

export async function failItem(jobId: string, item: Claimed, workerId: string, error: unknown, parseFailures: number) {
  const message = error instanceof AppError ? error.message : error instanceof Error ? error.message : String(error);
  await pool.query(
    `UPDATE "SynthesisItem"
        SET status = 'FAILED', error = $4, "lockedBy" = NULL, "finishedAt" = now(), "updatedAt" = now(),
            "parseFailures" = "parseFailures" + $5
      WHERE id = $1 AND "lockedBy" = $2 AND status = 'RUNNING' AND "jobId" = $3`,
    [item.id, workerId, jobId, message.slice(0, 2000), parseFailures],
  );
}

/** Bring the job's counters up to date from its items (one aggregate, no per-item counter row). */
export async function refreshCounters(jobId: string): Promise<void> {
  await pool.query(
    `UPDATE "SynthesisJob" j
        SET done = s.done, failed = s.failed, "parseFailures" = s.parse_failures, retries = s.retries,
            "tokensIn" = s.tokens_in, "tokensOut" = s.tokens_out, "updatedAt" = now()
       FROM (SELECT count(*) FILTER (WHERE status = 'DONE') AS done,
                    count(*) FILTER (WHERE status = 'FAILED') AS failed,
                    COALESCE(sum("parseFailures"), 0) AS parse_failures, COALESCE(sum(retries), 0) AS retries,
                    COALESCE(sum("tokensIn"), 0) AS tokens_in, COALESCE(sum("tokensOut"), 0) AS tokens_out
               FROM "SynthesisItem" WHERE "jobId" = $1) s
      WHERE j.id = $1`,
    [jobId],
  );
}

/** Hand an item back untouched (the job was paused or cancelled while it ran). */
async function release(item: Claimed, workerId: string) {
  await db.synthesisItem.updateMany({
    where: { id: item.id, lockedBy: workerId, status: "RUNNING" },
    data: { status: "PENDING", lockedBy: null, lockedAt: null, attempts: { decrement: 1 } },
  });
}

/** Take one pending item by key for an outside result (a batch file); null when it is not pending. */
export async function claimByKey(jobId: string, key: string, workerId: string): Promise<Claimed | null> {
  const { rows } = await pool.query<Claimed>(
    `UPDATE "SynthesisItem" SET status = 'RUNNING', "lockedBy" = $3, "lockedAt" = now(), attempts = attempts + 1,
            "updatedAt" = now()
      WHERE "jobId" = $1 AND key = $2 AND status = 'PENDING'
      RETURNING id, key, input`,
    [jobId, key, workerId],
  );
  return rows[0] ?? null;
}

/**
 * Mark the job completed once no item is left to run (any worker may be the one to notice). Called
 * when a runner or a batch import is through, so its samples are checked now, not item by item.
 */
export async function completeIfDone(jobId: string) {
  await requestSampleChecks();
  await refreshCounters(jobId);
  const open = await db.synthesisItem.count({ where: { jobId, status: { in: ["PENDING", "RUNNING"] } } });
  if (open === 0) {
    await db.synthesisJob.updateMany({
      where: { id: jobId, status: "RUNNING" },
      data: { status: "COMPLETED", finishedAt: new Date() },
    });
  }
}

/** Run the job's items until none is left for this worker, or the job is paused or cancelled. */
export async function runJob(jobId: string, handler: ItemHandler, options: RunOptions): Promise<{ processed: number }> {
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 5;
  const pollMs = options.pollMs ?? 500;
  const started = await db.synthesisJob.updateMany({
    where: { id: jobId, status: { in: ["QUEUED", "RUNNING"] } },
    data: { status: "RUNNING" },
  });
  if (started.count === 0) return { processed: 0 };
  await db.synthesisJob.updateMany({ where: { id: jobId, startedAt: null }, data: { startedAt: new Date() } });

  const stop = new AbortController();
  // Each slot's current item listens on it: that is `concurrency` listeners, by design.
  setMaxListeners(options.concurrency + 10, stop.signal);
  options.signal?.addEventListener("abort", () => stop.abort(), { once: true });
  const running = new Set<string>();
  // Watch for pause/cancel, and renew the leases of the items in flight.
  let lastRenewal = Date.now();
  const watcher = setInterval(() => {
    void (async () => {
      const job = await db.synthesisJob.findUnique({ where: { id: jobId }, select: { status: true } });
      if (job?.status !== "RUNNING") stop.abort();
      await refreshCounters(jobId);
      if (Date.now() - lastRenewal >= leaseMs / 3 && running.size > 0) {
        lastRenewal = Date.now();
        await db.synthesisItem.updateMany({
          where: { id: { in: [...running] }, lockedBy: options.workerId },
          data: { lockedAt: new Date() },
        });
      }
    })().catch((error) => console.error("[synthesis] watcher", error));
  }, pollMs);

  let processed = 0;
  /** Run one item to a result or a failure (with retries); null when the job stopped under it. */
  const attempt = async (item: Claimed): Promise<(() => Promise<void>) | null> => {
    // A signal per item: the model calls hang listeners on it, and they go away with the item
    // instead of piling up on the job-wide one.
    const itemAbort = new AbortController();
    const forward = () => itemAbort.abort();
    stop.signal.addEventListener("abort", forward, { once: true });
    try {
      return await attemptWith(item, itemAbort.signal);
    } finally {
      stop.signal.removeEventListener("abort", forward);
    }
  };

  const attemptWith = async (item: Claimed, signal: AbortSignal): Promise<(() => Promise<void>) | null> => {
    for (let tries = 0; ; tries++) {
      try {
        const result = await handler(item.input, { signal, key: item.key });
        return async () => {
          if (await finishItem(jobId, item, options.workerId, result)) processed++;
        };
      } catch (error) {
        if (stop.signal.aborted) return null;
        if (isTransient(error) && tries + 1 < maxAttempts) {
          await db.synthesisItem.update({ where: { id: item.id }, data: { retries: { increment: 1 } } });
          await sleep(backoffMs(tries), signal);
          continue;
        }
        const parseFailures =
          error instanceof AppError && error.code === "upstream_error:invalid_output"
            ? ((error as { parseAttempts?: number }).parseAttempts ?? 1)
            : 0;
        return () => failItem(jobId, item, options.workerId, error, parseFailures);
      }
    }
  };

  // Each slot claims its next item while the model works on the current one, and writes a result
  // while the next request is already out: the database's round trips stay off the model's path.
  const slot = async () => {
    // Claimed items are leased from the moment they are claimed: renew them while they wait too.
    const claimNext = () =>
      claim(jobId, options.workerId, leaseMs).then((claimed) => {
        if (claimed) running.add(claimed.id);
        return claimed;
      });
    let next = claimNext();
    let writing: Promise<void> = Promise.resolve();
    for (;;) {
      const item = await next;
      if (!item) break;
      if (stop.signal.aborted) {
        await release(item, options.workerId);
        running.delete(item.id);
        break;
      }
      next = claimNext();
      const record =
        (item.attempts ?? 1) > MAX_CLAIMS
          ? () =>
              failItem(
                jobId,
                item,
                options.workerId,
                new Error(`Gave up after ${MAX_CLAIMS} claims: its workers kept stopping.`),
                0,
              )
          : await attempt(item);
      const previous = writing;
      writing = (async () => {
        await previous;
        if (record) await record();
        else await release(item, options.workerId);
      })().finally(() => running.delete(item.id));
      // Awaited by the next write or at the end; marked handled so a failure cannot crash the process first.
      writing.catch(() => {});
    }
    await writing;
  };
  try {
    // Items other runners still hold are not done: if their runner died (kill -9, a lost machine),
    // only a runner still here takes them over when the lease lapses. So wait while any are held.
    for (;;) {
      await Promise.all(Array.from({ length: options.concurrency }, slot));
      let open = await openItems(jobId, leaseMs);
      while (open.held && !open.claimable && !stop.signal.aborted) {
        await sleep(pollMs, stop.signal);
        open = await openItems(jobId, leaseMs);
      }
      if (stop.signal.aborted || !open.claimable) break;
    }
  } finally {
    clearInterval(watcher);
  }
  await completeIfDone(jobId);
  return { processed };
}
