import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { exportFeedback } from "@/lib/feedback/export";
import { EXPORT_FORMATS } from "@/lib/feedback/schema";
import { parseWith, route } from "@/lib/http";

const querySchema = z.object({
  format: z.enum(EXPORT_FORMATS, { error: `format must be one of ${EXPORT_FORMATS.join(", ")}` }),
  since: z.iso.date({ error: "since must be a date like 2026-01-31" }).optional(),
});

/** Feedback as streaming JSONL (admins only). */
export const GET = route(async (request) => {
  const query = parseWith(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  await requireRole("ADMIN");
  const lines = exportFeedback(query.format, query.since ? { since: new Date(query.since) } : {});
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await lines.next();
      if (next.done) controller.close();
      else controller.enqueue(encoder.encode(next.value));
    },
    async cancel() {
      await lines.return(undefined);
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="troupe-feedback-${query.format}.jsonl"`,
      "Cache-Control": "no-store",
    },
  });
});
