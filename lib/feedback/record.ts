import "server-only";
// Turning user signals into FeedbackEvents (always, with the consent flag of the moment) and into
// candidate training samples (only when the user consented then). Everything keyed so that
// recording the same signal twice stores it once.
import type { Prisma } from "@/generated/prisma/client";
import type { SampleState } from "@/generated/prisma/enums";
import type { Actor } from "@/lib/auth/permissions";
import { getOwnConversation } from "@/lib/chat/queries";
import { requestSampleChecks } from "@/lib/curation/checks";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { conversationTree, type ReplyLineage, replyLineage } from "./lineage";
import { derivePairs } from "./pairs";
import { offerSchema, type RateInput, rateSchema } from "./schema";

type EventKind = "RATING" | "SWIPE" | "EDIT" | "ARENA";

/**
 * Samples that may still change or go away: no reviewer has decided on them and no dataset version
 * holds them (a sample sent back to review after an approval keeps its reviewedAt).
 */
const MUTABLE = {
  state: { in: ["NEW", "AUTO_CHECKED", "NEEDS_REVIEW"] as SampleState[] },
  reviewedAt: null,
  datasetItems: { none: {} },
};

async function consentOf(userId: string): Promise<boolean> {
  const user = await db.user.findUnique({ where: { id: userId }, select: { trainingConsent: true } });
  return user?.trainingConsent ?? false;
}

function lineageFields(lineage: ReplyLineage) {
  return {
    conversationId: lineage.conversationId,
    prompt: lineage.prompt,
    promptHash: lineage.promptHash,
    characterId: lineage.characterId,
    characterVersionId: lineage.characterVersionId,
    modelId: lineage.modelId,
    modelVersionId: lineage.modelVersionId,
    sampling: (lineage.sampling ?? undefined) as Prisma.InputJsonValue | undefined,
    templateVersion: lineage.templateVersion,
  };
}

/** What a sample records about where it came from. */
export function sampleLineage(lineage: ReplyLineage, extra: Record<string, unknown> = {}): Prisma.InputJsonValue {
  const { prompt: _prompt, ...rest } = lineage;
  return { ...rest, ...extra } as Prisma.InputJsonValue;
}

export async function createEvent(
  kind: EventKind,
  userId: string,
  lineage: ReplyLineage,
  fields: { otherMessageIds?: string[]; rating?: number; reasons?: string[]; comment?: string | null; vote?: string },
  consented: boolean,
) {
  return db.feedbackEvent.create({
    data: {
      kind,
      userId,
      messageId: lineage.messageId,
      otherMessageIds: fields.otherMessageIds ?? [],
      rating: fields.rating ?? null,
      reasons: fields.reasons ?? [],
      comment: fields.comment ?? null,
      vote: fields.vote ?? null,
      consented,
      ...lineageFields(lineage),
    },
  });
}

/** Rate a reply in one of the user's own chats (thumbs, reasons, comment); null removes the rating. */
export async function rateMessage(actor: Actor, conversationId: string, input: RateInput) {
  const data = rateSchema.parse(input);
  const conversation = await getOwnConversation(actor, conversationId);
  const tree = await conversationTree(conversation.id);
  const message = tree.find((row) => row.id === data.messageId);
  if (message?.role !== "ASSISTANT" || message.status === "STREAMING") {
    throw new AppError("not_found:message", "That reply does not exist or is still being written.");
  }
  const [lineage, consented] = await Promise.all([
    replyLineage(conversation.id, message.id, tree),
    consentOf(actor.id),
  ]);
  const event = await createEvent(
    "RATING",
    actor.id,
    lineage,
    { rating: data.value ?? 0, reasons: data.reasons, comment: data.comment ?? null },
    consented,
  );
  const sampleKey = `kto:rating:${actor.id}:${message.id}`;
  await db.$transaction(async (tx) => {
    await tx.repairSeed.deleteMany({ where: { userId: actor.id, messageId: message.id, consumedAt: null } });
    if (data.value === null) {
      await tx.messageRating.deleteMany({ where: { userId: actor.id, messageId: message.id } });
      // A reviewed row is what the reviewer saw (and maybe what a dataset holds): it stays.
      await tx.trainingSample.deleteMany({ where: { dedupeKey: sampleKey, ...MUTABLE } });
      return;
    }
    const rating = { value: data.value, reasons: data.reasons, comment: data.comment ?? null };
    await tx.messageRating.upsert({
      where: { userId_messageId: { userId: actor.id, messageId: message.id } },
      create: { userId: actor.id, messageId: message.id, ...rating },
      update: rating,
    });
    if (!consented) return;
    const sample = {
      prompt: lineage.prompt,
      chosen: message.content,
      label: data.value > 0,
      feedbackEventId: event.id,
      lineage: sampleLineage(lineage, { reasons: data.reasons, comment: data.comment ?? null }),
    };
    // One statement each, so a reviewer approving in between cannot have the approved row rewritten:
    // a changed thumb on an unreviewed row makes it a new candidate, checked again from the start.
    const { count } = await tx.trainingSample.updateMany({
      where: { dedupeKey: sampleKey, ...MUTABLE },
      data: { ...sample, state: "NEW", checkedAt: null },
    });
    if (count === 0) {
      await tx.trainingSample.createMany({
        data: [{ kind: "KTO", source: "RATING", userId: actor.id, dedupeKey: sampleKey, ...sample }],
        skipDuplicates: true,
      });
    }
    if (data.value < 0) {
      await tx.repairSeed.create({ data: { feedbackEventId: event.id, messageId: message.id, userId: actor.id } });
    }
  });
  if (consented && data.value !== null) await requestSampleChecks();
  return { value: data.value, reasons: data.reasons, comment: data.comment ?? null };
}

/**
 * Record the preference pairs a tree now implies for `chosenId` (a reply that was just continued
 * from, or just written as an edit): one event per signal, one sample per pair.
 */
export async function recordTreePreferences(userId: string, conversationId: string, chosenId: string) {
  const tree = await conversationTree(conversationId);
  const pairs = derivePairs(tree).filter((pair) => pair.chosenId === chosenId);
  if (pairs.length === 0) return 0;
  const byId = new Map(tree.map((row) => [row.id, row]));
  const [lineage, consented] = await Promise.all([replyLineage(conversationId, chosenId, tree), consentOf(userId)]);
  const chosen = byId.get(chosenId);
  if (!chosen) return 0;
  let stored = 0;
  for (const source of ["edit", "swipe"] as const) {
    const ofSource = pairs.filter((pair) => pair.source === source);
    if (ofSource.length === 0) continue;
    // One event per signal; a repeat (same chosen reply, same rejected set) is not stored twice.
    const rejectedIds = ofSource.map((pair) => pair.rejectedId).sort();
    const kind = source === "edit" ? "EDIT" : "SWIPE";
    const seen = await db.feedbackEvent.findFirst({
      where: { kind, userId, messageId: chosenId, otherMessageIds: { equals: rejectedIds } },
      select: { id: true },
    });
    const event = seen ?? (await createEvent(kind, userId, lineage, { otherMessageIds: rejectedIds }, consented));
    if (!consented) continue;
    const rows: Prisma.TrainingSampleCreateManyInput[] = ofSource.map((pair) => ({
      kind: "PREFERENCE",
      source: source === "edit" ? "EDIT" : "SWIPE",
      prompt: lineage.prompt,
      chosen: chosen.content,
      rejected: byId.get(pair.rejectedId)?.content ?? "",
      userId,
      feedbackEventId: event.id,
      lineage: sampleLineage(lineage, { rejectedMessageId: pair.rejectedId }),
      dedupeKey: `pref:${source}:${chosenId}:${pair.rejectedId}`,
    }));
    if (source === "edit") {
      // The edited text is also a supervised example: the conversation plus the corrected reply.
      rows.push({
        kind: "SFT",
        source: "EDIT",
        prompt: lineage.prompt,
        chosen: chosen.content,
        userId,
        feedbackEventId: event.id,
        lineage: sampleLineage(lineage),
        dedupeKey: `sft:edit:${chosenId}`,
      });
    }
    stored += (await db.trainingSample.createMany({ data: rows, skipDuplicates: true })).count;
  }
  if (stored > 0) await requestSampleChecks();
  return stored;
}

/**
 * A user offers one of their chats as training data: the conversation up to the reply they are
 * looking at becomes one SFT sample (source CHAT) whose every reply is trained — the user vouches
 * for all of it. Needs their training consent; offering the same reply twice stores one sample.
 */
export async function offerConversation(actor: Actor, conversationId: string, input: { messageId: string }) {
  const { messageId } = offerSchema.parse(input);
  const conversation = await getOwnConversation(actor, conversationId);
  if (!(await consentOf(actor.id))) {
    throw new AppError("forbidden:consent", "Turn on training use of your chats in Settings first.");
  }
  const tree = await conversationTree(conversation.id);
  const message = tree.find((row) => row.id === messageId);
  if (message?.role !== "ASSISTANT" || message.status !== "COMPLETE" || !message.parentId) {
    throw new AppError("bad_request:not_offerable", "Offer a chat at a finished reply to one of your messages.");
  }
  const lineage = await replyLineage(conversation.id, message.id, tree);
  const row = {
    prompt: lineage.prompt,
    chosen: message.content,
    lineage: sampleLineage(lineage, { offeredAt: new Date().toISOString() }),
  };
  // Every reply of an offer trains, so a new offer of the same chat replaces the earlier offers no
  // reviewer has decided on yet rather than training their replies twice.
  const prefix = `chat:${actor.id}:${conversation.id}:`;
  const dedupeKey = `${prefix}${message.id}`;
  const { count } = await db.$transaction(async (tx) => {
    await tx.trainingSample.deleteMany({
      where: { dedupeKey: { startsWith: prefix }, NOT: { dedupeKey }, ...MUTABLE },
    });
    return tx.trainingSample.createMany({
      data: [{ kind: "SFT", source: "CHAT", trainOn: "ALL", userId: actor.id, ...row, dedupeKey }],
      skipDuplicates: true,
    });
  });
  if (count > 0) await requestSampleChecks();
  return { offered: count > 0, turns: lineage.prompt.filter((turn) => turn.role !== "system").length + 1 };
}
