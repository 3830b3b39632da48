#!/usr/bin/env node
// The `troupe` command: runs lib/cli/main.ts through tsx. The react-server condition lets the
// CLI import the same server-only domain modules the web app uses.
const { spawn } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const child = spawn(
  process.execPath,
  ["--conditions=react-server", "--import", "tsx", path.join(root, "lib", "cli", "main.ts"), ...process.argv.slice(2)],
  { stdio: "inherit", env: { ...process.env, TROUPE_ROOT: root } },
);
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
