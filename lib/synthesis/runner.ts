import "server-only";
// Runs a synthesis job's items. Items live in the database, keyed deterministically; any number
// of workers may run the same job: each slot claims one pending item with SKIP LOCKED, keeps a
// lease on it while the model works, and writes the result only if it still holds the lease. An
// item whose lease ran out (its worker died) is claimed again; its samples are keyed by the item,
// so a retried item replaces its rows instead of adding more. Transient model failures are retried
// with backoff; anything else fails the item with its reason. Pausing or cancelling the job aborts
// the requests in flight within a poll interval and hands their items back.
import type { Prisma } from "@/generated/prisma/client";
import { db, pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { backoffMs, isTransient, sleep } from "./retry";

export type SampleDraft = {
  kind: "SFT" | "PREFERENCE" | "KTO";
  prompt: Prisma.InputJsonValue;
  chosen: string;
  rejected?: string;
  label?: boolean;
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

type Claimed = { id: string; key: string; input: unknown };

async function claim(jobId: string, workerId: string, leaseMs: number): Promise<Claimed | null> {
  const { rows } = await pool.query<Claimed>(
    `UPDATE "SynthesisItem" SET status = 'RUNNING', "lockedBy" = $2, "lockedAt" = now(),
            attempts = attempts + 1, "updatedAt" = now()
      WHERE id = (
        SELECT id FROM "SynthesisItem"
         WHERE "jobId" = $1
           AND (status = 'PENDING' OR (status = 'RUNNING' AND "lockedAt" < now() - make_interval(secs => $3)))
         ORDER BY key
         LIMIT 1
         FOR UPDATE SKIP LOCKED)
      RETURNING id, key, input`,
    [jobId, workerId, leaseMs / 1000],
  );
  return rows[0] ?? null;
}

async function finish(jobId: string, item: Claimed, workerId: string, result: ItemResult): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const updated = await tx.synthesisItem.updateMany({
      where: { id: item.id, lockedBy: workerId, status: "RUNNING" },
      data: { status: "DONE", output: result.output, error: null, lockedBy: null, finishedAt: new Date() },
    });
    // The lease ran out and another worker owns the item now: its result wins.
    if (updated.count === 0) return false;
    await tx.trainingSample.deleteMany({ where: { dedupeKey: { startsWith: `synth:${jobId}:${item.key}:` } } });
    if (result.samples.length > 0) {
      await tx.trainingSample.createMany({
        data: result.samples.map((sample, index) => ({
          kind: sample.kind,
          source: "SYNTHETIC",
          prompt: sample.prompt,
          chosen: sample.chosen,
          rejected: sample.rejected ?? null,
          label: sample.label ?? null,
          lineage: { ...sample.lineage, jobId, itemKey: item.key } as Prisma.InputJsonValue,
          dedupeKey: `synth:${jobId}:${item.key}:${index}`,
        })),
      });
    }
    await tx.synthesisJob.update({
      where: { id: jobId },
      data: {
        done: { increment: 1 },
        parseFailures: { increment: result.parseFailures },
        tokensIn: { increment: result.tokensIn },
        tokensOut: { increment: result.tokensOut },
      },
    });
    return true;
  });
}

async function fail(jobId: string, item: Claimed, workerId: string, error: unknown, parseFailure: boolean) {
  const message = error instanceof AppError ? error.message : error instanceof Error ? error.message : String(error);
  const updated = await db.synthesisItem.updateMany({
    where: { id: item.id, lockedBy: workerId, status: "RUNNING" },
    data: { status: "FAILED", error: message.slice(0, 2000), lockedBy: null, finishedAt: new Date() },
  });
  if (updated.count > 0) {
    await db.synthesisJob.update({
      where: { id: jobId },
      data: { failed: { increment: 1 }, ...(parseFailure ? { parseFailures: { increment: 1 } } : {}) },
    });
  }
}

/** Hand an item back untouched (the job was paused or cancelled while it ran). */
async function release(item: Claimed, workerId: string) {
  await db.synthesisItem.updateMany({
    where: { id: item.id, lockedBy: workerId, status: "RUNNING" },
    data: { status: "PENDING", lockedBy: null, lockedAt: null, attempts: { decrement: 1 } },
  });
}

/** Mark the job completed once no item is left to run (any worker may be the one to notice). */
async function completeIfDone(jobId: string) {
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
  options.signal?.addEventListener("abort", () => stop.abort(), { once: true });
  const running = new Set<string>();
  // Watch for pause/cancel, and renew the leases of the items in flight.
  let lastRenewal = Date.now();
  const watcher = setInterval(() => {
    void (async () => {
      const job = await db.synthesisJob.findUnique({ where: { id: jobId }, select: { status: true } });
      if (job?.status !== "RUNNING") stop.abort();
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
  const slot = async () => {
    while (!stop.signal.aborted) {
      const item = await claim(jobId, options.workerId, leaseMs);
      if (!item) return;
      running.add(item.id);
      try {
        for (let attempt = 0; ; attempt++) {
          try {
            const result = await handler(item.input, { signal: stop.signal, key: item.key });
            if (await finish(jobId, item, options.workerId, result)) processed++;
            break;
          } catch (error) {
            if (stop.signal.aborted) {
              await release(item, options.workerId);
              break;
            }
            if (isTransient(error) && attempt + 1 < maxAttempts) {
              await db.synthesisJob.update({ where: { id: jobId }, data: { retries: { increment: 1 } } });
              await sleep(backoffMs(attempt), stop.signal);
              continue;
            }
            const parseFailure = error instanceof AppError && error.code === "upstream_error:invalid_output";
            await fail(jobId, item, options.workerId, error, parseFailure);
            break;
          }
        }
      } finally {
        running.delete(item.id);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency }, slot));
  } finally {
    clearInterval(watcher);
  }
  await completeIfDone(jobId);
  return { processed };
}
