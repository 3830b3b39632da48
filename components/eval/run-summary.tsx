import Link from "next/link";
import type { ReactNode } from "react";
import type { RunAggregate } from "@/lib/eval/aggregate";
import type { evalRunDetail } from "@/lib/eval/run";
import { formatWhen, metricLabel, shortHash } from "./format";
import { JobProgress } from "./job-progress";

type RunDetail = Awaited<ReturnType<typeof evalRunDetail>>;

const modelOf = (id: string, versionId: string | null) => `${id}${versionId ? "" : " (the environment's model)"}`;

/** What a run measured and with what: suite, models, templates and their hashes, sampling, progress. */
export function RunSummary({ detail }: { detail: Pick<RunDetail, "run" | "job" | "aggregate"> }) {
  const { run, job, aggregate } = detail;
  const rows: [string, ReactNode][] = [
    [
      "Suite",
      <Link key="suite" href={`/admin/eval/suites/${run.suiteId}`} className="hover:underline">
        {run.suite.name} v{run.suite.version} ({run.suite.kind})
      </Link>,
    ],
    ["Model under test", modelOf(run.modelId, run.modelVersionId)],
    ["Judge model", modelOf(run.judgeModelId, run.judgeVersionId)],
    ["Judge samples (n)", `${run.samples} at temperature ${run.judgeTemperature}`],
    ["Answer template", `${run.answerTemplate} · ${shortHash(run.answerTemplateHash)}`],
    ["Judge templates", <JudgeTemplates key="judges" judges={aggregate.judges} />],
    ["Started", formatWhen(run.createdAt)],
    ["Job", <JobProgress key="job" job={job} />],
  ];
  return (
    <dl className="grid gap-x-6 gap-y-2 text-sm sm:grid-cols-[max-content_1fr]" data-testid="eval-run-summary">
      {rows.map(([label, value]) => (
        <div key={label} className="contents">
          <dt className="text-muted-foreground">{label}</dt>
          <dd className="min-w-0 break-words">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function JudgeTemplates({ judges }: { judges: RunAggregate["judges"] }) {
  if (judges.length === 0) return <span className="text-muted-foreground">none yet (no judge reply stored)</span>;
  return (
    <ul className="space-y-0.5">
      {judges.map((judge) => (
        <li key={`${judge.dimension}:${judge.template}:${judge.templateHash}:${judge.judgeModel}`}>
          {metricLabel(judge.dimension)}: {judge.template} ·{" "}
          <code title={judge.templateHash}>{shortHash(judge.templateHash)}</code>
          <span className="text-muted-foreground"> · {judge.judgeModel}</span>
        </li>
      ))}
    </ul>
  );
}

/** How many judge replies a run's scores rest on, and how many were left out. */
export function RunCounts({ counts }: { counts: RunAggregate["counts"] }) {
  const cells: [string, number][] = [
    ["Items", counts.items],
    ["Sessions", counts.sessions],
    ["Characters", counts.characters],
    ["Judge samples", counts.samples],
    ["Parse failures", counts.parseFailures],
    ["Excluded (no readable sample)", counts.excluded],
    ["Not judged yet", counts.missing],
    ["Unmatched samples", counts.unmatchedSamples],
  ];
  return (
    <dl className="grid grid-cols-2 gap-3 text-sm sm:grid-cols-4" data-testid="eval-counts">
      {cells.map(([label, value]) => (
        <div key={label} data-testid={label === "Parse failures" ? "eval-parse-failures" : undefined}>
          <dt className="text-muted-foreground">{label}</dt>
          <dd className="tabular-nums">{value.toLocaleString("en")}</dd>
        </div>
      ))}
    </dl>
  );
}
