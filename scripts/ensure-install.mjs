// Installs npm packages when node_modules is missing or older than package-lock.json. Plain
// Node with no dependencies, so it runs on a fresh clone before anything is installed.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

export function ensureInstalled(root) {
  const lock = path.join(root, "package-lock.json");
  const stamp = path.join(root, "node_modules", ".troupe-install-stamp");
  const wanted = createHash("sha256").update(readFileSync(lock)).digest("hex");
  if (existsSync(stamp) && readFileSync(stamp, "utf8") === wanted) return;
  console.log("Installing npm packages (npm ci)…");
  const result = spawnSync("npm", ["ci", "--no-audit", "--no-fund"], {
    cwd: root,
    stdio: "inherit",
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", CHECKPOINT_DISABLE: "1" },
  });
  if (result.status !== 0) {
    console.error("npm ci failed; see the output above.");
    process.exit(result.status ?? 1);
  }
  writeFileSync(stamp, wanted);
}
