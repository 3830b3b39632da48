// The database of the process (app, worker or CLI): one node-postgres pool, shared by the Prisma
// client and by the few hot paths that send hand-written SQL (a chat turn), so they never compete
// for two sets of connections.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { Prisma, PrismaClient } from "@/generated/prisma/client";
import { resolveDatabaseUrl } from "./db/url";

function createPool(): pg.Pool {
  return new pg.Pool({
    connectionString: resolveDatabaseUrl(),
    max: Number(process.env.DB_POOL_SIZE) || 20,
    // Waiting for a free connection is fine under load; waiting forever is not.
    connectionTimeoutMillis: 15_000,
    // Scripts and tests end when their work is done, without waiting for idle connections.
    allowExitOnIdle: true,
  });
}

const globalForDb = globalThis as unknown as { troupePool?: pg.Pool; troupeDb?: PrismaClient };

// One pool and client survive Next's dev-mode module reloads.
export const pool: pg.Pool = globalForDb.troupePool ?? createPool();
export const db: PrismaClient =
  globalForDb.troupeDb ??
  new PrismaClient({
    adapter: new PrismaPg(pool),
    // Under load a transaction may wait for a connection; give it as long as the pool would.
    transactionOptions: { maxWait: 15_000, timeout: 30_000 },
  });
globalForDb.troupePool = pool;
globalForDb.troupeDb = db;

export { Prisma };

/** Close the client and the pool (scripts and tests; servers just exit). */
export async function closeDatabase(): Promise<void> {
  await db.$disconnect();
  await pool.end();
  globalForDb.troupePool = undefined;
  globalForDb.troupeDb = undefined;
}

/** P2002: a unique constraint said no. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** P2025: the row to update or delete does not exist. */
export function isMissingRow(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025";
}
