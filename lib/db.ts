// The one Prisma client of the process (app, worker or CLI), over node-postgres.
import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "@/generated/prisma/client";
import { resolveDatabaseUrl } from "./db/url";

function createClient(): PrismaClient {
  const max = Number(process.env.DB_POOL_SIZE) || 20;
  // Waiting for a free connection is fine under load; waiting forever is not.
  const adapter = new PrismaPg({ connectionString: resolveDatabaseUrl(), max, connectionTimeoutMillis: 15_000 });
  return new PrismaClient({ adapter });
}

const globalForDb = globalThis as unknown as { troupeDb?: PrismaClient };

// One client survives Next's dev-mode module reloads.
export const db: PrismaClient = globalForDb.troupeDb ?? createClient();
globalForDb.troupeDb = db;

export { Prisma };

/** P2002: a unique constraint said no. */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** P2025: the row to update or delete does not exist. */
export function isMissingRow(error: unknown): boolean {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2025";
}
