/**
 * Simulator options. Flags take vLLM's own names where vLLM has one (`--served-model-name`,
 * `--lora-modules`, `--max-num-seqs`…), so a command line written for the simulator reads like one
 * for `vllm serve`; the timing, fault and framing flags are the simulator's own.
 */

import { z } from "zod";
import { faultInputSchema } from "./faults";

const ms = z.number().min(0);

/** Settings that may change while the server runs (`PUT /sim/config`). */
export const runtimeConfigSchema = z.object({
  ttftMs: ms.default(20),
  itlMs: ms.default(5),
  jitterMs: ms.default(0),
  /** A fixed reply length; when null each reply's length is derived from its seed. */
  outputTokens: z.number().int().min(1).nullable().default(null),
  splitFrames: z.boolean().default(true),
});
export type RuntimeConfig = z.output<typeof runtimeConfigSchema>;
export const runtimeConfigPatchSchema = z.strictObject({
  ttftMs: ms.optional(),
  itlMs: ms.optional(),
  jitterMs: ms.optional(),
  outputTokens: z.number().int().min(1).nullable().optional(),
  splitFrames: z.boolean().optional(),
});
export type RuntimeConfigPatch = z.infer<typeof runtimeConfigPatchSchema>;

export const loraModuleSchema = z.object({
  name: z.string().min(1),
  path: z.string().min(1),
  baseModelName: z.string().min(1).optional(),
});
export type LoraModule = z.infer<typeof loraModuleSchema>;

export const simOptionsSchema = z
  .object({
    port: z.number().int().min(0).max(65_535).default(8000),
    host: z.string().default("127.0.0.1"),
    /** The base model's id/path (`root` in /v1/models). */
    model: z.string().min(1).default("troupe-sim/base-7b"),
    /** Names clients use for the base model; the first is canonical. Empty = `model`. */
    servedModelName: z.array(z.string().min(1)).default([]),
    enableLora: z.boolean().default(false),
    loraModules: z.array(loraModuleSchema).default([]),
    maxLoras: z.number().int().min(1).default(1),
    maxLoraRank: z.number().int().min(1).default(16),
    maxModelLen: z.number().int().min(1).default(4096),
    maxNumSeqs: z.number().int().min(1).default(256),
    /** vLLM's `--scheduling-policy`: with `priority`, lower `priority` values are admitted first. */
    schedulingPolicy: z.enum(["fcfs", "priority"]).default("fcfs"),
    apiKey: z.string().min(1).optional(),
    /** vLLM's `VLLM_ALLOW_RUNTIME_LORA_UPDATING=True`: enables the load/unload endpoints. */
    allowRuntimeLoraUpdating: z.boolean().default(false),
    minOutputTokens: z.number().int().min(1).default(12),
    maxOutputTokens: z.number().int().min(1).default(60),
    /** Mixed into every generation and framing seed: a different seed, a different "model". */
    seed: z.number().int().default(0),
    /** Reject the legacy `guided_*` fields with 400 instead of ignoring them like vLLM does. */
    strictExtras: z.boolean().default(false),
    faults: z.array(faultInputSchema).default([]),
    prefixBlockSize: z.number().int().min(1).default(16),
    prefixCacheBlocks: z.number().int().min(1).default(4096),
    /** Recorded requests kept for `/sim/requests`; the oldest are dropped beyond this. */
    maxRecordedRequests: z.number().int().min(1).default(10_000),
  })
  .extend(runtimeConfigSchema.shape)
  .refine((o) => o.minOutputTokens <= o.maxOutputTokens, {
    message: "minOutputTokens must not exceed maxOutputTokens",
  })
  .refine((o) => o.enableLora || o.loraModules.length === 0, { message: "--lora-modules requires --enable-lora" });

export type SimOptions = z.output<typeof simOptionsSchema>;
export type SimOptionsInput = z.input<typeof simOptionsSchema>;

/** One line per flag, for `--help`. */
export const USAGE = `Usage: npm run sim -- [MODEL] [options]

vLLM flags
  --port N                    (8000; 0 = ephemeral)
  --host H                    (127.0.0.1)
  --model ID                  base model id/path (troupe-sim/base-7b)
  --served-model-name NAME…   names clients use; the first is canonical
  --enable-lora
  --lora-modules name=path…   or JSON {"name","path","base_model_name"}
  --max-loras N  --max-lora-rank N  --max-model-len N (4096)  --max-num-seqs N (256)
  --scheduling-policy fcfs|priority
  --api-key KEY
  env VLLM_ALLOW_RUNTIME_LORA_UPDATING=True enables /v1/load_lora_adapter and /v1/unload_lora_adapter

Simulator flags
  --ttft-ms N (20)  --itl-ms N (5)  --jitter-ms N (0)
  --output-tokens N           fixed reply length (default: per-reply, between the two below)
  --min-output-tokens N (12)  --max-output-tokens N (60)
  --seed N  --[no-]split-frames  --strict-extras
  --fault RULE                kind[:times][@afterTokens] or JSON; repeatable
  --prefix-block-size N (16)  --prefix-cache-blocks N (4096)
`;

type FlagKind = "string" | "number" | "boolean" | "list";

const FLAGS: Record<string, { key: keyof SimOptionsInput; kind: FlagKind }> = {
  port: { key: "port", kind: "number" },
  host: { key: "host", kind: "string" },
  model: { key: "model", kind: "string" },
  "served-model-name": { key: "servedModelName", kind: "list" },
  "enable-lora": { key: "enableLora", kind: "boolean" },
  "lora-modules": { key: "loraModules", kind: "list" },
  "max-loras": { key: "maxLoras", kind: "number" },
  "max-lora-rank": { key: "maxLoraRank", kind: "number" },
  "max-model-len": { key: "maxModelLen", kind: "number" },
  "max-num-seqs": { key: "maxNumSeqs", kind: "number" },
  "scheduling-policy": { key: "schedulingPolicy", kind: "string" },
  "api-key": { key: "apiKey", kind: "string" },
  "ttft-ms": { key: "ttftMs", kind: "number" },
  "itl-ms": { key: "itlMs", kind: "number" },
  "jitter-ms": { key: "jitterMs", kind: "number" },
  "output-tokens": { key: "outputTokens", kind: "number" },
  "min-output-tokens": { key: "minOutputTokens", kind: "number" },
  "max-output-tokens": { key: "maxOutputTokens", kind: "number" },
  seed: { key: "seed", kind: "number" },
  "split-frames": { key: "splitFrames", kind: "boolean" },
  "strict-extras": { key: "strictExtras", kind: "boolean" },
  fault: { key: "faults", kind: "list" },
  "prefix-block-size": { key: "prefixBlockSize", kind: "number" },
  "prefix-cache-blocks": { key: "prefixCacheBlocks", kind: "number" },
};

/** `name=path` or vLLM's JSON form. */
export function parseLoraModule(text: string): LoraModule {
  if (text.trim().startsWith("{")) {
    const json = z
      .object({ name: z.string(), path: z.string(), base_model_name: z.string().optional() })
      .parse(JSON.parse(text));
    return loraModuleSchema.parse({ name: json.name, path: json.path, baseModelName: json.base_model_name });
  }
  const eq = text.indexOf("=");
  if (eq <= 0) throw new Error(`Invalid --lora-modules entry "${text}": expected name=path`);
  return loraModuleSchema.parse({ name: text.slice(0, eq), path: text.slice(eq + 1) });
}

/**
 * Parses a `vllm serve`-like command line. Like vLLM's parser it accepts `--flag value`,
 * `--flag=value`, underscores for dashes, a positional model, and several values after a list flag.
 */
export function parseArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>> = {}): SimOptions {
  const input: Record<string, unknown> = {};
  const lists: Record<string, string[]> = {};
  const runtimeLora = env.VLLM_ALLOW_RUNTIME_LORA_UPDATING?.trim().toLowerCase();
  if (runtimeLora === "true" || runtimeLora === "1") input.allowRuntimeLoraUpdating = true;

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? "";
    if (!arg.startsWith("--")) {
      if (i === 0) {
        input.model = arg;
        continue;
      }
      throw new Error(`Unexpected argument "${arg}"`);
    }
    const [rawName = "", inlineValue] = arg.slice(2).split(/=(.*)/s, 2);
    let name = rawName.replaceAll("_", "-");
    const negated = name.startsWith("no-") && FLAGS[name.slice(3)]?.kind === "boolean";
    if (negated) name = name.slice(3);
    const flag = FLAGS[name];
    if (!flag) throw new Error(`Unknown flag --${rawName}`);
    if (flag.kind === "boolean") {
      input[flag.key] = negated ? false : inlineValue === undefined ? true : inlineValue.toLowerCase() === "true";
      continue;
    }
    const values: string[] = [];
    if (inlineValue !== undefined) values.push(inlineValue);
    else {
      while (i + 1 < argv.length && !(argv[i + 1] ?? "").startsWith("--")) {
        values.push(argv[++i] ?? "");
        if (flag.kind !== "list") break;
      }
    }
    if (values.length === 0) throw new Error(`Flag --${name} needs a value`);
    if (flag.kind === "list") {
      lists[flag.key] = [...(lists[flag.key] ?? []), ...values];
    } else {
      input[flag.key] = flag.kind === "number" ? Number(values[0]) : values[0];
    }
  }
  if (lists.servedModelName) input.servedModelName = lists.servedModelName;
  if (lists.loraModules) input.loraModules = lists.loraModules.map(parseLoraModule);
  if (lists.faults) input.faults = lists.faults;
  const parsed = simOptionsSchema.safeParse(input);
  if (!parsed.success) {
    throw new Error(
      parsed.error.issues.map((issue) => `${issue.path.join(".") || "options"}: ${issue.message}`).join("\n"),
    );
  }
  return parsed.data;
}
