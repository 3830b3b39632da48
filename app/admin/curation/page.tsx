import type { Metadata } from "next";
import Link from "next/link";
import { BulkReview, UndoBulkButton } from "@/components/curation/bulk-review";
import { QueueFilters } from "@/components/curation/queue-filters";
import { StateBadge } from "@/components/curation/state-badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireAdminPage } from "@/lib/auth/session";
import { distinctValues, listQueue, recentBulks } from "@/lib/curation/queries";
import { parseQueueParams, queueSearch } from "@/lib/curation/schema";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Curation" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

export default async function CurationPage({ searchParams }: { searchParams: SearchParams }) {
  await requireAdminPage("/admin/curation");
  const query = parseQueueParams(await searchParams);
  // The queue opens on what waits for a reviewer.
  const effective = { ...query, state: query.state ?? ["AUTO_CHECKED", "NEEDS_REVIEW"] };
  const { cursor: _cursor, sort: _sort, ...filter } = effective;
  const [page, pipelines, languages, models, characterIds, jobs, bulks] = await Promise.all([
    listQueue(effective),
    distinctValues("pipeline"),
    distinctValues("language"),
    distinctValues("modelId"),
    distinctValues("characterId"),
    db.synthesisJob.findMany({
      orderBy: { createdAt: "desc" },
      take: 50,
      select: { id: true, pipeline: true, createdAt: true },
    }),
    recentBulks(),
  ]);
  const characters = await db.character.findMany({
    where: { id: { in: characterIds } },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
  const total = page.total;
  return (
    <div className="space-y-6" data-testid="admin-curation">
      <Card>
        <CardHeader>
          <CardTitle as="h2">Review queue</CardTitle>
          <CardDescription>
            Every candidate training row: synthesized, derived from feedback, or edited. New rows are checked
            automatically (heuristics, the LLM judge, near-duplicates) before they land here. Open a row to review it
            with the keyboard.{" "}
            <Link href="/admin/curation/activity" className="underline">
              Reviewer activity
            </Link>
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <QueueFilters
            query={effective}
            pipelines={pipelines}
            languages={languages}
            models={models}
            characters={characters}
            jobs={jobs.map((job) => ({
              id: job.id,
              label: `${job.pipeline} · ${job.createdAt.toISOString().slice(0, 16).replace("T", " ")}`,
            }))}
          />
          {total ? (
            <p className="text-sm text-muted-foreground" data-testid="queue-count">
              {total.capped ? `More than ${total.count.toLocaleString("en")}` : total.count.toLocaleString("en")}{" "}
              matching sample(s)
            </p>
          ) : null}
          {page.rows.length === 0 ? (
            <EmptyState title="Nothing matches" description="No sample matches this filter. Try fewer conditions." />
          ) : (
            <Table data-testid="queue">
              <TableHeader>
                <TableRow>
                  <TableHead>Sample</TableHead>
                  <TableHead>State</TableHead>
                  <TableHead>Source</TableHead>
                  <TableHead>Character</TableHead>
                  <TableHead className="text-right">Score</TableHead>
                  <TableHead>Flags</TableHead>
                  <TableHead>Created</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {page.rows.map((row) => (
                  <TableRow key={row.id} data-testid="queue-row">
                    <TableCell className="max-w-md">
                      <Link
                        href={`/admin/curation/${row.id}${queueSearch(effective, { cursor: undefined })}`}
                        className="block hover:underline"
                      >
                        <span className="block truncate text-xs text-muted-foreground">{row.question ?? "—"}</span>
                        <span className="block truncate">{row.answer || "(empty)"}</span>
                      </Link>
                    </TableCell>
                    <TableCell>
                      <StateBadge state={row.state} />
                    </TableCell>
                    <TableCell className="text-xs">
                      {row.source.toLowerCase()}
                      {row.pipeline ? ` · ${row.pipeline}` : ""} · {row.kind.toLowerCase()}
                      {row.revisionOf ? " · revision" : ""}
                    </TableCell>
                    <TableCell className="text-xs">{row.characterName ?? "—"}</TableCell>
                    <TableCell className="text-right tabular-nums">{row.score?.toFixed(1) ?? "—"}</TableCell>
                    <TableCell className="text-xs">
                      {[...row.flags, ...(row.duplicateOf ? ["duplicate"] : [])].join(", ") || "—"}
                    </TableCell>
                    <TableCell className="text-xs tabular-nums">
                      {row.createdAt.toISOString().slice(0, 16).replace("T", " ")}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          <div className="flex gap-4 text-sm">
            {query.cursor ? (
              <Link href={`/admin/curation${queueSearch(effective, { cursor: undefined })}`}>First page</Link>
            ) : null}
            {page.nextCursor ? (
              <Link
                href={`/admin/curation${queueSearch(effective, { cursor: page.nextCursor })}`}
                data-testid="queue-next"
              >
                Next page
              </Link>
            ) : null}
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Bulk review</CardTitle>
          <CardDescription>
            Applies to every sample the filter above matches (all pages), except those that cannot take the decision
            (erased, or already in that state). Each bulk action can be undone.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <BulkReview filter={filter} />
          {bulks.length > 0 ? (
            <Table data-testid="bulk-history">
              <TableHeader>
                <TableRow>
                  <TableHead>When</TableHead>
                  <TableHead>Decision</TableHead>
                  <TableHead className="text-right">Samples</TableHead>
                  <TableHead>Filter</TableHead>
                  <TableHead />
                </TableRow>
              </TableHeader>
              <TableBody>
                {bulks.map((bulk) => (
                  <TableRow key={bulk.id}>
                    <TableCell className="text-xs tabular-nums">
                      {bulk.createdAt.toISOString().slice(0, 16).replace("T", " ")}
                    </TableCell>
                    <TableCell>
                      {bulk.toState.toLowerCase()}
                      {bulk.reason ? ` (${bulk.reason})` : ""}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{bulk.count}</TableCell>
                    <TableCell className="max-w-xs truncate font-mono text-xs">{JSON.stringify(bulk.filter)}</TableCell>
                    <TableCell>{bulk.undoneAt ? "undone" : <UndoBulkButton bulkId={bulk.id} />}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : null}
        </CardContent>
      </Card>
    </div>
  );
}
