/**
 * `npm run sim -- [MODEL] [flags]`: runs the vLLM simulator alone, e.g. for the app in dev or
 * Playwright. Flags are in options.ts (`--help` lists them).
 */

import { parseArgs, USAGE } from "./options";
import { startSimulator } from "./server";

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes("--help") || argv.includes("-h")) {
    process.stdout.write(USAGE);
    return;
  }
  let options: ReturnType<typeof parseArgs>;
  try {
    options = parseArgs(argv, process.env);
  } catch (error) {
    process.stderr.write(`vllm-sim: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const sim = await startSimulator(options);
  console.log(`vllm-sim listening on ${sim.url}`);
  console.log(`models: ${sim.models().join(", ")}`);
  const stop = (signal: string) => {
    console.log(`vllm-sim: ${signal}, shutting down`);
    sim.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGTERM", () => stop("SIGTERM"));
  process.once("SIGINT", () => stop("SIGINT"));
}

void main();
