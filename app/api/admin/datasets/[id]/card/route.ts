import { requireRole } from "@/lib/auth/session";
import { getDatasetVersion } from "@/lib/datasets/queries";
import { downloadHeaders, parseWith, recordIdSchema, route } from "@/lib/http";

/** The dataset card as a markdown file (admins only). */
export const GET = route<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const id = parseWith(recordIdSchema, (await params).id);
  await requireRole("ADMIN");
  const version = await getDatasetVersion(id);
  return new Response(version.card, {
    headers: downloadHeaders({
      contentType: "text/markdown; charset=utf-8",
      filename: `${version.name}-v${version.version}-card.md`,
    }),
  });
});
