import type { Metadata } from "next";
import Link from "next/link";
import { CreateDatasetForm } from "@/components/datasets/create-dataset-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireAdminPage } from "@/lib/auth/session";
import { distinctValues } from "@/lib/curation/queries";
import { listDatasetVersions } from "@/lib/datasets/queries";
import { db } from "@/lib/db";

export const metadata: Metadata = { title: "Datasets" };

export default async function DatasetsPage() {
  await requireAdminPage("/admin/datasets");
  const [versions, pipelines, languages, characterIds] = await Promise.all([
    listDatasetVersions(),
    distinctValues("pipeline"),
    distinctValues("language"),
    distinctValues("characterId"),
  ]);
  const characters = await db.character.findMany({
    where: { id: { in: characterIds } },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
  return (
    <div className="space-y-6" data-testid="admin-datasets">
      <Card>
        <CardHeader>
          <CardTitle as="h2">Dataset versions</CardTitle>
          <CardDescription>
            Immutable snapshots of approved samples. Erasure (a user withdrawing consent) removes their rows from every
            export; the count of removed rows is shown per version.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {versions.length === 0 ? (
            <EmptyState
              title="No dataset versions yet"
              description="Approve samples in Curation, then create one below."
            />
          ) : (
            <Table data-testid="dataset-versions">
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead className="text-right">Version</TableHead>
                  <TableHead className="text-right">Samples</TableHead>
                  <TableHead className="text-right">Train / validation</TableHead>
                  <TableHead className="text-right">Redacted</TableHead>
                  <TableHead>Created</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {versions.map((version) => (
                  <TableRow key={version.id} data-testid="dataset-version-row">
                    <TableCell>
                      <Link href={`/admin/datasets/${version.id}`} className="hover:underline">
                        {version.name}
                      </Link>
                    </TableCell>
                    <TableCell className="text-right tabular-nums">v{version.version}</TableCell>
                    <TableCell className="text-right tabular-nums">
                      {version.sampleCount.toLocaleString("en")}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">
                      {version.trainCount.toLocaleString("en")} / {version.validationCount.toLocaleString("en")}
                    </TableCell>
                    <TableCell className="text-right tabular-nums">{version.redacted.toLocaleString("en")}</TableCell>
                    <TableCell className="text-xs tabular-nums">
                      {version.createdAt.toISOString().slice(0, 16).replace("T", " ")}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </CardContent>
      </Card>
      <Card>
        <CardHeader>
          <CardTitle as="h2">Create a version</CardTitle>
          <CardDescription>
            Takes the approved samples matching the filter, one per near-duplicate group, and splits them by
            conversation with the seed: the same seed and samples always give the same split.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <CreateDatasetForm
            pipelines={pipelines}
            languages={languages}
            characters={characters.map((character) => ({ id: character.id, label: character.name }))}
          />
        </CardContent>
      </Card>
    </div>
  );
}
