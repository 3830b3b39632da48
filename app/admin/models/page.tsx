import type { Metadata } from "next";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireAdminPage } from "@/lib/auth/session";
import type { DiscoveredModel } from "@/lib/llm/endpoint";
import type { VllmMetricsSummary } from "@/lib/models/metrics";
import { endpointMetrics, listEndpoints, listModelVersions, syncEndpoints } from "@/lib/models/queries";

export const metadata: Metadata = { title: "Models" };

type Health = { reachable?: boolean; healthy?: boolean; error?: string | null; latencyMs?: number } | null;

const seconds = (value: number | undefined) => (value === undefined ? "—" : `${Math.round(value * 1000)} ms`);

function MetricsLine({ entry }: { entry: { metrics: VllmMetricsSummary } | { error: string } | undefined }) {
  if (!entry) return null;
  if ("error" in entry) return <p className="text-sm text-muted-foreground">Metrics: {entry.error}</p>;
  const { metrics } = entry;
  const items = [
    ["running", String(metrics.requestsRunning)],
    ["waiting", String(metrics.requestsWaiting)],
    ["KV cache", `${Math.round(metrics.kvCacheUsage * 100)} %`],
    [
      "prefix-cache hits",
      metrics.prefixCacheHitRate === null ? "—" : `${Math.round(metrics.prefixCacheHitRate * 100)} %`,
    ],
    ["TTFT p50/p99", `${seconds(metrics.ttft?.p50)} / ${seconds(metrics.ttft?.p99)}`],
    ["latency p50/p99", `${seconds(metrics.e2eLatency?.p50)} / ${seconds(metrics.e2eLatency?.p99)}`],
    ["adapters running", metrics.loras.running.join(", ") || "—"],
  ];
  return (
    <dl className="grid grid-cols-2 gap-x-4 gap-y-1 text-sm sm:grid-cols-4" data-testid="endpoint-metrics">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt className="text-muted-foreground">{label}</dt>
          <dd className="font-mono">{value}</dd>
        </div>
      ))}
    </dl>
  );
}

export default async function AdminModelsPage() {
  await requireAdminPage("/admin/models");
  // Opening the page refreshes what every endpoint serves.
  await syncEndpoints();
  const [endpoints, versions, metrics] = await Promise.all([listEndpoints(), listModelVersions(), endpointMetrics()]);
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
                <CardContent className="space-y-3">
                  <MetricsLine entry={metrics.get(endpoint.id)} />
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
