import { createWriteStream } from "node:fs";
import { rename } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Command } from "commander";
import { z } from "zod";
import { datasetBundle } from "@/lib/datasets/bundle";
import { DATASET_FORMATS, type DatasetFormat } from "@/lib/datasets/formats";
import {
  createDatasetVersion,
  exportDatasetVersion,
  getDatasetVersion,
  listDatasetVersions,
} from "@/lib/datasets/queries";
import { EXPORT_SPLITS } from "@/lib/datasets/schema";
import { parseWith } from "@/lib/http";
import { commandAdmin } from "./identity";
import { writeJsonLines } from "./jsonl";
import { emit, log, table } from "./output";

const TRAINER_FORMATS = ["trl-sft", "trl-dpo", "trl-kto"] as const;

type CreateOptions = {
  name: string;
  description?: string;
  seed?: string;
  validation?: string;
  source?: string;
  kind?: string;
  pipeline?: string;
  job?: string;
  character?: string;
  model?: string;
  minScore?: string;
  maxScore?: string;
  language?: string;
  flag?: string;
  search?: string;
  user?: string;
  json?: boolean;
};

export function registerDatasetsCommands(program: Command): void {
  const datasets = program
    .command("datasets")
    .description("Dataset versions: immutable snapshots of approved samples, and their exports.");

  datasets
    .command("create")
    .description("Snapshot the approved samples a filter matches into a new version of NAME.")
    .requiredOption("--name <name>", "dataset name; each create makes the next version of it")
    .option("--description <text>", "what the version is for")
    .option("--seed <seed>", "split seed (default: random, stored with the version)")
    .option("--validation <share>", "share of conversations held out for validation (0–0.5)", "0.05")
    .option("--source <source>", "SYNTHETIC | SWIPE | EDIT | ARENA | RATING | CHAT")
    .option("--kind <kind>", "SFT | PREFERENCE | KTO")
    .option("--pipeline <name>", "synthesis pipeline")
    .option("--job <id>", "synthesis job id")
    .option("--character <id>", "character id")
    .option("--model <id>", "generating model id")
    .option("--min-score <n>", "lowest judge score (1–5)")
    .option("--max-score <n>", "highest judge score (1–5)")
    .option("--language <code>", "language code, e.g. en")
    .option("--flag <code>", "a heuristic flag, any or none")
    .option("--search <words>", "words in the prompt or answers")
    .option("--user <email>", "the admin account to act as (default: the first admin)")
    .option("--json", "print the version as JSON")
    .action(async (options: CreateOptions) => {
      const admin = await commandAdmin(options.user);
      const version = await createDatasetVersion(admin.id, {
        name: options.name,
        description: options.description,
        seed: options.seed,
        validationShare: options.validation === undefined ? undefined : Number(options.validation),
        filter: {
          source: options.source,
          kind: options.kind,
          pipeline: options.pipeline,
          jobId: options.job,
          characterId: options.character,
          modelId: options.model,
          minScore: options.minScore,
          maxScore: options.maxScore,
          language: options.language,
          flag: options.flag,
          q: options.search,
        } as never,
      });
      emit(
        options,
        version,
        () =>
          `created ${version.name} v${version.version} (${version.id}): ${version.sampleCount} samples, ` +
          `${version.trainCount} train / ${version.validationCount} validation`,
      );
    });

  datasets
    .command("list")
    .description("Dataset versions, newest first, with how many rows erasure has removed since.")
    .option("--user <email>", "the admin account to act as")
    .option("--json", "print JSON")
    .action(async (options: { user?: string; json?: boolean }) => {
      await commandAdmin(options.user);
      const versions = await listDatasetVersions();
      emit(options, versions, () =>
        table(
          versions.map((version) => ({
            id: version.id,
            name: version.name,
            version: version.version,
            samples: version.sampleCount,
            train: version.trainCount,
            validation: version.validationCount,
            redacted: version.redacted,
            created: version.createdAt.toISOString().slice(0, 16),
          })),
          ["id", "name", "version", "samples", "train", "validation", "redacted", "created"],
        ),
      );
    });

  datasets
    .command("show")
    .description("One version: its filter, split, mix report and redactions (--card for the dataset card).")
    .argument("<id>", "dataset version id")
    .option("--card", "print the dataset card (markdown)")
    .option("--user <email>", "the admin account to act as")
    .option("--json", "print JSON")
    .action(async (id: string, options: { card?: boolean; user?: string; json?: boolean }) => {
      await commandAdmin(options.user);
      const version = await getDatasetVersion(id);
      if (options.card) {
        process.stdout.write(version.card);
        return;
      }
      emit(options, version, () =>
        [
          `${version.name} v${version.version} (${version.id}), created ${version.createdAt.toISOString()}`,
          `samples: ${version.sampleCount} (${version.trainCount} train, ${version.validationCount} validation, seed ${version.seed})`,
          `redacted since (consent withdrawn): ${version.redacted}`,
          `filter: ${JSON.stringify(version.filter)}`,
          `by source: ${version.mix.bySource.map((row) => `${row.key} ${row.count}`).join(", ")}`,
          `by kind: ${version.mix.byKind.map((row) => `${row.key} ${row.count}`).join(", ")}`,
          `models trained on it: ${version.models.map((model) => model.name).join(", ") || "none registered"}`,
        ].join("\n"),
      );
    });

  datasets
    .command("export")
    .description("Write a version as JSONL in a trainer's format (erased rows left out).")
    .argument("<id>", "dataset version id")
    .requiredOption("--format <format>", DATASET_FORMATS.join(" | "))
    .requiredOption("--out <file>", "where to write (- for standard output)")
    .option("--split <split>", EXPORT_SPLITS.join(" | "), "all")
    .option("--user <email>", "the admin account to act as")
    .action(async (id: string, options: { format: string; out: string; split: string; user?: string }) => {
      const format = parseWith(z.enum(DATASET_FORMATS), options.format) as DatasetFormat;
      const split = parseWith(z.enum(EXPORT_SPLITS), options.split);
      await commandAdmin(options.user);
      const started = performance.now();
      const { lines, bytes } = await writeJsonLines(options.out, exportDatasetVersion(id, format, split));
      const seconds = (performance.now() - started) / 1000;
      log(
        `wrote ${lines} ${format} line(s) (${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s)` +
          `${options.out === "-" ? "" : ` to ${options.out}`}`,
      );
    });

  datasets
    .command("bundle")
    .description("Write a training bundle (zip): train/validation JSONL, the dataset card and a TRL LoRA recipe.")
    .argument("<id>", "dataset version id")
    .requiredOption("--out <file>", "the zip file to write")
    .option("--format <format>", TRAINER_FORMATS.join(" | "), "trl-sft")
    .option("--user <email>", "the admin account to act as")
    .action(async (id: string, options: { out: string; format: string; user?: string }) => {
      const format = parseWith(z.enum(TRAINER_FORMATS), options.format);
      await commandAdmin(options.user);
      const partial = `${options.out}.partial`;
      await pipeline(Readable.from(datasetBundle(id, format)), createWriteStream(partial));
      await rename(partial, options.out);
      log(`wrote ${options.out}: train.jsonl, validation.jsonl, README.md, train_lora.py, dataset_card.md`);
    });
}
