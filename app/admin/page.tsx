import type { Metadata } from "next";
import Link from "next/link";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { adminOverview } from "@/lib/admin-overview";
import { requireAdminPage } from "@/lib/auth/session";
import { defaultModelConfig, describeDefaultModel } from "@/lib/llm/config";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  await requireAdminPage("/admin");
  const overview = await adminOverview();
  const model = defaultModelConfig();
  const stats = [
    { label: "Accounts", value: overview.users, detail: `${overview.admins} admin(s)` },
    { label: "Consenting to training", value: overview.consenting, detail: "accounts" },
    { label: "Workers alive", value: overview.workers.length, detail: "background job processes" },
  ];
  return (
    <div className="space-y-6" data-testid="admin-overview">
      <div className="grid gap-4 sm:grid-cols-3">
        {stats.map((stat) => (
          <Card key={stat.label}>
            <CardHeader>
              <CardDescription>{stat.label}</CardDescription>
              <CardTitle as="h2" className="text-3xl">
                {stat.value}
              </CardTitle>
            </CardHeader>
            <CardContent className="text-sm text-muted-foreground">{stat.detail}</CardContent>
          </Card>
        ))}
      </div>
      <Card>
        <CardHeader>
          <CardTitle as="h2">Model endpoint</CardTitle>
          <CardDescription>
            {model
              ? `Default model ${model.model ?? "(first listed)"} at ${describeDefaultModel(model)}.`
              : "Not configured."}{" "}
            <Link href="/health" className="text-primary underline-offset-4 hover:underline">
              Check health
            </Link>
          </CardDescription>
        </CardHeader>
      </Card>
      {overview.workers.length > 0 ? (
        <Card>
          <CardHeader>
            <CardTitle as="h2">Workers</CardTitle>
          </CardHeader>
          <CardContent>
            <ul className="space-y-1 text-sm">
              {overview.workers.map((worker) => (
                <li key={worker.id}>
                  {worker.hostname} · pid {worker.pid} · {worker.workerIds.length} slot(s) · last seen{" "}
                  {worker.lastSeenAt.toLocaleTimeString()}
                </li>
              ))}
            </ul>
          </CardContent>
        </Card>
      ) : null}
    </div>
  );
}
