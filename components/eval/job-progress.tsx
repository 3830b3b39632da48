import Link from "next/link";

type RunJob = { id: string; status: string; done: number; failed: number; total: number };

/** Where a run's job stands, with a link to the job page (pause, resume, cancel, tokens). */
export function JobProgress({ job }: { job: RunJob | null }) {
  if (!job) return <span className="text-muted-foreground">job missing</span>;
  const finished = job.done + job.failed;
  return (
    <div className="space-y-1" data-testid="eval-job">
      <div
        className="h-2 w-full min-w-24 overflow-hidden rounded-full bg-muted"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={job.total}
        aria-valuenow={finished}
        aria-label="Run progress"
      >
        <div
          className="h-full bg-primary"
          style={{ width: `${job.total > 0 ? Math.round((finished / job.total) * 100) : 100}%` }}
        />
      </div>
      <p className="text-xs tabular-nums">
        <Link href={`/admin/synthesis/${job.id}`} className="hover:underline">
          <span data-testid="eval-job-status">{job.status.toLowerCase()}</span> · {job.done} / {job.total}
          {job.failed > 0 ? ` · ${job.failed} failed` : ""}
        </Link>
      </p>
    </div>
  );
}

export const isLive = (job: RunJob | null) => job?.status === "RUNNING" || job?.status === "QUEUED";
