import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ItemAnswer, ItemQuestion } from "@/components/eval/eval-item";
import { formatDelta, formatScore, metricLabel } from "@/components/eval/format";
import { RunSummary } from "@/components/eval/run-summary";
import { Alert } from "@/components/ui/alert";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireAdminPage } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import type { ItemDelta } from "@/lib/eval/aggregate";
import { compareQuerySchema } from "@/lib/eval/forms";
import { compareEvalRuns } from "@/lib/eval/run";

export const metadata: Metadata = { title: "Compare evaluation runs" };

/** Rows per list: each row carries two answers. */
const SHOWN = 200;

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
type Comparison = Awaited<ReturnType<typeof compareEvalRuns>>;

async function load(a: string, b: string): Promise<Comparison | { error: string }> {
  try {
    return await compareEvalRuns(a, b);
  } catch (error) {
    if (isAppError(error) && error.status === 404) notFound();
    if (isAppError(error) && error.status === 400) return { error: error.message };
    throw error;
  }
}

function DeltaRows({ rows, compared, testId }: { rows: ItemDelta[]; compared: Comparison; testId: string }) {
  const itemsA = new Map(compared.a.items.map((row) => [row.key, row]));
  const answersB = new Map(compared.b.items.map((row) => [row.key, row.answer]));
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>Question</TableHead>
          <TableHead>Answer A</TableHead>
          <TableHead>Answer B</TableHead>
          <TableHead>Dimension</TableHead>
          <TableHead className="text-right">A</TableHead>
          <TableHead className="text-right">B</TableHead>
          <TableHead className="text-right">Δ</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.slice(0, SHOWN).map((row) => {
          const item = itemsA.get(row.itemKey);
          return (
            <TableRow key={`${row.itemKey}:${row.dimension}`} data-testid={testId} className="align-top">
              <TableCell className="min-w-48 align-top">
                {item ? <ItemQuestion item={item.item} /> : row.itemKey}
              </TableCell>
              <TableCell className="min-w-48 align-top">
                <ItemAnswer answer={item?.answer ?? null} />
              </TableCell>
              <TableCell className="min-w-48 align-top">
                <ItemAnswer answer={answersB.get(row.itemKey) ?? null} />
              </TableCell>
              <TableCell className="align-top">{metricLabel(row.dimension)}</TableCell>
              <TableCell className="text-right tabular-nums align-top">{formatScore(row.a)}</TableCell>
              <TableCell className="text-right tabular-nums align-top">{formatScore(row.b)}</TableCell>
              <TableCell className="text-right tabular-nums align-top">{formatDelta(row.delta)}</TableCell>
            </TableRow>
          );
        })}
      </TableBody>
    </Table>
  );
}

function RunCard({ label, detail }: { label: string; detail: Comparison["a"] }) {
  return (
    <Card>
      <CardHeader>
        <CardTitle as="h2">
          <Link href={`/admin/eval/runs/${detail.run.id}`} className="hover:underline">
            {label}
          </Link>
        </CardTitle>
      </CardHeader>
      <CardContent>
        <RunSummary detail={detail} />
      </CardContent>
    </Card>
  );
}

const moreThanShown = (rows: unknown[]) =>
  rows.length > SHOWN ? ` (the first ${SHOWN} of ${rows.length.toLocaleString("en")})` : "";

export default async function CompareRunsPage({ searchParams }: { searchParams: SearchParams }) {
  await requireAdminPage("/admin/eval/compare");
  const query = compareQuerySchema.safeParse(await searchParams);
  if (!query.success) {
    return (
      <Alert variant="warning" title="Pick two runs" description="Choose two runs of a suite on its leaderboard." />
    );
  }
  const compared = await load(query.data.a, query.data.b);
  if ("error" in compared) return <Alert variant="error" title="Not comparable" description={compared.error} />;
  const { a, b, comparison } = compared;
  const worse = new Set(comparison.worse);
  const rest = comparison.items.filter((row) => !worse.has(row));
  return (
    <div className="space-y-6" data-testid="eval-compare">
      <Link href={`/admin/eval/suites/${a.run.suiteId}`} className="text-sm text-muted-foreground hover:underline">
        ← Leaderboard
      </Link>
      <div className="grid gap-4 lg:grid-cols-2">
        <RunCard label="A (baseline)" detail={a} />
        <RunCard label="B (candidate)" detail={b} />
      </div>
      {comparison.judgeChanges.length > 0 ? (
        <Alert
          variant="warning"
          title="The judge changed: scores are not comparable point for point"
          description={`Different judge template, wording or model for ${comparison.judgeChanges
            .map((change) => metricLabel(change.dimension))
            .join(", ")}.`}
          data-testid="eval-judge-changed"
        />
      ) : null}
      <Card>
        <CardHeader>
          <CardTitle as="h3">Scores</CardTitle>
          <CardDescription>
            Δ = B − A.{" "}
            {comparison.onlyInA + comparison.onlyInB > 0
              ? `${comparison.onlyInA} item score(s) only in A and ${comparison.onlyInB} only in B (unfinished or excluded) are left out of the item lists.`
              : ""}
          </CardDescription>
        </CardHeader>
        <CardContent>
          <Table data-testid="eval-compare-metrics">
            <TableHeader>
              <TableRow>
                <TableHead>Metric</TableHead>
                <TableHead className="text-right">A</TableHead>
                <TableHead className="text-right">B</TableHead>
                <TableHead className="text-right">Δ</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {comparison.metrics.map((metric) => (
                <TableRow key={metric.metric}>
                  <TableCell>{metricLabel(metric.metric)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatScore(metric.a)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatScore(metric.b)}</TableCell>
                  <TableCell className="text-right tabular-nums">{formatDelta(metric.delta)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle as="h3">Got worse: {comparison.worse.length.toLocaleString("en")}</CardTitle>
          <CardDescription>
            The largest drop (relative to the dimension&apos;s scale) first{moreThanShown(comparison.worse)}.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {comparison.worse.length === 0 ? (
            <p className="text-sm text-muted-foreground">No item scored in both runs got worse.</p>
          ) : (
            <DeltaRows rows={comparison.worse} compared={compared} testId="eval-worse" />
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle as="h3">The rest: {rest.length.toLocaleString("en")}</CardTitle>
          <CardDescription>
            Items scored in both runs that held or improved, in suite order{moreThanShown(rest)}.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {rest.length === 0 ? (
            <p className="text-sm text-muted-foreground">None.</p>
          ) : (
            <DeltaRows rows={rest} compared={compared} testId="eval-compare-item" />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
