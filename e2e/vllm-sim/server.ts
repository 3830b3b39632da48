/**
 * The vLLM simulator's HTTP server: vLLM's OpenAI-compatible routes plus the /sim control API.
 * Tests and benchmarks start it in-process with `startSimulator({ port: 0 })`; `main.ts` runs it
 * alone. It is a test double, never something the app starts.
 */

import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { planChat, planCompletion, tokenizeBody } from "./completions";
import { handleControl } from "./control";
import { type ActiveFault, COMPLETION_PATHS, type FaultRule, faultInputSchema } from "./faults";
import {
  ApiError,
  parseJsonBody,
  readBody,
  sendError,
  sendJson,
  sendNotFound,
  sendText,
  validationError,
} from "./http";
import { type RuntimeConfig, type RuntimeConfigPatch, type SimOptionsInput, simOptionsSchema } from "./options";
import type { RecordedRequest } from "./recorder";
import { loraRequestSchema, parseRequest } from "./schema";
import { type ScriptRule, scriptRuleSchema } from "./script";
import { SimState, type SimStats } from "./state";

export type { FaultRule } from "./faults";
export type { RuntimeConfig, RuntimeConfigPatch, SimOptions, SimOptionsInput } from "./options";
export type { RecordedRequest } from "./recorder";
export type { ScriptRule } from "./script";
export type { SimStats } from "./state";

/** The version /version reports: the vLLM release whose API the simulator follows. */
export const SIMULATED_VLLM_VERSION = "0.11.0";

export interface Simulator {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:54321`. */
  readonly url: string;
  readonly port: number;
  /** Recorded requests, oldest first (live; cleared in place). */
  readonly requests: readonly RecordedRequest[];
  clearRequests(): void;
  /** Model ids a request may name: the served base names, then LoRA adapters. */
  models(): string[];
  /** Replaces all fault rules (objects or `kind[:times][@afterTokens]` strings). */
  setFaults(rules: readonly (FaultRule | string)[]): void;
  /** Replaces all scripted replies. */
  setScript(rules: readonly ScriptRule[]): void;
  /** Changes timing/length for requests admitted from now on. */
  setConfig(patch: RuntimeConfigPatch): RuntimeConfig;
  stats(): SimStats;
  /** The /metrics text. */
  metrics(): string;
  close(): Promise<void>;
}

type Handler = (req: IncomingMessage, res: ServerResponse, body: unknown, path: string) => void;

function routes(state: SimState): Record<string, Partial<Record<string, Handler>>> {
  const table: Record<string, Partial<Record<string, Handler>>> = {
    "/health": {
      GET: (_req, res) => sendText(res, state.faults.dead ? 503 : 200, ""),
    },
    "/version": { GET: (_req, res) => sendJson(res, 200, { version: SIMULATED_VLLM_VERSION }) },
    "/metrics": {
      GET: (_req, res) => sendText(res, 200, state.metrics(), "text/plain; version=0.0.4; charset=utf-8"),
    },
    "/v1/models": { GET: (_req, res) => sendJson(res, 200, state.models.list()) },
    "/v1/chat/completions": {
      POST: (_req, res, body, path) => state.engine.submit(planChat(state, body, path), res),
    },
    "/v1/completions": {
      POST: (_req, res, body, path) => state.engine.submit(planCompletion(state, body, path), res),
    },
    "/tokenize": { POST: (_req, res, body) => sendJson(res, 200, tokenizeBody(state, body)) },
  };
  // Without VLLM_ALLOW_RUNTIME_LORA_UPDATING these routes do not exist in vLLM at all.
  if (state.options.allowRuntimeLoraUpdating) {
    table["/v1/load_lora_adapter"] = {
      POST: (_req, res, body) => {
        const { lora_name, lora_path } = parseRequest(loraRequestSchema, body);
        sendText(res, 200, state.models.load(lora_name ?? undefined, lora_path ?? undefined));
      },
    };
    table["/v1/unload_lora_adapter"] = {
      POST: (_req, res, body) => {
        const { lora_name } = parseRequest(loraRequestSchema, body);
        sendText(res, 200, state.models.unload(lora_name ?? undefined));
      },
    };
  }
  return table;
}

/** A fault rule aimed at a non-generation path (e.g. `/v1/models`, `/v1/load_lora_adapter`). */
function routeFault(fault: ActiveFault, res: ServerResponse, proceed: () => void): void {
  switch (fault.kind) {
    case "http_500":
    case "stream_error":
      sendError(res, new ApiError(500, `Internal Server Error (vllm-sim fault ${fault.kind}).`));
      return;
    case "http_503":
    case "dead":
      sendError(res, new ApiError(503, `Service Unavailable (vllm-sim fault ${fault.kind}).`));
      return;
    case "reset":
      res.destroy();
      return;
    case "hang":
      return;
    case "slow":
      setTimeout(proceed, fault.itlMs);
      return;
  }
}

export async function startSimulator(input: SimOptionsInput = {}): Promise<Simulator> {
  const options = simOptionsSchema.parse(input);
  const state = new SimState(options);
  const table = routes(state);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? "/", "http://vllm-sim");
    const method = req.method ?? "GET";
    const path = url.pathname;
    const { json, valid } = parseJsonBody(await readBody(req));
    if (path.startsWith("/sim/")) {
      handleControl(state, method, url, json, res);
      return;
    }
    state.log.record(req, path, json);
    // vLLM's --api-key guards the /v1 routes only.
    if (
      options.apiKey !== undefined &&
      path.startsWith("/v1") &&
      req.headers.authorization !== `Bearer ${options.apiKey}`
    ) {
      sendJson(res, 401, { error: "Unauthorized" });
      return;
    }
    const route = table[path];
    if (!route) {
      sendNotFound(res);
      return;
    }
    const handler = route[method];
    if (!handler) {
      sendJson(res, 405, { detail: "Method Not Allowed" });
      return;
    }
    if (!valid) throw validationError([{ type: "json_invalid", loc: [0], msg: "JSON decode error" }]);
    const run = () => handler(req, res, json, path);
    const fault = COMPLETION_PATHS.has(path) ? null : state.faults.take(path, null);
    if (fault) routeFault(fault, res, run);
    else run();
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      sendError(res, error instanceof ApiError ? error : new ApiError(500, String(error)));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("vllm-sim: expected a TCP address");
  const { port } = address;
  const host = options.host.includes(":") ? `[${options.host}]` : options.host;

  return {
    url: `http://${host}:${port}`,
    port,
    requests: state.log.entries,
    clearRequests: () => state.log.clear(),
    models: () => [...state.models.servedNames, ...state.models.loraNames],
    setFaults: (rules) => state.setFaults(rules.map((rule) => faultInputSchema.parse(rule))),
    setScript: (rules) => state.script.set(rules.map((rule) => scriptRuleSchema.parse(rule))),
    setConfig: (patch) => state.setConfig(patch),
    stats: () => state.stats(),
    metrics: () => state.metrics(),
    close: async () => {
      state.engine.shutdown();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
