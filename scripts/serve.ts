// The body of `npm start`: environment, database, migrations, seed, build, then the web server
// and a background worker side by side. Ctrl-C or SIGTERM stops both cleanly.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync } from "node:fs";
import path from "node:path";
import { ensureDatabaseReady } from "@/lib/db/ready";
import { resolveDatabaseUrl } from "@/lib/db/url";
import { EnvError, parseAppEnv } from "@/lib/env";
import { loadDotEnv, projectRoot } from "@/lib/paths";
import { seed } from "@/prisma/seed";
import { buildIfStale } from "./build-app";

const root = projectRoot();
const dev = process.argv.includes("--dev");
const log = (message: string) => console.log(`[troupe] ${message}`);

function ensureAuthSecret(): void {
  if (process.env.AUTH_SECRET) return;
  const secret = randomBytes(33).toString("base64");
  appendFileSync(path.join(root, ".env"), `${existsSync(path.join(root, ".env")) ? "\n" : ""}AUTH_SECRET=${secret}\n`);
  process.env.AUTH_SECRET = secret;
  log("Generated AUTH_SECRET into .env");
}

function startChild(name: string, args: string[]): ChildProcess {
  // Own process group, so stopping it also stops the next-server child it forks.
  const child = spawn(process.execPath, args, { cwd: root, stdio: "inherit", env: process.env, detached: true });
  child.on("exit", (code, signal) => {
    if (!stopping) {
      log(`${name} exited (${signal ?? `code ${code}`}); stopping Troupe.`);
      void stopAll(1);
    }
  });
  return child;
}

let stopping = false;
const children: ChildProcess[] = [];

async function stopAll(code: number): Promise<void> {
  stopping = true;
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null || !child.pid) return resolve();
          child.once("exit", () => resolve());
          process.kill(-child.pid, "SIGTERM");
          setTimeout(() => {
            if (child.pid && child.exitCode === null) process.kill(-child.pid, "SIGKILL");
          }, 15_000).unref();
        }),
    ),
  );
  process.exit(code);
}

async function main(): Promise<void> {
  loadDotEnv();
  ensureAuthSecret();
  process.env.NEXT_TELEMETRY_DISABLED = "1";
  process.env.CHECKPOINT_DISABLE = "1";
  const env = parseAppEnv();
  await ensureDatabaseReady(log);
  process.env.DATABASE_URL = resolveDatabaseUrl();
  await seed(log);
  if (!env.LLM_BASE_URL)
    log("No model connected (LLM_BASE_URL is unset); the app will say so and explain how to connect one.");
  const port = String(env.PORT ?? 3000);
  const next = path.join(root, "node_modules", "next", "dist", "bin", "next");
  if (!dev) buildIfStale(log);
  children.push(startChild("web server", [next, dev ? "dev" : "start", "-p", port, "-H", "0.0.0.0"]));
  children.push(
    startChild("worker", [
      "--conditions=react-server",
      "--import",
      "tsx",
      path.join(root, "lib", "cli", "main.ts"),
      "worker",
    ]),
  );
  log(`Troupe is starting on http://localhost:${port}`);
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => void stopAll(0));
}

main().catch((error: unknown) => {
  console.error(error instanceof EnvError ? error.message : error);
  process.exit(1);
});
