import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireAdminPage } from "@/lib/auth/session";
import type { DiscoveredModel } from "@/lib/llm/endpoint";
import { listEndpoints, listModelVersions, syncEndpoints } from "@/lib/models/queries";

export const metadata: Metadata = { title: "Models" };

type Health = { reachable?: boolean; healthy?: boolean; error?: string | null; latencyMs?: number } | null;

export default async function AdminModelsPage() {
  await requireAdminPage("/admin/models");
  // Opening the page refreshes what every endpoint serves.
  await syncEndpoints();
  const [endpoints, versions] = await Promise.all([listEndpoints(), listModelVersions()]);
  return (
    <div className="space-y-6" data-testid="admin-models">
      <section className="space-y-3">
        <h2 className="text-lg font-medium">Endpoints</h2>
        {endpoints.length === 0 ? (
          <EmptyState title="No endpoints" description="Set LLM_BASE_URL to add the default endpoint." />
        ) : (
          endpoints.map((endpoint) => {
            const health = endpoint.lastHealth as Health;
            const discovered = endpoint.discovered as DiscoveredModel[];
            return (
              <Card key={endpoint.id} data-testid="endpoint-card">
                <CardHeader className="flex flex-row flex-wrap items-center gap-2">
                  <CardTitle as="h3">{endpoint.name}</CardTitle>
                  <Badge variant={health?.healthy ? "success" : health?.reachable ? "warning" : "destructive"}>
                    {health?.healthy ? "healthy" : health?.reachable ? "unhealthy" : "unreachable"}
                  </Badge>
                  <CardDescription className="w-full">
                    {endpoint.baseUrl} · {endpoint.kind.toLowerCase()} · last seen{" "}
                    {endpoint.lastSeenAt ? endpoint.lastSeenAt.toLocaleString() : "never"}
                    {health?.error ? ` · ${health.error}` : ""}
                  </CardDescription>
                </CardHeader>
                <CardContent>
                  <ul className="space-y-1 text-sm">
                    {discovered.map((model) => (
                      <li key={model.id}>
                        <span className="font-mono">{model.id}</span>{" "}
                        <span className="text-muted-foreground">
                          {model.parent ? `LoRA on ${model.parent} (${model.root ?? "?"})` : "base"}
                          {model.maxModelLen ? ` · ${model.maxModelLen.toLocaleString()} tokens` : ""}
                        </span>
                      </li>
                    ))}
                  </ul>
                </CardContent>
              </Card>
            );
          })
        )}
      </section>
      <section className="space-y-3">
        <h2 className="text-lg font-medium">Model versions</h2>
        <p className="text-sm text-muted-foreground">
          Register and load adapters with <code>npx troupe models register|load|unload</code>.
        </p>
        <Table data-testid="model-versions">
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Served id</TableHead>
              <TableHead>Endpoint</TableHead>
              <TableHead>Adapter</TableHead>
              <TableHead>Status</TableHead>
            </TableRow>
          </TableHeader>
          <TableBody>
            {versions.map((version) => (
              <TableRow key={version.id}>
                <TableCell>{version.name}</TableCell>
                <TableCell className="font-mono">{version.servedModelId}</TableCell>
                <TableCell>{version.endpoint.name}</TableCell>
                <TableCell className="font-mono">{version.adapterPath ?? "—"}</TableCell>
                <TableCell>
                  <Badge variant="outline">{version.status.toLowerCase()}</Badge>
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </section>
    </div>
  );
}
