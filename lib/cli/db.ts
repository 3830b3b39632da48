import type { Command } from "commander";
import { embeddedStatus, startEmbedded, stopEmbedded } from "@/lib/db/embedded-server";
import { usesEmbeddedDatabase } from "@/lib/db/url";
import { CliError, emit, log } from "./output";

function requireEmbedded(): void {
  if (!usesEmbeddedDatabase()) {
    throw new CliError(
      "DATABASE_URL is set, so Troupe uses that PostgreSQL; `troupe db` manages only the embedded one.",
    );
  }
}

export function registerDbCommands(program: Command): void {
  const db = program.command("db").description("Manage the embedded PostgreSQL (used when DATABASE_URL is unset).");

  db.command("start")
    .description("Start the embedded PostgreSQL (or reuse the one already running).")
    .option("--json", "machine-readable output")
    .action(async (options: { json?: boolean }) => {
      requireEmbedded();
      const status = await startEmbedded(log);
      emit(options, status, () => `running on 127.0.0.1:${status.port} (pid ${status.pid}), data in ${status.dataDir}`);
    });

  db.command("stop")
    .description("Stop the embedded PostgreSQL.")
    .action(async () => {
      requireEmbedded();
      await stopEmbedded(log);
    });

  db.command("status")
    .description("Show whether the embedded PostgreSQL is running.")
    .option("--json", "machine-readable output")
    .action(async (options: { json?: boolean }) => {
      requireEmbedded();
      const status = await embeddedStatus(log);
      emit(options, status, () =>
        status.running
          ? `running on 127.0.0.1:${status.port} (pid ${status.pid}), data in ${status.dataDir}`
          : `not running (data folder: ${status.dataDir}); start it with \`npx troupe db start\``,
      );
    });
}
