// Guards tests that write to the database: they only ever run against the scratch database
// `npm test` creates, never against a developer's data.
export function assertTestDatabase(): void {
  const url = process.env.DATABASE_URL ?? "";
  if (!url.includes("troupe_test")) {
    throw new Error("Database tests run only through `npm test -- unit`, which creates a fresh test database.");
  }
}
