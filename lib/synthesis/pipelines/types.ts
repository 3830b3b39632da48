import type { LanguageModelV4 } from "@ai-sdk/provider";
import type { z } from "zod";
import type { NewItem } from "../jobs";
import type { Sampling } from "../llm";
import type { ItemResult } from "../runner";

export type PipelineContext = {
  jobId: string;
  createdById: string | null;
  model: LanguageModelV4;
  modelId: string;
  sampling: Sampling;
  signal: AbortSignal;
  key: string;
};

export type Pipeline<S extends z.ZodType = z.ZodType> = {
  name: string;
  /** id@version of the main template, stored on the job. */
  template: string;
  description: string;
  params: S;
  plan(params: z.infer<S>): AsyncIterable<NewItem>;
  handle(input: unknown, context: PipelineContext): Promise<ItemResult>;
  /** The first prompt an item sends, rendered without calling the model (the start form's preview). */
  preview(input: unknown): Promise<{ system: string; prompt: string }>;
};
