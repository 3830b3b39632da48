import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { datasetBundle } from "@/lib/datasets/bundle";
import { getDatasetVersion } from "@/lib/datasets/queries";
import { parseWith, recordIdSchema, route, streamDownload } from "@/lib/http";

const querySchema = z.object({ format: z.enum(["trl-sft", "trl-dpo", "trl-kto"]).default("trl-sft") });

/** The training bundle (zip: JSONL splits, dataset card, TRL LoRA recipe), streamed (admins only). */
export const GET = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const query = parseWith(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const id = parseWith(recordIdSchema, (await params).id);
  await requireRole("ADMIN");
  const version = await getDatasetVersion(id);
  return streamDownload(datasetBundle(id, query.format), {
    contentType: "application/zip",
    filename: `${version.name}-v${version.version}-${query.format}-bundle.zip`,
  });
});
