// The driver adapter the Prisma 6.19 CLI migrates through (engine "js"). It is
// @prisma/adapter-pg 7.x with three fixes the 6.19 schema engine needs (see stack.md):
// "char" columns read as text, PG 18's NOT NULL rows dropped from pg_constraint, and a
// shadow database on its own pool that is closed before it is dropped.
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";

const OID_CHAR = 18;
const OID_TEXT = 25;

type PgResult = pg.QueryResult<unknown[]> & { fields: { name: string; dataTypeID: number }[] };
type PerformIO = (query: unknown) => Promise<PgResult | PgResult[]>;

function fixResult(result: PgResult): PgResult {
  for (const field of result.fields) {
    if (field.dataTypeID === OID_CHAR) field.dataTypeID = OID_TEXT;
  }
  const typeColumn = result.fields.findIndex((field) => field.name === "constraint_type");
  if (typeColumn >= 0) {
    result.rows = result.rows.filter((row) => row[typeColumn] !== "n");
  }
  return result;
}

let patched = false;

/** Patch performIO once on the shared queryable prototype (adapter and its transactions). */
function patchPerformIO(adapter: object): void {
  if (patched) return;
  let proto: { performIO?: PerformIO } | null = Object.getPrototypeOf(adapter);
  while (proto && !Object.hasOwn(proto, "performIO")) proto = Object.getPrototypeOf(proto);
  if (!proto?.performIO) throw new Error("@prisma/adapter-pg no longer has performIO; revisit migration-adapter.ts");
  const original = proto.performIO;
  proto.performIO = async function (this: unknown, query: unknown) {
    const result = await original.call(this, query);
    return Array.isArray(result) ? result.map(fixResult) : fixResult(result);
  };
  patched = true;
}

function poolConfig(url: string, database?: string): pg.PoolConfig {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    database: database ?? decodeURIComponent(parsed.pathname.slice(1)),
    allowExitOnIdle: true,
  };
}

export function createMigrationAdapter(url: string) {
  const factory = new PrismaPg(poolConfig(url));
  const connect = factory.connect.bind(factory);
  factory.connect = async () => {
    const adapter = await connect();
    patchPerformIO(adapter);
    return adapter;
  };
  factory.connectToShadowDb = async () => {
    const admin = new pg.Pool(poolConfig(url));
    const database = `prisma_shadow_${crypto.randomUUID().replaceAll("-", "")}`;
    await admin.query(`CREATE DATABASE "${database}"`);
    const shadowFactory = new PrismaPg(poolConfig(url, database));
    const shadow = await shadowFactory.connect();
    patchPerformIO(shadow);
    const dispose = shadow.dispose.bind(shadow);
    shadow.dispose = async () => {
      await dispose();
      await admin.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
      await admin.end();
    };
    return shadow;
  };
  return factory;
}
