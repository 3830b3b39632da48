import { generatePipeline, rewritePipeline } from "./dialogue";
import { dittoPipeline } from "./ditto";
import { profilesPipeline } from "./profiles";
import { repairPipeline } from "./repair";
import type { Pipeline } from "./types";

export const PIPELINES = {
  profiles: profilesPipeline,
  rewrite: rewritePipeline,
  generate: generatePipeline,
  ditto: dittoPipeline,
  repair: repairPipeline,
} as const satisfies Record<string, Pipeline>;

export type PipelineName = keyof typeof PIPELINES;
export const PIPELINE_NAMES = Object.keys(PIPELINES) as PipelineName[];
