import "server-only";
// Synthesis jobs and their items: creating them (items keyed deterministically, so creating the
// same item twice stores one), and the admin's controls — pause, resume, cancel.
import type { Prisma } from "@/generated/prisma/client";
import { db, pool } from "@/lib/db";
import { AppError } from "@/lib/errors";

const ITEM_BATCH = 1000;

export type NewItem = { key: string; input: Prisma.InputJsonValue };

export async function createJob(input: {
  pipeline: string;
  template: string;
  params: Prisma.InputJsonValue;
  modelVersionId?: string | null;
  createdById?: string | null;
  items: Iterable<NewItem> | AsyncIterable<NewItem>;
}) {
  const job = await db.synthesisJob.create({
    data: {
      pipeline: input.pipeline,
      template: input.template,
      params: input.params,
      modelVersionId: input.modelVersionId ?? null,
      createdById: input.createdById ?? null,
    },
  });
  let batch: NewItem[] = [];
  let total = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const { count } = await db.synthesisItem.createMany({
      data: batch.map((item) => ({ jobId: job.id, key: item.key, input: item.input })),
      skipDuplicates: true,
    });
    total += count;
    batch = [];
  };
  try {
    for await (const item of input.items) {
      batch.push(item);
      if (batch.length >= ITEM_BATCH) await flush();
    }
    await flush();
  } catch (error) {
    // Planning failed (a missing input, an unknown character): no half-made job is left behind.
    await db.synthesisJob.delete({ where: { id: job.id } });
    throw error;
  }
  return db.synthesisJob.update({ where: { id: job.id }, data: { total } });
}

const CONTROLS = {
  pause: { from: ["QUEUED", "RUNNING"], to: "PAUSED" },
  resume: { from: ["PAUSED", "CANCELLED"], to: "QUEUED" },
  cancel: { from: ["QUEUED", "RUNNING", "PAUSED"], to: "CANCELLED" },
} as const;

/** Pause, resume or cancel; running workers notice within their poll interval. */
export async function controlJob(id: string, action: keyof typeof CONTROLS) {
  const { from, to } = CONTROLS[action];
  const updated = await db.synthesisJob.updateMany({
    where: { id, status: { in: [...from] } },
    data: { status: to, ...(to === "QUEUED" ? { finishedAt: null } : {}) },
  });
  if (updated.count === 0) {
    const job = await db.synthesisJob.findUnique({ where: { id }, select: { status: true } });
    if (!job) throw new AppError("not_found:job", "That job does not exist.");
    throw new AppError("conflict:job_status", `A ${job.status.toLowerCase()} job cannot be ${action}d.`);
  }
  // Failed items get another chance on resume.
  if (action === "resume") {
    await db.synthesisItem.updateMany({
      where: { jobId: id, status: "FAILED" },
      data: { status: "PENDING", error: null },
    });
  }
}

export function listJobs(take = 50) {
  return db.synthesisJob.findMany({ orderBy: { createdAt: "desc" }, take });
}

export async function jobDetail(id: string) {
  const job = await db.synthesisJob.findUnique({ where: { id } });
  if (!job) throw new AppError("not_found:job", "That job does not exist.");
  const [byStatus, failures] = await Promise.all([
    db.synthesisItem.groupBy({ by: ["status"], where: { jobId: id }, _count: true }),
    db.synthesisItem.findMany({
      where: { jobId: id, status: "FAILED" },
      select: { key: true, error: true, attempts: true },
      orderBy: { key: "asc" },
      take: 50,
    }),
  ]);
  const elapsed = job.startedAt ? ((job.finishedAt ?? new Date()).getTime() - job.startedAt.getTime()) / 1000 : 0;
  const finished = job.done + job.failed;
  const rate = elapsed > 0 ? finished / elapsed : 0;
  return {
    job,
    items: Object.fromEntries(byStatus.map((group) => [group.status, group._count])),
    failures,
    ratePerSecond: rate,
    etaSeconds: rate > 0 ? Math.max(0, job.total - finished) / rate : null,
  };
}

/** Items finished per minute, for the job page's throughput chart (the last 120 minutes of activity). */
export async function jobThroughput(id: string) {
  const { rows } = await pool.query<{ minute: Date; finished: string }>(
    `SELECT date_trunc('minute', "finishedAt") AS minute, count(*) AS finished
       FROM "SynthesisItem" WHERE "jobId" = $1 AND "finishedAt" IS NOT NULL
      GROUP BY 1 ORDER BY 1 DESC LIMIT 120`,
    [id],
  );
  return rows.reverse().map((row) => ({ minute: row.minute, finished: Number(row.finished) }));
}

/** The first rows a job produced (the review queue shows them all). */
export async function jobSamples(id: string, take = 10) {
  const { rows } = await pool.query<{
    id: string;
    kind: string;
    prompt: unknown;
    chosen: string;
    rejected: string | null;
  }>(
    `SELECT s.id, s.kind, s.prompt, s.chosen, s.rejected
       FROM "SynthesisItem" i JOIN "TrainingSample" s ON s."synthesisItemId" = i.id
      WHERE i."jobId" = $1
      ORDER BY s."dedupeKey"
      LIMIT $2`,
    [id, take],
  );
  return rows;
}

/** Characters a profiles job created (its items' outputs). */
export async function jobCharacters(id: string, take = 20) {
  const items = await db.synthesisItem.findMany({
    where: { jobId: id, status: "DONE" },
    orderBy: { key: "asc" },
    take,
    select: { output: true },
  });
  return items.flatMap((item) => {
    const output = item.output as { characterId?: string; name?: string; nearDuplicateOf?: string | null } | null;
    return output?.characterId
      ? [{ id: output.characterId, name: output.name ?? "?", nearDuplicateOf: output.nearDuplicateOf ?? null }]
      : [];
  });
}
