import { requireRole } from "@/lib/auth/session";
import { getDatasetVersion } from "@/lib/datasets/queries";
import { route } from "@/lib/http";

/** The dataset card as a markdown file (admins only). */
export const GET = route<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const { id } = await params;
  await requireRole("ADMIN");
  const version = await getDatasetVersion(id);
  return new Response(version.card, {
    headers: {
      "Content-Type": "text/markdown; charset=utf-8",
      "Content-Disposition": `attachment; filename="${`${version.name}-v${version.version}-card.md`.replace(/[^\w.-]+/g, "_")}"`,
      "Cache-Control": "no-store",
    },
  });
});
