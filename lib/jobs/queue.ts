// Adding jobs. One WorkerUtils (and pool) per process, created on first use.
import { makeWorkerUtils, type TaskSpec, type WorkerUtils } from "graphile-worker";
import { resolveDatabaseUrl } from "@/lib/db/url";
import { TASKS, type TaskName, type TaskPayload } from "./tasks";

let utils: Promise<WorkerUtils> | undefined;

export function workerUtils(): Promise<WorkerUtils> {
  utils ??= (async () => {
    const created = await makeWorkerUtils({ connectionString: resolveDatabaseUrl() });
    await created.migrate();
    return created;
  })();
  return utils;
}

export async function enqueue<N extends TaskName>(name: N, payload: TaskPayload<N>, spec: TaskSpec = {}) {
  const valid = TASKS[name].schema.parse(payload);
  return (await workerUtils()).addJob(name as string, valid, spec);
}

export async function releaseQueue(): Promise<void> {
  if (!utils) return;
  const current = utils;
  utils = undefined;
  await (await current).release();
}
