import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { assertTestDatabase } from "@/lib/testing/db";
import { enqueue, releaseQueue, workerUtils } from "./queue";
import { releaseDeadWorkers, startWorker } from "./worker";

beforeAll(async () => {
  assertTestDatabase();
  await workerUtils();
});
afterAll(releaseQueue);

async function jobRow(id: string) {
  const rows = await db.$queryRaw<{ locked_by: string | null; attempts: number; last_error: string | null }[]>`
    SELECT locked_by, attempts, last_error FROM graphile_worker._private_jobs WHERE id = ${BigInt(id)}`;
  return rows[0] ?? null;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error("timed out waiting");
}

describe("background worker", () => {
  it("runs the maintenance job, records itself, and stops gracefully", async () => {
    const key = `expired:${Math.random()}`;
    await db.rateLimitBucket.create({ data: { key, count: 1, windowEnds: new Date(Date.now() - 60_000) } });
    const worker = await startWorker({ concurrency: 2, log: () => {} });
    try {
      const job = await enqueue("maintenance:purge_rate_limits", {});
      await waitFor(async () => (await jobRow(job.id)) === null);
      expect(await db.rateLimitBucket.findUnique({ where: { key } })).toBeNull();
      const me = await db.workerProcess.findUniqueOrThrow({ where: { id: worker.id } });
      expect(me.workerIds.length).toBeGreaterThan(0);
    } finally {
      await worker.stop();
    }
    expect(await db.workerProcess.findUnique({ where: { id: worker.id } })).toBeNull();
  });

  it("releases jobs held by a worker whose heartbeat stopped, and they run again", async () => {
    const job = await enqueue("maintenance:purge_rate_limits", {}, { runAt: new Date(Date.now() + 3_600_000) });
    await db.workerProcess.create({
      data: {
        id: "dead-host:1:x",
        hostname: "dead-host",
        pid: 1,
        workerIds: ["worker-dead-1"],
        lastSeenAt: new Date(Date.now() - 120_000),
      },
    });
    await db.$executeRaw`UPDATE graphile_worker._private_jobs
      SET locked_by = 'worker-dead-1', locked_at = now() - interval '2 minutes', run_at = now() WHERE id = ${BigInt(job.id)}`;
    const released = await releaseDeadWorkers();
    expect(released).toContain("worker-dead-1");
    expect((await jobRow(job.id))?.locked_by).toBeNull();
    expect(await db.workerProcess.findUnique({ where: { id: "dead-host:1:x" } })).toBeNull();

    const worker = await startWorker({ concurrency: 1, log: () => {} });
    try {
      await waitFor(async () => (await jobRow(job.id)) === null);
    } finally {
      await worker.stop();
    }
  });

  it("does not release jobs of live workers", async () => {
    const job = await enqueue("maintenance:purge_rate_limits", {}, { runAt: new Date(Date.now() + 3_600_000) });
    await db.workerProcess.create({
      data: {
        id: "live-host:1:y",
        hostname: "live-host",
        pid: 1,
        workerIds: ["worker-live-1"],
        lastSeenAt: new Date(),
      },
    });
    await db.$executeRaw`UPDATE graphile_worker._private_jobs
      SET locked_by = 'worker-live-1', locked_at = now() - interval '2 minutes' WHERE id = ${BigInt(job.id)}`;
    try {
      expect(await releaseDeadWorkers()).not.toContain("worker-live-1");
      expect((await jobRow(job.id))?.locked_by).toBe("worker-live-1");
    } finally {
      await db.workerProcess.delete({ where: { id: "live-host:1:y" } });
      await (await workerUtils()).completeJobs([job.id]);
    }
  });

  it("refuses an invalid payload when enqueuing", async () => {
    await expect(enqueue("maintenance:purge_rate_limits", "nope" as never)).rejects.toThrow();
  });
});
