// The model registry's shapes and the life cycle of a model version:
// registered → loaded → serving → retired (see STATUS_TRANSITIONS).
import { z } from "zod";
import { samplingSchema } from "@/lib/chat/schema";

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
  /** The dataset version it was trained on (lineage from a reply back to its training data). */
  datasetVersionId: z.string().trim().min(1).max(64).optional(),
  notes: z.string().max(2000).default(""),
});
export type RegisterModelInput = z.input<typeof registerModelSchema>;

export const DEFAULT_ENDPOINT_NAME = "default";

const endpointNameSchema = z
  .string()
  .trim()
  .min(1, { error: "Name the endpoint." })
  .max(60)
  .regex(/^[a-z0-9][a-z0-9._-]*$/i, { error: "Use letters, digits, dots, dashes and underscores." });

/**
 * An endpoint an admin adds. Remote kinds take an http(s) URL (server root or /v1); a LLAMA_CPP
 * endpoint runs a GGUF file in-process, so its "URL" is the file's path on the server.
 */
export const endpointInputSchema = z
  .object({
    name: endpointNameSchema,
    kind: endpointKindSchema,
    baseUrl: z.string().trim().min(1, { error: "Where is it?" }).max(1000),
    /** Write-only: never read back. Empty keeps the stored key. */
    apiKey: z.string().trim().max(500).optional(),
    clearApiKey: z.boolean().optional(),
  })
  .superRefine((input, context) => {
    if (input.kind === "LLAMA_CPP") {
      if (!/\.gguf$/i.test(input.baseUrl) || !input.baseUrl.startsWith("/")) {
        context.addIssue({ code: "custom", path: ["baseUrl"], message: "An absolute path to a .gguf file." });
      }
    } else if (!z.url({ protocol: /^https?$/ }).safeParse(input.baseUrl).success) {
      context.addIssue({
        code: "custom",
        path: ["baseUrl"],
        message: "An http(s) URL such as http://10.0.0.5:8000/v1.",
      });
    }
  });
export type EndpointInput = z.infer<typeof endpointInputSchema>;

/** Any subset of the sampling fields, with no defaults filled in (absent = Troupe's default). */
export const samplingPresetSchema = z.object({
  temperature: samplingSchema.shape.temperature.unwrap().optional(),
  top_p: samplingSchema.shape.top_p.unwrap().optional(),
  top_k: samplingSchema.shape.top_k.unwrap().optional(),
  min_p: samplingSchema.shape.min_p.unwrap().optional(),
  repetition_penalty: samplingSchema.shape.repetition_penalty.unwrap().optional(),
  max_tokens: samplingSchema.shape.max_tokens.unwrap().optional(),
});

export const updateModelVersionSchema = z.object({
  notes: z.string().max(2000).optional(),
  samplingPreset: samplingPresetSchema.optional(),
});

export const experimentInputSchema = z
  .object({
    name: z.string().trim().min(1, { error: "Name the experiment." }).max(120),
    characterId: z.uuid().nullable().default(null),
    variantAId: z.string().min(1).max(64),
    variantBId: z.string().min(1).max(64),
    /** Share of new chats that go to A. */
    splitA: z.number().min(0.01).max(0.99).default(0.5),
  })
  .refine((input) => input.variantAId !== input.variantBId, {
    path: ["variantBId"],
    error: "A and B must be different model versions.",
  });
export type ExperimentInput = z.input<typeof experimentInputSchema>;
