import Link from "next/link";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { METRICS, type Metric } from "@/lib/eval/aggregate";
import type { PublishedFigure } from "@/lib/eval/reference";
import type { suiteLeaderboard } from "@/lib/eval/run";
import { formatMeanSd, formatScore, formatWhen, metricLabel } from "./format";
import { JobProgress } from "./job-progress";

type Leaderboard = Awaited<ReturnType<typeof suiteLeaderboard>>;
type LeaderboardRun = Leaderboard["runs"][number];

/** Every metric some run or published figure has, in the aggregate's order. */
function columnsOf({ runs, published }: Leaderboard): Metric[] {
  return METRICS.filter(
    (metric) =>
      runs.some((run) => run.aggregate?.metrics.some((summary) => summary.metric === metric)) ||
      published.some((figure) => publishedValue(figure, metric) !== null),
  );
}

/** A paper's figure for a metric; PersonaGym's PScore comes as Light (one question per task, like Troupe's) and full. */
function publishedValue(figure: PublishedFigure, metric: Metric): string | null {
  if (metric === "pscore" && figure.scores.pscoreLight !== undefined) {
    return `${formatScore(figure.scores.pscoreLight)} Light · ${formatScore(figure.scores.pscore ?? null)} full`;
  }
  const value = Object.entries(figure.scores).find(([key]) => key === metric)?.[1];
  return value === undefined ? null : formatScore(value);
}

function RunRow({ run, columns }: { run: LeaderboardRun; columns: Metric[] }) {
  const summaries = new Map(run.aggregate?.metrics.map((summary) => [summary.metric, summary]));
  return (
    <TableRow data-testid="eval-run-row">
      <TableCell>
        <Link href={`/admin/eval/runs/${run.id}`} className="font-medium hover:underline">
          {run.modelName}
        </Link>
      </TableCell>
      <TableCell className="text-xs">{run.judgeModelId}</TableCell>
      <TableCell className="text-right tabular-nums">{run.samples}</TableCell>
      <TableCell className="min-w-32">
        <JobProgress job={run.job} />
      </TableCell>
      {columns.map((metric) => {
        const summary = summaries.get(metric);
        return (
          <TableCell key={metric} className="text-right tabular-nums">
            {summary ? formatMeanSd(summary.mean, summary.sd) : "—"}
          </TableCell>
        );
      })}
      <TableCell className="text-xs tabular-nums">{formatWhen(run.createdAt)}</TableCell>
    </TableRow>
  );
}

function PublishedRow({ figure, columns }: { figure: PublishedFigure; columns: Metric[] }) {
  const { source } = figure;
  return (
    <TableRow data-testid="published-figure" className="bg-muted/30 text-muted-foreground">
      <TableCell>
        <span className="font-medium text-foreground">{figure.model}</span>
        <p className="text-xs" title={`${source.paper}. ${source.setting}`}>
          published figure ({source.authors},{" "}
          <a href={`https://arxiv.org/abs/${source.arxiv}`} className="underline" rel="noopener noreferrer">
            arXiv {source.arxiv}
          </a>
          , {source.benchmark}), not measured here
        </p>
      </TableCell>
      <TableCell className="text-xs" colSpan={3}>
        the paper&apos;s judge, prompts and test set
      </TableCell>
      {columns.map((metric) => (
        <TableCell key={metric} className="text-right tabular-nums">
          {publishedValue(figure, metric) ?? "—"}
        </TableCell>
      ))}
      <TableCell />
    </TableRow>
  );
}

/** A suite's runs (mean ± sd across characters per metric), then the papers' figures as reference rows. */
export function LeaderboardTable({ leaderboard }: { leaderboard: Leaderboard }) {
  const columns = columnsOf(leaderboard);
  return (
    <Table data-testid="eval-leaderboard">
      <TableHeader>
        <TableRow>
          <TableHead>Model</TableHead>
          <TableHead>Judge</TableHead>
          <TableHead className="text-right">n</TableHead>
          <TableHead>Job</TableHead>
          {columns.map((metric) => (
            <TableHead key={metric} className="text-right">
              {metricLabel(metric)}
            </TableHead>
          ))}
          <TableHead>Started</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {leaderboard.runs.map((run) => (
          <RunRow key={run.id} run={run} columns={columns} />
        ))}
        {leaderboard.runs.length === 0 ? (
          <TableRow>
            <TableCell colSpan={columns.length + 5} className="text-muted-foreground">
              No runs of this suite yet.
            </TableCell>
          </TableRow>
        ) : null}
        {leaderboard.published.map((figure) => (
          <PublishedRow key={`${figure.source.arxiv}:${figure.model}`} figure={figure} columns={columns} />
        ))}
      </TableBody>
    </Table>
  );
}
