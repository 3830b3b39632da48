// `npm test`: install what the tests need (npm packages, Debian's chromium), then run every
// suite through test-run.ts. `npm test -- unit e2e` runs only the named suites; see test-run.ts for
// the other arguments.
import { spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { ensureInstalled } from "./ensure-install.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const CHROMIUM = "/usr/bin/chromium";

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
  if (!isRoot) {
    console.error(`Browser tests need Debian's chromium at ${CHROMIUM}: sudo apt-get install -y chromium`);
    process.exit(1);
  }
  console.log("Installing Debian's chromium for the browser tests…");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  for (const aptArgs of [["update"], ["install", "-y", "--no-install-recommends", "chromium"]]) {
    const result = spawnSync("apt-get", aptArgs, { stdio: "inherit", env });
    if (result.status !== 0) {
      console.error(`apt-get ${aptArgs.join(" ")} failed.`);
      process.exit(1);
    }
  }
}

ensureInstalled(root);
const args = process.argv.slice(2);
const suites = args.filter((arg) => ["lint", "types", "unit", "e2e", "resilience"].includes(arg));
if (suites.length === 0 || suites.includes("e2e")) ensureChromium();
const child = spawn(
  process.execPath,
  ["--conditions=react-server", "--import", "tsx", path.join(root, "scripts", "test-run.ts"), ...args],
  {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, TROUPE_ROOT: root, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" },
  },
);
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
