// Runs once when the server boots: a bad environment stops it here with a message that names
// the variable, instead of a server that starts and fails on the first request.
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { checkEnvironmentOrExit } = await import("./lib/env-check");
  checkEnvironmentOrExit();
}
