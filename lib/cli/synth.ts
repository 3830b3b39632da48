import { once } from "node:events";
import { createReadStream, createWriteStream } from "node:fs";
import { rename } from "node:fs/promises";
import path from "node:path";
import type { Command } from "commander";
import { db } from "@/lib/db";
import { defaultModelTarget } from "@/lib/llm/provider";
import { targetForVersion } from "@/lib/models/routing";
import { exportBatch, importBatch, shardOf } from "@/lib/synthesis/batch";
import type { InputKind } from "@/lib/synthesis/inputs";
import { controlJob, jobDetail, listJobs } from "@/lib/synthesis/jobs";
import { PIPELINES, type PipelineName } from "@/lib/synthesis/pipelines";
import { executeJob, importInput, startSynthesis } from "@/lib/synthesis/service";
import { commandAdmin } from "./identity";
import { CliError, emit, log, table } from "./output";

type SynthOptions = {
  input?: string;
  characters?: string;
  n?: string;
  seed?: string;
  limit?: string;
  pairs?: string;
  contrastive?: boolean;
  model?: string;
  temperature?: string;
  maxTokens?: string;
  concurrency?: string;
  queue?: boolean;
  user?: string;
  json?: boolean;
};

const number = (value: string | undefined) => (value === undefined ? undefined : Number(value));

/** A file path is imported first; anything else is taken as an existing input's id. */
async function inputId(kind: InputKind, value: string | undefined, createdById: string) {
  if (!value) throw new CliError("--input is required (a file to import, or an imported input's id).");
  const existing = await db.synthesisInput.findUnique({ where: { id: value }, select: { id: true } });
  if (existing) return existing.id;
  const imported = await importInput({
    kind,
    name: path.basename(value),
    source: createReadStream(value),
    createdById,
  });
  log(`imported ${imported.seeds} ${kind} from ${value} (${imported.failed} bad line(s))`);
  for (const problem of (imported.errors as { error: string }[]).slice(0, 5)) log(`  ${problem.error}`);
  return imported.id;
}

function paramsFor(pipeline: PipelineName, options: SynthOptions, input: string | null) {
  const limit = number(options.limit);
  switch (pipeline) {
    case "profiles":
      return { inputId: input, limit };
    case "generate":
    case "rewrite":
      return {
        inputId: input,
        characterIds: (options.characters ?? "").split(",").filter(Boolean),
        n: number(options.n),
        seed: number(options.seed),
        limit,
      };
    case "ditto":
      return {
        inputId: input,
        pairs: number(options.pairs),
        seed: number(options.seed),
        contrastive: options.contrastive,
        limit,
      };
    case "repair":
      return { limit };
  }
}

/** One line of progress: on a terminal it redraws itself. */
/** A progress bar for a job running in this process (on a terminal). */
async function followJob(jobId: string, signal: AbortSignal) {
  while (!signal.aborted) {
    const { job, ratePerSecond, etaSeconds } = await jobDetail(jobId);
    const finished = job.done + job.failed;
    const width = 30;
    const filled = job.total > 0 ? Math.round((finished / job.total) * width) : width;
    const line =
      `[${"#".repeat(filled)}${"-".repeat(width - filled)}] ${finished}/${job.total} ` +
      `done ${job.done} failed ${job.failed} retries ${job.retries} ${ratePerSecond.toFixed(1)}/s` +
      (etaSeconds !== null ? ` eta ${Math.round(etaSeconds)}s` : "");
    if (process.stderr.isTTY) process.stderr.write(`\r${line}`);
    if (job.status !== "RUNNING" && job.status !== "QUEUED") break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  if (process.stderr.isTTY) process.stderr.write("\n");
}

/** Run a job in this process with a progress bar; Ctrl+C pauses it (`troupe jobs resume` goes on). */
export async function runJobHere(jobId: string, concurrency: number): Promise<void> {
  const abort = new AbortController();
  process.once("SIGINT", () => {
    log("pausing (the job can be resumed with `troupe jobs resume`)");
    void controlJob(jobId, "pause").catch(() => {});
    abort.abort();
  });
  const following = followJob(jobId, abort.signal);
  await executeJob(jobId, { concurrency, signal: abort.signal });
  abort.abort();
  await following;
}

export function registerSynthCommands(program: Command): void {
  const synth = program.command("synth").description("Run a synthesis pipeline (OpenCharacter, Ditto, repair).");
  for (const [name, pipeline] of Object.entries(PIPELINES) as [PipelineName, (typeof PIPELINES)[PipelineName]][]) {
    const command = synth.command(name).description(pipeline.description);
    if (name === "profiles") command.option("--input <file|id>", "personas (JSONL or text)");
    if (name === "generate" || name === "rewrite") {
      command
        .option("--input <file|id>", "instruction seeds (Alpaca, ShareGPT or OpenAI JSONL)")
        .option("--characters <ids>", "comma-separated character ids to draw from")
        .option("--n <count>", "characters per seed", "3")
        .option("--seed <number>", "seed for the draws", "1");
    }
    if (name === "ditto") {
      command
        .option("--input <file|id>", "knowledge profiles (JSONL)")
        .option("--pairs <count>", "character pairs to simulate", "20")
        .option("--seed <number>", "seed for the pairs", "1")
        .option("--contrastive", "also emit in-character refusal ≻ knowledge leak pairs");
    }
    command
      .option("--limit <count>", "at most this many inputs")
      .option("--model <name>", "a model version's name (default: the environment's model)")
      .option("--temperature <t>", "sampling temperature", "0.8")
      .option("--max-tokens <n>", "max tokens per answer", "1024")
      .option("--concurrency <n>", "requests in flight", "32")
      .option("--queue", "hand the job to the workers instead of running it here")
      .option("--user <email>", "the admin starting it (default: the first admin)")
      .option("--json", "print a JSON summary")
      .action(async (options: SynthOptions) => {
        const admin = await commandAdmin(options.user);
        const kind = name === "profiles" ? "personas" : name === "ditto" ? "knowledge" : "instructions";
        const input = name === "repair" ? null : await inputId(kind, options.input, admin.id);
        const version = options.model
          ? await db.modelVersion.findUnique({ where: { name: options.model }, select: { id: true } })
          : null;
        if (options.model && !version) throw new CliError(`No model version named "${options.model}".`);
        const job = await startSynthesis({
          pipeline: name,
          params: paramsFor(name, options, input),
          modelVersionId: version?.id ?? null,
          sampling: { temperature: Number(options.temperature), maxOutputTokens: Number(options.maxTokens) },
          createdById: admin.id,
          enqueue: Boolean(options.queue),
        });
        log(`job ${job.id}: ${job.total} item(s)`);
        if (!options.queue) await runJobHere(job.id, Number(options.concurrency));
        const detail = await jobDetail(job.id);
        emit(options, detail, () =>
          [
            `${detail.job.pipeline} ${detail.job.status.toLowerCase()}: ${detail.job.done} done, ${detail.job.failed} failed, ` +
              `${detail.job.parseFailures} parse failure(s), ${detail.job.retries} retries, ` +
              `${detail.job.tokensIn} tokens in / ${detail.job.tokensOut} out`,
            ...detail.failures.slice(0, 5).map((failure) => `  ${failure.key}: ${failure.error}`),
          ].join("\n"),
        );
      });
  }

  const jobs = program.command("jobs").description("Synthesis jobs: list, inspect, pause, resume, cancel.");
  jobs
    .command("list")
    .description("The latest jobs.")
    .option("--json", "machine-readable output")
    .option("--user <email>", "the admin account to act as (default: the first admin)")
    .action(async (options: { json?: boolean; user?: string }) => {
      await commandAdmin(options.user);
      const rows = await listJobs();
      emit(options, rows, () =>
        table(
          rows.map((job) => ({
            id: job.id,
            pipeline: job.pipeline,
            status: job.status.toLowerCase(),
            done: job.done,
            failed: job.failed,
            total: job.total,
          })),
          ["id", "pipeline", "status", "done", "failed", "total"],
        ),
      );
    });
  jobs
    .command("show")
    .argument("<id>", "the job's id")
    .description("Counters, rate, ETA and the first failures.")
    .option("--json", "machine-readable output")
    .option("--user <email>", "the admin account to act as (default: the first admin)")
    .action(async (id: string, options: { json?: boolean; user?: string }) => {
      await commandAdmin(options.user);
      const detail = await jobDetail(id);
      emit(options, detail, () =>
        [
          `${detail.job.pipeline} (${detail.job.template}) ${detail.job.status.toLowerCase()}`,
          `items: ${JSON.stringify(detail.items)}`,
          `done ${detail.job.done}/${detail.job.total}, failed ${detail.job.failed}, parse failures ${detail.job.parseFailures}, retries ${detail.job.retries}`,
          `tokens ${detail.job.tokensIn} in / ${detail.job.tokensOut} out, ${detail.ratePerSecond.toFixed(2)} items/s`,
          ...detail.failures.map((failure) => `  ${failure.key}: ${failure.error}`),
        ].join("\n"),
      );
    });
  for (const action of ["pause", "resume", "cancel"] as const) {
    jobs
      .command(action)
      .argument("<id>", "the job's id")
      .description(
        action === "resume"
          ? "Queue a paused or cancelled job again (failed items get another try)."
          : `${action === "pause" ? "Pause" : "Cancel"} a job; requests in flight stop within a second.`,
      )
      .option("--user <email>", "the admin account to act as (default: the first admin)")
      .action(async (id: string, options: { user?: string }) => {
        await commandAdmin(options.user);
        await controlJob(id, action);
        if (action === "resume") {
          const { enqueue } = await import("@/lib/jobs/queue");
          await enqueue("synthesis:run_job", { jobId: id });
        }
        log(`job ${id}: ${action}d`);
      });
  }
}

export function registerBatchCommands(program: Command): void {
  const batch = program
    .command("batch")
    .description("Run a job's requests elsewhere as OpenAI Batch / vllm run-batch files, and read the results back.");
  batch
    .command("export")
    .argument("<job>", "the job's id")
    .requiredOption("--out <file>", "where to write (with --shards: FILE.0-of-K.jsonl, …)")
    .option("--shards <k>", "split across K files, one per GPU node", "1")
    .option("--model <id>", "the served model id to put in each request (default: the job's model)")
    .description("Write the job's pending requests (custom_id = item key).")
    .option("--user <email>", "the admin account to act as (default: the first admin)")
    .action(async (jobId: string, options: { out: string; shards: string; model?: string; user?: string }) => {
      await commandAdmin(options.user);
      const shards = Number(options.shards);
      if (!Number.isInteger(shards) || shards < 1 || shards > 1024) throw new CliError("--shards must be 1–1024.");
      const job = await db.synthesisJob.findUnique({ where: { id: jobId }, select: { modelVersionId: true } });
      if (!job) throw new CliError(`No job ${jobId}.`);
      const modelId =
        options.model ??
        (job.modelVersionId
          ? (await targetForVersion(job.modelVersionId)).modelId
          : (await defaultModelTarget()).modelId);
      const files = Array.from({ length: shards }, (_, index) =>
        shards === 1 ? options.out : options.out.replace(/(\.jsonl)?$/, `.${index}-of-${shards}.jsonl`),
      );
      const streams = files.map((file) => createWriteStream(`${file}.partial`));
      const counts = files.map(() => 0);
      for await (const { key, line } of exportBatch(jobId, modelId)) {
        const shard = shardOf(key, shards);
        counts[shard] = (counts[shard] ?? 0) + 1;
        const stream = streams[shard];
        if (stream && !stream.write(`${line}\n`)) await once(stream, "drain");
      }
      await Promise.all(streams.map((stream) => new Promise((resolve) => stream.end(resolve))));
      await Promise.all(files.map((file) => rename(`${file}.partial`, file)));
      files.forEach((file, index) => {
        log(`${file}: ${counts[index]} request(s)`);
      });
    });
  batch
    .command("import")
    .argument("<job>", "the job's id")
    .argument("<files...>", "result files (JSONL)")
    .description("Read result files into the job; importing a file again changes nothing.")
    .option("--json", "machine-readable output")
    .option("--user <email>", "the admin account to act as (default: the first admin)")
    .action(async (jobId: string, files: string[], options: { json?: boolean; user?: string }) => {
      await commandAdmin(options.user);
      const total = { done: 0, failed: 0, skipped: 0, unknown: 0, invalid: 0 };
      for (const file of files) {
        const summary = await importBatch(jobId, createReadStream(file));
        for (const key of Object.keys(total) as (keyof typeof total)[]) total[key] += summary[key];
        log(
          `${file}: ${summary.done} done, ${summary.failed} failed, ${summary.skipped} already done, ${summary.unknown} unknown, ${summary.invalid} unreadable`,
        );
        for (const { error } of summary.errors) log(`${file}: ${error}`);
      }
      emit(options, total, () => `total: ${total.done} done, ${total.failed} failed, ${total.skipped} already done`);
    });
}
