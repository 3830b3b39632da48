import type { Metadata } from "next";
import { TimeSeriesChart } from "@/components/charts/time-series-chart";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireAdminPage } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { EXPORT_FORMATS } from "@/lib/feedback/schema";
import { dailyRates, feedbackStats, type RateRow } from "@/lib/feedback/stats";

export const metadata: Metadata = { title: "Feedback" };

const percent = (value: number | null) => (value === null ? "—" : `${Math.round(value * 100)} %`);

function StatsTable({ rows, testId }: { rows: RateRow[]; testId: string }) {
  if (rows.length === 0) return <p className="text-sm text-muted-foreground">No replies yet.</p>;
  return (
    <Table data-testid={testId}>
      <TableHeader>
        <TableRow>
          <TableHead>Name</TableHead>
          <TableHead className="text-right">Replies</TableHead>
          <TableHead className="text-right">Thumbs up</TableHead>
          <TableHead className="text-right">Regenerate</TableHead>
          <TableHead className="text-right">Edit</TableHead>
          <TableHead className="text-right">Arena wins</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.key}>
            <TableCell>{row.label}</TableCell>
            <TableCell className="text-right tabular-nums">{row.replies}</TableCell>
            <TableCell className="text-right tabular-nums" title={`${row.thumbsUp} up, ${row.thumbsDown} down`}>
              {percent(row.thumbsUpRate)}
            </TableCell>
            <TableCell className="text-right tabular-nums">{percent(row.regenerateRate)}</TableCell>
            <TableCell className="text-right tabular-nums">{percent(row.editRate)}</TableCell>
            <TableCell className="text-right tabular-nums" title={`${row.arenaBattles} round(s)`}>
              {percent(row.arenaWinRate)}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

export default async function AdminFeedbackPage() {
  await requireAdminPage("/admin/feedback");
  const [byModel, byCharacter, daily, experiments, events] = await Promise.all([
    feedbackStats("model"),
    feedbackStats("character"),
    dailyRates(),
    db.experiment.findMany({ orderBy: [{ active: "desc" }, { createdAt: "desc" }], take: 10 }),
    db.feedbackEvent.groupBy({ by: ["kind", "consented"], _count: true }),
  ]);
  const arms = await Promise.all(
    experiments.map(async (experiment) => ({
      experiment,
      rows: await feedbackStats("arm", { experimentId: experiment.id }),
    })),
  );
  return (
    <div className="space-y-6" data-testid="admin-feedback">
      <Card>
        <CardHeader>
          <CardTitle as="h2">Signals</CardTitle>
          <CardDescription>
            Every rating, swipe, edit and arena vote is logged with its lineage; only consenting users&rsquo; signals
            become training samples.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-3 text-sm">
          {events.length === 0 ? (
            <p className="text-muted-foreground">No feedback yet.</p>
          ) : (
            <ul className="flex flex-wrap gap-x-6 gap-y-1">
              {events.map((group) => (
                <li key={`${group.kind}-${group.consented}`}>
                  {group.kind.toLowerCase()} ({group.consented ? "consented" : "not for training"}): {group._count}
                </li>
              ))}
            </ul>
          )}
          <p>
            Export as JSONL:{" "}
            {EXPORT_FORMATS.map((format, index) => (
              <span key={format}>
                {index > 0 ? " · " : ""}
                <a
                  className="text-primary underline-offset-4 hover:underline"
                  href={`/api/admin/feedback/export?format=${format}`}
                >
                  {format}
                </a>
              </span>
            ))}
          </p>
        </CardContent>
      </Card>

      <section className="space-y-3">
        <h2 className="text-lg font-medium">By model version</h2>
        <StatsTable rows={byModel} testId="stats-by-model" />
        <div className="grid gap-4 lg:grid-cols-2">
          <TimeSeriesChart title="Thumbs-up rate per day" series={daily.thumbsUp} />
          <TimeSeriesChart title="Regenerate rate per day" series={daily.regenerate} />
        </div>
      </section>

      <section className="space-y-3">
        <h2 className="text-lg font-medium">By character</h2>
        <StatsTable rows={byCharacter} testId="stats-by-character" />
      </section>

      <section className="space-y-3">
        <h2 className="text-lg font-medium">A/B experiments</h2>
        {arms.length === 0 ? (
          <EmptyState title="No experiments" description="Start one on the Routing page to compare two models." />
        ) : (
          arms.map(({ experiment, rows }) => (
            <Card key={experiment.id}>
              <CardHeader>
                <CardTitle as="h3">
                  {experiment.name} {experiment.active ? "" : "(stopped)"}
                </CardTitle>
              </CardHeader>
              <CardContent>
                <StatsTable rows={rows} testId={`stats-arms-${experiment.name}`} />
              </CardContent>
            </Card>
          ))
        )}
      </section>
    </div>
  );
}
