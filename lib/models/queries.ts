import "server-only";
// The model registry: endpoints (API keys never leave the server) and model versions.
import type { z } from "zod";
import type { Prisma } from "@/generated/prisma/client";
import { db, isUniqueViolation } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { defaultModelConfig } from "@/lib/llm/config";
import { type Endpoint, endpointFromBaseUrl, probeEndpoint } from "@/lib/llm/endpoint";
import { probeLocalModel } from "@/lib/llm/probe";
import { fetchMetrics, parseVllmMetrics, type VllmMetricsSummary } from "./metrics";
import { routesUsing } from "./routing-admin";
import {
  canTransition,
  DEFAULT_ENDPOINT_NAME,
  type EndpointInput,
  endpointInputSchema,
  type ModelStatus,
  type RegisterModelInput,
  registerModelSchema,
  updateModelVersionSchema,
} from "./schema";
import { type AdapterResult, isVersionedAdapterName, loadAdapter, unloadAdapter } from "./vllm-admin";

/** Everything about an endpoint except its API key. */
const publicEndpointFields = {
  id: true,
  name: true,
  baseUrl: true,
  kind: true,
  lastHealth: true,
  discovered: true,
  lastSeenAt: true,
  checkedAt: true,
} satisfies Prisma.ModelEndpointSelect;

/** Keep the `default` endpoint in step with LLM_BASE_URL / LLM_API_KEY (or LOCAL_MODEL_PATH). */
export async function ensureEnvEndpoint(): Promise<void> {
  const config = defaultModelConfig();
  if (!config) return;
  const data =
    config.kind === "remote"
      ? { kind: "VLLM" as const, baseUrl: config.endpoint.apiUrl, apiKey: config.endpoint.apiKey ?? null }
      : { kind: "LLAMA_CPP" as const, baseUrl: config.path, apiKey: null };
  await db.modelEndpoint.upsert({
    where: { name: DEFAULT_ENDPOINT_NAME },
    create: { name: DEFAULT_ENDPOINT_NAME, ...data },
    update: data,
  });
}

/** Add or change an endpoint. The env-managed `default` endpoint is changed in .env, not here. */
export async function saveEndpoint(input: EndpointInput, id?: string) {
  const data = endpointInputSchema.parse(input);
  if (data.name === DEFAULT_ENDPOINT_NAME) {
    throw new AppError(
      "bad_request:endpoint_name",
      `"${DEFAULT_ENDPOINT_NAME}" follows LLM_BASE_URL in .env; pick another name.`,
    );
  }
  const fields = {
    name: data.name,
    kind: data.kind,
    baseUrl: data.kind === "LLAMA_CPP" ? data.baseUrl : data.baseUrl.replace(/\/+$/, ""),
    ...(data.apiKey ? { apiKey: data.apiKey } : data.clearApiKey ? { apiKey: null } : {}),
  };
  try {
    if (!id) return await db.modelEndpoint.create({ data: fields, select: publicEndpointFields });
    const existing = await db.modelEndpoint.findUnique({ where: { id }, select: { name: true } });
    if (!existing) throw new AppError("not_found:endpoint", "That endpoint does not exist.");
    if (existing.name === DEFAULT_ENDPOINT_NAME) {
      throw new AppError("bad_request:endpoint_name", "The default endpoint is configured in .env (LLM_BASE_URL).");
    }
    return await db.modelEndpoint.update({ where: { id }, data: fields, select: publicEndpointFields });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError("conflict:endpoint", "An endpoint with that name already exists.");
    throw error;
  }
}

export async function deleteEndpoint(id: string) {
  const endpoint = await db.modelEndpoint.findUnique({
    where: { id },
    include: { _count: { select: { versions: true } } },
  });
  if (!endpoint) throw new AppError("not_found:endpoint", "That endpoint does not exist.");
  if (endpoint._count.versions > 0) {
    throw new AppError(
      "conflict:endpoint_in_use",
      "Model versions are registered on this endpoint; retire them instead.",
    );
  }
  await db.modelEndpoint.delete({ where: { id } });
}

/** Endpoints as the admin pages see them: whether a key is stored, never the key. */
export async function listEndpoints() {
  const endpoints = await db.modelEndpoint.findMany({
    select: { ...publicEndpointFields, apiKey: true },
    orderBy: { name: "asc" },
  });
  return endpoints.map(({ apiKey, ...endpoint }) => ({ ...endpoint, hasApiKey: Boolean(apiKey) }));
}

/** Probe every endpoint's /health and /v1/models and record what they said. */
export async function syncEndpoints() {
  await ensureEnvEndpoint();
  const endpoints = await db.modelEndpoint.findMany();
  return Promise.all(
    endpoints.map(async (endpoint) => {
      const probe =
        endpoint.kind === "LLAMA_CPP"
          ? await probeLocalModel(endpoint.baseUrl)
          : await probeEndpoint(endpointFromBaseUrl(endpoint.baseUrl, endpoint.apiKey ?? undefined));
      const now = new Date();
      return db.modelEndpoint.update({
        where: { id: endpoint.id },
        data: {
          lastHealth: {
            reachable: probe.reachable,
            healthy: probe.healthy,
            error: probe.error ?? null,
            latencyMs: probe.latencyMs,
          },
          discovered: probe.models,
          checkedAt: now,
          ...(probe.reachable ? { lastSeenAt: now } : {}),
        },
        select: publicEndpointFields,
      });
    }),
  );
}

export async function registerModelVersion(input: RegisterModelInput) {
  const data = registerModelSchema.parse(input);
  if (data.endpointName === DEFAULT_ENDPOINT_NAME) await ensureEnvEndpoint();
  if (data.adapterPath && !isVersionedAdapterName(data.servedModelId)) {
    throw new AppError(
      "bad_request:adapter_name",
      `Adapter names are immutable and versioned, like "char-aria-v3"; "${data.servedModelId}" is not.`,
    );
  }
  const endpoint = await db.modelEndpoint.findUnique({ where: { name: data.endpointName } });
  if (!endpoint) {
    throw new AppError(
      "not_found:endpoint",
      `No endpoint named "${data.endpointName}". Set LLM_BASE_URL or add the endpoint first.`,
    );
  }
  if (data.datasetVersionId && !(await db.datasetVersion.findUnique({ where: { id: data.datasetVersionId } }))) {
    throw new AppError("not_found:dataset", `No dataset version with id "${data.datasetVersionId}".`);
  }
  try {
    return await db.modelVersion.create({
      data: {
        name: data.name,
        servedModelId: data.servedModelId,
        endpointId: endpoint.id,
        baseModel: data.baseModel ?? null,
        adapterPath: data.adapterPath ?? null,
        datasetVersionId: data.datasetVersionId ?? null,
        notes: data.notes,
      },
    });
  } catch (error) {
    if (isUniqueViolation(error)) {
      throw new AppError(
        "conflict:model_version",
        "A model version with that name or served id already exists; versions are immutable.",
      );
    }
    throw error;
  }
}

export function listModelVersions() {
  return db.modelVersion.findMany({
    orderBy: [{ status: "asc" }, { name: "asc" }],
    include: { endpoint: { select: { name: true, kind: true } } },
  });
}

export async function updateModelVersion(id: string, input: z.input<typeof updateModelVersionSchema>) {
  const data = updateModelVersionSchema.parse(input);
  const version = await db.modelVersion.findUnique({ where: { id }, select: { id: true } });
  if (!version) throw new AppError("not_found:model_version", "That model version does not exist.");
  return db.modelVersion.update({
    where: { id },
    data: {
      ...(data.notes !== undefined ? { notes: data.notes } : {}),
      ...(data.samplingPreset ? { samplingPreset: data.samplingPreset } : {}),
    },
  });
}

/** A version by its user-facing name, with the endpoint it is served from (key included, server-side only). */
export async function getModelVersionForServing(
  name: string,
): Promise<{ id: string; servedModelId: string; adapterPath: string | null; status: ModelStatus; endpoint: Endpoint }> {
  const version = await db.modelVersion.findUnique({ where: { name }, include: { endpoint: true } });
  if (!version) throw new AppError("not_found:model_version", `No model version named "${name}".`);
  return {
    id: version.id,
    servedModelId: version.servedModelId,
    adapterPath: version.adapterPath,
    status: version.status,
    endpoint: endpointFromBaseUrl(version.endpoint.baseUrl, version.endpoint.apiKey ?? undefined),
  };
}

export async function setModelStatus(id: string, to: ModelStatus) {
  const version = await db.modelVersion.findUnique({ where: { id } });
  if (!version) throw new AppError("not_found:model_version");
  if (version.status === to) return version;
  if (version.status === "SERVING") {
    const uses = await routesUsing(id);
    if (uses.length > 0) {
      throw new AppError("conflict:model_in_use", `Take it out of routing first: ${uses.join("; ")}.`);
    }
  }
  if (!canTransition(version.status, to)) {
    throw new AppError(
      "conflict:model_status",
      `A ${version.status.toLowerCase()} model cannot become ${to.toLowerCase()}.`,
    );
  }
  return db.modelVersion.update({ where: { id }, data: { status: to } });
}

/**
 * Load or unload a version's adapter on its vLLM endpoint and record the new status when vLLM
 * agrees. vLLM's own answer is returned as it is, failures included.
 */
export async function setAdapterLoaded(name: string, loaded: boolean): Promise<AdapterResult> {
  const version = await getModelVersionForServing(name);
  if (!version.adapterPath) {
    throw new AppError(
      "bad_request:not_an_adapter",
      `"${name}" is a base model; only adapters are loaded and unloaded.`,
    );
  }
  if (loaded && version.status === "SERVING") return { ok: true, status: 200, message: "Already serving." };
  if (loaded && version.status === "RETIRED")
    throw new AppError("conflict:model_status", "A retired model cannot be loaded.");
  if (!loaded && version.status === "SERVING") {
    throw new AppError(
      "conflict:model_status",
      "This model is serving users; take it out of rotation before unloading it.",
    );
  }
  const result = loaded
    ? await loadAdapter(version.endpoint, version.servedModelId, version.adapterPath)
    : await unloadAdapter(version.endpoint, version.servedModelId);
  // "Already loaded" / "not found" mean vLLM is already in the state asked for.
  const inState = result.ok || (loaded ? result.reason === "already_loaded" : result.reason === "not_found");
  if (inState) {
    const target = loaded ? "LOADED" : version.status === "RETIRED" ? "RETIRED" : "REGISTERED";
    await db.modelVersion.update({ where: { id: version.id }, data: { status: target } });
  }
  return result;
}

/** Live metrics of each vLLM endpoint, or the reason they could not be read. */
type MetricsEntry = { metrics: VllmMetricsSummary } | { error: string };

export async function endpointMetrics(): Promise<Map<string, MetricsEntry>> {
  const endpoints = await db.modelEndpoint.findMany({ where: { kind: "VLLM" } });
  const entries = await Promise.all(
    endpoints.map(async (endpoint) => {
      try {
        const text = await fetchMetrics(endpointFromBaseUrl(endpoint.baseUrl, endpoint.apiKey ?? undefined));
        return [endpoint.id, { metrics: parseVllmMetrics(text) } as MetricsEntry] as const;
      } catch (error) {
        return [
          endpoint.id,
          { error: error instanceof AppError ? error.message : "The metrics could not be read." },
        ] as const;
      }
    }),
  );
  return new Map(entries);
}
