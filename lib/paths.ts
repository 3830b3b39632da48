import { existsSync } from "node:fs";
import path from "node:path";

/** The checkout Troupe runs from (the CLI shim sets TROUPE_ROOT; the app runs from it). */
export function projectRoot(): string {
  return process.env.TROUPE_ROOT ?? process.cwd();
}

/** Load `.env` from the project root for processes Next does not start (CLI, scripts). */
export function loadDotEnv(): void {
  const file = path.join(projectRoot(), ".env");
  if (existsSync(file)) process.loadEnvFile(file);
}
