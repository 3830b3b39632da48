/** Small HTTP/SSE helpers for the simulator's own tests (real fetch, no client library). */

import type { Simulator } from "./server";

export async function post(sim: Simulator, path: string, body: unknown, init: RequestInit = {}): Promise<Response> {
  return fetch(`${sim.url}${path}`, {
    method: "POST",
    ...init,
    headers: { "content-type": "application/json", ...init.headers },
    body: JSON.stringify(body),
  });
}

export async function postJson<T = Record<string, unknown>>(
  sim: Simulator,
  path: string,
  body: unknown,
): Promise<{ status: number; body: T }> {
  const res = await post(sim, path, body);
  return { status: res.status, body: (await res.json()) as T };
}

export interface SseResult {
  /** `data:` payloads in order, `[DONE]` included. */
  events: string[];
  /** Raw byte chunks as the client received them. */
  chunks: Uint8Array[];
}

/** Reads an SSE body the way a careful client must: streaming UTF-8 decode, frames split on blank lines. */
export async function readSse(res: Response): Promise<SseResult> {
  if (!res.body) throw new Error("no body");
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const reader = res.body.getReader();
  const events: string[] = [];
  const chunks: Uint8Array[] = [];
  let buffer = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    buffer += decoder.decode(value, { stream: true });
    let end = buffer.indexOf("\n\n");
    while (end >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!frame.startsWith("data: ")) throw new Error(`unexpected frame: ${frame}`);
      events.push(frame.slice("data: ".length));
      end = buffer.indexOf("\n\n");
    }
  }
  buffer += decoder.decode();
  if (buffer !== "") throw new Error(`trailing bytes: ${JSON.stringify(buffer)}`);
  return { events, chunks };
}

export interface ChunkChoice {
  index: number;
  delta?: { role?: string; content?: string };
  text?: string;
  finish_reason: string | null;
  stop_reason?: string | null;
}

export interface Chunk {
  id: string;
  object: string;
  model: string;
  choices: ChunkChoice[];
  usage?: Record<string, unknown> | null;
  error?: { message: string; type: string; code: number };
}

/** Parsed JSON events, without the closing `[DONE]`. */
export function chunksOf(result: SseResult): Chunk[] {
  return result.events.filter((e) => e !== "[DONE]").map((e) => JSON.parse(e) as Chunk);
}

/** Concatenated content per choice index. */
export function textByChoice(chunks: readonly Chunk[]): Map<number, string> {
  const texts = new Map<number, string>();
  for (const chunk of chunks) {
    for (const choice of chunk.choices) {
      texts.set(choice.index, (texts.get(choice.index) ?? "") + (choice.delta?.content ?? choice.text ?? ""));
    }
  }
  return texts;
}

export const user = (content: string) => [{ role: "user", content }];

export async function waitFor(check: () => boolean, timeoutMs = 2000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
