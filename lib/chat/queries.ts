import "server-only";
// Conversations and their message trees. A conversation is private to the user who started it
// (admins included: a chat is nobody else's business); every function here takes the actor.
import { randomUUID } from "node:crypto";
import type { z } from "zod";
import type { EndpointKind, ModelStatus, Prisma } from "@/generated/prisma/client";
import type { Actor } from "@/lib/auth/permissions";
import { canViewCharacter } from "@/lib/auth/permissions";
import { displayName, resolveMacros } from "@/lib/characters/prompt";
import { profileSchema } from "@/lib/characters/schema";
import { db, pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { type ChatRoute, routeForChoice, routeNewChat } from "@/lib/models/routing";
import type { ChatMessageView, conversationSettingsSchema, Sampling } from "./schema";
import { DEFAULT_SAMPLING, samplingSchema } from "./schema";

/** A STREAMING message not checkpointed for this long belongs to a process that died. */
export const STALE_STREAM_MS = 30_000;

/** The message columns every view of a conversation tree reads. */
export const messageFields = {
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

export type MessageRatingView = { value: number; reasons: string[]; comment: string | null };

export type ConversationState = {
  selectedRootId: string | null;
  /** The owner's ratings, by message id. */
  ratings: Record<string, MessageRatingView>;
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

/**
 * One of the actor's normal chats. Arena chats are read and changed only through the arena's own
 * routes, which keep a round's models hidden until the vote.
 */
export async function getOwnChat(actor: Actor, id: string) {
  const conversation = await getOwnConversation(actor, id);
  if (conversation.mode === "ARENA") {
    throw new AppError("bad_request:arena_chat", "This is an arena chat; open it from the arena.");
  }
  return conversation;
}

/** The conversation's tree; `blind` hides which model wrote each reply (A/B experiment chats). */
export async function loadState(
  conversationId: string,
  selectedRootId: string | null,
  options: { blind?: boolean } = {},
): Promise<ConversationState> {
  const [rows, ratings] = await Promise.all([
    db.message.findMany({ where: { conversationId }, select: messageFields, orderBy: { createdAt: "asc" } }),
    db.messageRating.findMany({
      where: { message: { conversationId }, user: { conversations: { some: { id: conversationId } } } },
      select: { messageId: true, value: true, reasons: true, comment: true },
    }),
  ]);
  return {
    selectedRootId,
    ratings: Object.fromEntries(ratings.map(({ messageId, ...rating }) => [messageId, rating])),
    messages: toViews(rows).map((view) => (options.blind ? { ...view, modelId: null } : view)),
  };
}

export type Persona = { name: string; description: string };

/**
 * Who {{user}} is in a conversation: the chat's own persona when it names one, else the user's
 * default. One rule for the chat page and the prompt, so both always agree.
 */
export function effectivePersona(
  conversation: { personaName: string | null; personaDescription: string | null },
  fallback: Persona,
): Persona {
  const name = conversation.personaName?.trim();
  return name ? { name, description: conversation.personaDescription ?? "" } : fallback;
}

export async function getPersona(actor: Actor): Promise<Persona> {
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
  return effectivePersona(conversation, await getPersona(actor));
}

/**
 * Start a chat with a character the user can see; the greeting and its alternates open it. The
 * model is routed once here (see lib/models/routing.ts) and stays with the chat.
 */
export async function startConversation(
  actor: Actor,
  characterId: string,
  options: { sampling?: Partial<Sampling>; mode?: "CHAT" | "ARENA" } = {},
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
  const conversationId = randomUUID();
  // An arena chat has no model of its own: each round draws two.
  const route: Pick<ChatRoute, "modelId" | "modelVersionId" | "experimentId" | "variant" | "samplingPreset"> =
    options.mode === "ARENA"
      ? { modelId: "arena", modelVersionId: null, experimentId: null, variant: null, samplingPreset: {} }
      : await routeNewChat(characterId, conversationId);
  // Read before the transaction, never inside it: a query on `db` there waits for a second
  // connection while holding one, and as many concurrent starts as the pool has connections
  // deadlock it until the pool's timeout (starting 200 chats at once failed that way).
  const persona = await getPersona(actor);
  return db.$transaction(async (tx) => {
    const conversation = await tx.conversation.create({
      data: {
        id: conversationId,
        userId: actor.id,
        characterId,
        characterVersionId: version.id,
        title: character.name,
        mode: options.mode ?? "CHAT",
        modelId: route.modelId,
        modelVersionId: route.modelVersionId,
        experimentId: route.experimentId,
        variant: route.variant,
        settings: samplingSchema.parse({ ...DEFAULT_SAMPLING, ...route.samplingPreset, ...options.sampling }),
      },
    });
    // Greetings are stored as the user saw them, with {{char}}/{{user}} resolved.
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

export type ReplyLineage = {
  characterVersionId: string;
  modelId: string;
  modelVersionId: string | null;
  sampling: Sampling;
  seed: number;
  templateVersion: string;
  promptHash: string;
};

/** Save the text so far; also proves the generating process is alive (see STALE_STREAM_MS). */
export async function checkpointReply(id: string, content: string): Promise<void> {
  await pool.query(`UPDATE "Message" SET content = $2, "updatedAt" = now() WHERE id = $1`, [id, content]);
}

export type ReplyResult = {
  content: string;
  status: "COMPLETE" | "STOPPED" | "FAILED";
  error: string | null;
  promptTokens: number | null;
  completionTokens: number | null;
  cachedTokens: number | null;
  finishReason: string | null;
  promptHash: string;
  templateVersion: string;
};

export async function finishReply(id: string, result: ReplyResult): Promise<void> {
  await pool.query(
    `UPDATE "Message" SET content = $2, status = $3, error = $4, "promptTokens" = $5, "completionTokens" = $6,
            "cachedTokens" = $7, "finishReason" = $8, "promptHash" = $9, "templateVersion" = $10, "updatedAt" = now()
      WHERE id = $1`,
    [
      id,
      result.content,
      result.status,
      result.error,
      result.promptTokens,
      result.completionTokens,
      result.cachedTokens,
      result.finishReason,
      result.promptHash,
      result.templateVersion,
    ],
  );
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
        modelVersionId: original.modelVersionId,
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
    route?: Pick<ChatRoute, "modelId" | "modelVersionId" | "experimentId" | "variant">;
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
      ...(patch.route
        ? {
            modelId: patch.route.modelId,
            modelVersionId: patch.route.modelVersionId,
            experimentId: patch.route.experimentId,
            variant: patch.route.variant,
          }
        : {}),
      ...(patch.sampling ? { settings: samplingSchema.parse({ ...current, ...patch.sampling }) } : {}),
      ...(patch.personaName !== undefined ? { personaName: patch.personaName } : {}),
      ...(patch.personaDescription !== undefined ? { personaDescription: patch.personaDescription } : {}),
    },
  });
}

/** Apply a settings patch from the chat's owner; a model choice is routed (see routeForChoice). */
export async function changeConversationSettings(
  conversation: Pick<OwnConversation, "id" | "characterId" | "sampling">,
  input: z.infer<typeof conversationSettingsSchema>,
) {
  const { modelVersionId, ...rest } = input;
  const route = modelVersionId ? await routeForChoice(conversation, modelVersionId) : undefined;
  return updateConversation(conversation.id, { ...rest, ...(route ? { route } : {}) }, conversation.sampling);
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
        mode: true,
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

// ── The chat turn's hot path ────────────────────────────────────────────────────────────────
// A turn reads its context in two parallel queries and writes the user's message and the reply
// placeholder in one statement, on the shared pool: every millisecond here is time to first token.

export type TurnContext = {
  conversation: {
    id: string;
    characterId: string;
    characterVersionId: string;
    modelId: string;
    modelVersionId: string | null;
    mode: string;
    /** In an A/B experiment: which model answers stays hidden from the user. */
    blind: boolean;
    /** The model version's endpoint and status (null: the environment's default model). */
    version: { kind: EndpointKind; baseUrl: string; apiKey: string | null; status: ModelStatus } | null;
    selectedRootId: string | null;
    readOnly: boolean;
  };
  profile: ReturnType<typeof profileSchema.parse>;
  sampling: Sampling;
  persona: { name: string; description: string };
  messages: (MessageRow & { clientRequestId: string | null })[];
};

type ContextRow = {
  id: string;
  characterId: string;
  characterVersionId: string;
  modelId: string;
  modelVersionId: string | null;
  mode: string;
  experimentId: string | null;
  versionStatus: ModelStatus | null;
  endpointKind: EndpointKind | null;
  endpointBaseUrl: string | null;
  endpointApiKey: string | null;
  settings: unknown;
  selectedRootId: string | null;
  personaName: string | null;
  personaDescription: string | null;
  profile: unknown;
  characterDeletedAt: Date | null;
  userName: string;
  defaultPersonaName: string | null;
  defaultPersonaDescription: string | null;
};

// Character versions never change, so a parsed profile can be kept: parsing a large profile on
// every turn showed up in profiles of busy chats.
const profileCache = new Map<string, ReturnType<typeof profileSchema.parse>>();
const PROFILE_CACHE_SIZE = 500;

function cachedProfile(versionId: string, raw: unknown) {
  let profile = profileCache.get(versionId);
  if (!profile) {
    profile = profileSchema.parse(raw);
    if (profileCache.size >= PROFILE_CACHE_SIZE) profileCache.delete(profileCache.keys().next().value ?? "");
    profileCache.set(versionId, profile);
  }
  return profile;
}

/** The conversation (only if `userId` owns it), its character version, persona and messages. */
export async function loadTurnContext(userId: string, conversationId: string): Promise<TurnContext> {
  const [context, messages] = await Promise.all([
    pool.query<ContextRow>(
      `SELECT c.id, c."characterId", c."characterVersionId", c."modelId", c."modelVersionId", c.mode, c."experimentId", c.settings,
              c."selectedRootId", c."personaName", c."personaDescription", v.profile,
              ch."deletedAt" AS "characterDeletedAt", u.name AS "userName", p.name AS "defaultPersonaName",
              p.description AS "defaultPersonaDescription", mv.status AS "versionStatus",
              e.kind AS "endpointKind", e."baseUrl" AS "endpointBaseUrl", e."apiKey" AS "endpointApiKey"
         FROM "Conversation" c
         JOIN "CharacterVersion" v ON v.id = c."characterVersionId"
         JOIN "Character" ch ON ch.id = c."characterId"
         JOIN "User" u ON u.id = c."userId"
         LEFT JOIN "UserPersona" p ON p."userId" = c."userId"
         LEFT JOIN "ModelVersion" mv ON mv.id = c."modelVersionId"
         LEFT JOIN "ModelEndpoint" e ON e.id = mv."endpointId"
        WHERE c.id = $1 AND c."userId" = $2 AND c."deletedAt" IS NULL`,
      [conversationId, userId],
    ),
    pool.query<TurnContext["messages"][number]>(
      `SELECT id, "parentId", "selectedChildId", role, content, status, error, "isGreeting", "editedFromId",
              "modelId", "createdAt", "updatedAt", "clientRequestId"
         FROM "Message" WHERE "conversationId" = $1`,
      [conversationId],
    ),
  ]);
  const row = context.rows[0];
  if (!row) throw new AppError("not_found:conversation", "That conversation does not exist.");
  return {
    conversation: {
      id: row.id,
      characterId: row.characterId,
      characterVersionId: row.characterVersionId,
      modelId: row.modelId,
      modelVersionId: row.modelVersionId,
      mode: row.mode,
      blind: row.experimentId !== null,
      version:
        row.versionStatus && row.endpointKind && row.endpointBaseUrl
          ? {
              kind: row.endpointKind,
              baseUrl: row.endpointBaseUrl,
              apiKey: row.endpointApiKey,
              status: row.versionStatus,
            }
          : null,
      selectedRootId: row.selectedRootId,
      readOnly: row.characterDeletedAt !== null,
    },
    profile: cachedProfile(row.characterVersionId, row.profile),
    sampling: samplingSchema.parse(row.settings ?? {}),
    persona: effectivePersona(row, {
      name: row.defaultPersonaName ?? row.userName,
      description: row.defaultPersonaDescription ?? "",
    }),
    messages: messages.rows,
  };
}

export type NewUserMessage = { id: string; parentId: string | null; content: string; clientRequestId: string };
export type NewReply = { id: string; parentId: string; lineage: ReplyLineage };
export type SwipeRecord = { id: string; userId: string; chosenId: string; parentId: string | null; shownIds: string[] };

/**
 * Store the user's message and the reply placeholder, select them, and record a swipe choice, in
 * one statement. Returns false when the clientRequestId was already used (nothing is written).
 */
export async function insertUserTurn(
  conversationId: string,
  user: NewUserMessage,
  reply: NewReply,
  swipe: SwipeRecord | null,
): Promise<boolean> {
  const { lineage } = reply;
  const result = await pool.query<{ inserted: string }>(
    `WITH u AS (
       INSERT INTO "Message" (id, "conversationId", "parentId", "selectedChildId", role, content, status, "clientRequestId", "updatedAt")
       VALUES ($1, $2, $3, $4, 'USER', $5, 'COMPLETE', $6, now())
       ON CONFLICT ("conversationId", "clientRequestId") DO NOTHING
       RETURNING id
     ), r AS (
       INSERT INTO "Message" (id, "conversationId", "parentId", role, content, status, "characterVersionId", "modelId",
                              "modelVersionId", sampling, seed, "templateVersion", "promptHash", "updatedAt")
       SELECT $4, $2, u.id, 'ASSISTANT', '', 'STREAMING', $7, $8, $18, $9::jsonb, $10, $11, $12, now() FROM u
       RETURNING id
     ), parent AS (
       UPDATE "Message" SET "selectedChildId" = $1, "updatedAt" = now() WHERE id = $3 AND EXISTS (SELECT 1 FROM u) RETURNING id
     ), conversation AS (
       UPDATE "Conversation" SET "updatedAt" = now(),
              "selectedRootId" = CASE WHEN $3::text IS NULL THEN $1 ELSE "selectedRootId" END
        WHERE id = $2 AND EXISTS (SELECT 1 FROM u) RETURNING id
     ), swipe AS (
       INSERT INTO "SwipeChoice" (id, "conversationId", "userId", "parentId", "chosenId", "shownIds")
       SELECT $13, $2, $14, $15, $16, $17::text[] FROM u WHERE $13::text IS NOT NULL
       ON CONFLICT ("conversationId", "chosenId") DO UPDATE SET "shownIds" = EXCLUDED."shownIds"
       RETURNING id
     )
     -- Data-modifying CTEs always run to completion, read or not.
     SELECT count(*) AS inserted FROM u`,
    [
      user.id,
      conversationId,
      user.parentId,
      reply.id,
      user.content,
      user.clientRequestId,
      lineage.characterVersionId,
      lineage.modelId,
      JSON.stringify(lineage.sampling),
      lineage.seed,
      lineage.templateVersion,
      lineage.promptHash,
      swipe?.id ?? null,
      swipe?.userId ?? null,
      swipe?.parentId ?? null,
      swipe?.chosenId ?? null,
      swipe?.shownIds ?? null,
      lineage.modelVersionId,
    ],
  );
  return Number(result.rows[0]?.inserted ?? 0) > 0;
}

/** A new reply (regenerate) under an existing user message, selected as its continuation. */
export async function insertReply(conversationId: string, reply: NewReply): Promise<void> {
  const { lineage } = reply;
  await pool.query(
    `WITH r AS (
       INSERT INTO "Message" (id, "conversationId", "parentId", role, content, status, "characterVersionId", "modelId",
                              "modelVersionId", sampling, seed, "templateVersion", "promptHash", "updatedAt")
       VALUES ($1, $2, $3, 'ASSISTANT', '', 'STREAMING', $4, $5, $10, $6::jsonb, $7, $8, $9, now())
       RETURNING id
     ), parent AS (
       UPDATE "Message" SET "selectedChildId" = $1, "updatedAt" = now() WHERE id = $3 RETURNING id
     )
     UPDATE "Conversation" SET "updatedAt" = now() WHERE id = $2`,
    [
      reply.id,
      conversationId,
      reply.parentId,
      lineage.characterVersionId,
      lineage.modelId,
      JSON.stringify(lineage.sampling),
      lineage.seed,
      lineage.templateVersion,
      lineage.promptHash,
      lineage.modelVersionId,
    ],
  );
}

export async function markStreaming(messageId: string): Promise<void> {
  await pool.query(`UPDATE "Message" SET status = 'STREAMING', error = NULL, "updatedAt" = now() WHERE id = $1`, [
    messageId,
  ]);
}

/** Failed replies with no text are not worth keeping as a swipe when the user retries. */
export async function deleteEmptyFailedReplies(conversationId: string, parentId: string): Promise<void> {
  await pool.query(
    `DELETE FROM "Message" WHERE "conversationId" = $1 AND "parentId" = $2 AND status = 'FAILED' AND content = ''`,
    [conversationId, parentId],
  );
}
