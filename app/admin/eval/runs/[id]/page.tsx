import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ItemAnswer, ItemQuestion, ItemScores, JudgeReplies } from "@/components/eval/eval-item";
import { typeLabel } from "@/components/eval/format";
import { isLive } from "@/components/eval/job-progress";
import { MetricsBreakdown, MetricsTable } from "@/components/eval/metrics-table";
import { RunCounts, RunSummary } from "@/components/eval/run-summary";
import { AutoRefresh } from "@/components/layout/auto-refresh";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireAdminPage } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import type { ItemScore } from "@/lib/eval/aggregate";
import { evalRunDetail } from "@/lib/eval/run";

export const metadata: Metadata = { title: "Evaluation run" };

/** Items per page: a page holds every judge reply of its items. */
const PAGE_SIZE = 100;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function EvalRunPage({
  params,
  searchParams,
}: {
  params: Promise<{ id: string }>;
  searchParams: SearchParams;
}) {
  const { id } = await params;
  await requireAdminPage(`/admin/eval/runs/${id}`);
  const detail = await evalRunDetail(id).catch((error) => {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  });
  const { aggregate, failures } = detail;
  const pages = Math.max(1, Math.ceil(detail.items.length / PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Number((await searchParams).page) || 1));
  const shown = detail.items.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const scores = new Map<string, ItemScore[]>();
  for (const score of aggregate.items) scores.set(score.itemKey, [...(scores.get(score.itemKey) ?? []), score]);
  return (
    <div className="space-y-6" data-testid="eval-run">
      {isLive(detail.job) ? <AutoRefresh seconds={3} /> : null}
      <Card>
        <CardHeader>
          <Link
            href={`/admin/eval/suites/${detail.run.suiteId}`}
            className="text-sm text-muted-foreground hover:underline"
          >
            ← Leaderboard
          </Link>
          <CardTitle as="h2">Run {detail.run.id}</CardTitle>
        </CardHeader>
        <CardContent className="space-y-4">
          <RunSummary detail={detail} />
          <RunCounts counts={aggregate.counts} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h3">Scores</CardTitle>
          <CardDescription>
            Mean over characters of each character&apos;s mean item score; SD across characters. An item whose judge
            replies were all unreadable is excluded, not scored zero.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-6">
          <MetricsTable metrics={aggregate.metrics} testId="eval-metrics" />
          <section className="space-y-2">
            <h4 className="font-medium">By language</h4>
            <MetricsBreakdown
              groups={aggregate.byLanguage.map((group) => ({ label: group.language, metrics: group.metrics }))}
            />
          </section>
          <section className="space-y-2">
            <h4 className="font-medium">By question type</h4>
            <MetricsBreakdown
              groups={aggregate.byQuestionType.map((group) => ({
                label: typeLabel(group.questionType),
                metrics: group.metrics,
              }))}
            />
          </section>
        </CardContent>
      </Card>

      {failures.length > 0 ? (
        <Card>
          <CardHeader>
            <CardTitle as="h3">Failed items</CardTitle>
            <CardDescription>Items the job gave up on; their questions have no answer and no score.</CardDescription>
          </CardHeader>
          <CardContent>
            <ul className="space-y-1 text-sm" data-testid="eval-failures">
              {failures.map((failure) => (
                <li key={failure.key}>
                  <span className="font-mono text-xs">{failure.key}</span>: {failure.error}
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
      ) : null}

      <Card>
        <CardHeader>
          <CardTitle as="h3">Items</CardTitle>
          <CardDescription>
            {detail.items.length.toLocaleString("en")} item(s)
            {pages > 1 ? ` · page ${page} of ${pages}` : ""}. Open the judge replies for each rationale.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-3">
          <Table>
            <TableHeader>
              <TableRow>
                <TableHead>Question</TableHead>
                <TableHead>Answer</TableHead>
                <TableHead>Scores</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {shown.map((row) => (
                <TableRow key={row.key} data-testid="eval-item" className="align-top">
                  <TableCell className="w-1/3 min-w-48 align-top">
                    <ItemQuestion item={row.item} />
                  </TableCell>
                  <TableCell className="w-1/3 min-w-48 align-top">
                    <ItemAnswer answer={row.answer} />
                  </TableCell>
                  <TableCell className="min-w-48 space-y-2 align-top">
                    <ItemScores scores={scores.get(row.key) ?? []} />
                    <JudgeReplies judgements={row.judgements} />
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          {pages > 1 ? (
            <nav aria-label="Item pages" className="flex gap-4 text-sm">
              {page > 1 ? (
                <Link href={`/admin/eval/runs/${id}?page=${page - 1}`} className="underline">
                  ← Previous
                </Link>
              ) : null}
              {page < pages ? (
                <Link href={`/admin/eval/runs/${id}?page=${page + 1}`} className="underline">
                  Next →
                </Link>
              ) : null}
            </nav>
          ) : null}
        </CardContent>
      </Card>
    </div>
  );
}
