import { requireRole } from "@/lib/auth/session";
import { exportDatasetVersion, getDatasetVersion } from "@/lib/datasets/queries";
import { exportQuerySchema } from "@/lib/datasets/schema";
import { parseWith, recordIdSchema, route, streamDownload } from "@/lib/http";

/** A dataset version as streaming JSONL in a trainer's format (admins only; erased rows left out). */
export const GET = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const query = parseWith(exportQuerySchema, Object.fromEntries(new URL(request.url).searchParams));
  const id = parseWith(recordIdSchema, (await params).id);
  await requireRole("ADMIN");
  // Looked up before streaming, so an unknown id is a 404 rather than a broken download.
  const version = await getDatasetVersion(id);
  return streamDownload(exportDatasetVersion(id, query.format, query.split), {
    contentType: "application/x-ndjson; charset=utf-8",
    filename: `${version.name}-v${version.version}-${query.format}${query.split === "all" ? "" : `-${query.split}`}.jsonl`,
  });
});
