import path from "node:path";
import { defineConfig } from "prisma/config";
import { createMigrationAdapter } from "./lib/db/migration-adapter";
import { resolveDatabaseUrl } from "./lib/db/url";

export default defineConfig({
  schema: path.join("prisma", "schema.prisma"),
  migrations: { path: path.join("prisma", "migrations") },
  experimental: { adapter: true },
  engine: "js",
  adapter: async () => createMigrationAdapter(resolveDatabaseUrl()),
});
