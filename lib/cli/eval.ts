import { createReadStream } from "node:fs";
import type { Command } from "commander";
import { db } from "@/lib/db";
import type { MetricSummary } from "@/lib/eval/aggregate";
import { exportSuite, findSuite, generateRegressionSuite, importSuite, listSuites } from "@/lib/eval/queries";
import { compareEvalRuns, evalRunDetail, startEvalRun } from "@/lib/eval/run";
import { commandAdmin } from "./identity";
import { writeJsonLines } from "./jsonl";
import { CliError, emit, log, table } from "./output";
import { runJobHere } from "./synth";

/** A model version by name; "default" (or nothing) is the environment's model. */
async function versionId(name: string | undefined): Promise<string | null> {
  if (!name || name === "default") return null;
  const version = await db.modelVersion.findUnique({ where: { name }, select: { id: true } });
  if (!version) throw new CliError(`No model version named "${name}".`);
  return version.id;
}

const score = (metric: MetricSummary) =>
  metric.mean === null ? "—" : `${metric.mean.toFixed(3)}${metric.sd === null ? "" : ` ± ${metric.sd.toFixed(3)}`}`;

export function registerEvalCommands(program: Command): void {
  const evaluation = program
    .command("eval")
    .description("Role-play evaluation: suites, runs judged by a model, scores and comparisons.");
  const suites = evaluation.command("suites").description("Evaluation suites (JSONL files; format in the README).");

  suites
    .command("list")
    .description("Every suite and version, with its kind and number of runs.")
    .option("--user <email>", "the admin account to act as")
    .option("--json", "print JSON")
    .action(async (options: { user?: string; json?: boolean }) => {
      await commandAdmin(options.user);
      const rows = await listSuites();
      emit(options, rows, () =>
        table(
          rows.map((suite) => ({
            id: suite.id,
            suite: `${suite.name}@${suite.version}`,
            kind: suite.kind,
            origin: suite.origin,
            items: suite.itemCount,
            runs: suite.runs,
          })),
          ["id", "suite", "kind", "origin", "items", "runs"],
        ),
      );
    });

  suites
    .command("import")
    .description("Import a suite file (every line must parse; a name already in use gets a new version).")
    .argument("<file>", "a suite JSONL file")
    .option("--name <name>", "the suite's name (default: the file header's)")
    .option("--seed <seed>", "seed for drawing consistency candidates (default: the name)")
    .option("--user <email>", "the admin account to act as")
    .option("--json", "print JSON")
    .action(async (file: string, options: { name?: string; seed?: string; user?: string; json?: boolean }) => {
      const admin = await commandAdmin(options.user);
      const suite = await importSuite(createReadStream(file), {
        createdById: admin.id,
        ...(options.name ? { name: options.name } : {}),
        ...(options.seed ? { seed: options.seed } : {}),
      });
      emit(
        options,
        suite,
        () => `imported ${suite.name}@${suite.version} (${suite.id}): ${suite.itemCount} ${suite.kind} item(s)`,
      );
    });

  suites
    .command("export")
    .description("Write a suite as a JSONL file (header line, then one item per line).")
    .argument("<suite>", "suite id, name or name@version")
    .requiredOption("--out <file>", "where to write (- for standard output)")
    .option("--user <email>", "the admin account to act as")
    .action(async (reference: string, options: { out: string; user?: string }) => {
      await commandAdmin(options.user);
      const suite = await findSuite(reference);
      const { lines } = await writeJsonLines(options.out, exportSuite(suite.id));
      log(`wrote ${suite.name}@${suite.version}: ${lines} line(s)`);
    });

  suites
    .command("generate")
    .description("Make a regression suite from a character's example dialogues and profile.")
    .requiredOption("--character <id>", "character id")
    .option("--user <email>", "the admin account to act as")
    .option("--json", "print JSON")
    .action(async (options: { character: string; user?: string; json?: boolean }) => {
      const admin = await commandAdmin(options.user);
      const suite = await generateRegressionSuite(options.character, admin.id);
      emit(options, suite, () => `generated ${suite.name}@${suite.version} (${suite.id}): ${suite.itemCount} item(s)`);
    });

  evaluation
    .command("run")
    .description("Evaluate a model version on a suite with a judge model (runs here with a progress bar).")
    .requiredOption("--suite <suite>", "suite id, name or name@version")
    .option("--model <name>", "the model version under test (default: the environment's model)")
    .option("--judge <name>", "the judge's model version (default: the environment's model)")
    .option("--n <count>", "judge samples per judgement (default: 3 for knowledge and regression, 1 for persona)")
    .option("--concurrency <n>", "sessions in flight", "8")
    .option("--queue", "hand the run to the workers instead of running it here")
    .option("--user <email>", "the admin account to act as")
    .option("--json", "print the scores as JSON")
    .action(
      async (options: {
        suite: string;
        model?: string;
        judge?: string;
        n?: string;
        concurrency: string;
        queue?: boolean;
        user?: string;
        json?: boolean;
      }) => {
        const concurrency = Number(options.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
          throw new CliError("--concurrency must be a whole number from 1 to 256.");
        }
        const admin = await commandAdmin(options.user);
        const suite = await findSuite(options.suite);
        const run = await startEvalRun({
          suiteId: suite.id,
          modelVersionId: await versionId(options.model),
          judgeVersionId: await versionId(options.judge),
          ...(options.n ? { samples: Number(options.n) } : {}),
          createdById: admin.id,
          enqueue: Boolean(options.queue),
        });
        log(
          `run ${run.id} (job ${run.jobId}): ${suite.name}@${suite.version}, ${run.modelId} judged by ${run.judgeModelId}`,
        );
        if (!options.queue) await runJobHere(run.jobId, concurrency);
        await show(run.id, options);
      },
    );

  async function show(id: string, options: { json?: boolean }) {
    const detail = await evalRunDetail(id);
    emit(options, { run: detail.run, job: detail.job, aggregate: detail.aggregate, failures: detail.failures }, () =>
      [
        `${detail.run.suite.name}@${detail.run.suite.version}: ${detail.run.modelId} judged by ${detail.run.judgeModelId} ` +
          `(n = ${detail.run.samples}), job ${detail.job?.status.toLowerCase() ?? "missing"} ` +
          `${detail.job?.done ?? 0}/${detail.job?.total ?? 0}`,
        table(
          detail.aggregate.metrics
            .filter((metric) => metric.items > 0)
            .map((metric) => ({
              metric: metric.metric,
              "mean ± sd": score(metric),
              characters: metric.characters,
              items: metric.items,
            })),
          ["metric", "mean ± sd", "characters", "items"],
        ),
        `judge samples ${detail.aggregate.counts.samples}, unreadable ${detail.aggregate.counts.parseFailures}, ` +
          `excluded ${detail.aggregate.counts.excluded}, still missing ${detail.aggregate.counts.missing}`,
        ...detail.failures.slice(0, 5).map((failure) => `  failed ${failure.key}: ${failure.error}`),
      ].join("\n"),
    );
  }

  evaluation
    .command("show")
    .description("A run's scores (mean ± sd across characters) and counts.")
    .argument("<run>", "run id")
    .option("--user <email>", "the admin account to act as")
    .option("--json", "print JSON")
    .action(async (id: string, options: { user?: string; json?: boolean }) => {
      await commandAdmin(options.user);
      await show(id, options);
    });

  evaluation
    .command("compare")
    .description("Two runs of one suite: per-metric deltas (B − A) and the items that got worse.")
    .argument("<a>", "baseline run id")
    .argument("<b>", "candidate run id")
    .option("--user <email>", "the admin account to act as")
    .option("--json", "print JSON")
    .action(async (a: string, b: string, options: { user?: string; json?: boolean }) => {
      await commandAdmin(options.user);
      const { comparison } = await compareEvalRuns(a, b);
      const number = (value: number | null) => (value === null ? "—" : value.toFixed(3));
      emit(options, comparison, () =>
        [
          comparison.judgeChanges.length > 0
            ? `warning: the judge changed (${comparison.judgeChanges.length} dimension(s)); scores compare in kind only`
            : "",
          table(
            comparison.metrics
              .filter((metric) => metric.a !== null || metric.b !== null)
              .map((metric) => ({
                metric: metric.metric,
                a: number(metric.a),
                b: number(metric.b),
                delta: number(metric.delta),
              })),
            ["metric", "a", "b", "delta"],
          ),
          `${comparison.worse.length} item score(s) got worse${comparison.worse.length ? ":" : ""}`,
          ...comparison.worse
            .slice(0, 20)
            .map((row) => `  ${row.itemKey} ${row.dimension}: ${number(row.a)} → ${number(row.b)}`),
        ]
          .filter(Boolean)
          .join("\n"),
      );
    });
}
