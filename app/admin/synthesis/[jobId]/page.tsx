import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { JobControls } from "@/components/admin/job-controls";
import { AutoRefresh } from "@/components/layout/auto-refresh";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requireAdminPage } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { jobCharacters, jobDetail, jobSamples, jobThroughput } from "@/lib/synthesis/jobs";

export const metadata: Metadata = { title: "Synthesis job" };

function ThroughputChart({ points }: { points: { minute: Date; finished: number }[] }) {
  if (points.length === 0) return <p className="text-sm text-muted-foreground">Nothing finished yet.</p>;
  const max = Math.max(...points.map((point) => point.finished));
  const width = 600;
  const height = 120;
  const bar = width / points.length;
  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      className="w-full"
      role="img"
      aria-label={`Items finished per minute, ${points.length} minute(s), peak ${max}`}
    >
      {points.map((point, index) => {
        const barHeight = (point.finished / max) * (height - 16);
        return (
          <rect
            key={point.minute.toISOString()}
            x={index * bar + 1}
            y={height - barHeight}
            width={Math.max(1, bar - 2)}
            height={barHeight}
            className="fill-primary"
          >
            <title>{`${point.minute.toLocaleTimeString()}: ${point.finished}`}</title>
          </rect>
        );
      })}
      <text x={4} y={12} className="fill-muted-foreground text-[10px]">
        {max}/min
      </text>
    </svg>
  );
}

export default async function SynthesisJobPage({ params }: { params: Promise<{ jobId: string }> }) {
  const { jobId } = await params;
  await requireAdminPage(`/admin/synthesis/${jobId}`);
  const detail = await jobDetail(jobId).catch((error) => {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  });
  const [throughput, samples, characters] = await Promise.all([
    jobThroughput(jobId),
    jobSamples(jobId),
    jobCharacters(jobId),
  ]);
  const { job } = detail;
  const finished = job.done + job.failed;
  const share = job.total > 0 ? finished / job.total : 1;
  const live = job.status === "RUNNING" || job.status === "QUEUED";
  return (
    <div className="space-y-6" data-testid="synthesis-job">
      {live ? <AutoRefresh seconds={2} /> : null}
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <Link href="/admin/synthesis" className="text-sm text-muted-foreground hover:underline">
            ← Synthesis
          </Link>
          <h2 className="text-lg font-medium">
            {job.pipeline} · <span data-testid="job-status">{job.status.toLowerCase()}</span>
          </h2>
          <p className="text-xs text-muted-foreground">
            template {job.template} · job {job.id}
          </p>
        </div>
        <JobControls id={job.id} status={job.status} />
      </div>
      <div
        className="h-3 w-full overflow-hidden rounded-full bg-muted"
        role="progressbar"
        aria-valuemin={0}
        aria-valuemax={job.total}
        aria-valuenow={finished}
        aria-label="Progress"
      >
        <div className="h-full bg-primary" style={{ width: `${Math.round(share * 100)}%` }} />
      </div>
      <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" data-testid="job-counters">
        {[
          ["Done", `${job.done} / ${job.total}`],
          ["Failed", job.failed],
          ["Parse failures", job.parseFailures],
          ["Retries", job.retries],
          ["Tokens in / out", `${job.tokensIn.toLocaleString()} / ${job.tokensOut.toLocaleString()}`],
          ["Rate", `${detail.ratePerSecond.toFixed(2)} items/s`],
          ["ETA", detail.etaSeconds === null ? "—" : `${Math.round(detail.etaSeconds)} s`],
          [
            "Items",
            Object.entries(detail.items)
              .map(([status, count]) => `${status.toLowerCase()} ${count}`)
              .join(", "),
          ],
        ].map(([label, value]) => (
          <div key={String(label)}>
            <dt className="text-muted-foreground">{label}</dt>
            <dd className="tabular-nums">{value}</dd>
          </div>
        ))}
      </dl>
      <Card>
        <CardHeader>
          <CardTitle as="h3">Throughput</CardTitle>
        </CardHeader>
        <CardContent>
          <ThroughputChart points={throughput} />
        </CardContent>
      </Card>
      {detail.failures.length > 0 ? (
        <Card>
          <CardHeader>
            <CardTitle as="h3">Failures</CardTitle>
          </CardHeader>
          <CardContent>
            <ul className="space-y-1 text-sm" data-testid="job-failures">
              {detail.failures.map((failure) => (
                <li key={failure.key}>
                  <span className="font-mono text-xs">{failure.key}</span> ({failure.attempts} attempt(s)):{" "}
                  {failure.error}
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
      ) : null}
      {characters.length > 0 ? (
        <Card>
          <CardHeader>
            <CardTitle as="h3">Characters created</CardTitle>
          </CardHeader>
          <CardContent>
            <ul className="space-y-1 text-sm" data-testid="job-characters">
              {characters.map((character) => (
                <li key={character.id}>
                  <Link href={`/characters/${character.id}`} className="hover:underline">
                    {character.name}
                  </Link>
                  {character.nearDuplicateOf ? (
                    <span className="text-muted-foreground">
                      {" "}
                      · near-duplicate of{" "}
                      <Link href={`/characters/${character.nearDuplicateOf}`} className="underline">
                        another synthetic character
                      </Link>
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle as="h3">Produced samples (first {samples.length})</CardTitle>
        </CardHeader>
        <CardContent className="space-y-3">
          {samples.length === 0 ? <p className="text-sm text-muted-foreground">None yet.</p> : null}
          {samples.map((sample) => (
            <details key={sample.id} className="rounded border border-border p-2 text-sm" data-testid="job-sample">
              <summary>
                {sample.kind.toLowerCase()} · {sample.chosen.slice(0, 120)}
              </summary>
              <pre className="mt-2 max-h-64 overflow-auto whitespace-pre-wrap text-xs">
                {JSON.stringify({ prompt: sample.prompt, chosen: sample.chosen, rejected: sample.rejected }, null, 2)}
              </pre>
            </details>
          ))}
        </CardContent>
      </Card>
    </div>
  );
}
