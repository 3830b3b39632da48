"use server";
// The reviewer's actions. Every one parses its input and checks for an admin itself.
import { revalidatePath } from "next/cache";
import { z } from "zod";
import { runAction } from "@/lib/actions";
import { requireRole } from "@/lib/auth/session";
import { parseWith } from "@/lib/http";
import { bulkReview, previewBulk, reviewSample, reviseSample, undoBulk } from "./queries";
import { bulkSchema, reviewSchema, revisionSchema, sampleFilterSchema } from "./schema";

export async function reviewSampleAction(input: unknown) {
  return runAction(async () => {
    const review = parseWith(reviewSchema, input);
    const admin = await requireRole("ADMIN");
    return reviewSample(admin.id, review);
  });
}

export async function reviseSampleAction(input: unknown) {
  return runAction(async () => {
    const revision = parseWith(revisionSchema, input);
    const admin = await requireRole("ADMIN");
    return reviseSample(admin.id, revision);
  });
}

export async function previewBulkAction(input: unknown) {
  return runAction(async () => {
    const { filter, decision } = parseWith(
      z.object({ filter: sampleFilterSchema, decision: z.enum(["APPROVED", "REJECTED"]) }),
      input,
    );
    await requireRole("ADMIN");
    return { count: await previewBulk(filter, decision) };
  });
}

export async function bulkReviewAction(input: unknown) {
  return runAction(async () => {
    const bulk = parseWith(bulkSchema, input);
    const admin = await requireRole("ADMIN");
    const result = await bulkReview(admin.id, bulk);
    revalidatePath("/admin/curation");
    return result;
  });
}

export async function undoBulkAction(input: unknown) {
  return runAction(async () => {
    const bulkId = parseWith(z.string().min(1).max(64), input);
    const admin = await requireRole("ADMIN");
    const result = await undoBulk(admin.id, bulkId);
    revalidatePath("/admin/curation");
    return result;
  });
}
