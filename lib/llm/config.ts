// The default model from the environment: a remote OpenAI-compatible endpoint (LLM_BASE_URL) or a
// local GGUF run in-process (LOCAL_MODEL_PATH). No model means no model: Troupe never substitutes a
// fake one; callers show the "no model connected" state instead.
import path from "node:path";
import { AppError } from "@/lib/errors";
import { type Endpoint, endpointFromBaseUrl } from "./endpoint";

export type DefaultModelConfig =
  | { kind: "remote"; endpoint: Endpoint; model: string | null }
  | { kind: "local"; path: string; model: string };

/** The id a local GGUF is known by: its file name without the extension. */
export function localModelId(modelPath: string): string {
  return path.basename(modelPath).replace(/\.gguf$/i, "");
}

export function defaultModelConfig(env: NodeJS.ProcessEnv = process.env): DefaultModelConfig | null {
  const baseUrl = env.LLM_BASE_URL?.trim();
  if (baseUrl) {
    return {
      kind: "remote",
      endpoint: endpointFromBaseUrl(baseUrl, env.LLM_API_KEY?.trim() || undefined),
      model: env.LLM_MODEL?.trim() || null,
    };
  }
  const localPath = env.LOCAL_MODEL_PATH?.trim();
  if (localPath) {
    const resolved = path.resolve(env.TROUPE_ROOT ?? process.cwd(), localPath);
    return { kind: "local", path: resolved, model: localModelId(resolved) };
  }
  return null;
}

/** Where the default model lives, for messages. */
export function describeDefaultModel(config: DefaultModelConfig): string {
  return config.kind === "remote" ? config.endpoint.apiUrl : `local GGUF ${config.path}`;
}

export const NO_MODEL_MESSAGE =
  "No model is connected. Set LLM_BASE_URL (for example http://127.0.0.1:8000/v1 for `vllm serve`) and LLM_MODEL in .env — or LOCAL_MODEL_PATH to a GGUF file for the local CPU engine (`npx troupe models pull` fetches one) — then restart Troupe.";

export function requireDefaultModelConfig(): DefaultModelConfig {
  const config = defaultModelConfig();
  if (!config) throw new AppError("upstream_unavailable:not_configured", NO_MODEL_MESSAGE);
  return config;
}
