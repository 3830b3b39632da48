import { requireRole } from "@/lib/auth/session";
import { exportSuite, getSuite } from "@/lib/eval/queries";
import { parseWith, recordIdSchema, route, streamDownload } from "@/lib/http";

/** A suite as its JSONL file: the header line, then one item per line (admins only). */
export const GET = route<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const id = parseWith(recordIdSchema, (await params).id);
  await requireRole("ADMIN");
  // Looked up before streaming, so an unknown id is a 404 rather than a broken download.
  const suite = await getSuite(id);
  return streamDownload(exportSuite(suite.id), {
    contentType: "application/x-ndjson; charset=utf-8",
    filename: `${suite.name}-v${suite.version}.jsonl`,
  });
});
