// Runs once when the server boots: a bad environment stops it here with a message that names
// the variable, instead of a server that starts and fails on the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { appEnv, EnvError } = await import("./lib/env");
  try {
    appEnv();
  } catch (error) {
    if (!(error instanceof EnvError)) throw error;
    console.error(`\n${error.message}\n\nFix these in .env (see .env.example) and start again.\n`);
    process.exit(1);
  }
}
