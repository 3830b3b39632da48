import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { SampleReview } from "@/components/curation/sample-review";
import { requireAdminPage } from "@/lib/auth/session";
import { adjacentSample, sampleForReview } from "@/lib/curation/queries";
import { parseQueueParams, queueSearch } from "@/lib/curation/schema";

export const metadata: Metadata = { title: "Review sample" };

export default async function SampleReviewPage({
  params,
  searchParams,
}: {
  params: Promise<{ sampleId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { sampleId } = await params;
  await requireAdminPage(`/admin/curation/${sampleId}`);
  // Next and previous follow the queue the reviewer came from: same filter, same order.
  const query = parseQueueParams(await searchParams);
  const [review, nextId, previousId] = await Promise.all([
    sampleForReview(sampleId),
    adjacentSample(query, sampleId, "next"),
    adjacentSample(query, sampleId, "previous"),
  ]);
  if (!review) notFound();
  // Keyed by sample, so an open editor or reason picker never carries over to the next sample.
  return (
    <SampleReview key={sampleId} review={review} nextId={nextId} previousId={previousId} search={queueSearch(query)} />
  );
}
