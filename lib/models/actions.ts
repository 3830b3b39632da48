"use server";
// The admin's model registry and routing forms. Every action checks for an admin itself.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { type ActionResult, runAction } from "@/lib/actions";
import { setInArena } from "@/lib/arena/queries";
import { requireRole } from "@/lib/auth/session";
import { parseWith, recordIdSchema } from "@/lib/http";
import {
  deleteEndpoint,
  registerModelVersion,
  saveEndpoint,
  setAdapterLoaded,
  setModelStatus,
  updateModelVersion,
} from "./queries";
import { setCharacterModel, setDefaultModel, startExperiment, stopExperiment } from "./routing-admin";
import {
  endpointInputSchema,
  experimentInputSchema,
  MODEL_STATUSES,
  registerModelSchema,
  updateModelVersionSchema,
} from "./schema";
import type { AdapterResult } from "./vllm-admin";

const optionalIdSchema = recordIdSchema.nullable();

async function asAdmin<T>(body: (adminId: string) => Promise<T>): Promise<ActionResult<T>> {
  return runAction(async () => {
    const admin = await requireRole("ADMIN");
    const result = await body(admin.id);
    revalidatePath("/admin/models");
    revalidatePath("/admin/routing");
    return result;
  });
}

export async function saveEndpointAction(id: string | null, input: unknown) {
  return asAdmin(async () => {
    const endpoint = await saveEndpoint(
      parseWith(endpointInputSchema, input),
      id ? parseWith(recordIdSchema, id) : undefined,
    );
    return { id: endpoint.id };
  });
}

export async function deleteEndpointAction(id: string) {
  return asAdmin(async () => deleteEndpoint(parseWith(recordIdSchema, id)));
}

export async function registerModelAction(input: unknown) {
  return asAdmin(async () => {
    const version = await registerModelVersion(parseWith(registerModelSchema, input));
    return { id: version.id };
  });
}

export async function updateModelVersionAction(id: string, input: unknown) {
  return asAdmin(async () => {
    await updateModelVersion(parseWith(recordIdSchema, id), parseWith(updateModelVersionSchema, input));
    return undefined;
  });
}

export async function setModelStatusAction(id: string, status: string) {
  return asAdmin(async () => {
    await setModelStatus(parseWith(recordIdSchema, id), parseWith(z.enum(MODEL_STATUSES), status));
    return undefined;
  });
}

/** vLLM's own answer comes back as data (a refusal is not an action failure). */
export async function setAdapterLoadedAction(name: string, loaded: boolean): Promise<ActionResult<AdapterResult>> {
  return asAdmin(async () =>
    setAdapterLoaded(parseWith(z.string().min(1).max(120), name), parseWith(z.boolean(), loaded)),
  );
}

export async function setDefaultModelAction(versionId: string | null) {
  return asAdmin(async (adminId) => setDefaultModel(adminId, parseWith(optionalIdSchema, versionId)));
}

export async function setCharacterModelAction(characterId: string, versionId: string | null) {
  return asAdmin(async (adminId) =>
    setCharacterModel(adminId, parseWith(z.uuid(), characterId), parseWith(optionalIdSchema, versionId)),
  );
}

export async function startExperimentAction(input: unknown) {
  return asAdmin(async (adminId) => {
    const experiment = await startExperiment(adminId, parseWith(experimentInputSchema, input));
    return { id: experiment.id };
  });
}

export async function stopExperimentAction(id: string) {
  return asAdmin(async (adminId) => {
    await stopExperiment(adminId, parseWith(recordIdSchema, id));
    return undefined;
  });
}

export async function setInArenaAction(versionId: string, inArena: boolean) {
  return asAdmin(async () => {
    await setInArena(parseWith(recordIdSchema, versionId), parseWith(z.boolean(), inArena));
    revalidatePath("/arena");
    return undefined;
  });
}
