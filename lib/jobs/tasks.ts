// Every job kind Troupe runs in the background: a payload schema and a handler.
import type { JobHelpers } from "graphile-worker";
import { z } from "zod";
import { failStaleStreams } from "@/lib/chat/queries";
import { purgeExpiredRateLimits } from "@/lib/rate-limit";

type TaskDefinition<S extends z.ZodType> = {
  schema: S;
  run: (payload: z.infer<S>, helpers: JobHelpers) => Promise<void>;
};

function defineTask<S extends z.ZodType>(definition: TaskDefinition<S>): TaskDefinition<S> {
  return definition;
}

/** How long one sample-checking job runs before it leaves the rest to the next. */
const CHECK_BUDGET_MS = 5 * 60_000;

export const TASKS = {
  /** Deletes rate-limit buckets whose window has ended; also runs hourly from the crontab. */
  "maintenance:purge_rate_limits": defineTask({
    schema: z.object({}).loose(),
    async run(_payload, helpers) {
      const removed = await purgeExpiredRateLimits();
      helpers.logger.info(`purged ${removed} expired rate-limit bucket(s)`);
    },
  }),
  /** Marks replies whose generating process died mid-stream as failed (partial text kept). */
  "maintenance:fail_stale_streams": defineTask({
    schema: z.object({}).loose(),
    async run(_payload, helpers) {
      const failed = await failStaleStreams();
      if (failed > 0) helpers.logger.info(`marked ${failed} interrupted reply(ies) as failed`);
    },
  }),
  /** Runs a synthesis job's items; several of these may run one job at once (they share items). */
  "synthesis:run_job": defineTask({
    schema: z.object({ jobId: z.string().min(1).max(64) }),
    async run(payload, helpers) {
      const { executeJob } = await import("@/lib/synthesis/service");
      const { processed } = await executeJob(payload.jobId);
      helpers.logger.info(`synthesis job ${payload.jobId}: ${processed} item(s) done by this runner`);
    },
  }),
  /**
   * Runs the automatic checks on new training samples until none is left or its time is up (the
   * crontab's next run takes the rest). Queued with a job key, so bursts of triggers make one job.
   */
  "curation:check_samples": defineTask({
    schema: z.object({}).loose(),
    async run(_payload, helpers) {
      const { checkPendingSamples } = await import("@/lib/curation/checks");
      const { configuredJudge } = await import("@/lib/curation/judge");
      const judge = await configuredJudge();
      const deadline = Date.now() + CHECK_BUDGET_MS;
      let checked = 0;
      let review = 0;
      while (Date.now() < deadline && !helpers.abortSignal.aborted) {
        const batch = await checkPendingSamples({ judge, signal: helpers.abortSignal });
        if (batch.checked === 0) break;
        checked += batch.checked;
        review += batch.needsReview;
      }
      if (checked > 0) helpers.logger.info(`checked ${checked} sample(s), ${review} need review`);
    },
  }),
};

export type TaskName = keyof typeof TASKS;
export type TaskPayload<N extends TaskName> = z.infer<(typeof TASKS)[N]["schema"]>;

/** Housekeeping, in graphile-worker's crontab syntax. */
export const CRONTAB = [
  "0 * * * * maintenance:purge_rate_limits",
  "* * * * * maintenance:fail_stale_streams",
  // Samples whose trigger was lost (or written by a path without one) wait at most a minute.
  "* * * * * curation:check_samples ?jobKey=curation:check_samples&jobKeyMode=preserve_run_at",
].join("\n");
