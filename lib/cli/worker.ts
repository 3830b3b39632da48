import type { Command } from "commander";
import { ensureDatabaseReady } from "@/lib/db/ready";
import { startWorker } from "@/lib/jobs/worker";
import { CliError, log } from "./output";

export function registerWorkerCommand(program: Command): void {
  program
    .command("worker")
    .description("Run background jobs until stopped (SIGTERM finishes jobs in progress first). Run many for scale.")
    .option("--concurrency <n>", "jobs run at once by this process", (value) => {
      const number = Number(value);
      if (!Number.isInteger(number) || number < 1 || number > 256) throw new CliError("--concurrency must be 1-256");
      return number;
    })
    .action(async (options: { concurrency?: number }) => {
      await ensureDatabaseReady(log);
      const worker = await startWorker({ concurrency: options.concurrency, handleSignals: true });
      await worker.runner.promise;
    });
}
