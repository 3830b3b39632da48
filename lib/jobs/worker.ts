// The worker process: runs every task kind, proves it is alive with a heartbeat, and releases
// jobs still locked by workers whose heartbeat stopped (a kill -9, a lost machine), so they
// run again instead of waiting hours for graphile-worker's own stale-lock sweep.
import { EventEmitter } from "node:events";
import os from "node:os";
import { parseCrontab, type Runner, run, type Task, type TaskList, type WorkerEvents } from "graphile-worker";
import { db } from "@/lib/db";
import { resolveDatabaseUrl } from "@/lib/db/url";
import { releaseQueue, workerUtils } from "./queue";
import { CRONTAB, TASKS } from "./tasks";

export const HEARTBEAT_MS = 10_000;
/** A process whose heartbeat is older than this is dead. */
export const DEAD_AFTER_MS = 45_000;

function taskList(): TaskList {
  const list: TaskList = {};
  for (const [name, definition] of Object.entries(TASKS)) {
    const task: Task = async (payload, helpers) => {
      const parsed = definition.schema.safeParse(payload ?? {});
      if (!parsed.success) {
        // A payload that can never be valid should fail once and stay failed, not retry.
        helpers.logger.error(`invalid payload for ${name}: ${parsed.error.message}`);
        await helpers.query("UPDATE graphile_worker._private_jobs SET max_attempts = attempts WHERE id = $1", [
          helpers.job.id,
        ]);
        throw new Error(`invalid payload for ${name}`);
      }
      await definition.run(parsed.data as never, helpers);
    };
    list[name] = task;
  }
  return list;
}

/** Unlock jobs held by dead processes, and by workers no live process claims. */
export async function releaseDeadWorkers(now: Date = new Date()): Promise<string[]> {
  const cutoff = new Date(now.getTime() - DEAD_AFTER_MS);
  const processes = await db.workerProcess.findMany();
  const dead = processes.filter((process) => process.lastSeenAt < cutoff);
  const liveWorkerIds = new Set(
    processes.filter((process) => process.lastSeenAt >= cutoff).flatMap((p) => p.workerIds),
  );
  const stale = await db.$queryRaw<{ locked_by: string }[]>`
    SELECT DISTINCT locked_by FROM graphile_worker._private_jobs
    WHERE locked_by IS NOT NULL AND locked_at < ${cutoff}`;
  const toRelease = [
    ...new Set([...dead.flatMap((process) => process.workerIds), ...stale.map((row) => row.locked_by)]),
  ].filter((id) => !liveWorkerIds.has(id));
  if (toRelease.length > 0) await (await workerUtils()).forceUnlockWorkers(toRelease);
  if (dead.length > 0) await db.workerProcess.deleteMany({ where: { id: { in: dead.map((process) => process.id) } } });
  return toRelease;
}

export type WorkerHandle = { id: string; stop: () => Promise<void>; runner: Runner };

export async function startWorker(
  options: { concurrency?: number; log?: (message: string) => void; handleSignals?: boolean } = {},
): Promise<WorkerHandle> {
  const log = options.log ?? ((message: string) => console.log(`[worker] ${message}`));
  const id = `${os.hostname()}:${process.pid}:${crypto.randomUUID().slice(0, 8)}`;
  await workerUtils(); // installs graphile-worker's schema before anyone queries it
  await db.workerProcess.create({ data: { id, hostname: os.hostname(), pid: process.pid, workerIds: [] } });
  const released = await releaseDeadWorkers();
  if (released.length > 0) log(`released jobs held by ${released.length} dead worker(s)`);

  // Listen before run() starts, so no worker is created unrecorded.
  const events: WorkerEvents = new EventEmitter();
  events.on("worker:create", ({ worker }) => {
    void db.workerProcess
      .update({ where: { id }, data: { workerIds: { push: worker.workerId } } })
      .catch((error) => log(`could not record worker id: ${error}`));
  });
  const runner = await run({
    events,
    connectionString: resolveDatabaseUrl(),
    concurrency: options.concurrency ?? (Number(process.env.WORKER_CONCURRENCY) || 4),
    taskList: taskList(),
    parsedCronItems: parseCrontab(CRONTAB),
    noHandleSignals: true,
    pollInterval: 1000,
  });

  const beat = setInterval(() => {
    void (async () => {
      await db.workerProcess.update({ where: { id }, data: { lastSeenAt: new Date() } });
      await releaseDeadWorkers();
    })().catch((error) => log(`heartbeat failed: ${error}`));
  }, HEARTBEAT_MS);

  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      clearInterval(beat);
      log("stopping: finishing jobs in progress…");
      await runner.stop();
      await db.workerProcess.delete({ where: { id } }).catch(() => {});
      await releaseQueue();
      log("stopped");
    })();
    return stopping;
  };

  if (options.handleSignals) {
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        void stop().then(() => process.exit(0));
      });
    }
  }
  log(`worker ${id} running`);
  return { id, stop, runner };
}
