import "server-only";
// Synthesis from the outside: importing input files, starting a pipeline as a job, and running a
// job's items (on the worker's job queue, or in the foreground from the CLI).
import os from "node:os";
import type { Prisma } from "@/generated/prisma/client";
import { db, pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { EVAL_PIPELINE, evalItemHandler } from "@/lib/eval/run";
import { enqueue } from "@/lib/jobs/queue";
import { type InputKind, type InputSource, parseInputFile, summarizeInput } from "./inputs";
import { createJob } from "./jobs";
import { DEFAULT_SYNTH_SAMPLING, gated, jobModel, type Sampling } from "./llm";
import { PIPELINES, type PipelineName } from "./pipelines";
import { type ItemHandler, runJob } from "./runner";

const SEED_BATCH = 1000;

type SeedRow = { seedId: string; line: number; data: string };

/** Write a batch of seeds in one statement; a seed already in this input is not stored twice. */
async function insertSeeds(inputId: string, rows: SeedRow[]): Promise<number> {
  const result = await pool.query(
    `INSERT INTO "SynthesisSeed" (id, "inputId", "seedId", line, data)
     SELECT gen_random_uuid()::text, $1, s."seedId", s.line, s.data::jsonb
       FROM unnest($2::text[], $3::int[], $4::text[]) AS s("seedId", line, data)
     ON CONFLICT ("inputId", "seedId") DO NOTHING`,
    [inputId, rows.map((row) => row.seedId), rows.map((row) => row.line), rows.map((row) => row.data)],
  );
  return result.rowCount ?? 0;
}

/** Stream an input file into the database: good lines become seeds, bad ones are counted and reported. */
export async function importInput(input: {
  kind: InputKind;
  name: string;
  source: InputSource;
  createdById?: string | null;
}) {
  const record = await db.synthesisInput.create({
    data: { kind: input.kind, name: input.name, createdById: input.createdById ?? null },
  });
  let batch: SeedRow[] = [];
  let kept = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    kept += await insertSeeds(record.id, batch);
    batch = [];
  };
  const results = parseInputFile(input.kind, input.source, { fileName: input.name }) as AsyncIterable<
    { ok: true; lineNumber: number; value: { seedId: string } } | { ok: false; lineNumber: number; error: string }
  >;
  try {
    const summary = await summarizeInput(results, {
      onValue: async (value, lineNumber) => {
        batch.push({ seedId: value.seedId, line: lineNumber, data: JSON.stringify(value) });
        if (batch.length >= SEED_BATCH) await flush();
      },
    });
    await flush();
    return await db.synthesisInput.update({
      where: { id: record.id },
      data: { lines: summary.ok + summary.failed, seeds: kept, failed: summary.failed, errors: summary.errors },
    });
  } catch (error) {
    // An upload cut short (over the size limit, the client gone) leaves no half-read input behind;
    // its seeds go with it.
    await db.synthesisInput.delete({ where: { id: record.id } }).catch(() => undefined);
    throw error;
  }
}

export type StartOptions = {
  pipeline: PipelineName;
  params: unknown;
  modelVersionId?: string | null;
  sampling?: Partial<Sampling>;
  createdById?: string | null;
  /** Queue this many runners for the job (each worker process can take one). */
  runners?: number;
  /** Create the job without queueing it (the CLI runs it in the foreground). */
  enqueue?: boolean;
};

export async function startSynthesis(options: StartOptions) {
  const pipeline = PIPELINES[options.pipeline];
  if (!pipeline) throw new AppError("bad_request:pipeline", `Unknown pipeline "${options.pipeline}".`);
  const params = pipeline.params.parse(options.params);
  const sampling = { ...DEFAULT_SYNTH_SAMPLING, ...options.sampling };
  if (options.modelVersionId) {
    const version = await db.modelVersion.findUnique({
      where: { id: options.modelVersionId },
      select: { status: true },
    });
    if (!version || version.status === "RETIRED")
      throw new AppError("not_found:model_version", "That model is not available.");
  }
  const job = await createJob({
    pipeline: pipeline.name,
    template: pipeline.template,
    params: { ...(params as object), sampling } as Prisma.InputJsonValue,
    modelVersionId: options.modelVersionId ?? null,
    createdById: options.createdById ?? null,
    items: pipeline.plan(params as never),
  });
  if (options.enqueue !== false) {
    for (let index = 0; index < (options.runners ?? 1); index++) {
      await enqueue("synthesis:run_job", { jobId: job.id });
    }
  }
  return job;
}

/** Run a job's items with this process's share of the concurrency. */
export async function executeJob(
  jobId: string,
  options: { concurrency?: number; workerId?: string; leaseMs?: number; signal?: AbortSignal } = {},
) {
  const job = await db.synthesisJob.findUnique({ where: { id: jobId } });
  if (!job) throw new AppError("not_found:job", "That job does not exist.");
  const { model: ungated, modelId, gate } = await jobModel(job.modelVersionId);
  const model = gated(ungated, gate);
  let handler: ItemHandler;
  if (job.pipeline === EVAL_PIPELINE) {
    // Evaluation runs share the runner (leases, retries, progress, pause) with synthesis.
    const evaluate = await evalItemHandler(job);
    handler = (input, context) => evaluate(input, { ...context, model });
  } else {
    const pipeline = PIPELINES[job.pipeline as PipelineName];
    if (!pipeline) throw new AppError("bad_request:pipeline", `Unknown pipeline "${job.pipeline}".`);
    const sampling = {
      ...DEFAULT_SYNTH_SAMPLING,
      ...((job.params as { sampling?: Partial<Sampling> }).sampling ?? {}),
    };
    handler = (input, context) =>
      pipeline.handle(input, { ...context, jobId, createdById: job.createdById, model, modelId, sampling });
  }
  return runJob(jobId, handler, {
    workerId: options.workerId ?? `${os.hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`,
    concurrency: options.concurrency ?? (Number(process.env.SYNTH_CONCURRENCY) || 32),
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
  });
}

/** Render the first item's prompt of a would-be job without creating it or calling a model. */
export async function previewSynthesis(pipelineName: PipelineName, rawParams: unknown) {
  const pipeline = PIPELINES[pipelineName];
  if (!pipeline) throw new AppError("bad_request:pipeline", `Unknown pipeline "${pipelineName}".`);
  const params = pipeline.params.parse(rawParams);
  for await (const item of pipeline.plan(params as never)) {
    // Only the text: a single-call request also carries its schema, which is not for the browser.
    const { system, prompt } = await pipeline.preview(item.input);
    return { key: item.key, system, prompt };
  }
  throw new AppError("bad_request:no_items", "These inputs and options produce no items.");
}
