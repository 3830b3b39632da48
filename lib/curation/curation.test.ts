import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@/generated/prisma/client";
import {
  createDatasetVersion,
  exportDatasetVersion,
  getDatasetVersion,
  listDatasetVersions,
} from "@/lib/datasets/queries";
import { splitOf } from "@/lib/datasets/split";
import { db } from "@/lib/db";
import { eraseUserSamples } from "@/lib/feedback/erasure";
import { registerModelVersion } from "@/lib/models/queries";
import { assertTestDatabase } from "@/lib/testing/db";
import { createUser } from "@/lib/users/queries";
import {
  adjacentSample,
  bulkReview,
  countMatching,
  listQueue,
  previewBulk,
  QUEUE_PAGE,
  reviewerStats,
  reviewSample,
  reviseSample,
  undoBulk,
} from "./queries";
import type { QueueQuery } from "./schema";

// Every row of this file carries its own job id, so filters by it see only these rows.
const jobId = `curation-test-${Date.now().toString(36)}`;
let reviewer: string;
let contributor: string;

type Seed = Partial<Prisma.TrainingSampleCreateManyInput> & { chosen: string };

let counter = 0;
function sample(seed: Seed): Prisma.TrainingSampleCreateManyInput {
  counter++;
  return {
    id: randomUUID(),
    kind: "SFT",
    source: "SYNTHETIC",
    state: "NEEDS_REVIEW",
    prompt: [
      { role: "system", content: "You are Captain Mirelle." },
      { role: "user", content: `Question number ${counter}?` },
    ],
    lineage: {},
    dedupeKey: `${jobId}:${counter}`,
    jobId,
    checkedAt: new Date(),
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, counter)),
    ...seed,
  };
}

const inJob = (query: Partial<QueueQuery> = {}): QueueQuery => ({ jobId, ...query });

async function allIds(query: QueueQuery): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await listQueue({ ...query, cursor });
    ids.push(...page.rows.map((row) => row.id));
    if (!page.nextCursor) return ids;
    cursor = page.nextCursor;
  }
}

async function exported(
  id: string,
  format: Parameters<typeof exportDatasetVersion>[1],
  split?: "train" | "validation",
) {
  let text = "";
  for await (const chunk of exportDatasetVersion(id, format, split)) text += chunk;
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

beforeAll(async () => {
  assertTestDatabase();
  reviewer = (
    await createUser({
      email: `reviewer-${jobId}@example.com`,
      password: "correct horse battery",
      name: "Rita Reviewer",
    })
  ).id;
  contributor = (
    await createUser({ email: `contrib-${jobId}@example.com`, password: "correct horse battery", name: "Cole" })
  ).id;
});

afterAll(async () => {
  await db.$disconnect();
});

describe("review queue", () => {
  it("pages through every match once, newest first, and filters by flag, score, language and words", async () => {
    await db.trainingSample.createMany({
      data: [
        ...Array.from({ length: QUEUE_PAGE + 7 }, (_, index) =>
          sample({ chosen: `The sea was calm on day ${index}.`, score: 1 + (index % 5), language: "en" }),
        ),
        sample({ chosen: "As an AI language model I cannot.", flags: ["breaks_role"], score: 1.5, language: "en" }),
        sample({ chosen: "Der Wind dreht nach Westen, Kapitän.", language: "de", flags: ["wrong_language"] }),
      ],
    });
    const ids = await allIds(inJob());
    expect(ids).toHaveLength(QUEUE_PAGE + 9);
    expect(new Set(ids).size).toBe(ids.length);
    const first = await listQueue(inJob());
    expect(first.total).toEqual({ count: QUEUE_PAGE + 9, capped: false });
    const times = first.rows.map((row) => row.createdAt.getTime());
    expect(times).toEqual([...times].sort((a, b) => b - a));

    expect((await listQueue(inJob({ flag: "breaks_role" }))).rows.map((row) => row.answer)).toEqual([
      "As an AI language model I cannot.",
    ]);
    expect((await countMatching(inJob({ flag: "any" }))).count).toBe(2);
    expect((await countMatching(inJob({ flag: "none" }))).count).toBe(QUEUE_PAGE + 7);
    expect((await countMatching(inJob({ language: "de" }))).count).toBe(1);
    expect((await countMatching(inJob({ minScore: 4, maxScore: 5 }))).count).toBe(22); // 11 with score 4, 11 with 5
    expect((await listQueue(inJob({ q: "wind westen" }))).rows).toHaveLength(1);
    expect((await listQueue(inJob({ q: '"day 12"' }))).rows.map((row) => row.answer)).toEqual([
      "The sea was calm on day 12.",
    ]);

    const byScore = await allIds(inJob({ sort: "score_desc" }));
    expect(byScore).toHaveLength(QUEUE_PAGE + 8); // the unscored sample is not in a score order
    const scores = (await listQueue(inJob({ sort: "score_desc" }))).rows.map((row) => row.score ?? 0);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
  });

  it("walks next and previous in the queue's order, and refuses a forged cursor", async () => {
    const ids = await allIds(inJob({ sort: "oldest" }));
    expect(await adjacentSample(inJob({ sort: "oldest" }), ids[3] as string, "next")).toBe(ids[4]);
    expect(await adjacentSample(inJob({ sort: "oldest" }), ids[3] as string, "previous")).toBe(ids[2]);
    expect(await adjacentSample(inJob({ sort: "oldest" }), ids.at(-1) as string, "next")).toBeNull();
    await expect(listQueue(inJob({ cursor: "not-a-cursor" }))).rejects.toMatchObject({ code: "bad_request:cursor" });
  });
});

describe("reviewing", () => {
  it("approves, wants a reason to reject, and never moves an erased sample", async () => {
    const [approve, reject, erased] = [
      sample({ chosen: "Aye, the tide turns at dawn." }),
      sample({ chosen: "Whatever." }),
      sample({ chosen: "", state: "ERASED" }),
    ];
    await db.trainingSample.createMany({ data: [approve, reject, erased] });
    expect(await reviewSample(reviewer, { sampleId: approve.id as string, decision: "APPROVED" })).toEqual({
      state: "APPROVED",
    });
    await expect(reviewSample(reviewer, { sampleId: reject.id as string, decision: "REJECTED" })).rejects.toMatchObject(
      {
        code: "conflict:sample",
      },
    );
    await reviewSample(reviewer, { sampleId: reject.id as string, decision: "REJECTED", reason: "low quality" });
    await expect(reviewSample(reviewer, { sampleId: erased.id as string, decision: "APPROVED" })).rejects.toThrow(
      /withdrew/,
    );
    await expect(reviewSample(reviewer, { sampleId: "missing", decision: "APPROVED" })).rejects.toMatchObject({
      code: "not_found:sample",
    });
    const rejected = await db.trainingSample.findUniqueOrThrow({
      where: { id: reject.id as string },
      include: { reviews: true },
    });
    expect(rejected).toMatchObject({ state: "REJECTED", rejectReason: "low quality", reviewedById: reviewer });
    expect(rejected.reviews).toMatchObject([{ fromState: "NEEDS_REVIEW", toState: "REJECTED", reason: "low quality" }]);
  });

  it("bulk-approves what the preview counted, refuses a stale count, and undo restores each sample's state", async () => {
    const tag = `bulk-${randomUUID()}`;
    const rows = [
      ...Array.from({ length: 6 }, () =>
        sample({ chosen: `${tag} fine answer.`, state: "AUTO_CHECKED", pipeline: tag }),
      ),
      ...Array.from({ length: 4 }, () =>
        sample({ chosen: `${tag} flagged answer.`, state: "NEEDS_REVIEW", pipeline: tag }),
      ),
      sample({ chosen: `${tag} approved already.`, state: "APPROVED", pipeline: tag }),
    ];
    await db.trainingSample.createMany({ data: rows });
    const filter = { jobId, pipeline: tag };
    expect(await previewBulk(filter, "APPROVED")).toBe(10);
    await expect(bulkReview(reviewer, { filter, decision: "APPROVED", expected: 9 })).rejects.toMatchObject({
      code: "conflict:bulk",
    });
    const { bulkId, moved } = await bulkReview(reviewer, { filter, decision: "APPROVED", expected: 10 });
    expect(moved).toBe(10);
    expect((await countMatching({ ...filter, state: ["APPROVED"] })).count).toBe(11);

    // One sample reviewed again after the bulk keeps that newer decision through the undo.
    const later = rows[0]?.id as string;
    await reviewSample(reviewer, { sampleId: later, decision: "REJECTED", reason: "out of character" });
    expect(await undoBulk(reviewer, bulkId)).toEqual({ restored: 9 });
    expect((await countMatching({ ...filter, state: ["AUTO_CHECKED"] })).count).toBe(5);
    expect((await countMatching({ ...filter, state: ["NEEDS_REVIEW"] })).count).toBe(4);
    expect((await countMatching({ ...filter, state: ["APPROVED"] })).count).toBe(1);
    expect((await countMatching({ ...filter, state: ["REJECTED"] })).count).toBe(1);
    await expect(undoBulk(reviewer, bulkId)).rejects.toMatchObject({ code: "conflict:bulk" });
  });

  it("an edit makes an approved revision and keeps the original, rejected as replaced", async () => {
    const original = sample({
      chosen: "Tide's out. Go away.",
      state: "NEEDS_REVIEW",
      userId: contributor,
      splitKey: "conv-edit",
    });
    await db.trainingSample.createMany({ data: [original] });
    await expect(
      reviseSample(reviewer, { sampleId: original.id as string, chosen: "Tide's out. Go away." }),
    ).rejects.toMatchObject({ code: "bad_request:unchanged" });
    const { id } = await reviseSample(reviewer, {
      sampleId: original.id as string,
      chosen: "The tide's out, friend — come back at dusk and I'll take you across.",
    });
    const [revision, kept] = await Promise.all([
      db.trainingSample.findUniqueOrThrow({ where: { id } }),
      db.trainingSample.findUniqueOrThrow({ where: { id: original.id as string } }),
    ]);
    expect(revision).toMatchObject({
      state: "APPROVED",
      revisionOf: original.id,
      userId: contributor,
      splitKey: "conv-edit",
    });
    expect(kept).toMatchObject({ state: "REJECTED", chosen: "Tide's out. Go away." });
    expect(kept.rejectReason).toBe(`replaced by revision ${id}`);
    const stats = await reviewerStats();
    const rita = stats.reviewers.find((row) => row.reviewerId === reviewer);
    expect(rita).toMatchObject({ edited: 1, bulkActions: 0 });
    expect(rita?.approved).toBeGreaterThanOrEqual(2);
    expect(stats.reasons.map((row) => row.reason)).toContain("low quality");
  });
});

describe("dataset versions", () => {
  it("snapshot approved samples once per duplicate group, split by conversation as the seed says", async () => {
    const tag = `ds-${randomUUID()}`;
    const keeper = sample({ chosen: "Keep me.", state: "APPROVED", pipeline: tag, splitKey: "conv-a" });
    const rows = [
      keeper,
      sample({ chosen: "Keep me!", state: "APPROVED", pipeline: tag, splitKey: "conv-b", duplicateOf: keeper.id }),
      sample({ chosen: "Not approved.", state: "NEEDS_REVIEW", pipeline: tag, splitKey: "conv-c" }),
      ...Array.from({ length: 40 }, (_, index) =>
        sample({
          chosen: `Answer ${index}.`,
          state: "APPROVED",
          pipeline: tag,
          splitKey: `conv-${index % 10}`,
          promptTokens: 20 + index,
          answerTokens: 5,
          userId: index < 3 ? contributor : null,
          source: index < 3 ? "EDIT" : "SYNTHETIC",
        }),
      ),
      sample({
        kind: "PREFERENCE",
        chosen: "In character.",
        rejected: "As an AI…",
        state: "APPROVED",
        pipeline: tag,
        splitKey: "conv-pair",
      }),
    ];
    await db.trainingSample.createMany({ data: rows });
    const version = await createDatasetVersion(reviewer, {
      name: `test ${tag}`,
      filter: { jobId, pipeline: tag },
      seed: "fixed-seed",
      validationShare: 0.3,
    });
    expect(version.version).toBe(1);
    expect(version.sampleCount).toBe(42);
    const items = await db.datasetItem.findMany({ where: { datasetVersionId: version.id }, include: { sample: true } });
    expect(items.map((item) => item.sample.chosen)).not.toContain("Keep me!");
    expect(items.map((item) => item.sample.chosen)).not.toContain("Not approved.");
    for (const item of items) {
      expect(item.split).toBe(splitOf("fixed-seed", item.sample.splitKey as string, 0.3));
    }
    expect(version.trainCount + version.validationCount).toBe(42);
    const full = await getDatasetVersion(version.id);
    expect(full.mix.byKind).toEqual([
      { key: "SFT", count: 41 },
      { key: "PREFERENCE", count: 1 },
    ]);
    expect(full.mix.contributors).toBe(1);
    expect(full.card).toContain("3 rows come from 1 users' feedback");

    // An adapter trained on it is registered with the version as its lineage.
    const endpoint = await db.modelEndpoint.create({ data: { name: `ep-${tag}`, baseUrl: "http://127.0.0.1:9/v1" } });
    const adapter = `lighthouse-${tag.slice(3, 11)}-v1`;
    await registerModelVersion({
      name: `Lighthouse ${tag}`,
      servedModelId: adapter,
      adapterPath: `/adapters/${adapter}`,
      endpointName: endpoint.name,
      datasetVersionId: version.id,
    });
    expect((await getDatasetVersion(version.id)).models.map((model) => model.servedModelId)).toEqual([adapter]);
    await expect(
      registerModelVersion({
        name: `Ghost ${tag}`,
        servedModelId: "base",
        endpointName: endpoint.name,
        datasetVersionId: "nope",
      }),
    ).rejects.toMatchObject({ code: "not_found:dataset" });

    const again = await createDatasetVersion(reviewer, {
      name: `test ${tag}`,
      filter: { jobId, pipeline: tag },
      seed: "fixed-seed",
    });
    expect(again.version).toBe(2);
    await expect(
      createDatasetVersion(reviewer, { name: "empty", filter: { jobId, pipeline: "nothing-here" } }),
    ).rejects.toMatchObject({
      code: "bad_request:empty_dataset",
    });

    const sft = await exported(version.id, "trl-sft");
    expect(sft).toHaveLength(41);
    const dpo = await exported(version.id, "trl-dpo");
    expect(dpo).toEqual([
      {
        prompt: [{ role: "system", content: "You are Captain Mirelle." }, expect.objectContaining({ role: "user" })],
        chosen: [{ role: "assistant", content: "In character." }],
        rejected: [{ role: "assistant", content: "As an AI…" }],
      },
    ]);
    const train = await exported(version.id, "openai-sft", "train");
    const validation = await exported(version.id, "openai-sft", "validation");
    expect(train.length + validation.length).toBe(41);
    expect(validation.length).toBe(
      items.filter((item) => item.split === "VALIDATION" && item.sample.kind === "SFT").length,
    );

    // Later approvals do not change the version; erasure removes the user's rows from its exports.
    await db.trainingSample.createMany({ data: [sample({ chosen: "Late.", state: "APPROVED", pipeline: tag })] });
    await db.$transaction((tx) => eraseUserSamples(tx, contributor, "consent_withdrawn"));
    expect(await exported(version.id, "trl-sft")).toHaveLength(38);
    const listed = (await listDatasetVersions()).find((row) => row.id === version.id);
    expect(listed).toMatchObject({ sampleCount: 42, redacted: 3 });
    const erasedReviews = await db.sampleReview.count({
      where: { toState: "ERASED", sample: { userId: contributor } },
    });
    expect(erasedReviews).toBeGreaterThanOrEqual(3);
  });
});
