// Starts the app with the local CPU engine on a tiny random-weight GGUF that this script writes
// first (the model answers gibberish: the browser test checks structure, never content).
import { spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { writeTinyGguf } from "@/lib/llm/local/tiny-gguf";

async function main() {
  const port = process.argv[2] ?? "3103";
  const dir = path.resolve("test-results/local-model");
  mkdirSync(dir, { recursive: true });
  const modelPath = path.join(dir, "tiny-chatml.gguf");
  await writeTinyGguf(modelPath, { seed: 7 });

  const app = spawn(process.execPath, ["node_modules/next/dist/bin/next", "start", "-p", port, "-H", "127.0.0.1"], {
    stdio: "inherit",
    env: { ...process.env, LOCAL_MODEL_PATH: modelPath, LOCAL_MODEL_THREADS: "1", LOCAL_MODEL_MAX_CONCURRENCY: "1" },
  });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => app.kill(signal));
  app.on("exit", (code) => process.exit(code ?? 0));
}

void main();
