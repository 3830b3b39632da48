// Reads the chat route's Server-Sent Events in the browser. Frames can arrive split across
// network chunks (and multi-byte characters across frames), so bytes are decoded as a stream.
import type { ChatStreamEvent } from "@/lib/chat/schema";

export type StreamOutcome = { ok: true } | { ok: false; status: number; code: string; message: string };

export async function postChatStream(
  url: string,
  body: unknown,
  onEvent: (event: ChatStreamEvent) => void,
  signal: AbortSignal,
): Promise<StreamOutcome> {
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
      signal,
    });
  } catch (error) {
    if (signal.aborted) return { ok: true };
    return {
      ok: false,
      status: 0,
      code: "network",
      message: error instanceof Error ? error.message : "The server could not be reached.",
    };
  }
  if (!response.ok || !response.body) {
    const payload = await response.json().catch(() => null);
    return {
      ok: false,
      status: response.status,
      code: payload?.error?.code ?? "http",
      message: payload?.error?.message ?? `The server answered HTTP ${response.status}.`,
    };
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  try {
    while (true) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let boundary = buffer.indexOf("\n\n");
      while (boundary >= 0) {
        const frame = buffer.slice(0, boundary);
        buffer = buffer.slice(boundary + 2);
        const data = frame
          .split("\n")
          .filter((line) => line.startsWith("data: "))
          .map((line) => line.slice(6))
          .join("\n");
        if (data) onEvent(JSON.parse(data) as ChatStreamEvent);
        boundary = buffer.indexOf("\n\n");
      }
    }
  } catch (error) {
    if (!signal.aborted) {
      return {
        ok: false,
        status: 0,
        code: "network",
        message: error instanceof Error ? error.message : "The connection was lost.",
      };
    }
  }
  return { ok: true };
}
