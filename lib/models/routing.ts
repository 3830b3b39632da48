import "server-only";
// Which model a chat talks to. A new chat is routed once, in this order, and the result is stored
// on the conversation (sticky): an active A/B experiment for its character, the character's own
// model, an active instance-wide experiment, the admin's default model version, and finally the
// environment's default model (LLM_BASE_URL / LOCAL_MODEL_PATH). Retired versions are skipped.
import { createHash } from "node:crypto";
import type { EndpointKind, ModelStatus } from "@/generated/prisma/client";
import type { Sampling } from "@/lib/chat/schema";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { defaultModelConfig } from "@/lib/llm/config";
import { endpointFromBaseUrl } from "@/lib/llm/endpoint";
import { defaultModelTarget, type ModelTarget, targetFromConfig } from "@/lib/llm/provider";
import { samplingPresetSchema } from "./schema";

export const DEFAULT_ROUTE_KEY = "routing.defaultModelVersionId";

export type Variant = "A" | "B";

export type ChatRoute = {
  modelId: string;
  modelVersionId: string | null;
  experimentId: string | null;
  variant: Variant | null;
  /** The version's sampling preset; new chats start from it. */
  samplingPreset: Partial<Sampling>;
  /** Which rule chose the model, for the admin and the tests. */
  reason: "experiment" | "character" | "default" | "environment" | "user";
};

type EndpointFields = { kind: EndpointKind; baseUrl: string; apiKey: string | null };

/** A registered endpoint's model as a target; a LLAMA_CPP endpoint's base URL is its GGUF path. */
export function targetOf(endpoint: EndpointFields, modelId: string): ModelTarget {
  if (endpoint.kind === "LLAMA_CPP") return { kind: "local", path: endpoint.baseUrl, modelId };
  return { kind: "remote", endpoint: endpointFromBaseUrl(endpoint.baseUrl, endpoint.apiKey ?? undefined), modelId };
}

/**
 * The arm of an experiment a conversation falls in: a hash of both ids mapped to [0, 1), so the
 * split is exact in expectation, independent between experiments, and reproducible from the ids.
 */
export function assignVariant(experimentId: string, conversationId: string, splitA: number): Variant {
  const digest = createHash("sha256").update(`${experimentId}:${conversationId}`).digest();
  return digest.readUInt32BE(0) / 2 ** 32 < splitA ? "A" : "B";
}

export function presetOf(value: unknown): Partial<Sampling> {
  const parsed = samplingPresetSchema.safeParse(value ?? {});
  return parsed.success ? parsed.data : {};
}

const versionFields = { id: true, servedModelId: true, status: true, samplingPreset: true } as const;
type VersionFields = { id: string; servedModelId: string; status: ModelStatus; samplingPreset: unknown };

function routeTo(
  version: VersionFields,
  reason: ChatRoute["reason"],
  experiment?: { id: string; variant: Variant },
): ChatRoute {
  return {
    modelId: version.servedModelId,
    modelVersionId: version.id,
    experimentId: experiment?.id ?? null,
    variant: experiment?.variant ?? null,
    samplingPreset: presetOf(version.samplingPreset),
    reason,
  };
}

async function activeExperiment(characterId: string | null) {
  return db.experiment.findFirst({
    where: { active: true, characterId },
    include: { variantA: { select: versionFields }, variantB: { select: versionFields } },
    orderBy: { createdAt: "desc" },
  });
}

function experimentRoute(
  experiment: NonNullable<Awaited<ReturnType<typeof activeExperiment>>>,
  conversationId: string,
): ChatRoute | null {
  const variant = assignVariant(experiment.id, conversationId, experiment.splitA);
  const version = variant === "A" ? experiment.variantA : experiment.variantB;
  if (version.status === "RETIRED") return null;
  return routeTo(version, "experiment", { id: experiment.id, variant });
}

/** Route a new conversation (its id is known before the row is written, so the arm is too). */
export async function routeNewChat(characterId: string, conversationId: string): Promise<ChatRoute> {
  const [characterExperiment, character, globalExperiment, defaultSetting] = await Promise.all([
    activeExperiment(characterId),
    db.character.findUnique({ where: { id: characterId }, select: { modelVersion: { select: versionFields } } }),
    activeExperiment(null),
    db.appSetting.findUnique({ where: { key: DEFAULT_ROUTE_KEY } }),
  ]);
  const fromCharacterExperiment = characterExperiment && experimentRoute(characterExperiment, conversationId);
  if (fromCharacterExperiment) return fromCharacterExperiment;
  const own = character?.modelVersion;
  if (own && own.status !== "RETIRED") return routeTo(own, "character");
  const fromGlobalExperiment = globalExperiment && experimentRoute(globalExperiment, conversationId);
  if (fromGlobalExperiment) return fromGlobalExperiment;
  if (typeof defaultSetting?.value === "string") {
    const version = await db.modelVersion.findUnique({ where: { id: defaultSetting.value }, select: versionFields });
    if (version && version.status !== "RETIRED") return routeTo(version, "default");
  }
  const target = await defaultModelTarget();
  return {
    modelId: target.modelId,
    modelVersionId: null,
    experimentId: null,
    variant: null,
    samplingPreset: {},
    reason: "environment",
  };
}

type RoutedConversation = {
  id: string;
  characterId: string;
  modelId: string;
  modelVersionId: string | null;
  version: (EndpointFields & { status: ModelStatus }) | null;
};

/**
 * Where a conversation's replies come from: its model version's endpoint, or the environment's.
 * A chat whose version was retired is routed afresh (and the new route stored), so it carries on
 * with the model now in service; each reply records the model it came from.
 */
export async function targetForConversation(
  conversation: RoutedConversation,
): Promise<{ target: ModelTarget; modelVersionId: string | null }> {
  const { version } = conversation;
  if (version && version.status !== "RETIRED") {
    return { target: targetOf(version, conversation.modelId), modelVersionId: conversation.modelVersionId };
  }
  if (!version && !conversation.modelVersionId) {
    const config = defaultModelConfig();
    if (config) return { target: targetFromConfig(config, conversation.modelId), modelVersionId: null };
  }
  const route = await routeNewChat(conversation.characterId, conversation.id);
  await db.conversation.update({
    where: { id: conversation.id },
    data: {
      modelId: route.modelId,
      modelVersionId: route.modelVersionId,
      experimentId: route.experimentId,
      variant: route.variant,
    },
  });
  if (!route.modelVersionId) return { target: await defaultModelTarget(), modelVersionId: null };
  const rerouted = await db.modelVersion.findUniqueOrThrow({
    where: { id: route.modelVersionId },
    select: { endpoint: { select: { kind: true, baseUrl: true, apiKey: true } } },
  });
  return { target: targetOf(rerouted.endpoint, route.modelId), modelVersionId: route.modelVersionId };
}

/** Whether any model is reachable in principle: the environment's, or an admin-chosen default. */
export async function modelConnected(): Promise<boolean> {
  if (defaultModelConfig()) return true;
  const setting = await db.appSetting.findUnique({ where: { key: DEFAULT_ROUTE_KEY } });
  return typeof setting?.value === "string";
}

/** Model versions a user may pick for a chat: those an admin put in service. */
export function listServingVersions() {
  return db.modelVersion.findMany({
    where: { status: "SERVING" },
    select: { id: true, name: true, servedModelId: true, notes: true },
    orderBy: { name: "asc" },
  });
}

/**
 * The route after a user picks a model for a chat: a serving version (which takes the chat out of
 * any experiment), or "auto" for the routing rules (an experiment arm comes out the same again).
 */
export async function routeForChoice(
  conversation: { id: string; characterId: string },
  choice: string,
): Promise<ChatRoute> {
  if (choice === "auto") return routeNewChat(conversation.characterId, conversation.id);
  const version = await db.modelVersion.findUnique({ where: { id: choice }, select: versionFields });
  if (version?.status !== "SERVING") {
    throw new AppError("bad_request:model_version", "That model is not available; pick one from the list.");
  }
  return routeTo(version, "user");
}

/** A specific version as a target (the arena asks two versions the same question). */
export async function targetForVersion(versionId: string): Promise<ModelTarget> {
  const version = await db.modelVersion.findUnique({ where: { id: versionId }, include: { endpoint: true } });
  if (!version || version.status === "RETIRED") {
    throw new AppError("conflict:model_retired", "That model is no longer available.");
  }
  return targetOf(version.endpoint, version.servedModelId);
}
