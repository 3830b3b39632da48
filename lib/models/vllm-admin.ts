// vLLM's runtime LoRA administration: loading and unloading adapters on a running server and
// classifying what vLLM answered. Outcomes are values, not exceptions, so the model registry
// decides what a refusal means (an `already_loaded` adapter is often fine; `unreachable` is not).
import type { Endpoint } from "@/lib/llm/endpoint";

const ADMIN_TIMEOUT_MS = 30_000;

export type AdapterFailureReason =
  | "already_loaded"
  | "not_found"
  | "runtime_updates_disabled"
  | "lora_disabled"
  | "bad_request"
  | "server_error"
  | "unreachable";

export type AdapterResult =
  | { ok: true; status: number; message: string }
  | { ok: false; status: number; message: string; reason: AdapterFailureReason };

const VERSIONED_ADAPTER_NAME = /^[a-z0-9]+(?:-[a-z0-9]+)*-v[0-9]+$/;

/**
 * Adapter names are immutable and versioned (`char-aria-v3`): vLLM caches by name, so reloading a
 * name in place would serve stale weights. A new training run gets a new version.
 */
export function isVersionedAdapterName(name: string): boolean {
  return VERSIONED_ADAPTER_NAME.test(name);
}

export function loadAdapter(endpoint: Endpoint, name: string, path: string): Promise<AdapterResult> {
  return postAdmin(endpoint, "load_lora_adapter", { lora_name: name, lora_path: path });
}

export function unloadAdapter(endpoint: Endpoint, name: string): Promise<AdapterResult> {
  return postAdmin(endpoint, "unload_lora_adapter", { lora_name: name });
}

type AdminAction = "load_lora_adapter" | "unload_lora_adapter";

async function postAdmin(
  endpoint: Endpoint,
  action: AdminAction,
  body: Record<string, string>,
): Promise<AdapterResult> {
  let response: Response;
  let text: string;
  try {
    response = await fetch(`${endpoint.rootUrl}/v1/${action}`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        ...(endpoint.apiKey ? { Authorization: `Bearer ${endpoint.apiKey}` } : {}),
      },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(ADMIN_TIMEOUT_MS),
      cache: "no-store",
    });
    text = await response.text();
  } catch (error) {
    return { ok: false, status: 0, reason: "unreachable", message: describeNetworkFailure(endpoint, error) };
  }
  if (response.ok) return { ok: true, status: response.status, message: text.trim() };
  return classifyFailure(action, response.status, text);
}

function classifyFailure(action: AdminAction, status: number, text: string): AdapterResult {
  const body = parseJson(text);
  const fail = (reason: AdapterFailureReason, message: string): AdapterResult => ({
    ok: false,
    status,
    reason,
    message,
  });

  // FastAPI's own 404: the route is not mounted because runtime updating is off.
  if (status === 404 && isRecord(body) && body.detail === "Not Found") {
    return fail(
      "runtime_updates_disabled",
      "This vLLM server does not accept runtime LoRA updates. Restart vLLM with " +
        "VLLM_ALLOW_RUNTIME_LORA_UPDATING=True (and --enable-lora) to load or unload adapters.",
    );
  }

  const message = vllmErrorMessage(body) ?? (text.trim() || `HTTP ${status}`);
  if (status >= 500) return fail("server_error", message);
  if (/already\s+(?:been\s+)?loaded/i.test(message)) return fail("already_loaded", message);
  if (/lora\b.*\bnot\s+enabled|--enable-lora/i.test(message)) return fail("lora_disabled", message);
  // vLLM answers 404 for an unknown adapter on unload; older releases used 400 with the same text.
  if (action === "unload_lora_adapter" && (status === 404 || /cannot be found|not found/i.test(message))) {
    return fail("not_found", message);
  }
  if (status === 401 || status === 403) {
    return fail("bad_request", `vLLM refused the API key (HTTP ${status}): ${message}`);
  }
  return fail("bad_request", message);
}

/** vLLM's `{"error": {"message"}}` envelope, the older flat `{"object":"error","message"}`, or `{"error": "…"}`. */
function vllmErrorMessage(body: unknown): string | null {
  if (!isRecord(body)) return null;
  const { error } = body;
  if (isRecord(error) && typeof error.message === "string") return error.message;
  if (typeof error === "string") return error;
  if (typeof body.message === "string") return body.message;
  if (typeof body.detail === "string") return body.detail;
  return null;
}

function describeNetworkFailure(endpoint: Endpoint, error: unknown): string {
  if (error instanceof Error && error.name === "TimeoutError") {
    return `vLLM at ${endpoint.rootUrl} did not answer within ${ADMIN_TIMEOUT_MS / 1000} s.`;
  }
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause.message : null;
  const detail = cause ?? (error instanceof Error ? error.message : String(error));
  return `vLLM at ${endpoint.rootUrl} is not reachable: ${detail}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
