import type { Metadata } from "next";
import Link from "next/link";
import { DeleteEndpointButton } from "@/components/admin/delete-endpoint-button";
import { EndpointDialog } from "@/components/admin/endpoint-dialog";
import { ModelVersionActions } from "@/components/admin/model-version-actions";
import { RegisterModelDialog } from "@/components/admin/register-model-dialog";
import { AutoRefresh } from "@/components/layout/auto-refresh";
import { Badge } from "@/components/ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from "@/components/ui/table";
import { requireAdminPage } from "@/lib/auth/session";
import type { DiscoveredModel } from "@/lib/llm/endpoint";
import type { VllmMetricsSummary } from "@/lib/models/metrics";
import { endpointMetrics, listEndpoints, listModelVersions, syncEndpoints } from "@/lib/models/queries";
import { presetOf } from "@/lib/models/routing";
import { DEFAULT_ENDPOINT_NAME } from "@/lib/models/schema";

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

function describePreset(preset: Record<string, number>): string {
  const entries = Object.entries(preset);
  return entries.length === 0 ? "—" : entries.map(([key, value]) => `${key}=${value}`).join(" ");
}

export default async function AdminModelsPage() {
  await requireAdminPage("/admin/models");
  // Opening (and auto-refreshing) the page re-probes what every endpoint serves.
  await syncEndpoints();
  const [endpoints, versions, metrics] = await Promise.all([listEndpoints(), listModelVersions(), endpointMetrics()]);
  return (
    <div className="space-y-6" data-testid="admin-models">
      <AutoRefresh seconds={15} />
      <section className="space-y-3">
        <div className="flex items-center justify-between gap-3">
          <h2 className="text-lg font-medium">Endpoints</h2>
          <EndpointDialog />
        </div>
        {endpoints.length === 0 ? (
          <EmptyState
            title="No endpoints"
            description="Set LLM_BASE_URL in .env for the default endpoint, or add one here."
          />
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
                  {endpoint.name === DEFAULT_ENDPOINT_NAME ? (
                    <Badge variant="outline">from .env</Badge>
                  ) : (
                    <span className="ml-auto flex gap-1">
                      <EndpointDialog
                        endpoint={{
                          id: endpoint.id,
                          name: endpoint.name,
                          kind: endpoint.kind,
                          baseUrl: endpoint.baseUrl,
                          hasApiKey: endpoint.hasApiKey,
                        }}
                      />
                      <DeleteEndpointButton id={endpoint.id} name={endpoint.name} />
                    </span>
                  )}
                  <CardDescription className="w-full">
                    {endpoint.baseUrl} · {endpoint.kind.toLowerCase()} · last seen{" "}
                    {endpoint.lastSeenAt ? endpoint.lastSeenAt.toLocaleString() : "never"}
                    {endpoint.hasApiKey ? " · API key stored" : ""}
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
        <div className="flex items-center justify-between gap-3">
          <h2 className="text-lg font-medium">Model versions</h2>
          <RegisterModelDialog
            endpoints={endpoints.map((endpoint) => ({
              name: endpoint.name,
              discovered: (endpoint.discovered as DiscoveredModel[]).map((model) => model.id),
            }))}
          />
        </div>
        <p className="text-sm text-muted-foreground">
          Registered → loaded (adapters, on their vLLM endpoint) → serving (once routed on the{" "}
          <Link href="/admin/routing" className="text-primary underline-offset-4 hover:underline">
            routing
          </Link>{" "}
          page) → retired. The CLI does the same: <code>npx troupe models --help</code>.
        </p>
        <Table data-testid="model-versions">
          <TableHeader>
            <TableRow>
              <TableHead>Name</TableHead>
              <TableHead>Served id</TableHead>
              <TableHead>Endpoint</TableHead>
              <TableHead>Adapter</TableHead>
              <TableHead>Status</TableHead>
              <TableHead>Preset</TableHead>
              <TableHead>
                <span className="sr-only">Actions</span>
              </TableHead>
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
                  <Badge variant="outline" data-testid={`status-${version.name}`}>
                    {version.status.toLowerCase()}
                  </Badge>
                </TableCell>
                <TableCell className="font-mono text-xs">{describePreset(presetOf(version.samplingPreset))}</TableCell>
                <TableCell>
                  <ModelVersionActions
                    version={{
                      id: version.id,
                      name: version.name,
                      status: version.status,
                      isAdapter: version.adapterPath !== null,
                      inArena: version.inArena,
                      notes: version.notes,
                      samplingPreset: presetOf(version.samplingPreset),
                    }}
                  />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </section>
    </div>
  );
}
