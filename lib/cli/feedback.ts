import type { Command } from "commander";
import { z } from "zod";
import { exportFeedback } from "@/lib/feedback/export";
import { EXPORT_FORMATS, type ExportFormat } from "@/lib/feedback/schema";
import { parseWith } from "@/lib/http";
import { commandAdmin } from "./identity";
import { writeJsonLines } from "./jsonl";
import { log } from "./output";

export function registerFeedbackCommands(program: Command): void {
  const feedback = program.command("feedback").description("Feedback signals and what they become.");
  feedback
    .command("export")
    .description("Write feedback as JSONL: raw events, preference pairs (TRL / OpenAI DPO) or KTO rows.")
    .requiredOption("--format <format>", EXPORT_FORMATS.join(" | "))
    .requiredOption("--out <file>", "where to write (- for standard output)")
    .option("--since <date>", "only signals from this day on (YYYY-MM-DD)")
    .option("--user <email>", "the admin account to act as (default: the first admin)")
    .action(async (options: { format: string; out: string; since?: string; user?: string }) => {
      const format = parseWith(z.enum(EXPORT_FORMATS), options.format) as ExportFormat;
      const since = options.since ? new Date(parseWith(z.iso.date(), options.since)) : undefined;
      await commandAdmin(options.user);
      const { lines } = await writeJsonLines(options.out, exportFeedback(format, since ? { since } : {}));
      log(`wrote ${lines} ${format} line(s)${options.out === "-" ? "" : ` to ${options.out}`}`);
    });
}
