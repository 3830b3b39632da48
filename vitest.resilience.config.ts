import { defineConfig } from "vitest/config";
import unit from "./vitest.config";

// The resilience suite (e2e/resilience): the built app, the simulator and workers as real processes.
// One file at a time: each starts its own processes and they share two cores.
export default defineConfig({
  // The same module aliases as the unit tests.
  resolve: unit.resolve,
  test: {
    name: "resilience",
    include: ["e2e/resilience/**/*.test.ts"],
    environment: "node",
    fileParallelism: false,
    // Hard limits, so a hung process can never hold CI: every test and hook ends by itself.
    testTimeout: 180_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
  },
});
