import type { Metadata } from "next";
import Link from "next/link";
import { RegressionSuiteForm } from "@/components/eval/regression-suite-form";
import { StartRunForm } from "@/components/eval/start-run-form";
import { SuiteUpload } from "@/components/eval/suite-upload";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireAdminPage } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { JUDGE_DEFAULTS } from "@/lib/eval/judges";
import { ensureBuiltinSuites, listSuites } from "@/lib/eval/queries";
import type { SuiteKind } from "@/lib/eval/schema";
import { listModelVersions } from "@/lib/models/queries";

export const metadata: Metadata = { title: "Evaluation" };

export default async function EvalPage() {
  await requireAdminPage("/admin/eval");
  await ensureBuiltinSuites();
  const [suites, versions, characters] = await Promise.all([
    listSuites(),
    listModelVersions(),
    db.character.findMany({
      where: { deletedAt: null },
      select: { id: true, name: true },
      orderBy: { name: "asc" },
      take: 200,
    }),
  ]);
  return (
    <div className="space-y-6" data-testid="admin-eval">
      <Card>
        <CardHeader>
          <CardTitle as="h2">Suites</CardTitle>
          <CardDescription>
            Knowledge role-play (Ditto / WikiRoleEval style), persona behaviour (PersonaGym style) and character
            regression suites. Open a suite for its leaderboard; the file format is in the README.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <Table data-testid="eval-suites">
            <TableHeader>
              <TableRow>
                <TableHead>Suite (leaderboard)</TableHead>
                <TableHead>Kind</TableHead>
                <TableHead>Origin</TableHead>
                <TableHead className="text-right">Items</TableHead>
                <TableHead className="text-right">Runs</TableHead>
                <TableHead>File</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {suites.map((suite) => (
                <TableRow key={suite.id} data-testid="eval-suite-row">
                  <TableCell>
                    <Link href={`/admin/eval/suites/${suite.id}`} className="font-medium hover:underline">
                      {suite.name} v{suite.version}
                    </Link>
                  </TableCell>
                  <TableCell>{suite.kind}</TableCell>
                  <TableCell>{suite.origin}</TableCell>
                  <TableCell className="text-right tabular-nums">{suite.itemCount.toLocaleString("en")}</TableCell>
                  <TableCell className="text-right tabular-nums">{suite.runs}</TableCell>
                  <TableCell>
                    <a href={`/api/admin/eval/suites/${suite.id}/export`} download className="text-sm underline">
                      Export
                    </a>
                  </TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
          <SuiteUpload />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Start a run</CardTitle>
          <CardDescription>
            The model under test answers every item (a knowledge session&apos;s turns in order), then each judge is
            asked n times. Runs are jobs on the workers: pause, resume and cost are on the job page.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <StartRunForm
            suites={suites.map((suite) => ({
              id: suite.id,
              label: `${suite.name} v${suite.version} (${suite.kind})`,
              defaultSamples: JUDGE_DEFAULTS[suite.kind as SuiteKind].samples,
            }))}
            versions={versions
              .filter((version) => version.status !== "RETIRED")
              .map((version) => ({ id: version.id, name: version.name }))}
          />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Regression suite from a character</CardTitle>
          <CardDescription>
            Questions from the character&apos;s example dialogues and profile, to check that a new adapter still plays
            it. Generating again makes the next version.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {characters.length === 0 ? (
            <p className="text-sm text-muted-foreground">No characters yet.</p>
          ) : (
            <RegressionSuiteForm characters={characters} />
          )}
        </CardContent>
      </Card>
    </div>
  );
}
