import { spawn } from "node:child_process";
import { expect, test } from "@playwright/test";

/** Boot the built app with a given environment and collect what it prints until it exits. */
function bootWith(port: number, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ["node_modules/next/dist/bin/next", "start", "-p", String(port), "-H", "127.0.0.1"],
      {
        env: { PATH: process.env.PATH ?? "", NODE_ENV: "production", NEXT_TELEMETRY_DISABLED: "1", ...env },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    let output = "";
    child.stdout.on("data", (chunk) => {
      output += chunk;
    });
    child.stderr.on("data", (chunk) => {
      output += chunk;
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

test.describe("environment validation at boot", () => {
  test("a short AUTH_SECRET stops the server with a message naming it", async () => {
    const { code, output } = await bootWith(3198, {
      AUTH_SECRET: "too-short",
      DATABASE_URL: process.env.DATABASE_URL ?? "",
    });
    expect(code).not.toBe(0);
    expect(output).toContain("Invalid environment");
    expect(output).toContain("AUTH_SECRET: must be at least 32 characters");
  });

  test("a malformed LLM_BASE_URL is named with what is expected", async () => {
    const { code, output } = await bootWith(3199, {
      AUTH_SECRET: "x".repeat(40),
      LLM_BASE_URL: "not a url",
      DATABASE_URL: process.env.DATABASE_URL ?? "",
    });
    expect(code).not.toBe(0);
    expect(output).toContain("LLM_BASE_URL: must be an http(s) URL");
  });
});
