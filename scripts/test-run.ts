// Runs the suites in order on a fresh database and prints one closing line,
// `N passed, N failed`, summed over all of them. Exits non-zero on any failure.
//
// Arguments: suite names (default: all), `--no-build` to reuse the last `next build` for the browser
// tests and the resilience suite, and anything else (file paths, `-g PATTERN`, `-t PATTERN`) handed to Vitest/Playwright.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { TEST_USERS } from "@/e2e/fixtures/users";
import { borrowEmbedded, copyDatabase, createScratchDatabase, dropDatabase } from "@/lib/db/embedded-server";
import { migrateDeploy } from "@/lib/db/migrate";
import { projectRoot } from "@/lib/paths";

const root = projectRoot();
const ALL = ["lint", "types", "unit", "e2e", "resilience"] as const;
type Suite = (typeof ALL)[number];
type Outcome = { suite: Suite; passed: number; failed: number; skipped: number; seconds: number };

const reports = path.join(root, "test-results", "reports");

function run(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
    child.on("exit", (code) => resolve(code ?? 1));
  });
}

const bin = (name: string) => path.join(root, "node_modules", ".bin", name);

type RunOptions = { build: boolean; runnerArgs: string[] };

let built = false;

/** `next build` once per run (the browser tests and the resilience suite share it), unless reused. */
async function buildOnce(build: boolean): Promise<boolean> {
  if (built || (!build && existsSync(path.join(root, ".next", "BUILD_ID")))) return true;
  const code = await run(process.execPath, [path.join(root, "node_modules", "next", "dist", "bin", "next"), "build"]);
  built = code === 0;
  return built;
}

/** Vitest with a JSON report, counted test by test. */
async function vitest(configArgs: string[], report: string, databaseUrl: string, runnerArgs: string[]) {
  const file = path.join(reports, report);
  const code = await run(
    bin("vitest"),
    ["run", ...configArgs, "--reporter=default", "--reporter=json", `--outputFile.json=${file}`, ...runnerArgs],
    { DATABASE_URL: databaseUrl },
  );
  if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const result = JSON.parse(readFileSync(file, "utf8"));
  const failed = result.numFailedTests + (code !== 0 && result.numFailedTests === 0 ? 1 : 0);
  return { passed: result.numPassedTests, failed, skipped: result.numPendingTests + result.numTodoTests };
}

async function runSuite(
  suite: Suite,
  databaseUrl: string,
  { build, runnerArgs }: RunOptions,
): Promise<Omit<Outcome, "suite" | "seconds">> {
  switch (suite) {
    case "lint": {
      const code = await run(bin("biome"), ["check", "."]);
      return { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 };
    }
    case "types": {
      const code = await run(bin("tsc"), ["--noEmit"]);
      return { passed: code === 0 ? 1 : 0, failed: code === 0 ? 0 : 1, skipped: 0 };
    }
    case "unit":
      return vitest([], "vitest.json", databaseUrl, runnerArgs);
    case "e2e": {
      if (!(await buildOnce(build))) return { passed: 0, failed: 1, skipped: 0 };
      const file = path.join(reports, "playwright.json");
      const code = await run(bin("playwright"), ["test", "--reporter=list,json", ...runnerArgs], {
        DATABASE_URL: databaseUrl,
        PLAYWRIGHT_JSON_OUTPUT_NAME: file,
      });
      if (!existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
      const { stats } = JSON.parse(readFileSync(file, "utf8"));
      const failed = stats.unexpected + (code !== 0 && stats.unexpected === 0 ? 1 : 0);
      return { passed: stats.expected + stats.flaky, failed, skipped: stats.skipped };
    }
    case "resilience":
      if (!(await buildOnce(build))) return { passed: 0, failed: 1, skipped: 0 };
      return vitest(["--config", "vitest.resilience.config.ts"], "resilience.json", databaseUrl, runnerArgs);
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const requested = args.filter((arg): arg is Suite => (ALL as readonly string[]).includes(arg));
  const options: RunOptions = {
    build: !args.includes("--no-build"),
    runnerArgs: args.filter((arg) => arg !== "--no-build" && !(ALL as readonly string[]).includes(arg)),
  };
  const suites = requested.length > 0 ? ALL.filter((suite) => requested.includes(suite)) : [...ALL];
  rmSync(reports, { recursive: true, force: true });
  mkdirSync(reports, { recursive: true });

  // A fresh database for this run, on the embedded server (the tests never use DATABASE_URL's).
  delete process.env.DATABASE_URL;
  const giveBackServer = await borrowEmbedded((message) => console.log(`[test] ${message}`));
  // The unit, browser and resilience suites each get their own copy, so rows one leaves behind
  // (endpoints, arena models, routing, jobs) never change what another sees.
  const scratch = await createScratchDatabase("troupe_test");
  const databases = [scratch];
  const outcomes: Outcome[] = [];
  try {
    await migrateDeploy(scratch.url, true);
    process.env.DATABASE_URL = scratch.url;
    // Imported only now: lib/db binds to DATABASE_URL when first loaded.
    const { createUser } = await import("@/lib/users/queries");
    for (const user of TEST_USERS) await createUser(user);
    const { closeDatabase } = await import("@/lib/db");
    await closeDatabase();
    const urls = Object.fromEntries(ALL.map((suite) => [suite, scratch.url])) as Record<Suite, string>;
    const databaseSuites = suites.filter((suite) => suite === "unit" || suite === "e2e" || suite === "resilience");
    for (const suite of databaseSuites.slice(1)) {
      const copy = await copyDatabase(scratch.name, `troupe_test_${suite}`);
      databases.push(copy);
      urls[suite] = copy.url;
    }
    for (const suite of suites) {
      console.log(`\n=== ${suite} ===`);
      const started = performance.now();
      const outcome = await runSuite(suite, urls[suite], options);
      outcomes.push({ suite, ...outcome, seconds: Math.round((performance.now() - started) / 1000) });
    }
  } finally {
    for (const database of databases) {
      await dropDatabase(database.name).catch((error) => console.error(`could not drop ${database.name}: ${error}`));
    }
    await giveBackServer().catch((error) => console.error(`could not stop the embedded PostgreSQL: ${error}`));
  }
  console.log("\nsuite   passed  failed  skipped  seconds");
  for (const o of outcomes) {
    console.log(
      `${o.suite.padEnd(8)}${String(o.passed).padStart(6)}  ${String(o.failed).padStart(6)}  ${String(o.skipped).padStart(7)}  ${String(o.seconds).padStart(7)}`,
    );
  }
  const passed = outcomes.reduce((sum, o) => sum + o.passed, 0);
  const failed = outcomes.reduce((sum, o) => sum + o.failed, 0);
  const skipped = outcomes.reduce((sum, o) => sum + o.skipped, 0);
  console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ""}`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    console.log("0 passed, 1 failed");
    process.exit(1);
  },
);
