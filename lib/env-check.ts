// Node-only half of instrumentation.ts: validate the environment and stop the process with a
// message naming each bad variable. Kept out of instrumentation.ts so the Edge build never sees
// process.exit.
import { appEnv, EnvError } from "./env";

export function checkEnvironmentOrExit(): void {
  try {
    appEnv();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`\n${error.message}\n\nFix these in .env (see .env.example) and start again.\n`);
    process.exit(1);
  }
}
