import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import type { CountRow } from "@/lib/datasets/queries";

export function MixTable({ title, rows, total }: { title: string; rows: CountRow[]; total: number }) {
  if (rows.length === 0) return null;
  return (
    <Table>
      <TableHeader>
        <TableRow>
          <TableHead>{title}</TableHead>
          <TableHead className="text-right">Samples</TableHead>
          <TableHead className="text-right">Share</TableHead>
        </TableRow>
      </TableHeader>
      <TableBody>
        {rows.map((row) => (
          <TableRow key={row.key ?? "none"}>
            <TableCell>{row.key === null ? "—" : row.key.toLowerCase()}</TableCell>
            <TableCell className="text-right tabular-nums">{row.count.toLocaleString("en")}</TableCell>
            <TableCell className="text-right tabular-nums">
              {total > 0 ? `${((100 * row.count) / total).toFixed(1)}%` : "—"}
            </TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** Buckets of powers of two as horizontal bars (bucket b: 2^b to 2^(b+1) − 1 tokens). */
export function TokenHistogram({ title, rows }: { title: string; rows: CountRow[] }) {
  if (rows.length === 0) return null;
  const sorted = [...rows].sort((a, b) => Number(a.key) - Number(b.key));
  const largest = Math.max(...sorted.map((row) => row.count));
  return (
    <figure className="space-y-1">
      <figcaption className="text-sm font-medium">{title} (estimated)</figcaption>
      {sorted.map((row) => {
        const low = 2 ** Number(row.key);
        return (
          <div key={row.key} className="flex items-center gap-2 text-xs">
            <span className="w-24 text-right tabular-nums text-muted-foreground">
              {low}–{2 * low - 1}
            </span>
            <span className="h-3 rounded-sm bg-primary/70" style={{ width: `${(70 * row.count) / largest}%` }} />
            <span className="tabular-nums">{row.count.toLocaleString("en")}</span>
          </div>
        );
      })}
    </figure>
  );
}
