import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "@/e2e/vllm-sim/server";
import { endpointFromBaseUrl, listModels } from "@/lib/llm/endpoint";
import { isVersionedAdapterName, loadAdapter, unloadAdapter } from "./vllm-admin";

async function unusedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("expected a TCP address");
  return address.port;
}

describe("LoRA admin against a vLLM with runtime updating", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      servedModelName: ["base"],
      enableLora: true,
      allowRuntimeLoraUpdating: true,
      apiKey: "secret",
    });
  });
  afterAll(() => sim.close());
  const endpoint = () => endpointFromBaseUrl(sim.url, "secret");

  it("loads an adapter, surfaces vLLM's message, and lists it in /v1/models", async () => {
    const result = await loadAdapter(endpoint(), "char-aria-v1", "/adapters/aria-v1");
    expect(result).toEqual({
      ok: true,
      status: 200,
      message: "Success: LoRA adapter 'char-aria-v1' added successfully.",
    });
    const models = await listModels(endpoint());
    expect(models.find((m) => m.id === "char-aria-v1")).toMatchObject({ root: "/adapters/aria-v1", parent: "base" });
    expect(sim.requests.at(-2)?.headers.authorization).toBe("Bearer ***");
  });

  it("reports an already-loaded name as already_loaded with vLLM's text", async () => {
    await loadAdapter(endpoint(), "char-bram-v1", "/adapters/bram-v1");
    const again = await loadAdapter(endpoint(), "char-bram-v1", "/adapters/bram-v1-retrained");
    expect(again).toEqual({
      ok: false,
      status: 400,
      reason: "already_loaded",
      message: "The lora adapter 'char-bram-v1' has already been loaded.",
    });
  });

  it("unloads an adapter and drops it from /v1/models", async () => {
    await loadAdapter(endpoint(), "char-cleo-v2", "/adapters/cleo-v2");
    const result = await unloadAdapter(endpoint(), "char-cleo-v2");
    expect(result).toEqual({
      ok: true,
      status: 200,
      message: "Success: LoRA adapter 'char-cleo-v2' removed successfully.",
    });
    expect((await listModels(endpoint())).map((m) => m.id)).not.toContain("char-cleo-v2");
  });

  it("reports unloading an unknown adapter as not_found", async () => {
    const result = await unloadAdapter(endpoint(), "char-nobody-v1");
    expect(result).toMatchObject({ ok: false, status: 404, reason: "not_found" });
    expect(result.message).toContain("char-nobody-v1");
  });

  it("reports a wrong API key without throwing", async () => {
    const result = await loadAdapter(endpointFromBaseUrl(sim.url, "wrong"), "char-dana-v1", "/adapters/dana");
    expect(result).toMatchObject({ ok: false, status: 401, reason: "bad_request" });
  });

  it("reports a server failure as server_error", async () => {
    sim.setFaults([{ kind: "http_500", times: 1, path: "/v1/load_lora_adapter" }]);
    const result = await loadAdapter(endpoint(), "char-eve-v1", "/adapters/eve");
    expect(result).toMatchObject({ ok: false, status: 500, reason: "server_error" });
  });
});

describe("LoRA admin against a vLLM that refuses", () => {
  it("explains how to enable runtime updates when the routes do not exist", async () => {
    const sim = await startSimulator({ port: 0, enableLora: true });
    try {
      const endpoint = endpointFromBaseUrl(sim.url);
      for (const result of [
        await loadAdapter(endpoint, "char-aria-v1", "/adapters/aria"),
        await unloadAdapter(endpoint, "char-aria-v1"),
      ]) {
        expect(result).toMatchObject({ ok: false, status: 404, reason: "runtime_updates_disabled" });
        expect(result.message).toContain("VLLM_ALLOW_RUNTIME_LORA_UPDATING=True");
      }
    } finally {
      await sim.close();
    }
  });

  it("reports a server started without --enable-lora as lora_disabled", async () => {
    const sim = await startSimulator({ port: 0, allowRuntimeLoraUpdating: true });
    try {
      const result = await loadAdapter(endpointFromBaseUrl(sim.url), "char-aria-v1", "/adapters/aria");
      expect(result).toMatchObject({ ok: false, status: 400, reason: "lora_disabled" });
      expect(result.message).toContain("--enable-lora");
    } finally {
      await sim.close();
    }
  });

  it("reports a closed port as unreachable with status 0", async () => {
    const port = await unusedPort();
    const result = await loadAdapter(endpointFromBaseUrl(`http://127.0.0.1:${port}`), "char-aria-v1", "/a");
    expect(result).toMatchObject({ ok: false, status: 0, reason: "unreachable" });
    expect(result.message).toContain(`127.0.0.1:${port}`);
  });
});

describe("isVersionedAdapterName", () => {
  it.each(["char-aria-v3", "aria-v1", "char-2b-aria-v12"])("accepts %s", (name) => {
    expect(isVersionedAdapterName(name)).toBe(true);
  });
  it.each(["char-aria", "Char-Aria-v3", "char-aria-v", "char_aria-v1", "-v1", "char--aria-v1", "char-aria-v3 ", "v3"])(
    "rejects %j",
    (name) => {
      expect(isVersionedAdapterName(name)).toBe(false);
    },
  );
});
