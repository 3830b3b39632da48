import path from "node:path";
import { defineConfig } from "vitest/config";

const shared = {
  resolve: {
    alias: { "@": path.resolve(__dirname), "server-only": path.resolve(__dirname, "lib/testing/server-only-stub.ts") },
  },
};
const test = { environment: "node" as const, testTimeout: 20_000, hookTimeout: 60_000 };
const include = [
  "lib/**/*.test.ts",
  "components/**/*.test.{ts,tsx}",
  "e2e/vllm-sim/**/*.test.ts",
  "scripts/**/*.test.ts",
];
/** Tests that change instance-wide state (the default model, global experiments) run after the rest. */
const globalState = "**/*.global.test.ts";

export default defineConfig({
  ...shared,
  test: {
    projects: [
      { ...shared, test: { ...test, name: "unit", include, exclude: [globalState] } },
      { ...shared, test: { ...test, name: "global-state", include: [globalState], sequence: { groupOrder: 1 } } },
    ],
  },
});
