import { describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { assertTestDatabase } from "@/lib/testing/db";
import { controlJob, createJob } from "./jobs";
import { type ItemHandler, type ItemResult, runJob } from "./runner";

assertTestDatabase();

const items = (count: number) =>
  Array.from({ length: count }, (_, index) => ({
    key: `test:${String(index).padStart(5, "0")}`,
    input: { n: index },
  }));

const result = (n: number): ItemResult => ({
  output: { doubled: n * 2 },
  samples: [{ kind: "SFT", prompt: [{ role: "user", content: `n=${n}` }], chosen: String(n * 2), lineage: {} }],
  tokensIn: 3,
  tokensOut: 2,
  parseFailures: 0,
});

const double: ItemHandler = async (input) => result((input as { n: number }).n);

const newJob = (count: number) => createJob({ pipeline: "test", template: "test@1", params: {}, items: items(count) });

async function samplesOf(jobId: string) {
  return db.trainingSample.findMany({ where: { dedupeKey: { startsWith: `synth:${jobId}:` } } });
}

describe("the synthesis runner", () => {
  it("runs every item once, writes one sample per item and completes the job", async () => {
    const job = await newJob(40);
    expect(job.total).toBe(40);
    const { processed } = await runJob(job.id, double, { workerId: "w1", concurrency: 8 });
    expect(processed).toBe(40);
    const done = await db.synthesisJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(done).toMatchObject({ status: "COMPLETED", done: 40, failed: 0, tokensIn: 120, tokensOut: 80 });
    expect(await samplesOf(job.id)).toHaveLength(40);
  });

  it("waits for an item a dead runner holds and takes it over when its lease lapses", async () => {
    const job = await newJob(6);
    await db.synthesisJob.update({ where: { id: job.id }, data: { status: "RUNNING" } });
    // Claimed by a runner that was killed right after: its lease is never renewed.
    await db.synthesisItem.updateMany({
      where: { jobId: job.id, key: "test:00003" },
      data: { status: "RUNNING", lockedBy: "killed", lockedAt: new Date(), attempts: 1 },
    });
    const { processed } = await runJob(job.id, double, {
      workerId: "heir",
      concurrency: 2,
      leaseMs: 1500,
      pollMs: 100,
    });
    expect(processed).toBe(6);
    expect(await db.synthesisJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      status: "COMPLETED",
      done: 6,
    });
    const taken = await db.synthesisItem.findFirstOrThrow({ where: { jobId: job.id, key: "test:00003" } });
    expect(taken).toMatchObject({ status: "DONE", attempts: 2 });
  });

  it("creating the same items twice stores them once", async () => {
    const job = await createJob({
      pipeline: "test",
      template: "test@1",
      params: {},
      items: [...items(5), ...items(5)],
    });
    expect(job.total).toBe(5);
  });

  it("lets two workers share a job without running any item twice", async () => {
    const job = await newJob(60);
    const seen: string[] = [];
    const handler: ItemHandler = async (input, { key }) => {
      seen.push(key);
      await new Promise((resolve) => setTimeout(resolve, 5));
      return result((input as { n: number }).n);
    };
    const [a, b] = await Promise.all([
      runJob(job.id, handler, { workerId: "a", concurrency: 4 }),
      runJob(job.id, handler, { workerId: "b", concurrency: 4 }),
    ]);
    expect(a.processed + b.processed).toBe(60);
    expect(a.processed).toBeGreaterThan(0);
    expect(b.processed).toBeGreaterThan(0);
    expect(new Set(seen).size).toBe(60);
    expect(seen).toHaveLength(60);
    expect(await samplesOf(job.id)).toHaveLength(60);
  });

  it("picks up the items of a worker that died", async () => {
    const job = await newJob(10);
    // A worker claimed three items and died: their leases are long expired.
    const abandoned = await db.synthesisItem.findMany({ where: { jobId: job.id }, orderBy: { key: "asc" }, take: 3 });
    await db.synthesisItem.updateMany({
      where: { id: { in: abandoned.map((item) => item.id) } },
      data: { status: "RUNNING", lockedBy: "dead", lockedAt: new Date(Date.now() - 10 * 60_000), attempts: 1 },
    });
    const { processed } = await runJob(job.id, double, { workerId: "alive", concurrency: 3, leaseMs: 60_000 });
    expect(processed).toBe(10);
    expect(await samplesOf(job.id)).toHaveLength(10);
    expect(await db.synthesisItem.count({ where: { jobId: job.id, status: "DONE" } })).toBe(10);
  });

  it("retries transient failures with backoff, and fails a bad request at once with its reason", async () => {
    const job = await newJob(2);
    const calls = new Map<string, number>();
    const handler: ItemHandler = async (input, { key }) => {
      const count = (calls.get(key) ?? 0) + 1;
      calls.set(key, count);
      if ((input as { n: number }).n === 0) {
        if (count < 3) throw new AppError("upstream_error:server", "The model server failed (HTTP 503). Try again.");
        return result(0);
      }
      throw new AppError("upstream_error:request", "The model server rejected the request (HTTP 400).");
    };
    await runJob(job.id, handler, { workerId: "w", concurrency: 2 });
    expect([...calls.values()].sort()).toEqual([1, 3]);
    const after = await db.synthesisJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(after).toMatchObject({ done: 1, failed: 1, retries: 2, status: "COMPLETED" });
    const failed = await db.synthesisItem.findFirstOrThrow({ where: { jobId: job.id, status: "FAILED" } });
    expect(failed.error).toContain("HTTP 400");
  });

  it("counts a parse failure, and resume retries failed items", async () => {
    const job = await newJob(1);
    await runJob(
      job.id,
      async () => {
        throw new AppError("upstream_error:invalid_output", "The model's answer did not match the expected format.");
      },
      { workerId: "w", concurrency: 1 },
    );
    expect(await db.synthesisJob.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({
      failed: 1,
      parseFailures: 1,
    });
    await db.synthesisJob.update({ where: { id: job.id }, data: { status: "PAUSED" } });
    await controlJob(job.id, "resume");
    await runJob(job.id, double, { workerId: "w", concurrency: 1 });
    expect(await db.synthesisItem.count({ where: { jobId: job.id, status: "DONE" } })).toBe(1);
  });

  it("stops sending requests within a second of a cancel, and hands in-flight items back", async () => {
    const job = await newJob(200);
    let started = 0;
    let cancelledAt = 0;
    const startsAfterCancel: number[] = [];
    const handler: ItemHandler = async (input, { signal }) => {
      started++;
      if (cancelledAt) startsAfterCancel.push(Date.now() - cancelledAt);
      await new Promise((resolve, reject) => {
        const timer = setTimeout(resolve, 50);
        signal.addEventListener("abort", () => {
          clearTimeout(timer);
          reject(new Error("aborted"));
        });
      });
      return result((input as { n: number }).n);
    };
    const running = runJob(job.id, handler, { workerId: "w", concurrency: 4, pollMs: 100 });
    await new Promise((resolve) => setTimeout(resolve, 300));
    await controlJob(job.id, "cancel");
    cancelledAt = Date.now();
    await running;
    expect(Math.max(0, ...startsAfterCancel)).toBeLessThan(1000);
    expect(started).toBeLessThan(200);
    expect(await db.synthesisItem.count({ where: { jobId: job.id, status: "RUNNING" } })).toBe(0);
    const after = await db.synthesisJob.findUniqueOrThrow({ where: { id: job.id } });
    expect(after.status).toBe("CANCELLED");
    expect(after.done).toBe(await db.synthesisItem.count({ where: { jobId: job.id, status: "DONE" } }));
  });
});
