import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { CompareForm } from "@/components/eval/compare-form";
import { formatWhen } from "@/components/eval/format";
import { isLive } from "@/components/eval/job-progress";
import { LeaderboardTable } from "@/components/eval/leaderboard-table";
import { AutoRefresh } from "@/components/layout/auto-refresh";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { requireAdminPage } from "@/lib/auth/session";
import { isAppError } from "@/lib/errors";
import { suiteLeaderboard } from "@/lib/eval/run";

export const metadata: Metadata = { title: "Evaluation suite" };

export default async function SuiteLeaderboardPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireAdminPage(`/admin/eval/suites/${id}`);
  const leaderboard = await suiteLeaderboard(id).catch((error) => {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  });
  const { suite, runs } = leaderboard;
  return (
    <div className="space-y-6" data-testid="eval-suite">
      {runs.some((run) => isLive(run.job)) ? <AutoRefresh seconds={3} /> : null}
      <Card>
        <CardHeader>
          <Link href="/admin/eval" className="text-sm text-muted-foreground hover:underline">
            ← Evaluation
          </Link>
          <CardTitle as="h2">
            {suite.name} v{suite.version}
          </CardTitle>
          <CardDescription>
            {suite.kind} suite · {suite.origin} · {suite.itemCount.toLocaleString("en")} item(s) ·{" "}
            <a href={`/api/admin/eval/suites/${suite.id}/export`} download className="underline">
              export
            </a>
            {suite.description ? <span className="mt-1 block">{suite.description}</span> : null}
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-3">
          <LeaderboardTable leaderboard={leaderboard} />
          <p className="text-xs text-muted-foreground">
            Scores are the mean over characters of each character&apos;s mean item score, ± the standard deviation
            across characters; unreadable judge replies are left out, not counted as zero. Shaded rows are figures
            printed in the papers, measured with their own judges, prompts and test sets — not runs of this suite.
            Troupe&apos;s suites and judges are its own, so those numbers compare in kind only, not point for point.
          </p>
        </CardContent>
      </Card>
      {runs.length >= 2 ? (
        <Card>
          <CardHeader>
            <CardTitle as="h3">Compare two runs</CardTitle>
            <CardDescription>Per-metric deltas and the items that got worse from A to B.</CardDescription>
          </CardHeader>
          <CardContent>
            <CompareForm
              runs={runs.map((run) => ({
                id: run.id,
                label: `${run.modelName} judged by ${run.judgeModelId}, n ${run.samples} · ${formatWhen(run.createdAt)}`,
              }))}
            />
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
