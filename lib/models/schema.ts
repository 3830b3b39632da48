// The model registry's shapes and the life cycle of a model version:
// registered → loaded → serving → retired (see STATUS_TRANSITIONS).
import { z } from "zod";

export const MODEL_STATUSES = ["REGISTERED", "LOADED", "SERVING", "RETIRED"] as const;
export type ModelStatus = (typeof MODEL_STATUSES)[number];

/**
 * Allowed moves. A registered adapter is loaded onto its endpoint, then put in front of users;
 * serving can step back to loaded (taken out of rotation) and anything but retired can retire.
 * Retired is final: adapter names are immutable, so a new version gets a new name.
 */
export const STATUS_TRANSITIONS: Record<ModelStatus, readonly ModelStatus[]> = {
  REGISTERED: ["LOADED", "SERVING", "RETIRED"],
  LOADED: ["REGISTERED", "SERVING", "RETIRED"],
  SERVING: ["LOADED", "RETIRED"],
  RETIRED: [],
};

export function canTransition(from: ModelStatus, to: ModelStatus): boolean {
  return STATUS_TRANSITIONS[from].includes(to);
}

export const endpointKindSchema = z.enum(["VLLM", "OPENAI_COMPATIBLE", "LLAMA_CPP"]);

export const registerModelSchema = z.object({
  name: z.string().trim().min(1, { error: "Name the model version." }).max(120),
  servedModelId: z.string().trim().min(1, { error: "The served model id is required." }).max(200),
  endpointName: z.string().trim().min(1).max(120).default("default"),
  baseModel: z.string().trim().max(200).optional(),
  adapterPath: z.string().trim().max(1000).optional(),
  notes: z.string().max(2000).default(""),
});
export type RegisterModelInput = z.input<typeof registerModelSchema>;

export const DEFAULT_ENDPOINT_NAME = "default";
