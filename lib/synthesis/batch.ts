import "server-only";
// Beyond one machine: a job's pending requests as OpenAI Batch / `vllm run-batch` input files
// (custom_id = the item key), sharded for K GPU nodes, and their result files read back. Reading
// results is idempotent — an item already done is left alone, so importing a file twice changes
// nothing — and a failed request or an answer that does not fit the schema fails its item with the
// reason. Result files are read as streams of lines with a bound on each line (readLines), and an
// unreadable line is reported with its number. Only pipelines whose items are a single structured call can go this way; the others make
// several dependent calls per item and run online.
import { createHash } from "node:crypto";
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { type InputSource, MAX_REPORTED_ERRORS, readLines } from "./inputs";
import { lineError, nestedDeeperThan, parseJsonLine, validate } from "./inputs/result";
import { cleanText } from "./inputs/text";
import { DEFAULT_SYNTH_SAMPLING, type Sampling } from "./llm";
import { PIPELINES, type PipelineName } from "./pipelines";
import type { SingleCall } from "./pipelines/types";
import { claimByKey, completeIfDone, failItem, finishItem } from "./runner";

const PAGE = 500;

async function batchJob(jobId: string) {
  const job = await db.synthesisJob.findUnique({ where: { id: jobId } });
  if (!job) throw new AppError("not_found:job", "That job does not exist.");
  const pipeline = PIPELINES[job.pipeline as PipelineName];
  if (!pipeline?.singleCall) {
    throw new AppError(
      "bad_request:not_batchable",
      `${job.pipeline} items make several dependent calls; run the job online (batch files suit profiles, rewrite and repair).`,
    );
  }
  const sampling = { ...DEFAULT_SYNTH_SAMPLING, ...((job.params as { sampling?: Partial<Sampling> }).sampling ?? {}) };
  return { job, call: pipeline.singleCall as SingleCall, sampling };
}

/** Which of K shards an item goes to: stable for a key, whatever K files are written when. */
export function shardOf(key: string, shards: number): number {
  return createHash("sha256").update(key).digest().readUInt32BE(0) % shards;
}

/** One request line per pending item, in the OpenAI Batch format `vllm run-batch` reads. */
export async function* exportBatch(jobId: string, modelId: string): AsyncGenerator<{ key: string; line: string }> {
  const { call, sampling } = await batchJob(jobId);
  let after = "";
  for (;;) {
    const items = await db.synthesisItem.findMany({
      where: { jobId, status: "PENDING", key: { gt: after } },
      orderBy: { key: "asc" },
      take: PAGE,
      select: { key: true, input: true },
    });
    for (const item of items) {
      const request = await call.request(item.input);
      const body = {
        model: modelId,
        messages: [
          { role: "system", content: request.system },
          { role: "user", content: request.prompt },
        ],
        temperature: sampling.temperature,
        top_p: sampling.topP,
        max_tokens: sampling.maxOutputTokens,
        response_format: {
          type: "json_schema",
          json_schema: { name: request.schemaName, schema: z.toJSONSchema(request.schema), strict: true },
        },
      };
      yield {
        key: item.key,
        line: JSON.stringify({ custom_id: item.key, method: "POST", url: "/v1/chat/completions", body }),
      };
    }
    if (items.length < PAGE) return;
    after = items.at(-1)?.key ?? after;
  }
}

/** Deeper than any result line vLLM writes; bounds JSON.stringify of the line's error. */
const MAX_DEPTH = 100;

const resultLineSchema = z.object({
  // No item key holds a NUL or a lone surrogate, and neither can be sent to the database to look one up.
  custom_id: z
    .string()
    .refine((id) => cleanText(id) === id, { error: "must not hold control characters or broken Unicode" }),
  response: z
    .object({
      status_code: z.number().int(),
      body: z.unknown(),
    })
    .nullish(),
  error: z.unknown().nullish(),
});

/** A token count one request can have. The counts are summed into the job's integer counters. */
const tokenCount = z.number().int().min(0).max(10_000_000);

const completionSchema = z.object({
  choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1),
  // Usage that is not a plausible count (negative, fractional, astronomical) is left out, not stored.
  usage: z.object({ prompt_tokens: tokenCount, completion_tokens: tokenCount }).partial().optional().catch(undefined),
});

/** The answer parsed and validated, or undefined when it is not JSON of the right shape. */
function parseAnswer(schema: z.ZodType, content: string | null | undefined): unknown {
  try {
    const parsed = schema.safeParse(JSON.parse(content ?? ""));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

export type BatchImportSummary = {
  done: number;
  failed: number;
  skipped: number;
  unknown: number;
  invalid: number;
  /** The first unreadable lines (`line 7: not JSON (…)`); `invalid` counts them all. */
  errors: { lineNumber: number; error: string }[];
};

type ResultLine = z.infer<typeof resultLineSchema>;

function parseResultLine(text: string): { ok: true; value: ResultLine } | { ok: false; reason: string } {
  const json = parseJsonLine(text);
  if (!json.ok) return json;
  if (nestedDeeperThan(json.value, MAX_DEPTH))
    return { ok: false, reason: `nested more than ${MAX_DEPTH} levels deep` };
  return validate(resultLineSchema, json.value);
}

/** Read a result file (`{id, custom_id, response: {status_code, body}, error}` per line) into the job. */
export async function importBatch(jobId: string, source: InputSource): Promise<BatchImportSummary> {
  const { job, call, sampling } = await batchJob(jobId);
  const summary: BatchImportSummary = { done: 0, failed: 0, skipped: 0, unknown: 0, invalid: 0, errors: [] };
  const unreadable = (lineNumber: number, reason: string) => {
    summary.invalid++;
    if (summary.errors.length < MAX_REPORTED_ERRORS)
      summary.errors.push({ lineNumber, error: lineError(lineNumber, reason).error });
  };
  const workerId = `batch-import:${process.pid}`;
  for await (const line of readLines(source)) {
    if (line.error !== undefined) {
      unreadable(line.lineNumber, line.error);
      continue;
    }
    if (!line.text.trim()) continue;
    const result = parseResultLine(line.text);
    if (!result.ok) {
      unreadable(line.lineNumber, result.reason);
      continue;
    }
    const parsed = result.value;
    const exists = await db.synthesisItem.findUnique({
      where: { jobId_key: { jobId, key: parsed.custom_id } },
      select: { id: true },
    });
    if (!exists) {
      summary.unknown++;
      continue;
    }
    const item = await claimByKey(jobId, parsed.custom_id, workerId);
    if (!item) {
      summary.skipped++;
      continue;
    }
    const response = parsed.response;
    if (parsed.error || !response || response.status_code !== 200) {
      const reason = parsed.error
        ? `batch error: ${JSON.stringify(parsed.error).slice(0, 500)}`
        : `the model server answered HTTP ${response?.status_code ?? "?"}`;
      await failItem(jobId, item, workerId, new Error(reason), 0);
      summary.failed++;
      continue;
    }
    try {
      const completion = completionSchema.safeParse(response.body);
      const request = await call.request(item.input);
      const content = completion.success ? completion.data.choices[0]?.message.content : null;
      const answer = parseAnswer(request.schema, content);
      if (answer === undefined) {
        await failItem(
          jobId,
          item,
          workerId,
          new AppError("upstream_error:invalid_output", "The answer in the result file does not match the schema."),
          1,
        );
        summary.failed++;
        continue;
      }
      const accepted = await call.accept(
        item.input,
        answer,
        {
          jobId,
          key: item.key,
          createdById: job.createdById,
          modelId: (response.body as { model?: string }).model ?? "batch",
          sampling,
        },
        request.carry,
      );
      const usage = completion.success ? completion.data.usage : undefined;
      const finished = await finishItem(jobId, item, workerId, {
        ...accepted,
        tokensIn: usage?.prompt_tokens ?? 0,
        tokensOut: usage?.completion_tokens ?? 0,
        parseFailures: 0,
      });
      if (finished) summary.done++;
      else summary.skipped++;
    } catch (error) {
      // A result that cannot be taken in (its input is gone, say) fails its item rather than
      // leaving it claimed forever.
      await failItem(jobId, item, workerId, error, 0);
      summary.failed++;
    }
  }
  await db.synthesisJob.updateMany({ where: { id: jobId, status: "QUEUED" }, data: { status: "RUNNING" } });
  await completeIfDone(jobId);
  return summary;
}
