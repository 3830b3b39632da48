import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "@/e2e/vllm-sim/server";
import { db } from "@/lib/db";
import { assertTestDatabase } from "@/lib/testing/db";
import { listEndpoints, registerModelVersion, setAdapterLoaded, setModelStatus, syncEndpoints } from "./queries";

const BASE = "troupe-sim/base-7b";
let sim: Simulator;

beforeAll(async () => {
  assertTestDatabase();
  sim = await startSimulator({
    port: 0,
    model: BASE,
    enableLora: true,
    allowRuntimeLoraUpdating: true,
    apiKey: "registry-secret",
  });
  process.env.LLM_BASE_URL = `${sim.url}/v1`;
  process.env.LLM_API_KEY = "registry-secret";
});
afterAll(async () => {
  delete process.env.LLM_BASE_URL;
  delete process.env.LLM_API_KEY;
  await sim.close();
});

/** Other test files add endpoints of their own: look at the env-managed one. */
const syncDefault = async () => (await syncEndpoints()).find((endpoint) => endpoint.name === "default");

describe("model registry", () => {
  it("syncs the env endpoint, records what it serves, and never returns the API key", async () => {
    const endpoint = await syncDefault();
    expect(endpoint?.discovered).toEqual([expect.objectContaining({ id: BASE, parent: null })]);
    expect(endpoint?.lastHealth).toMatchObject({ reachable: true, healthy: true });
    expect(JSON.stringify(await listEndpoints())).not.toContain("registry-secret");
  });

  it("loads and unloads an adapter through vLLM, recording the status it reports", async () => {
    const name = `Aria ${Date.now()}`;
    const served = `char-aria-${Date.now().toString(36)}-v1`;
    const version = await registerModelVersion({
      name,
      servedModelId: served,
      adapterPath: "/adapters/aria",
      baseModel: BASE,
    });
    expect(version.status).toBe("REGISTERED");

    expect(await setAdapterLoaded(name, true)).toMatchObject({ ok: true, status: 200 });
    expect((await db.modelVersion.findUniqueOrThrow({ where: { id: version.id } })).status).toBe("LOADED");
    const endpoint = await syncDefault();
    expect(endpoint?.discovered).toContainEqual(expect.objectContaining({ id: served, parent: BASE }));
    // vLLM says 400 "already loaded": surfaced as is, the status stays loaded.
    expect(await setAdapterLoaded(name, true)).toMatchObject({ ok: false, status: 400, reason: "already_loaded" });

    await setModelStatus(version.id, "SERVING");
    await expect(setAdapterLoaded(name, false)).rejects.toMatchObject({ code: "conflict:model_status" });
    await setModelStatus(version.id, "LOADED");
    expect(await setAdapterLoaded(name, false)).toMatchObject({ ok: true });
    expect((await db.modelVersion.findUniqueOrThrow({ where: { id: version.id } })).status).toBe("REGISTERED");
  });

  it("refuses unversioned adapter names, duplicates and illegal status moves", async () => {
    await expect(registerModelVersion({ name: "x", servedModelId: "aria", adapterPath: "/a" })).rejects.toMatchObject({
      code: "bad_request:adapter_name",
    });
    const name = `Base ${Date.now()}`;
    const version = await registerModelVersion({ name, servedModelId: `${BASE}-${Date.now()}` });
    await expect(registerModelVersion({ name, servedModelId: "other" })).rejects.toMatchObject({ status: 409 });
    await setModelStatus(version.id, "RETIRED");
    await expect(setModelStatus(version.id, "SERVING")).rejects.toMatchObject({ code: "conflict:model_status" });
  });
});
