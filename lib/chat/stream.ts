import "server-only";
// One chat turn: store the user's message, build the cache-stable prompt, stream the reply from
// the model through the AI SDK, and always leave a saved result — complete, stopped (partial
// text kept) or failed (partial text and the reason kept). The web routes and the CLI consume
// the events this generator yields. Everything before the model call is two parallel reads and
// one write, plus the rate limit's count made beside the first read, because it all counts toward
// time-to-first-token.
import { randomUUID } from "node:crypto";
import { AppError } from "@/lib/errors";
import { recordTreePreferences } from "@/lib/feedback/record";
import { isContextLengthError, promptTokensOf, toUpstreamError } from "@/lib/llm/errors";
import { contextLengthFor, modelForTarget } from "@/lib/llm/provider";
import { streamChat } from "@/lib/llm/stream";
import { estimateTokens } from "@/lib/llm/tokens";
import { targetForConversation, targetForVersion } from "@/lib/models/routing";
import { buildPrompt, type HistoryMessage } from "./prompt-builder";
import {
  checkpointReply,
  deleteEmptyFailedReplies,
  finishReply,
  insertReply,
  insertUserTurn,
  loadTurnContext,
  type MessageRow,
  markStreaming,
  type ReplyResult,
  type SwipeRecord,
  type TurnContext,
  toViews,
} from "./queries";
import { countChatTurn } from "./rate-limit";
import type { ChatMessageView, ChatStreamEvent } from "./schema";
import { selectedPath } from "./tree";

export type ReplyRequest =
  | { kind: "send"; content: string; clientRequestId: string; parentId?: string | null }
  | { kind: "regenerate"; userMessageId: string }
  | { kind: "continue"; messageId: string };

const CHECKPOINT_MS = 3_000;
/** How often a reply's deadlines are checked: timeouts fire within this much of their limit. */
const WATCHDOG_MS = 250;

function timeouts() {
  return {
    firstToken: Number(process.env.CHAT_FIRST_TOKEN_TIMEOUT_MS) || 60_000,
    idle: Number(process.env.CHAT_IDLE_TIMEOUT_MS) || 30_000,
  };
}

class StreamTimeout extends Error {
  constructor(readonly phase: "first-token" | "idle") {
    super(phase === "first-token" ? "The model did not start answering in time." : "The model stopped sending text.");
    this.name = "StreamTimeout";
  }
}

type Row = TurnContext["messages"][number];

/** The path from the root to `messageId`, root first. */
function ancestry(rows: Map<string, Row>, messageId: string): Row[] {
  const path: Row[] = [];
  let current = rows.get(messageId);
  while (current && path.length <= rows.size) {
    path.unshift(current);
    current = current.parentId ? rows.get(current.parentId) : undefined;
  }
  return path;
}

/** The path as prompt history. Failed replies are left out: nobody chose them. */
function history(path: Row[]): HistoryMessage[] {
  return path
    .filter((message) => !(message.role === "ASSISTANT" && message.status === "FAILED"))
    .map((message) => ({
      id: message.id,
      role: message.role === "USER" ? "user" : "assistant",
      content: message.content,
    }));
}

function viewOf(rows: Iterable<MessageRow>, id: string, blind = false): ChatMessageView {
  const all = [...rows];
  const target = all.find((row) => row.id === id);
  if (!target) throw new AppError("not_found:message");
  const view = toViews(all.filter((row) => row.parentId === target.parentId)).find((candidate) => candidate.id === id);
  if (!view) throw new AppError("not_found:message");
  const { selectedChildId: _selected, ...rest } = view;
  return blind ? { ...rest, modelId: null } : rest;
}

function newRow(
  fields: Pick<MessageRow, "id" | "parentId" | "role" | "content" | "status"> & Partial<MessageRow>,
): Row {
  const now = new Date();
  return {
    selectedChildId: null,
    error: null,
    isGreeting: false,
    editedFromId: null,
    modelId: null,
    createdAt: now,
    updatedAt: now,
    clientRequestId: null,
    ...fields,
  };
}

/** Which earlier siblings a user passed over by continuing from `chosen` (a swipe choice). */
function swipeChoice(rows: Map<string, Row>, chosen: Row | undefined, userId: string): SwipeRecord | null {
  if (chosen?.role !== "ASSISTANT") return null;
  const shown = [...rows.values()].filter(
    (row) =>
      row.parentId === chosen.parentId &&
      row.id !== chosen.id &&
      row.role === "ASSISTANT" &&
      (row.status === "COMPLETE" || row.status === "STOPPED"),
  );
  if (shown.length === 0) return null;
  return {
    id: randomUUID(),
    userId,
    chosenId: chosen.id,
    parentId: chosen.parentId,
    shownIds: shown.map((row) => row.id),
  };
}

export type ReplyOptions = {
  /** Answer with this model version instead of the conversation's (the arena's two sides). */
  modelVersionId?: string;
  /** Told the new reply's id once its row exists. */
  onReplyCreated?: (messageId: string) => Promise<void>;
  /** False only for the operator's CLI: every other reply counts toward the user's chat rate limit. */
  rateLimited?: boolean;
};

export async function* generateReply(
  userId: string,
  conversationId: string,
  request: ReplyRequest,
  signal: AbortSignal,
  options: ReplyOptions = {},
): AsyncGenerator<ChatStreamEvent> {
  // Counted beside the first read (not before it), so the limit adds no wait to the first token.
  const [context] = await Promise.all([
    loadTurnContext(userId, conversationId),
    options.rateLimited === false ? undefined : countChatTurn(userId),
  ]);
  const { conversation, profile, sampling, persona } = context;
  if (conversation.readOnly) {
    throw new AppError("forbidden:read_only", "This character was deleted; the chat is read-only.");
  }
  if (conversation.mode === "ARENA" && !options.modelVersionId) {
    throw new AppError("bad_request:arena_chat", "This is an arena chat; its replies come in rounds of two.");
  }
  // Fails before anything is stored when no model is connected.
  const { target, modelVersionId } = options.modelVersionId
    ? { target: await targetForVersion(options.modelVersionId), modelVersionId: options.modelVersionId }
    : await targetForConversation(conversation);
  const rows = new Map(context.messages.map((row) => [row.id, row]));
  // Started now, awaited later; marked handled so an early return cannot leave a rejection loose.
  const contextLength = contextLengthFor(target);
  const languageModel = modelForTarget(target);
  contextLength.catch(() => {});
  languageModel.catch(() => {});

  // What is being answered, and the history the prompt is built from.
  let userRow: Row | null = null;
  let parentId: string;
  let continued: Row | null = null;
  if (request.kind === "send") {
    const duplicate = context.messages.find((row) => row.clientRequestId === request.clientRequestId);
    if (duplicate) throw new AppError("conflict:duplicate_submit", "This message was already sent.");
    let replyTo: string | null;
    if (request.parentId !== undefined) {
      replyTo = request.parentId;
      if (replyTo && !rows.has(replyTo)) throw new AppError("not_found:message", "That message does not exist.");
    } else {
      replyTo = selectedPath(context.messages, conversation.selectedRootId).at(-1)?.id ?? null;
    }
    userRow = newRow({
      id: randomUUID(),
      parentId: replyTo,
      role: "USER",
      content: request.content,
      status: "COMPLETE",
    });
    rows.set(userRow.id, userRow);
    parentId = userRow.id;
  } else if (request.kind === "regenerate") {
    const user = rows.get(request.userMessageId);
    if (user?.role !== "USER") throw new AppError("bad_request:not_user_message", "Regenerate answers a user message.");
    parentId = user.id;
  } else {
    const target = rows.get(request.messageId);
    if (target?.role !== "ASSISTANT" || target.status === "STREAMING" || target.status === "FAILED") {
      throw new AppError("bad_request:not_continuable", "Only a finished reply can be continued.");
    }
    if (!target.parentId) throw new AppError("bad_request:not_continuable", "A greeting cannot be continued.");
    continued = target;
    parentId = target.parentId;
  }
  const mode = continued ? "continue" : "reply";
  const path = history(ancestry(rows, continued?.id ?? parentId));
  const maxLen = await contextLength;
  /** `scale` corrects the token estimate (×) or `shrink` the budget, after the model server said no. */
  const build = ({ scale = 1, shrink = 1 } = {}) =>
    buildPrompt({
      profile,
      persona,
      history: path,
      budget: { maxModelLen: Math.floor(maxLen * shrink), maxOutputTokens: sampling.max_tokens },
      mode,
      ...(scale > 1 ? { countTokens: (text: string) => Math.ceil(estimateTokens(text) * scale) } : {}),
    });
  let prompt = build();
  const seed = Math.floor(Math.random() * 2 ** 31);
  const lineage = {
    characterVersionId: conversation.characterVersionId,
    modelId: target.modelId,
    modelVersionId,
    sampling,
    seed,
    templateVersion: prompt.templateVersion,
    promptHash: prompt.promptHash,
  };

  // Store the user's message before the model is asked anything.
  let replyRow: Row;
  let swipe: SwipeRecord | null = null;
  let prefix = "";
  if (continued) {
    await markStreaming(continued.id);
    replyRow = { ...continued, status: "STREAMING", error: null };
    prefix = continued.content;
  } else {
    replyRow = newRow({
      id: randomUUID(),
      parentId,
      role: "ASSISTANT",
      content: "",
      status: "STREAMING",
      modelId: target.modelId,
    });
    if (userRow) {
      const chosen = userRow.parentId ? rows.get(userRow.parentId) : undefined;
      swipe = swipeChoice(rows, chosen, userId);
      const stored = await insertUserTurn(
        conversation.id,
        {
          id: userRow.id,
          parentId: userRow.parentId,
          content: userRow.content,
          clientRequestId: (request as { clientRequestId: string }).clientRequestId,
        },
        { id: replyRow.id, parentId, lineage },
        swipe,
      );
      if (!stored) throw new AppError("conflict:duplicate_submit", "This message was already sent.");
    } else {
      await deleteEmptyFailedReplies(conversation.id, parentId);
      for (const row of rows.values()) {
        if (row.parentId === parentId && row.status === "FAILED" && row.content === "") rows.delete(row.id);
      }
      await insertReply(conversation.id, { id: replyRow.id, parentId, lineage });
    }
    await options.onReplyCreated?.(replyRow.id);
    rows.set(replyRow.id, replyRow);
  }
  yield {
    type: "start",
    userMessage: userRow ? viewOf(rows.values(), userRow.id) : null,
    assistantMessage: viewOf(rows.values(), replyRow.id, conversation.blind),
  };

  let text = "";
  let usage: Pick<ReplyResult, "promptTokens" | "completionTokens" | "cachedTokens" | "finishReason"> = {
    promptTokens: null,
    completionTokens: null,
    cachedTokens: null,
    finishReason: null,
  };
  let failure: AppError | null = null;
  let stopped = false;
  let lastCheckpoint = Date.now();
  const limits = timeouts();

  for (let attempt = 0; attempt < 2; attempt++) {
    const controller = new AbortController();
    const startedAt = Date.now();
    let lastTokenAt = 0;
    // One timer per reply checks both deadlines and writes checkpoints (a timer per token
    // would cost more than the token). Checkpoints keep the partial text safe and tell readers
    // this process is still alive.
    const watchdog = setInterval(() => {
      const now = Date.now();
      if (lastTokenAt === 0 && now - startedAt > limits.firstToken) controller.abort(new StreamTimeout("first-token"));
      else if (lastTokenAt > 0 && now - lastTokenAt > limits.idle) controller.abort(new StreamTimeout("idle"));
      if (now - lastCheckpoint >= CHECKPOINT_MS) {
        lastCheckpoint = now;
        void checkpointReply(replyRow.id, prefix + text).catch(() => {});
      }
    }, WATCHDOG_MS);
    let retryWithLessContext = false;
    try {
      const events = streamChat(await languageModel, {
        system: prompt.system,
        messages: prompt.messages,
        temperature: sampling.temperature,
        topP: sampling.top_p,
        maxOutputTokens: sampling.max_tokens,
        seed,
        abortSignal: AbortSignal.any([signal, controller.signal]),
        extraBody: {
          top_k: sampling.top_k,
          min_p: sampling.min_p,
          repetition_penalty: sampling.repetition_penalty,
          ...(mode === "continue" ? { continue_final_message: true, add_generation_prompt: false } : {}),
        },
      });
      for await (const event of events) {
        if (event.type === "text") {
          lastTokenAt = Date.now();
          text += event.text;
          yield { type: "delta", text: event.text };
        } else {
          usage = { ...event.usage, finishReason: event.finishReason };
        }
      }
    } catch (error) {
      const timeout =
        error instanceof StreamTimeout
          ? error
          : controller.signal.reason instanceof StreamTimeout
            ? controller.signal.reason
            : null;
      if (signal.aborted && !timeout) {
        stopped = true;
      } else if (attempt === 0 && text === "" && isContextLengthError(error)) {
        // The estimate was too generous for this tokenizer (code, JSON, many scripts other than
        // Latin count far more tokens): rebuild with it scaled to the server's own count, plus a
        // margin, or trimmed to three quarters when the server does not say, and try once more.
        // When even the message alone does not fit, that is the reply's failure (thrown from
        // here it would leave the reply streaming until the stale-stream sweep).
        const counted = promptTokensOf(error);
        const scale = counted ? (counted / prompt.stats.estimatedTokens) * 1.1 : 0;
        try {
          prompt = scale > 1 ? build({ scale }) : build({ shrink: 0.75 });
          retryWithLessContext = true;
        } catch (tooLong) {
          failure = tooLong instanceof AppError ? tooLong : toUpstreamError(error);
        }
      } else if (timeout) {
        failure = new AppError("upstream_timeout:model", timeout.message);
      } else {
        failure = toUpstreamError(error);
      }
    } finally {
      clearInterval(watchdog);
    }
    if (!retryWithLessContext) break;
  }

  const status = stopped ? "STOPPED" : failure ? "FAILED" : "COMPLETE";
  await finishReply(replyRow.id, {
    content: prefix + text,
    status,
    error: failure?.message ?? null,
    ...usage,
    promptHash: prompt.promptHash,
    templateVersion: prompt.templateVersion,
  });
  rows.set(replyRow.id, {
    ...replyRow,
    content: prefix + text,
    status,
    error: failure?.message ?? null,
    updatedAt: new Date(),
  });
  const view = viewOf(rows.values(), replyRow.id, conversation.blind);
  // Continuing from one of several replies is a preference; recorded off the reply's critical path.
  if (swipe) {
    const chosenId = swipe.chosenId;
    void recordTreePreferences(userId, conversation.id, chosenId).catch((error) =>
      console.error("[feedback] swipe not recorded", error),
    );
  }
  if (failure) yield { type: "error", message: view, error: { code: failure.code, message: failure.message } };
  else yield { type: "done", message: view };
}
