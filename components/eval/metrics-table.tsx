import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { MetricSummary } from "@/lib/eval/aggregate";
import { formatScore, metricLabel } from "./format";

/** A run's scores per metric: the mean over characters, its sd across characters, and what it rests on. */
export function MetricsTable({ metrics, testId }: { metrics: MetricSummary[]; testId?: string }) {
  return (
    <Table data-testid={testId}>
      <TableHeader>
        <TableRow>
          <TableHead>Metric</TableHead>
          <TableHead className="text-right">Mean</TableHead>
          <TableHead className="text-right">SD</TableHead>
          <TableHead className="text-right">Characters</TableHead>
          <TableHead className="text-right">Items</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {metrics.map((summary) => (
          <TableRow key={summary.metric} data-testid="eval-metric-row">
            <TableCell>{metricLabel(summary.metric)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatScore(summary.mean)}</TableCell>
            <TableCell className="text-right tabular-nums">{formatScore(summary.sd)}</TableCell>
            <TableCell className="text-right tabular-nums">{summary.characters}</TableCell>
            <TableCell className="text-right tabular-nums">{summary.items}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** The same scores per group (a language or a question type), one small table each. */
export function MetricsBreakdown({ groups }: { groups: { label: string; metrics: MetricSummary[] }[] }) {
  return (
    <div className="grid gap-4 md:grid-cols-2">
      {groups.map((group) => (
        <div key={group.label} className="space-y-1">
          <h4 className="font-medium text-sm">{group.label}</h4>
          <MetricsTable metrics={group.metrics} />
        </div>
      ))}
    </div>
  );
}
