import type { Metadata } from "next";
import Link from "next/link";
import {
  CharacterModelForm,
  ClearCharacterModelButton,
  DefaultModelForm,
  ExperimentForm,
  StopExperimentButton,
} from "@/components/admin/routing-forms";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireAdminPage } from "@/lib/auth/session";
import { listModelVersions } from "@/lib/models/queries";
import { routingOverview } from "@/lib/models/routing-admin";

export const metadata: Metadata = { title: "Routing" };

export default async function AdminRoutingPage() {
  await requireAdminPage("/admin/routing");
  const [overview, versions] = await Promise.all([routingOverview(), listModelVersions()]);
  // Routable: not retired, and adapters only once loaded.
  const routable = versions
    .filter((version) => version.status !== "RETIRED" && !(version.adapterPath && version.status === "REGISTERED"))
    .map((version) => ({ id: version.id, name: version.name }));

  if (versions.length === 0) {
    return (
      <EmptyState
        title="No model versions yet"
        description="Register a model version on the Models page; new chats use the environment's model until then."
        action={
          <Link href="/admin/models" className="text-primary underline-offset-4 hover:underline">
            Go to Models
          </Link>
        }
      />
    );
  }

  return (
    <div className="space-y-6" data-testid="admin-routing">
      <p className="text-sm text-muted-foreground">
        A new chat is routed once and keeps its model: an experiment on its character, else the character&rsquo;s own
        model, else an experiment on all characters, else the default below. Retired versions are skipped.
      </p>
      <Card>
        <CardHeader>
          <CardTitle as="h2">Default model</CardTitle>
          <CardDescription>
            Now: {overview.defaultVersion ? overview.defaultVersion.name : "the environment's model"}.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <DefaultModelForm versions={routable} current={overview.defaultVersion?.id ?? null} />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle as="h2">Character models</CardTitle>
          <CardDescription>A character-specific adapter answers every new chat with that character.</CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <CharacterModelForm versions={routable} />
          {overview.characters.length > 0 ? (
            <Table data-testid="character-routes">
              <TableHeader>
                <TableRow>
                  <TableHead>Character</TableHead>
                  <TableHead>Model</TableHead>
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {overview.characters.map((character) => (
                  <TableRow key={character.id}>
                    <TableCell>
                      <Link href={`/characters/${character.id}`} className="hover:underline">
                        {character.name}
                      </Link>
                    </TableCell>
                    <TableCell>{character.modelVersion?.name}</TableCell>
                    <TableCell>
                      <ClearCharacterModelButton characterId={character.id} name={character.name} />
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
          <CardTitle as="h2">A/B experiments</CardTitle>
          <CardDescription>
            New chats go to A or B by the split; the arm is recorded on the chat and never changes, and the model stays
            hidden from the user. Feedback stats compare the arms.
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <ExperimentForm versions={routable} />
          {overview.experiments.length > 0 ? (
            <Table data-testid="experiments">
              <TableHeader>
                <TableRow>
                  <TableHead>Name</TableHead>
                  <TableHead>Scope</TableHead>
                  <TableHead>A</TableHead>
                  <TableHead>B</TableHead>
                  <TableHead>Split A</TableHead>
                  <TableHead>Chats A / B</TableHead>
                  <TableHead>State</TableHead>
                  <TableHead>
                    <span className="sr-only">Actions</span>
                  </TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {overview.experiments.map((experiment) => (
                  <TableRow key={experiment.id}>
                    <TableCell>{experiment.name}</TableCell>
                    <TableCell>{experiment.character?.name ?? "all characters"}</TableCell>
                    <TableCell>{experiment.variantA.name}</TableCell>
                    <TableCell>{experiment.variantB.name}</TableCell>
                    <TableCell>{Math.round(experiment.splitA * 100)} %</TableCell>
                    <TableCell data-testid={`arms-${experiment.name}`}>
                      {experiment.chats.A} / {experiment.chats.B}
                    </TableCell>
                    <TableCell>
                      <Badge variant={experiment.active ? "success" : "outline"}>
                        {experiment.active ? "running" : "stopped"}
                      </Badge>
                    </TableCell>
                    <TableCell>
                      {experiment.active ? <StopExperimentButton id={experiment.id} name={experiment.name} /> : null}
                    </TableCell>
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
