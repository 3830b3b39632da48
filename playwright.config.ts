import { defineConfig, devices } from "@playwright/test";

// Run through `npm test` (or `npm test -- e2e`): it builds the app, creates a fresh database and
// the fixed test users, and passes DATABASE_URL here.
const databaseUrl = process.env.DATABASE_URL ?? "";
if (!databaseUrl.includes("troupe_test")) {
  throw new Error("Run the browser tests with `npm test -- e2e`, which prepares a fresh test database.");
}

// E2E_PORT_OFFSET moves every port, so two checkouts can run their browser tests side by side.
const offset = Number(process.env.E2E_PORT_OFFSET ?? 0);
export const SIM_PORT = 8011 + offset;
/** Nothing listens here: a model server that is down. */
export const DEAD_PORT = SIM_PORT + 1;
export const APP_PORTS = {
  connected: 3100 + offset,
  noModel: 3101 + offset,
  modelDown: 3102 + offset,
  localModel: 3103 + offset,
} as const;

const appEnv = (port: number, llmBaseUrl: string | null): Record<string, string> => ({
  DATABASE_URL: databaseUrl,
  AUTH_SECRET: "troupe-e2e-secret-troupe-e2e-secret-0123456789",
  PORT: String(port),
  LLM_BASE_URL: llmBaseUrl ?? "",
  LLM_MODEL: llmBaseUrl ? "troupe-sim/base-7b" : "",
  LLM_API_KEY: "",
  ADMIN_EMAIL: "",
  ADMIN_PASSWORD: "",
  NEXT_TELEMETRY_DISABLED: "1",
  // Short, so a hung model server is reported within the test's patience.
  CHAT_FIRST_TOKEN_TIMEOUT_MS: "5000",
  CHAT_IDLE_TIMEOUT_MS: "2500",
  // High enough that parallel specs sharing a user are never throttled, still on (security.spec fills a bucket).
  CHAT_RATE_LIMIT_PER_MINUTE: "1000",
});

const app = (port: number, llmBaseUrl: string | null) => ({
  command: `node node_modules/next/dist/bin/next start -p ${port} -H 127.0.0.1`,
  url: `http://127.0.0.1:${port}/login`,
  env: appEnv(port, llmBaseUrl),
  reuseExistingServer: false,
  timeout: 120_000,
  stdout: "ignore" as const,
  stderr: "pipe" as const,
});

export default defineConfig({
  testDir: "./e2e",
  testMatch: "**/*.spec.ts",
  fullyParallel: true,
  workers: 2,
  retries: process.env.CI ? 1 : 0,
  timeout: 30_000,
  expect: { timeout: 10_000 },
  outputDir: "test-results/playwright",
  use: {
    baseURL: `http://127.0.0.1:${APP_PORTS.connected}`,
    trace: "retain-on-failure",
    launchOptions: { executablePath: "/usr/bin/chromium", args: ["--disable-gpu", "--disable-dev-shm-usage"] },
  },
  projects: [{ name: "chromium", use: { ...devices["Desktop Chrome"] } }],
  webServer: [
    {
      command: `node --import tsx e2e/vllm-sim/main.ts --port ${SIM_PORT} --enable-lora --lora-modules troupe-sim/lora-aria-v1=/adapters/aria-v1`,
      url: `http://127.0.0.1:${SIM_PORT}/health`,
      env: { VLLM_ALLOW_RUNTIME_LORA_UPDATING: "True" },
      reuseExistingServer: false,
      timeout: 60_000,
    },
    app(APP_PORTS.connected, `http://127.0.0.1:${SIM_PORT}/v1`),
    app(APP_PORTS.noModel, null),
    app(APP_PORTS.modelDown, `http://127.0.0.1:${DEAD_PORT}/v1`),
    // A worker process, so synthesis jobs started in the browser run.
    {
      command: "node bin/troupe.cjs worker --concurrency 4",
      wait: { stdout: /worker .* running/ },
      env: appEnv(APP_PORTS.connected, `http://127.0.0.1:${SIM_PORT}/v1`),
      reuseExistingServer: false,
      timeout: 60_000,
    },
    // The local CPU engine on a tiny generated GGUF.
    {
      ...app(APP_PORTS.localModel, null),
      command: `node --import tsx e2e/local-model-app.ts ${APP_PORTS.localModel}`,
    },
  ],
});
