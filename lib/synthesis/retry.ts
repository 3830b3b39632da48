// Which model failures are worth another try, and how long to wait: 5xx, timeouts and dropped
// connections are transient; a 4xx means the request itself is wrong and repeating it is waste.
import { AppError } from "@/lib/errors";

export function isTransient(error: unknown): boolean {
  if (error instanceof AppError) {
    return (
      error.code === "upstream_timeout:model" ||
      error.code === "upstream_unavailable:model" ||
      error.code === "upstream_error:server"
    );
  }
  return false;
}

/** Exponential backoff with full jitter: a random wait in [0, min(cap, base · 2^attempt)). */
export function backoffMs(attempt: number, random: () => number = Math.random, baseMs = 500, capMs = 30_000): number {
  return Math.floor(random() * Math.min(capMs, baseMs * 2 ** attempt));
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      "abort",
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}
