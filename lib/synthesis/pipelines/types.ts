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

/**
 * The one structured request an item of a single-call pipeline makes (also what batch files carry),
 * and what preparing it loaded that accepting the answer needs again (`carry`).
 */
export type StructuredRequest = {
  system: string;
  prompt: string;
  schema: z.ZodType;
  schemaName: string;
  carry?: unknown;
};

export type SingleCall = {
  request(input: unknown): Promise<StructuredRequest>;
  /** Turn the validated answer into the item's output and rows. */
  accept(
    input: unknown,
    answer: unknown,
    context: Pick<PipelineContext, "jobId" | "key" | "createdById" | "modelId" | "sampling">,
    carry: unknown,
  ): Promise<Pick<ItemResult, "output" | "samples">>;
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
  /** Present when an item is exactly one structured call: such jobs can also run as batch files. */
  singleCall?: SingleCall;
};
