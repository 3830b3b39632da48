import { afterAll, expect, it } from "vitest";

const zodGlobal = globalThis as { __zod_globalConfig?: Record<string, unknown> };
const before = zodGlobal.__zod_globalConfig?.jitless;
afterAll(() => {
  if (zodGlobal.__zod_globalConfig) zodGlobal.__zod_globalConfig.jitless = before;
});

it("the browser start-up file turns zod's jitless mode on without importing zod", async () => {
  await import("@/instrumentation-client");
  const { z } = await import("zod");
  expect(z.config().jitless).toBe(true);
  expect(z.object({ name: z.string() }).parse({ name: "Ada" })).toEqual({ name: "Ada" });
});
