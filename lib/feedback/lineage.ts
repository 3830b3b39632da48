import "server-only";
// The exact context a reply answered: rebuilt from the conversation tree with the character
// version, persona and template the reply used, and checked against the hash stored with it.
import { profileSchema } from "@/lib/characters/schema";
import { buildPrompt, type HistoryMessage } from "@/lib/chat/prompt-builder";
import { effectivePersona, getPersona } from "@/lib/chat/queries";
import { samplingSchema } from "@/lib/chat/schema";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { FALLBACK_CONTEXT_TOKENS } from "@/lib/llm/model-info";
import { contextLengthFor, defaultModelTarget, type ModelTarget } from "@/lib/llm/provider";
import { targetOf } from "@/lib/models/routing";

export type PromptTurn = { role: "system" | "user" | "assistant"; content: string };

export type ReplyLineage = {
  conversationId: string;
  messageId: string;
  characterId: string;
  characterVersionId: string | null;
  modelId: string | null;
  modelVersionId: string | null;
  sampling: unknown;
  seed: number | null;
  templateVersion: string | null;
  promptHash: string | null;
  /** Whether the rebuilt prompt hashes to what the model was sent. */
  promptExact: boolean;
  prompt: PromptTurn[];
};

async function targetFor(modelVersionId: string | null, modelId: string): Promise<ModelTarget | null> {
  if (modelVersionId) {
    const version = await db.modelVersion.findUnique({ where: { id: modelVersionId }, include: { endpoint: true } });
    if (version) return targetOf(version.endpoint, modelId);
  }
  return defaultModelTarget().catch(() => null);
}

export type TreeRow = {
  id: string;
  parentId: string | null;
  role: "USER" | "ASSISTANT";
  content: string;
  status: string;
};

/** The lineage of `messageId` (an assistant reply) given its conversation's messages. */
export async function replyLineage(conversationId: string, messageId: string, rows: TreeRow[]): Promise<ReplyLineage> {
  const [conversation, message] = await Promise.all([
    db.conversation.findUniqueOrThrow({ where: { id: conversationId } }),
    db.message.findUnique({ where: { id: messageId } }),
  ]);
  if (!message || message.conversationId !== conversationId || message.role !== "ASSISTANT") {
    throw new AppError("not_found:message", "That reply does not exist.");
  }
  const byId = new Map(rows.map((row) => [row.id, row]));
  const history: HistoryMessage[] = [];
  for (let current = message.parentId ? byId.get(message.parentId) : undefined; current; ) {
    if (!(current.role === "ASSISTANT" && current.status === "FAILED")) {
      history.unshift({
        id: current.id,
        role: current.role === "USER" ? "user" : "assistant",
        content: current.content,
      });
    }
    current = current.parentId ? byId.get(current.parentId) : undefined;
  }
  const versionId = message.characterVersionId ?? conversation.characterVersionId;
  const version = await db.characterVersion.findUniqueOrThrow({ where: { id: versionId } });
  const persona = effectivePersona(conversation, await getPersona({ id: conversation.userId, role: "USER" }));
  const sampling = samplingSchema.parse(message.sampling ?? conversation.settings ?? {});
  const target = message.modelId ? await targetFor(message.modelVersionId, message.modelId) : null;
  const maxModelLen = target
    ? await contextLengthFor(target).catch(() => FALLBACK_CONTEXT_TOKENS)
    : FALLBACK_CONTEXT_TOKENS;
  const built = buildPrompt({
    profile: profileSchema.parse(version.profile),
    persona,
    history,
    budget: { maxModelLen, maxOutputTokens: sampling.max_tokens },
  });
  return {
    conversationId,
    messageId,
    characterId: conversation.characterId,
    characterVersionId: versionId,
    modelId: message.modelId,
    modelVersionId: message.modelVersionId,
    sampling: message.sampling,
    seed: message.seed,
    templateVersion: message.templateVersion ?? built.templateVersion,
    promptHash: message.promptHash,
    promptExact: message.promptHash === built.promptHash,
    prompt: [{ role: "system", content: built.system }, ...built.messages],
  };
}

/** The conversation's messages as the lineage rebuild needs them. */
export function conversationTree(conversationId: string) {
  return db.message.findMany({
    where: { conversationId },
    select: {
      id: true,
      parentId: true,
      role: true,
      content: true,
      status: true,
      isGreeting: true,
      editedFromId: true,
      createdAt: true,
    },
    orderBy: { createdAt: "asc" },
  });
}
