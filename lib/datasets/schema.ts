// What creating and exporting a dataset version accepts.
import { z } from "zod";
import { sampleFilterSchema } from "@/lib/curation/schema";
import { DATASET_FORMATS } from "./formats";

/** A dataset takes approved samples only and one sample per near-duplicate group, whatever the filter says. */
export const datasetFilterSchema = sampleFilterSchema.omit({ state: true, duplicates: true });
export type DatasetFilter = z.infer<typeof datasetFilterSchema>;

export const createDatasetSchema = z.object({
  name: z
    .string()
    .trim()
    .min(1, "Give the dataset a name.")
    .max(80)
    .regex(/^[\p{L}\p{N}][\p{L}\p{N} ._-]*$/u, "Use letters, digits, spaces, dots, dashes and underscores."),
  description: z.string().trim().max(2000).default(""),
  filter: datasetFilterSchema.default({}),
  /** Any text; the same seed and samples always give the same split. */
  seed: z
    .string()
    .trim()
    .max(64)
    .optional()
    .transform((value) => value || undefined),
  validationShare: z.coerce.number().min(0).max(0.5).default(0.05),
});
export type CreateDatasetInput = z.input<typeof createDatasetSchema>;

export const EXPORT_SPLITS = ["train", "validation", "all"] as const;
export const exportQuerySchema = z.object({
  format: z.enum(DATASET_FORMATS),
  split: z.enum(EXPORT_SPLITS).default("all"),
});
