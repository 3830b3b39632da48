import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "./server";
import { post, postJson, user } from "./test-helpers";

interface ModelCard {
  id: string;
  root: string;
  parent: string | null;
  max_model_len: number | null;
}

async function models(sim: Simulator): Promise<ModelCard[]> {
  return (await (await fetch(`${sim.url}/v1/models`)).json()).data;
}

describe("LoRA with runtime updating", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      model: "/models/qwen-7b",
      servedModelName: ["base", "base-alias"],
      enableLora: true,
      loraModules: [{ name: "char-aria-v1", path: "/adapters/aria-v1" }],
      allowRuntimeLoraUpdating: true,
      ttftMs: 0,
      itlMs: 0,
    });
  });
  afterAll(() => sim.close());

  it("lists the base under each served name plus each adapter as its own entry", async () => {
    expect(
      (await models(sim)).map(({ id, root, parent, max_model_len }) => ({ id, root, parent, max_model_len })),
    ).toEqual([
      { id: "base", root: "/models/qwen-7b", parent: null, max_model_len: 4096 },
      { id: "base-alias", root: "/models/qwen-7b", parent: null, max_model_len: 4096 },
      { id: "char-aria-v1", root: "/adapters/aria-v1", parent: "base", max_model_len: null },
    ]);
  });

  it("routes by the model field and answers under the adapter's name", async () => {
    const { status, body } = await postJson(sim, "/v1/chat/completions", {
      model: "char-aria-v1",
      messages: user("hi"),
    });
    expect(status).toBe(200);
    expect(body.model).toBe("char-aria-v1");
    const alias = await postJson(sim, "/v1/chat/completions", { model: "base-alias", messages: user("hi") });
    expect(alias.body.model).toBe("base");
  });

  it("loads and unloads adapters with vLLM's exact bodies, keeping /v1/models in sync", async () => {
    const loaded = await post(sim, "/v1/load_lora_adapter", {
      lora_name: "char-aria-v2",
      lora_path: "/adapters/aria-v2",
    });
    expect(loaded.status).toBe(200);
    expect(await loaded.text()).toBe("Success: LoRA adapter 'char-aria-v2' added successfully.");
    expect((await models(sim)).find((m) => m.id === "char-aria-v2")).toMatchObject({
      root: "/adapters/aria-v2",
      parent: "base",
    });
    expect((await postJson(sim, "/v1/chat/completions", { model: "char-aria-v2", messages: user("hi") })).status).toBe(
      200,
    );

    const again = await postJson(sim, "/v1/load_lora_adapter", { lora_name: "char-aria-v2", lora_path: "/elsewhere" });
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({
      error: {
        message: "The lora adapter 'char-aria-v2' has already been loaded.",
        type: "BadRequestError",
        code: 400,
      },
    });

    const missing = await postJson(sim, "/v1/load_lora_adapter", { lora_name: "x" });
    expect(missing.status).toBe(400);
    expect(missing.body).toMatchObject({ error: { type: "BadRequestError", code: 400 } });

    const unloaded = await post(sim, "/v1/unload_lora_adapter", { lora_name: "char-aria-v2" });
    expect(unloaded.status).toBe(200);
    expect(await unloaded.text()).toBe("Success: LoRA adapter 'char-aria-v2' removed successfully.");
    expect((await models(sim)).map((m) => m.id)).not.toContain("char-aria-v2");
    const gone = await postJson(sim, "/v1/chat/completions", { model: "char-aria-v2", messages: user("hi") });
    expect(gone.status).toBe(404);

    const unknown = await postJson(sim, "/v1/unload_lora_adapter", { lora_name: "char-aria-v2" });
    expect(unknown.status).toBe(404);
    expect(unknown.body).toMatchObject({
      error: { message: "The lora adapter 'char-aria-v2' cannot be found.", type: "NotFoundError", code: 404 },
    });
  });

  it("reports adapters in vllm:lora_requests_info", async () => {
    expect(sim.metrics()).toMatch(
      /^vllm:lora_requests_info\{max_lora="1",model_name="base",running_lora_adapters="",waiting_lora_adapters=""\} \d+/m,
    );
  });
});

describe("LoRA endpoints without runtime updating", () => {
  it("do not exist (FastAPI 404)", async () => {
    const sim = await startSimulator({ port: 0, enableLora: true });
    try {
      for (const path of ["/v1/load_lora_adapter", "/v1/unload_lora_adapter"]) {
        const res = await post(sim, path, { lora_name: "a", lora_path: "/a" });
        expect(res.status).toBe(404);
        expect(await res.json()).toEqual({ detail: "Not Found" });
      }
    } finally {
      await sim.close();
    }
  });

  it("refuse to load without --enable-lora", async () => {
    const sim = await startSimulator({ port: 0, allowRuntimeLoraUpdating: true });
    try {
      const { status, body } = await postJson<{ error: { message: string } }>(sim, "/v1/load_lora_adapter", {
        lora_name: "a",
        lora_path: "/a",
      });
      expect(status).toBe(400);
      expect(body.error.message).toContain("--enable-lora");
    } finally {
      await sim.close();
    }
  });
});

describe("--max-loras", () => {
  it("runs at most that many distinct adapters at once; others wait", async () => {
    const sim = await startSimulator({
      port: 0,
      enableLora: true,
      maxLoras: 1,
      loraModules: [
        { name: "a", path: "/a" },
        { name: "b", path: "/b" },
      ],
      ttftMs: 150,
      itlMs: 0,
      outputTokens: 2,
    });
    try {
      const first = postJson(sim, "/v1/chat/completions", { model: "a", messages: user("one") });
      const second = postJson(sim, "/v1/chat/completions", { model: "b", messages: user("two") });
      const third = postJson(sim, "/v1/chat/completions", { model: "a", messages: user("three") });
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(sim.stats()).toMatchObject({ running: 2, waiting: 1 });
      expect(sim.metrics()).toContain('running_lora_adapters="a",waiting_lora_adapters="b"');
      await Promise.all([first, second, third]);
    } finally {
      await sim.close();
    }
  });
});
