// An OpenAI-compatible endpoint (vLLM first) as Troupe sees it: where it is, and what a
// health probe of `/health` and `/v1/models` says about it.
import { z } from "zod";

export type Endpoint = {
  /** The server root, e.g. http://127.0.0.1:8000 (vLLM serves /health and /metrics here). */
  rootUrl: string;
  /** The OpenAI-compatible API base, e.g. http://127.0.0.1:8000/v1. */
  apiUrl: string;
  apiKey?: string;
};

/** Accept either the server root or the `/v1` base; vLLM users write both. */
export function endpointFromBaseUrl(baseUrl: string, apiKey?: string): Endpoint {
  const trimmed = baseUrl.replace(/\/+$/, "");
  const rootUrl = trimmed.endsWith("/v1") ? trimmed.slice(0, -3) : trimmed;
  return { rootUrl, apiUrl: `${rootUrl}/v1`, ...(apiKey ? { apiKey } : {}) };
}

const modelListSchema = z.object({
  data: z.array(
    z.looseObject({
      id: z.string(),
      root: z.string().nullish(),
      parent: z.string().nullish(),
      max_model_len: z.number().int().nullish(),
    }),
  ),
});

export type DiscoveredModel = { id: string; root: string | null; parent: string | null; maxModelLen: number | null };

export type EndpointHealth = {
  reachable: boolean;
  healthy: boolean;
  models: DiscoveredModel[];
  latencyMs: number;
  error?: string;
};

function authHeaders(endpoint: Endpoint): Record<string, string> {
  return endpoint.apiKey ? { Authorization: `Bearer ${endpoint.apiKey}` } : {};
}

function describeFailure(error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") return "timed out";
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : undefined;
  return cause ?? (error instanceof Error ? error.message : String(error));
}

export async function listModels(endpoint: Endpoint, timeoutMs = 3000): Promise<DiscoveredModel[]> {
  const response = await fetch(`${endpoint.apiUrl}/models`, {
    headers: authHeaders(endpoint),
    signal: AbortSignal.timeout(timeoutMs),
    cache: "no-store",
  });
  if (!response.ok) throw new Error(`/v1/models answered HTTP ${response.status}`);
  const parsed = modelListSchema.safeParse(await response.json());
  if (!parsed.success) throw new Error("/v1/models did not return an OpenAI-style model list");
  return parsed.data.data.map((model) => ({
    id: model.id,
    root: model.root ?? null,
    parent: model.parent ?? null,
    maxModelLen: model.max_model_len ?? null,
  }));
}

/** Probe `/health` and `/v1/models`. Generic OpenAI-compatible servers may lack `/health`. */
export async function probeEndpoint(endpoint: Endpoint, timeoutMs = 3000): Promise<EndpointHealth> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  let healthStatus: number | null = null;
  try {
    const health = await fetch(`${endpoint.rootUrl}/health`, {
      headers: authHeaders(endpoint),
      signal: AbortSignal.timeout(timeoutMs),
      cache: "no-store",
    });
    healthStatus = health.status;
    await health.body?.cancel();
  } catch (error) {
    return { reachable: false, healthy: false, models: [], latencyMs: elapsed(), error: describeFailure(error) };
  }
  try {
    const models = await listModels(endpoint, timeoutMs);
    const healthy = healthStatus === 200 || healthStatus === 404;
    return {
      reachable: true,
      healthy,
      models,
      latencyMs: elapsed(),
      ...(healthy ? {} : { error: `/health answered HTTP ${healthStatus}` }),
    };
  } catch (error) {
    return { reachable: true, healthy: false, models: [], latencyMs: elapsed(), error: describeFailure(error) };
  }
}
