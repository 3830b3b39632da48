// Every job kind Troupe runs in the background: a payload schema and a handler.
import type { JobHelpers } from "graphile-worker";
import { z } from "zod";
import { purgeExpiredRateLimits } from "@/lib/rate-limit";

type TaskDefinition<S extends z.ZodType> = {
  schema: S;
  run: (payload: z.infer<S>, helpers: JobHelpers) => Promise<void>;
};

function defineTask<S extends z.ZodType>(definition: TaskDefinition<S>): TaskDefinition<S> {
  return definition;
}

export const TASKS = {
  /** Deletes rate-limit buckets whose window has ended; also runs hourly from the crontab. */
  "maintenance:purge_rate_limits": defineTask({
    schema: z.object({}).loose(),
    async run(_payload, helpers) {
      const removed = await purgeExpiredRateLimits();
      helpers.logger.info(`purged ${removed} expired rate-limit bucket(s)`);
    },
  }),
};

export type TaskName = keyof typeof TASKS;
export type TaskPayload<N extends TaskName> = z.infer<(typeof TASKS)[N]["schema"]>;

/** Hourly housekeeping, in graphile-worker's crontab syntax. */
export const CRONTAB = "0 * * * * maintenance:purge_rate_limits";
