import type { Metadata } from "next";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireAdminPage } from "@/lib/auth/session";
import { reviewerStats } from "@/lib/curation/queries";

export const metadata: Metadata = { title: "Reviewer activity" };

export default async function ReviewerActivityPage() {
  await requireAdminPage("/admin/curation/activity");
  const stats = await reviewerStats();
  return (
    <div className="space-y-6" data-testid="admin-curation-activity">
      <Card>
        <CardHeader>
          <CardTitle as="h2">Reviewer activity</CardTitle>
          <CardDescription>
            Single decisions per reviewer (bulk actions counted apart), and why rows get rejected.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          {stats.reviewers.length === 0 ? (
            <p className="text-sm text-muted-foreground">No reviews yet.</p>
          ) : (
            <Table data-testid="reviewer-stats">
              <TableHeader>
                <TableRow>
                  <TableHead>Reviewer</TableHead>
                  <TableHead className="text-right">Approved</TableHead>
                  <TableHead className="text-right">Rejected</TableHead>
                  <TableHead className="text-right">Edited</TableHead>
                  <TableHead className="text-right">Last 24 h</TableHead>
                  <TableHead className="text-right">Last 7 days</TableHead>
                  <TableHead className="text-right">Bulk (samples)</TableHead>
                  <TableHead>Last review</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {stats.reviewers.map((row) => (
                  <TableRow key={row.reviewerId}>
                    <TableCell>{row.name}</TableCell>
                    <TableCell className="text-right tabular-nums">{row.approved}</TableCell>
                    <TableCell className="text-right tabular-nums">{row.rejected}</TableCell>
                    <TableCell className="text-right tabular-nums">{row.edited}</TableCell>
                    <TableCell className="text-right tabular-nums">{row.today}</TableCell>
                    <TableCell className="text-right tabular-nums">{row.week}</TableCell>
                    <TableCell className="text-right tabular-nums">
                      {row.bulkActions} ({row.bulkSamples.toLocaleString("en")})
                    </TableCell>
                    <TableCell className="text-xs tabular-nums">
                      {row.last.toISOString().slice(0, 16).replace("T", " ")}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
          {stats.reasons.length > 0 ? (
            <p className="text-sm text-muted-foreground">
              Top reject reasons: {stats.reasons.map((row) => `${row.reason} (${row.count})`).join(", ")}
            </p>
          ) : null}
        </CardContent>
      </Card>
    </div>
  );
}
