// Model-server failures as AppErrors: what the user may be told, with details only in logs.
import { APICallError } from "ai";
import { AppError } from "@/lib/errors";

function causeChain(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    parts.push(`${current.name}: ${current.message}`);
    current = current.cause;
  }
  return parts.join(" <- ");
}

/** Context overflow as vLLM reports it (the wording changed across versions). */
export function isContextLengthError(error: unknown): boolean {
  if (!APICallError.isInstance(error) || error.statusCode !== 400) return false;
  const body = `${error.responseBody ?? ""} ${error.message}`;
  return /context length|maximum context/i.test(body);
}

/**
 * How many tokens the server counted in the refused prompt, when its context-length error says:
 * "(6003 in the messages, 512 in the completion)", "you requested 6003 tokens in the messages",
 * "your request has 6003 input tokens" (vLLM's wordings across versions).
 */
export function promptTokensOf(error: unknown): number | null {
  if (!isContextLengthError(error) || !APICallError.isInstance(error)) return null;
  const body = `${error.responseBody ?? ""} ${error.message}`;
  const match = /(\d+)(?: tokens)? in the messages|(\d+) input tokens/.exec(body);
  const count = Number(match?.[1] ?? match?.[2]);
  return Number.isFinite(count) && count > 0 ? count : null;
}

const NETWORK_FAILURE = /ECONNREFUSED|ENOTFOUND|EHOSTUNREACH|fetch failed|ECONNRESET|socket|terminated/i;

export function toUpstreamError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof Error && (error.name === "AbortError" || error.name === "TimeoutError")) {
    return new AppError("upstream_timeout:model", "The model server took too long to answer.");
  }
  const chain = causeChain(error);
  // A 2xx whose body broke off (the connection dropped mid-answer) is no refusal: like any dropped
  // connection it is worth another try.
  if (
    APICallError.isInstance(error) &&
    error.statusCode !== undefined &&
    error.statusCode < 400 &&
    NETWORK_FAILURE.test(chain)
  ) {
    return new AppError("upstream_unavailable:model", "The connection to the model server broke off.");
  }
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    if (status === 404)
      return new AppError("upstream_error:model_not_found", "The model server does not serve that model.");
    if (status === 401 || status === 403) {
      return new AppError("upstream_error:auth", "The model server refused Troupe's API key (check LLM_API_KEY).");
    }
    if (isContextLengthError(error))
      return new AppError("upstream_error:context_length", "The conversation is too long for this model.");
    if (status && status >= 500)
      return new AppError("upstream_error:server", `The model server failed (HTTP ${status}). Try again.`);
    if (status && status >= 400)
      return new AppError("upstream_error:request", `The model server rejected the request (HTTP ${status}).`);
  }
  if (NETWORK_FAILURE.test(chain)) {
    return new AppError("upstream_unavailable:model", "The model server is not reachable.");
  }
  console.error("[llm] unexpected model error", chain);
  return new AppError("upstream_error:unknown", "The model server returned something Troupe could not use.");
}
