import "server-only";
// The arena: each turn two model versions answer the same message side by side, blind and in
// random order; the user votes A, B, tie or both bad, the names are revealed, and the chat goes
// on from the picked reply. Votes feed the Bradley–Terry leaderboard and become preference data.
import { randomInt, randomUUID } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/lib/auth/permissions";
import { getOwnConversation, messageFields, startConversation, toViews } from "@/lib/chat/queries";
import { assertChatTurnLeft } from "@/lib/chat/rate-limit";
import { selectedPath } from "@/lib/chat/tree";
import { requestSampleChecks } from "@/lib/curation/checks";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { conversationTree, replyLineage } from "@/lib/feedback/lineage";
import { createEvent, sampleLineage } from "@/lib/feedback/record";
import type { ArenaVote } from "@/lib/feedback/schema";

export type Side = "A" | "B";

/** Versions admins put in the arena that can take traffic now. */
export function arenaVersions() {
  return db.modelVersion.findMany({
    where: {
      inArena: true,
      status: { in: ["LOADED", "SERVING", "REGISTERED"] },
      NOT: { AND: [{ adapterPath: { not: null } }, { status: "REGISTERED" }] },
    },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
}

export async function setInArena(versionId: string, inArena: boolean) {
  const version = await db.modelVersion.findUnique({ where: { id: versionId } });
  if (!version) throw new AppError("not_found:model_version", "That model version does not exist.");
  if (inArena && version.status === "RETIRED")
    throw new AppError("conflict:model_status", "A retired model cannot battle.");
  if (inArena && version.adapterPath && version.status === "REGISTERED") {
    throw new AppError("conflict:model_status", `Load ${version.name}'s adapter on its endpoint first.`);
  }
  await db.modelVersion.update({ where: { id: versionId }, data: { inArena } });
}

export async function startArenaChat(actor: Actor, characterId: string) {
  if ((await arenaVersions()).length < 2) {
    throw new AppError("conflict:arena_closed", "The arena needs at least two models; an admin has to add them.");
  }
  return startConversation(actor, characterId, { mode: "ARENA" });
}

async function ownArena(actor: Actor, conversationId: string, access: "read" | "write" = "write") {
  const conversation = await getOwnConversation(actor, conversationId);
  if (conversation.mode !== "ARENA") throw new AppError("not_found:conversation", "That arena chat does not exist.");
  if (access === "write" && conversation.readOnly) {
    throw new AppError("forbidden:read_only", "This character was deleted; the chat is read-only.");
  }
  return conversation;
}

/**
 * Store the user's message and draw two different arena models for it, in random order. Each side
 * counts one reply toward the chat rate limit as it streams (retries too); a user with none left
 * is refused here, before the message is stored.
 */
export async function createBattle(
  actor: Actor,
  conversationId: string,
  input: { content: string; clientRequestId: string },
) {
  const conversation = await ownArena(actor, conversationId);
  await assertChatTurnLeft(actor.id);
  const versions = await arenaVersions();
  if (versions.length < 2) throw new AppError("conflict:arena_closed", "The arena needs at least two models.");
  const first = randomInt(versions.length);
  let second = randomInt(versions.length - 1);
  if (second >= first) second += 1;
  const [versionA, versionB] = [versions[first], versions[second]] as [{ id: string }, { id: string }];
  const rows = await db.message.findMany({
    where: { conversationId },
    select: { id: true, parentId: true, selectedChildId: true },
  });
  // The new message continues the selected path (after a vote: the picked reply).
  const parentId = selectedPath(rows, conversation.selectedRootId).at(-1)?.id ?? null;
  const userMessageId = randomUUID();
  try {
    return await db.$transaction(async (tx) => {
      // One round at a time per chat, also when two tabs send at once.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${conversationId}))`;
      const open = await tx.arenaBattle.findFirst({ where: { conversationId, vote: null }, select: { id: true } });
      if (open) throw new AppError("conflict:vote_pending", "Vote on the last round before sending another message.");
      await tx.message.create({
        data: {
          id: userMessageId,
          conversationId,
          parentId,
          role: "USER",
          content: input.content,
          clientRequestId: input.clientRequestId,
        },
      });
      if (parentId) await tx.message.update({ where: { id: parentId }, data: { selectedChildId: userMessageId } });
      else await tx.conversation.update({ where: { id: conversationId }, data: { selectedRootId: userMessageId } });
      const battle = await tx.arenaBattle.create({
        data: {
          conversationId,
          userId: actor.id,
          characterId: conversation.characterId,
          userMessageId,
          versionAId: versionA.id,
          versionBId: versionB.id,
        },
      });
      return { battleId: battle.id, userMessageId };
    });
  } catch (error) {
    if ((error as { code?: string }).code === "P2002") {
      throw new AppError("conflict:duplicate_submit", "This message was already sent.");
    }
    throw error;
  }
}

/** The battle, if it belongs to the user's arena chat and is still open. */
export async function openBattle(actor: Actor, conversationId: string, battleId: string) {
  await ownArena(actor, conversationId);
  const battle = await db.arenaBattle.findUnique({ where: { id: battleId } });
  if (!battle || battle.conversationId !== conversationId) {
    throw new AppError("not_found:battle", "That arena round does not exist.");
  }
  if (battle.vote) throw new AppError("conflict:voted", "This round has been voted on.");
  return battle;
}

/** A side may be (re)generated only while it has no answer yet, or its answer failed. */
export async function assertSideOpen(battle: { messageAId: string | null; messageBId: string | null }, side: Side) {
  const messageId = side === "A" ? battle.messageAId : battle.messageBId;
  if (!messageId) return;
  const message = await db.message.findUnique({ where: { id: messageId }, select: { status: true, updatedAt: true } });
  if (message?.status === "FAILED" || !message) return;
  throw new AppError(
    "conflict:side_answered",
    message.status === "STREAMING" ? "This side is still answering." : "This side has answered; vote when both have.",
  );
}

export async function recordSideMessage(battleId: string, side: Side, messageId: string) {
  await db.arenaBattle.update({
    where: { id: battleId },
    data: side === "A" ? { messageAId: messageId } : { messageBId: messageId },
  });
}

/** Vote, reveal the names, continue from the picked reply, and record the preference. */
export async function voteBattle(actor: Actor, conversationId: string, battleId: string, vote: ArenaVote) {
  const battle = await openBattle(actor, conversationId, battleId);
  const ids = [battle.messageAId, battle.messageBId];
  const replies = await db.message.findMany({ where: { id: { in: ids.filter((id): id is string => id !== null) } } });
  const replyA = replies.find((reply) => reply.id === battle.messageAId);
  const replyB = replies.find((reply) => reply.id === battle.messageBId);
  const done = (status?: string) => status === "COMPLETE" || status === "STOPPED";
  if (!replyA || !replyB || !done(replyA.status) || !done(replyB.status)) {
    throw new AppError("conflict:battle_incomplete", "Both replies have to finish before you vote.");
  }
  const [winner, loser] = vote === "B" ? [replyB, replyA] : [replyA, replyB];
  const claimed = await db.arenaBattle.updateMany({
    where: { id: battle.id, vote: null },
    data: { vote, votedAt: new Date() },
  });
  if (claimed.count === 0) throw new AppError("conflict:voted", "This round has been voted on.");
  await db.message.update({ where: { id: battle.userMessageId }, data: { selectedChildId: winner.id } });

  const [tree, user] = await Promise.all([
    conversationTree(conversationId),
    db.user.findUniqueOrThrow({ where: { id: actor.id }, select: { trainingConsent: true } }),
  ]);
  const lineage = await replyLineage(conversationId, winner.id, tree);
  const event = await createEvent(
    "ARENA",
    actor.id,
    lineage,
    { otherMessageIds: [loser.id], vote },
    user.trainingConsent,
  );
  if (user.trainingConsent) {
    const base = { source: "ARENA" as const, prompt: lineage.prompt, userId: actor.id, feedbackEventId: event.id };
    const rows: Prisma.TrainingSampleCreateManyInput[] =
      vote === "A" || vote === "B"
        ? [
            {
              ...base,
              kind: "PREFERENCE",
              chosen: winner.content,
              rejected: loser.content,
              lineage: sampleLineage(lineage, { battleId: battle.id, vote, rejectedMessageId: loser.id }),
              dedupeKey: `pref:arena:${battle.id}`,
            },
          ]
        : vote === "BOTH_BAD"
          ? [replyA, replyB].map((reply) => ({
              ...base,
              kind: "KTO" as const,
              chosen: reply.content,
              label: false,
              lineage: sampleLineage(lineage, { battleId: battle.id, vote, messageId: reply.id }),
              dedupeKey: `kto:arena:${battle.id}:${reply.id}`,
            }))
          : [];
    if (rows.length > 0) {
      await db.trainingSample.createMany({ data: rows, skipDuplicates: true });
      await requestSampleChecks();
    }
  }
  const names = await db.modelVersion.findMany({
    where: { id: { in: [battle.versionAId, battle.versionBId] } },
    select: { id: true, name: true },
  });
  const nameOf = (id: string) => names.find((version) => version.id === id)?.name ?? "?";
  return { vote, revealed: { A: nameOf(battle.versionAId), B: nameOf(battle.versionBId) } };
}

/** An arena chat as its owner sees it: messages (model ids hidden in open rounds) and its rounds. */
export async function arenaState(actor: Actor, conversationId: string) {
  const conversation = await ownArena(actor, conversationId, "read");
  const [rows, battles] = await Promise.all([
    db.message.findMany({
      where: { conversationId },
      select: messageFields,
      orderBy: { createdAt: "asc" },
    }),
    db.arenaBattle.findMany({
      where: { conversationId },
      include: { versionA: { select: { name: true } }, versionB: { select: { name: true } } },
      orderBy: { createdAt: "asc" },
    }),
  ]);
  // Every answer under an open round's message stays anonymous, retried attempts included.
  const openRounds = new Set(battles.filter((battle) => !battle.vote).map((battle) => battle.userMessageId));
  const hidden = new Set(rows.filter((row) => row.parentId && openRounds.has(row.parentId)).map((row) => row.id));
  return {
    conversation,
    selectedRootId: conversation.selectedRootId,
    messages: toViews(rows).map((view) => (hidden.has(view.id) ? { ...view, modelId: null } : view)),
    battles: battles.map((battle) => ({
      id: battle.id,
      userMessageId: battle.userMessageId,
      messageAId: battle.messageAId,
      messageBId: battle.messageBId,
      vote: battle.vote,
      // Names only once the user has voted: the arena is blind until then.
      revealed: battle.vote ? { A: battle.versionA.name, B: battle.versionB.name } : null,
    })),
  };
}
