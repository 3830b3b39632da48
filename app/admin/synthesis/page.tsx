import type { Metadata } from "next";
import Link from "next/link";
import { InputUpload } from "@/components/admin/input-upload";
import { SynthesisStartForm } from "@/components/admin/synthesis-start-form";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireAdminPage } from "@/lib/auth/session";
import { db } from "@/lib/db";
import { listModelVersions } from "@/lib/models/queries";
import { listJobs } from "@/lib/synthesis/jobs";
import { PIPELINES } from "@/lib/synthesis/pipelines";

export const metadata: Metadata = { title: "Synthesis" };

export default async function SynthesisPage() {
  await requireAdminPage("/admin/synthesis");
  const [inputs, versions, jobs] = await Promise.all([
    db.synthesisInput.findMany({ orderBy: { createdAt: "desc" }, take: 100 }),
    listModelVersions(),
    listJobs(),
  ]);
  return (
    <div className="space-y-6" data-testid="admin-synthesis">
      <Card>
        <CardHeader>
          <CardTitle as="h2">Inputs</CardTitle>
          <CardDescription>
            Personas (Persona Hub style JSONL or one per line), instruction seeds (Alpaca, ShareGPT or OpenAI messages)
            and knowledge profiles for Ditto. Bad lines are skipped and listed. Samples ship in samples/synthesis/.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <InputUpload />
          {inputs.length > 0 ? (
            <Table data-testid="synthesis-inputs">
              <TableHeader>
                <TableRow>
                  <TableHead>File</TableHead>
                  <TableHead>Kind</TableHead>
                  <TableHead className="text-right">Rows</TableHead>
                  <TableHead className="text-right">Bad lines</TableHead>
                  <TableHead>First problems</TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {inputs.map((input) => (
                  <TableRow key={input.id}>
                    <TableCell>{input.name}</TableCell>
                    <TableCell>{input.kind}</TableCell>
                    <TableCell className="text-right tabular-nums">{input.seeds}</TableCell>
                    <TableCell className="text-right tabular-nums">{input.failed}</TableCell>
                    <TableCell className="max-w-md truncate text-xs text-muted-foreground">
                      {(input.errors as { error: string }[])
                        .slice(0, 2)
                        .map((problem) => problem.error)
                        .join(" · ")}
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          ) : null}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Start a job</CardTitle>
          <CardDescription>
            Jobs run on the workers (`npm start` runs one; add more with `npx troupe worker`).
          </CardDescription>
        </CardHeader>
        <CardContent>
          <SynthesisStartForm
            pipelines={Object.values(PIPELINES).map((pipeline) => ({
              name: pipeline.name,
              description: pipeline.description,
            }))}
            inputs={inputs.map((input) => ({ id: input.id, name: input.name, kind: input.kind, seeds: input.seeds }))}
            versions={versions
              .filter((version) => version.status !== "RETIRED")
              .map((version) => ({ id: version.id, name: version.name }))}
          />
        </CardContent>
      </Card>

      <section className="space-y-3">
        <h2 className="text-lg font-medium">Jobs</h2>
        {jobs.length === 0 ? (
          <p className="text-sm text-muted-foreground">No jobs yet.</p>
        ) : (
          <Table data-testid="synthesis-jobs">
            <TableHeader>
              <TableRow>
                <TableHead>Job</TableHead>
                <TableHead>Pipeline</TableHead>
                <TableHead>Status</TableHead>
                <TableHead>Progress</TableHead>
                <TableHead className="text-right">Failed</TableHead>
                <TableHead>Started</TableHead>
              </TableRow>
            </TableHeader>
            <TableBody>
              {jobs.map((job) => (
                <TableRow key={job.id}>
                  <TableCell>
                    <Link href={`/admin/synthesis/${job.id}`} className="font-mono text-xs hover:underline">
                      {job.id}
                    </Link>
                  </TableCell>
                  <TableCell>{job.pipeline}</TableCell>
                  <TableCell>{job.status.toLowerCase()}</TableCell>
                  <TableCell className="tabular-nums">
                    {job.done + job.failed} / {job.total}
                  </TableCell>
                  <TableCell className="text-right tabular-nums">{job.failed}</TableCell>
                  <TableCell className="text-xs">{job.createdAt.toLocaleString()}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        )}
      </section>
    </div>
  );
}
