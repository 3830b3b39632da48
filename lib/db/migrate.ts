// Applying committed migrations: the Prisma CLI (JS schema engine through
// prisma.config.ts), run with a preload that stops its engine's idle timers from holding
// the process open.
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { projectRoot } from "../paths";

function migrationNames(): string[] {
  const dir = path.join(projectRoot(), "prisma", "migrations");
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(path.join(dir, entry.name, "migration.sql")))
    .map((entry) => entry.name)
    .sort();
}

/** Committed migrations the database has not applied yet. */
export async function pendingMigrations(databaseUrl: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const table = await client.query("SELECT to_regclass('public._prisma_migrations') AS name");
    if (!table.rows[0]?.name) return migrationNames();
    const applied = await client.query<{ migration_name: string }>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    const done = new Set(applied.rows.map((row) => row.migration_name));
    return migrationNames().filter((name) => !done.has(name));
  } finally {
    await client.end();
  }
}

export function runPrismaCli(args: string[], databaseUrl: string, quiet = false): Promise<void> {
  const root = projectRoot();
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [
        "-r",
        path.join(root, "scripts", "unref-timers.cjs"),
        path.join(root, "node_modules", "prisma", "build", "index.js"),
        ...args,
      ],
      {
        cwd: root,
        env: { ...process.env, DATABASE_URL: databaseUrl, CHECKPOINT_DISABLE: "1", PRISMA_HIDE_UPDATE_MESSAGE: "1" },
        stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit",
      },
    );
    let output = "";
    child.stdout?.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr?.on("data", (chunk) => {
      output += chunk;
    });
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`prisma ${args.join(" ")} failed (exit ${code})\n${output.trim()}`)),
    );
  });
}

/** Apply pending migrations, if any. Returns the names applied. */
export async function migrateDeploy(databaseUrl: string, quiet = true): Promise<string[]> {
  const pending = await pendingMigrations(databaseUrl);
  if (pending.length > 0) await runPrismaCli(["migrate", "deploy"], databaseUrl, quiet);
  return pending;
}
