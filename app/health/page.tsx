import type { Metadata } from "next";
import { Alert } from "@/components/ui/alert";
import { Badge, type BadgeVariant } from "@/components/ui/badge";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requireUserPage } from "@/lib/auth/session";
import { type ComponentStatus, getSystemHealth } from "@/lib/health";

export const metadata: Metadata = { title: "System health" };

const BADGE: Record<ComponentStatus, { variant: BadgeVariant; label: string }> = {
  ok: { variant: "success", label: "Up" },
  degraded: { variant: "warning", label: "Degraded" },
  down: { variant: "destructive", label: "Down" },
  not_configured: { variant: "outline", label: "Not configured" },
};

function StatusCard({
  title,
  status,
  children,
  testId,
}: {
  title: string;
  status: ComponentStatus;
  children: React.ReactNode;
  testId: string;
}) {
  return (
    <Card data-testid={testId} data-status={status}>
      <CardHeader className="flex flex-row items-center justify-between gap-2">
        <CardTitle as="h2">{title}</CardTitle>
        <Badge variant={BADGE[status].variant}>{BADGE[status].label}</Badge>
      </CardHeader>
      <CardContent className="space-y-2 text-sm">{children}</CardContent>
    </Card>
  );
}

export default async function HealthPage() {
  const user = await requireUserPage("/health");
  const health = await getSystemHealth();
  const isAdmin = user.role === "ADMIN";
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">System health</h1>
        <p className="text-sm text-muted-foreground">Checked {new Date(health.checkedAt).toLocaleTimeString()}.</p>
      </div>
      <StatusCard title="App" status="ok" testId="health-app">
        <p>
          Version {health.app.version}, up {health.app.uptimeSeconds} s.
        </p>
      </StatusCard>
      <StatusCard title="Database" status={health.database.status} testId="health-database">
        <p>
          {health.database.status === "ok" ? `Answered in ${health.database.latencyMs} ms.` : health.database.error}
        </p>
      </StatusCard>
      <StatusCard title="Model endpoint" status={health.model.status} testId="health-model">
        <p data-testid="health-model-message">{health.model.message}</p>
        {health.model.status === "not_configured" && !isAdmin ? (
          <p className="text-muted-foreground">Ask an admin to connect a model server.</p>
        ) : null}
        {isAdmin && health.model.models && health.model.models.length > 0 ? (
          <ul className="list-inside list-disc text-muted-foreground">
            {health.model.models.map((model) => (
              <li key={model.id}>
                {model.id}
                {model.parent ? ` (LoRA on ${model.parent})` : " (base)"}
                {model.maxModelLen ? ` · ${model.maxModelLen} tokens` : ""}
              </li>
            ))}
          </ul>
        ) : null}
      </StatusCard>
      {health.model.status === "not_configured" && isAdmin ? (
        <Alert variant="info" title="How to connect a model">
          <p>
            Start vLLM (<code>vllm serve MODEL --enable-lora</code>), then set{" "}
            <code>LLM_BASE_URL=http://HOST:8000/v1</code> and <code>LLM_MODEL</code> in <code>.env</code> and restart
            Troupe.
          </p>
        </Alert>
      ) : null}
    </div>
  );
}
