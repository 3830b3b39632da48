import { createWriteStream } from "node:fs";
import { rename } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { Command } from "commander";
import { z } from "zod";
import { ensureDatabaseReady } from "@/lib/db/ready";
import { exportFeedback } from "@/lib/feedback/export";
import { EXPORT_FORMATS, type ExportFormat } from "@/lib/feedback/schema";
import { parseWith } from "@/lib/http";

const log = (message: string) => process.stderr.write(`${message}\n`);

export function registerFeedbackCommands(program: Command): void {
  const feedback = program.command("feedback").description("Feedback signals and what they become.");
  feedback
    .command("export")
    .description("Write feedback as JSONL: raw events, preference pairs (TRL / OpenAI DPO) or KTO rows.")
    .requiredOption("--format <format>", EXPORT_FORMATS.join(" | "))
    .requiredOption("--out <file>", "where to write (- for standard output)")
    .option("--since <date>", "only signals from this day on (YYYY-MM-DD)")
    .action(async (options: { format: string; out: string; since?: string }) => {
      const format = parseWith(z.enum(EXPORT_FORMATS), options.format) as ExportFormat;
      const since = options.since ? new Date(parseWith(z.iso.date(), options.since)) : undefined;
      await ensureDatabaseReady(log);
      let lines = 0;
      const counted = Readable.from(
        (async function* () {
          for await (const chunk of exportFeedback(format, since ? { since } : {})) {
            lines += chunk.split("\n").length - 1;
            yield chunk;
          }
        })(),
      );
      if (options.out === "-") {
        await pipeline(counted, process.stdout);
      } else {
        // Written aside and renamed, so a failed export never leaves a truncated file behind.
        const partial = `${options.out}.partial`;
        await pipeline(counted, createWriteStream(partial));
        await rename(partial, options.out);
      }
      log(`wrote ${lines} ${format} line(s)${options.out === "-" ? "" : ` to ${options.out}`}`);
    });
}
