import { describe, expect, it } from "vitest";
import { parseArgs, parseLoraModule } from "./options";

describe("parseArgs", () => {
  it("applies defaults", () => {
    expect(parseArgs([])).toMatchObject({
      port: 8000,
      host: "127.0.0.1",
      model: "troupe-sim/base-7b",
      maxModelLen: 4096,
      maxNumSeqs: 256,
      ttftMs: 20,
      itlMs: 5,
      jitterMs: 0,
      outputTokens: null,
      splitFrames: true,
      strictExtras: false,
      allowRuntimeLoraUpdating: false,
      prefixBlockSize: 16,
      prefixCacheBlocks: 4096,
    });
  });

  it("reads vLLM-style flags, lists, = values, underscores and a positional model", () => {
    const options = parseArgs(
      [
        "Qwen/Qwen2.5-7B-Instruct",
        "--served-model-name",
        "qwen",
        "qwen-alias",
        "--enable-lora",
        "--lora-modules",
        "aria=/a/aria",
        '{"name":"bo","path":"/a/bo","base_model_name":"qwen"}',
        "--max_loras=2",
        "--max-model-len",
        "8192",
        "--api-key",
        "k",
        "--fault",
        "http_500:2",
        "--fault=stream_error@5",
        "--no-split-frames",
        "--strict-extras",
        "--port=0",
      ],
      { VLLM_ALLOW_RUNTIME_LORA_UPDATING: "True" },
    );
    expect(options).toMatchObject({
      model: "Qwen/Qwen2.5-7B-Instruct",
      servedModelName: ["qwen", "qwen-alias"],
      enableLora: true,
      loraModules: [
        { name: "aria", path: "/a/aria" },
        { name: "bo", path: "/a/bo", baseModelName: "qwen" },
      ],
      maxLoras: 2,
      maxModelLen: 8192,
      apiKey: "k",
      faults: [
        { kind: "http_500", times: 2 },
        { kind: "stream_error", afterTokens: 5 },
      ],
      splitFrames: false,
      strictExtras: true,
      port: 0,
      allowRuntimeLoraUpdating: true,
    });
  });

  it("rejects unknown flags, bad values and LoRA modules without --enable-lora", () => {
    expect(() => parseArgs(["--nope"])).toThrow(/Unknown flag/);
    expect(() => parseArgs(["--port", "abc"])).toThrow(/port/);
    expect(() => parseArgs(["--lora-modules", "a=/a"])).toThrow(/--enable-lora/);
    expect(() => parseLoraModule("no-equals")).toThrow();
  });
});
