// Child processes for benchmarks and the resilience suite: the vLLM simulator, the built app and
// worker processes, each in its own process group on its own port, so the load generator, the app
// and the model double do not share one event loop, and stopping (or killing) one takes its
// children with it (`next start` forks a `next-server`).
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { projectRoot } from "@/lib/paths";

export type Child = {
  url: string;
  process: ChildProcess;
  /** The last 256 kB the process wrote to stdout and stderr. */
  output: () => string;
  /** SIGTERM to the group, SIGKILL if it is not gone after a grace period. */
  stop: () => Promise<void>;
  /** SIGKILL to the whole group at once: no cleanup, like a crash or the OOM killer. */
  kill: () => Promise<void>;
};

const OUTPUT_TAIL = 256 * 1024;
const STOP_GRACE_MS = 15_000;

// Groups still running. If this process ends first (a failed test, a timeout, Ctrl-C), they go
// with it: they live in their own process groups, so no terminal signal reaches them.
const groups = new Set<number>();
const killAll = () => {
  for (const group of groups) signalGroup(group, "SIGKILL");
};
process.once("exit", killAll);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"] as const) {
  process.once(signal, () => {
    killAll();
    // Then end the way the signal would have ended this process.
    process.kill(process.pid, signal);
  });
}

function signalGroup(group: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-group, signal);
  } catch {
    // already gone
  }
}

function groupAlive(group: number): boolean {
  try {
    process.kill(-group, 0);
    return true;
  } catch {
    return false;
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves once no process of the group is left (the leader and anything it forked). */
async function groupGone(child: ChildProcess, group: number, deadline: number): Promise<boolean> {
  if (child.exitCode === null && child.signalCode === null) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, Math.max(0, deadline - Date.now()));
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
  while (groupAlive(group) && Date.now() < deadline) await pause(50);
  return !groupAlive(group);
}

async function waitFor(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url);
      await response.body?.cancel();
      if (response.status < 500) return;
    } catch {
      // not up yet
    }
    await pause(200);
  }
  throw new Error(`${url} did not come up in ${timeoutMs} ms`);
}

type StartOptions = {
  args: string[];
  env: Record<string, string>;
  baseUrl: string;
  /** Resolves when the process is ready; gets what it wrote so far. */
  ready: (output: () => string) => Promise<void>;
  /** Show the process's stderr here as it comes (benchmarks); otherwise it is only kept. */
  echoStderr?: boolean;
};

async function start({ args, env, baseUrl, ready, echoStderr = false }: StartOptions): Promise<Child> {
  const child = spawn(process.execPath, args, {
    cwd: projectRoot(),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const group = child.pid;
  if (!group) throw new Error(`could not start ${args.join(" ")}`);
  groups.add(group);
  let tail = "";
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-OUTPUT_TAIL);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", (chunk: Buffer) => {
    keep(chunk);
    if (echoStderr) process.stderr.write(chunk);
  });
  const end = async (signal: NodeJS.Signals) => {
    signalGroup(group, signal);
    if (signal !== "SIGKILL" && !(await groupGone(child, group, Date.now() + STOP_GRACE_MS))) {
      signalGroup(group, "SIGKILL");
    }
    if (!(await groupGone(child, group, Date.now() + STOP_GRACE_MS))) {
      throw new Error(`process group ${group} (${args.join(" ")}) survived SIGKILL`);
    }
    groups.delete(group);
  };
  const handle: Child = {
    url: baseUrl,
    process: child,
    output: () => tail,
    stop: () => end("SIGTERM"),
    kill: () => end("SIGKILL"),
  };
  const exited = new Promise<never>((_, reject) =>
    child.once("exit", (code, signal) =>
      reject(new Error(`${args.join(" ")} exited (${signal ?? `code ${code}`}) before it was ready:\n${tail}`)),
    ),
  );
  exited.catch(() => {});
  try {
    await Promise.race([ready(() => tail), exited]);
    return handle;
  } catch (error) {
    await handle.kill();
    throw error;
  }
}

export function startSimulatorProcess(port: number, flags: string[], options: { echoStderr?: boolean } = {}) {
  const url = `http://127.0.0.1:${port}`;
  return start({
    args: ["--import", "tsx", path.join("e2e", "vllm-sim", "main.ts"), "--port", String(port), ...flags],
    env: {},
    baseUrl: url,
    ready: () => waitFor(`${url}/health`),
    echoStderr: options.echoStderr ?? true,
  });
}

export function startAppProcess(port: number, env: Record<string, string>, options: { echoStderr?: boolean } = {}) {
  const url = `http://127.0.0.1:${port}`;
  return start({
    args: [
      ...(process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] : []),
      path.join("node_modules", "next", "dist", "bin", "next"),
      "start",
      "-p",
      String(port),
      "-H",
      "127.0.0.1",
    ],
    env: { NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), ...env },
    baseUrl: url,
    ready: () => waitFor(`${url}/api/health`),
    echoStderr: options.echoStderr ?? true,
  });
}

/** `troupe worker` (the CLI shim and the tsx process it starts), ready once it says it is running. */
export function startWorkerProcess(env: Record<string, string>, concurrency = 2, timeoutMs = 60_000) {
  return start({
    args: [path.join("bin", "troupe.cjs"), "worker", "--concurrency", String(concurrency)],
    env,
    baseUrl: "",
    ready: async (output) => {
      const deadline = Date.now() + timeoutMs;
      while (!/worker \S+ running/.test(output())) {
        if (Date.now() > deadline) throw new Error(`the worker did not start in ${timeoutMs} ms:\n${output()}`);
        await pause(100);
      }
    },
  });
}

/** A session cookie for `user`, minted the way Auth.js would (JWT strategy). */
export async function sessionCookie(
  user: { id: string; role: "USER" | "ADMIN"; email: string },
  secret: string,
): Promise<string> {
  const salt = "authjs.session-token";
  const token = await encode({
    salt,
    secret,
    token: { sub: user.id, id: user.id, role: user.role, email: user.email },
  });
  return `${salt}=${token}`;
}
