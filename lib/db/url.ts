// Where the database is. Shared by the app, the CLI, the worker and prisma.config.ts, so it
// reads process.env directly instead of going through lib/env.ts (which needs AUTH_SECRET).

export const EMBEDDED_DEFAULTS = {
  port: 5499,
  user: "troupe",
  // The embedded server listens on 127.0.0.1 only; this password never leaves the machine.
  password: "troupe",
  database: "troupe",
} as const;

export function embeddedPort(): number {
  const raw = process.env.EMBEDDED_PG_PORT;
  const port = raw ? Number(raw) : EMBEDDED_DEFAULTS.port;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`EMBEDDED_PG_PORT must be a port number (1-65535), got "${raw}"`);
  }
  return port;
}

export function embeddedUrl(database: string = EMBEDDED_DEFAULTS.database): string {
  const { user, password } = EMBEDDED_DEFAULTS;
  return `postgresql://${user}:${password}@127.0.0.1:${embeddedPort()}/${database}`;
}

/** True when Troupe manages its own PostgreSQL (no DATABASE_URL given). */
export function usesEmbeddedDatabase(): boolean {
  return !process.env.DATABASE_URL;
}

export function resolveDatabaseUrl(): string {
  return process.env.DATABASE_URL || embeddedUrl();
}

/** The URL with its password hidden, for logs and `troupe doctor`. */
export function redactDatabaseUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}
