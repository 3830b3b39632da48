"use server";
// Creating dataset versions from the admin pages; the action checks for an admin itself.
import { revalidatePath } from "next/cache";
import { runAction } from "@/lib/actions";
import { requireRole } from "@/lib/auth/session";
import { countMatching } from "@/lib/curation/queries";
import { parseWith } from "@/lib/http";
import { createDatasetVersion } from "./queries";
import { createDatasetSchema, datasetFilterSchema } from "./schema";

export async function createDatasetAction(input: unknown) {
  return runAction(async () => {
    const form = parseWith(createDatasetSchema, input);
    const admin = await requireRole("ADMIN");
    const version = await createDatasetVersion(admin.id, form);
    revalidatePath("/admin/datasets");
    return { id: version.id, name: version.name, version: version.version, samples: version.sampleCount };
  });
}

/** How many approved samples the filter matches now (before near-duplicates are taken once each). */
export async function previewDatasetAction(input: unknown) {
  return runAction(async () => {
    const filter = parseWith(datasetFilterSchema, input);
    await requireRole("ADMIN");
    return countMatching({ ...filter, state: ["APPROVED"] });
  });
}
