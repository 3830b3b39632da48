// Make the database usable for a command-line process: start the embedded server when Troupe
// manages it, then apply pending migrations. Idempotent and quiet when nothing is to do.
import { startEmbedded } from "./embedded-server";
import { migrateDeploy } from "./migrate";
import { resolveDatabaseUrl, usesEmbeddedDatabase } from "./url";

export async function ensureDatabaseReady(log: (message: string) => void = () => {}): Promise<string> {
  if (usesEmbeddedDatabase()) await startEmbedded(log);
  const url = resolveDatabaseUrl();
  const applied = await migrateDeploy(url);
  if (applied.length > 0) log(`Applied ${applied.length} migration(s): ${applied.join(", ")}`);
  return url;
}
