// The default model endpoint from the environment. No endpoint means no model: Troupe never
// substitutes a fake one; callers show the "no model connected" state instead.
import { AppError } from "@/lib/errors";
import { type Endpoint, endpointFromBaseUrl } from "./endpoint";

export type DefaultModelConfig = { endpoint: Endpoint; model: string | null };

export function defaultModelConfig(env: NodeJS.ProcessEnv = process.env): DefaultModelConfig | null {
  const baseUrl = env.LLM_BASE_URL?.trim();
  if (!baseUrl) return null;
  return {
    endpoint: endpointFromBaseUrl(baseUrl, env.LLM_API_KEY?.trim() || undefined),
    model: env.LLM_MODEL?.trim() || null,
  };
}

export const NO_MODEL_MESSAGE =
  "No model is connected. Set LLM_BASE_URL (for example http://127.0.0.1:8000/v1 for `vllm serve`) and LLM_MODEL in .env, then restart Troupe.";

export function requireDefaultModelConfig(): DefaultModelConfig {
  const config = defaultModelConfig();
  if (!config) throw new AppError("upstream_unavailable:not_configured", NO_MODEL_MESSAGE);
  return config;
}
