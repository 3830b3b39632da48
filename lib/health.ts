// What `/api/health`, the health page and `troupe doctor` report: the app, the database and the
// model endpoint, each on its own, so one being down never hides the state of the others.
import { db } from "./db";
import { defaultModelConfig, describeDefaultModel, NO_MODEL_MESSAGE } from "./llm/config";
import type { DiscoveredModel } from "./llm/endpoint";
import { probeDefaultModel } from "./llm/probe";

export type ComponentStatus = "ok" | "degraded" | "down" | "not_configured";

export type SystemHealth = {
  status: "ok" | "degraded";
  checkedAt: string;
  app: { status: "ok"; version: string; uptimeSeconds: number };
  database: { status: "ok" | "down"; latencyMs: number; error?: string };
  model: {
    status: ComponentStatus;
    endpoint?: string;
    defaultModel?: string | null;
    models?: DiscoveredModel[];
    latencyMs?: number;
    message: string;
  };
};

const VERSION = process.env.npm_package_version ?? "0.1.0";

async function checkDatabase(): Promise<SystemHealth["database"]> {
  const started = performance.now();
  try {
    await db.$queryRaw`SELECT 1`;
    return { status: "ok", latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    console.error("[health] database check failed", error);
    return {
      status: "down",
      latencyMs: Math.round(performance.now() - started),
      error: "The database is not reachable.",
    };
  }
}

async function checkModel(): Promise<SystemHealth["model"]> {
  const config = defaultModelConfig();
  if (!config) return { status: "not_configured", message: NO_MODEL_MESSAGE };
  const probe = await probeDefaultModel(config);
  const where = describeDefaultModel(config);
  const base = {
    endpoint: where,
    defaultModel: config.model,
    models: probe.models,
    latencyMs: probe.latencyMs,
  };
  if (!probe.reachable) {
    return {
      ...base,
      status: "down",
      message:
        config.kind === "local"
          ? `The local model cannot be used: ${probe.error}.`
          : `The model server at ${config.endpoint.rootUrl} is not reachable (${probe.error}).`,
    };
  }
  if (!probe.healthy) {
    return { ...base, status: "degraded", message: `The model server answered but is not healthy (${probe.error}).` };
  }
  if (config.kind === "remote" && config.model && !probe.models.some((model) => model.id === config.model)) {
    return {
      ...base,
      status: "degraded",
      message: `The model server does not serve LLM_MODEL "${config.model}". It serves: ${probe.models.map((model) => model.id).join(", ") || "nothing"}.`,
    };
  }
  return { ...base, status: "ok", message: `Connected; ${probe.models.length} model(s) available.` };
}

export async function getSystemHealth(): Promise<SystemHealth> {
  const [database, model] = await Promise.all([checkDatabase(), checkModel()]);
  return {
    status: database.status === "ok" && model.status === "ok" ? "ok" : "degraded",
    checkedAt: new Date().toISOString(),
    app: { status: "ok", version: VERSION, uptimeSeconds: Math.round(process.uptime()) },
    database,
    model,
  };
}
