import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { exportFeedback } from "@/lib/feedback/export";
import { EXPORT_FORMATS } from "@/lib/feedback/schema";
import { parseWith, route, streamDownload } from "@/lib/http";

const querySchema = z.object({
  format: z.enum(EXPORT_FORMATS, { error: `format must be one of ${EXPORT_FORMATS.join(", ")}` }),
  since: z.iso.date({ error: "since must be a date like 2026-01-31" }).optional(),
});

/** Feedback as streaming JSONL (admins only). */
export const GET = route(async (request) => {
  const query = parseWith(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  await requireRole("ADMIN");
  return streamDownload(exportFeedback(query.format, query.since ? { since: new Date(query.since) } : {}), {
    contentType: "application/x-ndjson; charset=utf-8",
    filename: `troupe-feedback-${query.format}.jsonl`,
  });
});
