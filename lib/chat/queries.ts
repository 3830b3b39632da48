import "server-only";
// Conversations and their message trees. A conversation is private to the user who started it
// (admins included: a chat is nobody else's business); every function here takes the actor.
import type { Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/lib/auth/permissions";
import { canViewCharacter } from "@/lib/auth/permissions";
import { displayName, resolveMacros } from "@/lib/characters/prompt";
import { profileSchema } from "@/lib/characters/schema";
import { db, isUniqueViolation } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { ChatMessageView, Sampling } from "./schema";
import { DEFAULT_SAMPLING, samplingSchema } from "./schema";
import { selectedPath } from "./tree";

/** A STREAMING message not checkpointed for this long belongs to a process that died. */
export const STALE_STREAM_MS = 30_000;

const messageFields = {
  id: true,
  parentId: true,
  selectedChildId: true,
  role: true,
  content: true,
  status: true,
  error: true,
  isGreeting: true,
  editedFromId: true,
  modelId: true,
  createdAt: true,
  updatedAt: true,
} satisfies Prisma.MessageSelect;

export type MessageRow = Prisma.MessageGetPayload<{ select: typeof messageFields }>;

export type ConversationState = {
  selectedRootId: string | null;
  messages: (ChatMessageView & { selectedChildId: string | null })[];
};

function statusOf(row: MessageRow, now: number): ChatMessageView["status"] {
  if (row.status === "STREAMING") return now - row.updatedAt.getTime() > STALE_STREAM_MS ? "interrupted" : "streaming";
  return row.status.toLowerCase() as ChatMessageView["status"];
}

/** Turn rows into views with sibling positions (siblings ordered by creation). */
export function toViews(rows: MessageRow[]): ConversationState["messages"] {
  const byParent = new Map<string | null, MessageRow[]>();
  for (const row of rows) {
    const list = byParent.get(row.parentId) ?? [];
    list.push(row);
    byParent.set(row.parentId, list);
  }
  for (const list of byParent.values())
    list.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.id.localeCompare(b.id));
  const now = Date.now();
  return rows.map((row) => {
    const siblings = byParent.get(row.parentId) ?? [row];
    return {
      id: row.id,
      parentId: row.parentId,
      selectedChildId: row.selectedChildId,
      role: row.role === "USER" ? "user" : "assistant",
      content: row.content,
      status: statusOf(row, now),
      error: row.error,
      isGreeting: row.isGreeting,
      editedFromId: row.editedFromId,
      modelId: row.modelId,
      createdAt: row.createdAt.toISOString(),
      siblings: {
        index: siblings.indexOf(row) + 1,
        count: siblings.length,
        ids: siblings.map((sibling) => sibling.id),
      },
    };
  });
}

export async function getOwnConversation(actor: Actor, id: string) {
  const conversation = await db.conversation.findUnique({
    where: { id },
    include: {
      character: { select: { id: true, name: true, avatarId: true, ownerId: true, visibility: true, deletedAt: true } },
      characterVersion: { select: { id: true, number: true, profile: true } },
    },
  });
  if (!conversation || conversation.userId !== actor.id || conversation.deletedAt) {
    throw new AppError("not_found:conversation", "That conversation does not exist.");
  }
  return {
    ...conversation,
    profile: profileSchema.parse(conversation.characterVersion.profile),
    sampling: samplingSchema.parse(conversation.settings ?? {}),
    readOnly: conversation.character.deletedAt !== null,
  };
}

export type OwnConversation = Awaited<ReturnType<typeof getOwnConversation>>;

export async function loadState(conversationId: string, selectedRootId: string | null): Promise<ConversationState> {
  const rows = await db.message.findMany({
    where: { conversationId },
    select: messageFields,
    orderBy: { createdAt: "asc" },
  });
  return { selectedRootId, messages: toViews(rows) };
}

export async function getPersona(actor: Actor & { name?: string }): Promise<{ name: string; description: string }> {
  const persona = await db.userPersona.findUnique({ where: { userId: actor.id } });
  if (persona) return { name: persona.name, description: persona.description };
  const user = await db.user.findUnique({ where: { id: actor.id }, select: { name: true } });
  return { name: user?.name ?? "User", description: "" };
}

export async function savePersona(actor: Actor, persona: { name: string; description: string }) {
  return db.userPersona.upsert({
    where: { userId: actor.id },
    create: { userId: actor.id, ...persona },
    update: persona,
  });
}

/** The persona a conversation uses: its own override, else the user's default. */
export async function conversationPersona(
  actor: Actor,
  conversation: { personaName: string | null; personaDescription: string | null },
) {
  const fallback = await getPersona(actor);
  return {
    name: conversation.personaName?.trim() || fallback.name,
    description: conversation.personaDescription ?? fallback.description,
  };
}

/** Start a chat with a character the user can see; the greeting and its alternates open it. */
export async function startConversation(
  actor: Actor,
  characterId: string,
  modelId: string,
  sampling: Sampling = DEFAULT_SAMPLING,
) {
  const character = await db.character.findUnique({
    where: { id: characterId },
    select: { id: true, name: true, ownerId: true, visibility: true, deletedAt: true, currentVersion: true },
  });
  if (!character?.currentVersion || !canViewCharacter(actor, character)) {
    throw new AppError("not_found:character", "That character does not exist or is not shared with you.");
  }
  if (character.deletedAt)
    throw new AppError("forbidden:character", "This character was deleted; start a chat with another one.");
  const profile = profileSchema.parse(character.currentVersion.profile);
  const version = character.currentVersion;
  return db.$transaction(async (tx) => {
    const conversation = await tx.conversation.create({
      data: {
        userId: actor.id,
        characterId,
        characterVersionId: version.id,
        title: character.name,
        modelId,
        settings: sampling,
      },
    });
    // Greetings are stored as the user saw them, with {{char}}/{{user}} resolved.
    const persona = await getPersona(actor);
    const greetings = [profile.greeting, ...profile.alternateGreetings]
      .filter((text) => text.trim())
      .map((text) => resolveMacros(text, displayName(profile), persona.name));
    let firstId: string | null = null;
    for (const [index, content] of greetings.entries()) {
      const message = await tx.message.create({
        data: {
          conversationId: conversation.id,
          role: "ASSISTANT",
          content,
          isGreeting: true,
          characterVersionId: version.id,
          // Distinct timestamps keep sibling order stable.
          createdAt: new Date(Date.now() + index),
        },
      });
      firstId ??= message.id;
    }
    if (firstId) await tx.conversation.update({ where: { id: conversation.id }, data: { selectedRootId: firstId } });
    return { id: conversation.id };
  });
}

async function setSelected(
  tx: Prisma.TransactionClient,
  conversationId: string,
  parentId: string | null,
  childId: string,
) {
  if (parentId) await tx.message.update({ where: { id: parentId }, data: { selectedChildId: childId } });
  else await tx.conversation.update({ where: { id: conversationId }, data: { selectedRootId: childId } });
}

async function leafOfSelectedPath(tx: Prisma.TransactionClient, conversationId: string, selectedRootId: string | null) {
  const rows = await tx.message.findMany({
    where: { conversationId },
    select: { id: true, parentId: true, selectedChildId: true, role: true, status: true },
  });
  return selectedPath(rows, selectedRootId).at(-1) ?? null;
}

/** Record a swipe choice: continuing from a reply that has siblings prefers it over them. */
async function recordSwipeChoice(
  tx: Prisma.TransactionClient,
  conversationId: string,
  userId: string,
  chosenId: string,
) {
  const chosen = await tx.message.findUniqueOrThrow({
    where: { id: chosenId },
    select: { parentId: true, role: true },
  });
  if (chosen.role !== "ASSISTANT") return;
  const siblings = await tx.message.findMany({
    where: {
      conversationId,
      parentId: chosen.parentId,
      role: "ASSISTANT",
      id: { not: chosenId },
      status: { in: ["COMPLETE", "STOPPED"] },
    },
    select: { id: true },
  });
  if (siblings.length === 0) return;
  await tx.swipeChoice.upsert({
    where: { conversationId_chosenId: { conversationId, chosenId } },
    create: { conversationId, userId, parentId: chosen.parentId, chosenId, shownIds: siblings.map((s) => s.id) },
    update: { shownIds: siblings.map((s) => s.id) },
  });
}

/**
 * Store the user's message before anything is asked of the model. A repeated clientRequestId
 * returns the stored message instead of a second one.
 */
export async function appendUserMessage(
  actor: Actor,
  conversation: OwnConversation,
  input: { content: string; clientRequestId: string; parentId?: string | null },
): Promise<{ message: { id: string; parentId: string | null }; duplicate: boolean }> {
  const existing = await db.message.findUnique({
    where: {
      conversationId_clientRequestId: { conversationId: conversation.id, clientRequestId: input.clientRequestId },
    },
    select: { id: true, parentId: true },
  });
  if (existing) return { message: existing, duplicate: true };
  try {
    return await db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT id FROM "Conversation" WHERE id = ${conversation.id} FOR UPDATE`;
      let parentId: string | null;
      if (input.parentId !== undefined) {
        parentId = input.parentId;
        if (parentId) {
          const parent = await tx.message.findFirst({
            where: { id: parentId, conversationId: conversation.id },
            select: { id: true },
          });
          if (!parent) throw new AppError("not_found:message", "That message does not exist.");
        }
      } else {
        const fresh = await tx.conversation.findUniqueOrThrow({
          where: { id: conversation.id },
          select: { selectedRootId: true },
        });
        parentId = (await leafOfSelectedPath(tx, conversation.id, fresh.selectedRootId))?.id ?? null;
      }
      const message = await tx.message.create({
        data: {
          conversationId: conversation.id,
          parentId,
          role: "USER",
          content: input.content,
          clientRequestId: input.clientRequestId,
        },
        select: { id: true, parentId: true },
      });
      await setSelected(tx, conversation.id, parentId, message.id);
      if (parentId) await recordSwipeChoice(tx, conversation.id, actor.id, parentId);
      await tx.conversation.update({ where: { id: conversation.id }, data: { updatedAt: new Date() } });
      return { message, duplicate: false };
    });
  } catch (error) {
    // Two submits with one id raced past the lookup: the unique index kept one.
    if (isUniqueViolation(error)) {
      const stored = await db.message.findUniqueOrThrow({
        where: {
          conversationId_clientRequestId: { conversationId: conversation.id, clientRequestId: input.clientRequestId },
        },
        select: { id: true, parentId: true },
      });
      return { message: stored, duplicate: true };
    }
    throw error;
  }
}

export type ReplyLineage = {
  characterVersionId: string;
  modelId: string;
  sampling: Sampling;
  seed: number;
  templateVersion: string;
  promptHash: string;
};

/** The assistant message a reply streams into, selected as the parent's continuation. */
export async function createReplyPlaceholder(conversationId: string, parentId: string, lineage: ReplyLineage) {
  return db.$transaction(async (tx) => {
    const message = await tx.message.create({
      data: { conversationId, parentId, role: "ASSISTANT", content: "", status: "STREAMING", ...lineage },
      select: messageFields,
    });
    await setSelected(tx, conversationId, parentId, message.id);
    return message;
  });
}

export async function checkpointReply(id: string, content: string): Promise<void> {
  await db.message.update({ where: { id }, data: { content } });
}

export async function finishReply(
  id: string,
  result: {
    content: string;
    status: "COMPLETE" | "STOPPED" | "FAILED";
    error?: string;
    promptTokens?: number;
    completionTokens?: number;
    cachedTokens?: number;
    finishReason?: string;
    promptHash?: string;
    templateVersion?: string;
  },
) {
  return db.message.update({ where: { id }, data: { ...result, error: result.error ?? null }, select: messageFields });
}

export async function getMessage(conversationId: string, messageId: string) {
  const message = await db.message.findFirst({
    where: { id: messageId, conversationId },
    select: {
      ...messageFields,
      characterVersionId: true,
      sampling: true,
      seed: true,
      templateVersion: true,
      promptHash: true,
    },
  });
  if (!message) throw new AppError("not_found:message", "That message does not exist.");
  return message;
}

/** The selected path ending at `messageId` (its ancestors, root first). */
export async function pathTo(conversationId: string, messageId: string) {
  const rows = await db.message.findMany({
    where: { conversationId },
    select: { id: true, parentId: true, role: true, content: true, status: true },
  });
  const byId = new Map(rows.map((row) => [row.id, row]));
  const path = [];
  let current = byId.get(messageId);
  while (current) {
    path.unshift(current);
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  return path;
}

/** Swipe or switch branch: make this message the selected one among its siblings. */
export async function selectMessage(conversationId: string, messageId: string): Promise<void> {
  const message = await getMessage(conversationId, messageId);
  await db.$transaction((tx) => setSelected(tx, conversationId, message.parentId, messageId));
}

/** An edited assistant reply becomes a new sibling; the original is kept for lineage. */
export async function editAssistantMessage(conversationId: string, messageId: string, content: string) {
  const original = await db.message.findFirst({ where: { id: messageId, conversationId, role: "ASSISTANT" } });
  if (!original) throw new AppError("not_found:message", "That reply does not exist.");
  return db.$transaction(async (tx) => {
    const edited = await tx.message.create({
      data: {
        conversationId,
        parentId: original.parentId,
        role: "ASSISTANT",
        content,
        status: "COMPLETE",
        isGreeting: original.isGreeting,
        editedFromId: original.id,
        characterVersionId: original.characterVersionId,
        modelId: original.modelId,
        sampling: original.sampling ?? undefined,
        seed: original.seed,
        templateVersion: original.templateVersion,
        promptHash: original.promptHash,
      },
      select: { id: true },
    });
    await setSelected(tx, conversationId, original.parentId, edited.id);
    return edited;
  });
}

/** Delete a message and everything after it; the parent then continues with another sibling. */
export async function deleteFrom(conversationId: string, messageId: string): Promise<void> {
  const message = await getMessage(conversationId, messageId);
  await db.$transaction(async (tx) => {
    await tx.message.delete({ where: { id: messageId } });
    const next = await tx.message.findFirst({
      where: { conversationId, parentId: message.parentId },
      orderBy: { createdAt: "desc" },
      select: { id: true },
    });
    if (message.parentId)
      await tx.message.update({ where: { id: message.parentId }, data: { selectedChildId: next?.id ?? null } });
    else await tx.conversation.update({ where: { id: conversationId }, data: { selectedRootId: next?.id ?? null } });
  });
}

export async function updateConversation(
  conversationId: string,
  patch: {
    title?: string;
    modelId?: string;
    sampling?: Partial<Sampling>;
    personaName?: string | null;
    personaDescription?: string | null;
  },
  current: Sampling,
) {
  return db.conversation.update({
    where: { id: conversationId },
    data: {
      ...(patch.title ? { title: patch.title } : {}),
      ...(patch.modelId ? { modelId: patch.modelId } : {}),
      ...(patch.sampling ? { settings: samplingSchema.parse({ ...current, ...patch.sampling }) } : {}),
      ...(patch.personaName !== undefined ? { personaName: patch.personaName } : {}),
      ...(patch.personaDescription !== undefined ? { personaDescription: patch.personaDescription } : {}),
    },
  });
}

export async function deleteConversation(conversationId: string): Promise<void> {
  await db.conversation.update({ where: { id: conversationId }, data: { deletedAt: new Date() } });
}

export async function listConversations(actor: Actor, options: { search?: string; page: number; pageSize: number }) {
  const term = options.search?.trim();
  const where: Prisma.ConversationWhereInput = {
    userId: actor.id,
    deletedAt: null,
    ...(term
      ? {
          OR: [
            { title: { contains: term, mode: "insensitive" } },
            { character: { name: { contains: term, mode: "insensitive" } } },
          ],
        }
      : {}),
  };
  const [items, total] = await Promise.all([
    db.conversation.findMany({
      where,
      orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
      skip: (options.page - 1) * options.pageSize,
      take: options.pageSize,
      select: {
        id: true,
        title: true,
        updatedAt: true,
        modelId: true,
        character: { select: { id: true, name: true, avatarId: true, deletedAt: true } },
        _count: { select: { messages: true } },
      },
    }),
    db.conversation.count({ where }),
  ]);
  return { items, total, page: options.page, pages: Math.max(1, Math.ceil(total / options.pageSize)) };
}

/** Mark replies whose generating process died (no checkpoint for a while) as failed. */
export async function failStaleStreams(now: Date = new Date()): Promise<number> {
  const { count } = await db.message.updateMany({
    where: { status: "STREAMING", updatedAt: { lt: new Date(now.getTime() - STALE_STREAM_MS) } },
    data: { status: "FAILED", error: "The server stopped while this reply was being written." },
  });
  return count;
}
