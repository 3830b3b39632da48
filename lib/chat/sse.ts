import "server-only";
// Chat events over Server-Sent Events. The first event is awaited before answering, so a request
// that fails up front (a duplicate submit, no model, a read-only chat) gets a normal JSON 4xx;
// after that, a client that goes away aborts the model call, and the generator still runs to
// the end so the partial reply is saved.
import { errorResponse } from "@/lib/http";
import type { ChatStreamEvent } from "./schema";

const encoder = new TextEncoder();
const frame = (event: ChatStreamEvent) => encoder.encode(`data: ${JSON.stringify(event)}\n\n`);

export async function chatEventResponse(
  request: Request,
  start: (signal: AbortSignal) => AsyncGenerator<ChatStreamEvent>,
): Promise<Response> {
  const abort = new AbortController();
  request.signal.addEventListener("abort", () => abort.abort(), { once: true });
  const events = start(abort.signal);
  let first: IteratorResult<ChatStreamEvent>;
  try {
    first = await events.next();
  } catch (error) {
    return errorResponse(error);
  }
  let open = true;
  const stream = new ReadableStream<Uint8Array>({
    async start(controller) {
      // Deltas that arrive together leave together: one frame and one socket write per tick.
      let pendingText = "";
      let flushScheduled = false;
      const write = (event: ChatStreamEvent) => {
        if (!open) return;
        try {
          controller.enqueue(frame(event));
        } catch {
          open = false;
        }
      };
      const flush = () => {
        flushScheduled = false;
        if (pendingText) write({ type: "delta", text: pendingText });
        pendingText = "";
      };
      const send = (event: ChatStreamEvent) => {
        if (event.type === "delta") {
          pendingText += event.text;
          if (!flushScheduled) {
            flushScheduled = true;
            setImmediate(flush);
          }
          return;
        }
        flush();
        write(event);
      };
      if (!first.done) send(first.value);
      try {
        for await (const event of events) send(event);
      } catch (error) {
        console.error("[chat] stream failed after it started", error);
        send({
          type: "error",
          message: null,
          error: { code: "internal:stream", message: "Something went wrong; the reply may be incomplete." },
        });
      }
      if (open) controller.close();
    },
    cancel() {
      open = false;
      abort.abort();
    },
  });
  return new Response(stream, {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
