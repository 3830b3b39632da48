import type { Command } from "commander";
import pg from "pg";
import { embeddedStatus } from "@/lib/db/embedded-server";
import { pendingMigrations } from "@/lib/db/migrate";
import { redactDatabaseUrl, resolveDatabaseUrl, usesEmbeddedDatabase } from "@/lib/db/url";
import { EnvError, parseBaseEnv } from "@/lib/env";
import { DEAD_AFTER_MS } from "@/lib/jobs/worker";
import { defaultModelConfig, describeDefaultModel, NO_MODEL_MESSAGE } from "@/lib/llm/config";
import { probeDefaultModel } from "@/lib/llm/probe";
import { emit } from "./output";

type Check = { name: string; status: "ok" | "warn" | "fail"; detail: string; fix?: string };

async function checkEnvironment(): Promise<Check[]> {
  const checks: Check[] = [];
  try {
    parseBaseEnv();
    checks.push({ name: "environment", status: "ok", detail: "all variables valid" });
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    checks.push({
      name: "environment",
      status: "fail",
      detail: error.problems.join("; "),
      fix: "correct these in .env",
    });
  }
  const secret = process.env.AUTH_SECRET ?? "";
  checks.push(
    secret.length >= 32
      ? { name: "AUTH_SECRET", status: "ok", detail: "set" }
      : {
          name: "AUTH_SECRET",
          status: "warn",
          detail: secret ? "shorter than 32 characters" : "not set",
          fix: "`npm start` writes one into .env; or set AUTH_SECRET=$(openssl rand -base64 33)",
        },
  );
  return checks;
}

async function checkDatabase(): Promise<{ checks: Check[]; client: pg.Client | null }> {
  const url = resolveDatabaseUrl();
  if (usesEmbeddedDatabase()) {
    const status = await embeddedStatus();
    if (!status.running) {
      return {
        checks: [
          {
            name: "database",
            status: "fail",
            detail: `embedded PostgreSQL not running (data: ${status.dataDir})`,
            fix: "npx troupe db start",
          },
        ],
        client: null,
      };
    }
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    await client.query("SELECT 1");
  } catch (error) {
    await client.end().catch(() => {});
    return {
      checks: [
        {
          name: "database",
          status: "fail",
          detail: `cannot connect to ${redactDatabaseUrl(url)}: ${(error as Error).message}`,
          fix: "check DATABASE_URL and that the server is up",
        },
      ],
      client: null,
    };
  }
  const checks: Check[] = [{ name: "database", status: "ok", detail: `connected to ${redactDatabaseUrl(url)}` }];
  const pending = await pendingMigrations(url);
  checks.push(
    pending.length === 0
      ? { name: "migrations", status: "ok", detail: "up to date" }
      : {
          name: "migrations",
          status: "fail",
          detail: `${pending.length} pending (${pending.join(", ")})`,
          fix: "npm run db:migrate (npm start also applies them)",
        },
  );
  return { checks, client };
}

async function checkWorkers(client: pg.Client): Promise<Check> {
  const table = await client.query("SELECT to_regclass('public.\"WorkerProcess\"') AS name");
  if (!table.rows[0]?.name) return { name: "workers", status: "warn", detail: "unknown (migrations pending)" };
  const result = await client.query<{ count: string }>(
    `SELECT count(*) FROM "WorkerProcess" WHERE "lastSeenAt" > now() - make_interval(secs => $1)`,
    [DEAD_AFTER_MS / 1000],
  );
  const alive = Number(result.rows[0]?.count ?? 0);
  return alive > 0
    ? { name: "workers", status: "ok", detail: `${alive} worker process(es) alive` }
    : {
        name: "workers",
        status: "warn",
        detail: "no worker running; background jobs will wait",
        fix: "npm start runs one, or: npx troupe worker",
      };
}

async function checkModel(): Promise<Check> {
  const config = defaultModelConfig();
  if (!config) return { name: "model", status: "warn", detail: "not configured", fix: NO_MODEL_MESSAGE };
  const probe = await probeDefaultModel(config);
  if (config.kind === "local") {
    return probe.healthy
      ? { name: "model", status: "ok", detail: `local engine, ${describeDefaultModel(config)}` }
      : {
          name: "model",
          status: "fail",
          detail: probe.error ?? "unusable",
          fix: "point LOCAL_MODEL_PATH at a .gguf file, or run: npx troupe models pull",
        };
  }
  if (!probe.reachable) {
    return {
      name: "model",
      status: "fail",
      detail: `${config.endpoint.rootUrl} unreachable (${probe.error})`,
      fix: "start vLLM (see README) or correct LLM_BASE_URL",
    };
  }
  if (!probe.healthy)
    return { name: "model", status: "fail", detail: `unhealthy: ${probe.error}`, fix: "check the model server's logs" };
  const ids = probe.models.map((model) => model.id);
  if (config.model && !ids.includes(config.model)) {
    return {
      name: "model",
      status: "fail",
      detail: `LLM_MODEL "${config.model}" not served (serves: ${ids.join(", ")})`,
      fix: "set LLM_MODEL to one of the served ids",
    };
  }
  return { name: "model", status: "ok", detail: `${config.endpoint.apiUrl} serves ${ids.join(", ")}` };
}

export function registerDoctorCommand(program: Command): void {
  program
    .command("doctor")
    .description("Check the environment, the database, the model endpoint and the workers, and say what to fix.")
    .option("--json", "machine-readable output")
    .action(async (options: { json?: boolean }) => {
      const checks = await checkEnvironment();
      const database = await checkDatabase();
      checks.push(...database.checks);
      if (database.client) {
        checks.push(await checkWorkers(database.client));
        await database.client.end();
      }
      checks.push(await checkModel());
      const failed = checks.filter((check) => check.status === "fail").length;
      const mark = { ok: "✓", warn: "!", fail: "✗" } as const;
      emit(options, { ok: failed === 0, checks }, () =>
        checks
          .map(
            (check) =>
              `${mark[check.status]} ${check.name}: ${check.detail}${check.fix ? `\n    fix: ${check.fix}` : ""}`,
          )
          .join("\n"),
      );
      if (failed > 0) process.exitCode = 1;
    });
}
