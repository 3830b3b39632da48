// Child processes for benchmarks: the vLLM simulator and the built app, each on its own port,
// so the load generator, the app and the model double do not share one event loop.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { projectRoot } from "@/lib/paths";

export type Child = { url: string; process: ChildProcess; stop: () => Promise<void> };

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
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${url} did not come up in ${timeoutMs} ms`);
}

function start(args: string[], env: Record<string, string>, readyUrl: string, baseUrl: string): Promise<Child> {
  const child = spawn(process.execPath, args, {
    cwd: projectRoot(),
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
    detached: true,
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || !child.pid) return resolve();
      child.once("exit", () => resolve());
      process.kill(-child.pid, "SIGTERM");
    });
  return waitFor(readyUrl).then(
    () => ({ url: baseUrl, process: child, stop }),
    async (error) => {
      await stop();
      throw error;
    },
  );
}

export function startSimulatorProcess(port: number, flags: string[]): Promise<Child> {
  const url = `http://127.0.0.1:${port}`;
  return start(
    ["--import", "tsx", path.join("e2e", "vllm-sim", "main.ts"), "--port", String(port), ...flags],
    {},
    `${url}/health`,
    url,
  );
}

export function startAppProcess(port: number, env: Record<string, string>): Promise<Child> {
  const url = `http://127.0.0.1:${port}`;
  return start(
    [
      ...(process.env.BENCH_PROFILE ? ["--cpu-prof", "--cpu-prof-dir=/tmp/prof"] : []),
      path.join("node_modules", "next", "dist", "bin", "next"),
      "start",
      "-p",
      String(port),
      "-H",
      "127.0.0.1",
    ],
    { NEXT_TELEMETRY_DISABLED: "1", PORT: String(port), ...env },
    `${url}/api/health`,
    url,
  );
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
