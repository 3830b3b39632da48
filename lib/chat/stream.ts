import "server-only";
// One chat turn: store the user's message, build the cache-stable prompt, stream the reply from
// the model through the AI SDK, and always leave a saved result — complete, stopped (partial
// text kept) or failed (partial text and the reason kept). The web route and the CLI both
// consume the events this generator yields.
import { streamText } from "ai";
import type { Actor } from "@/lib/auth/permissions";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { requireDefaultModelConfig } from "@/lib/llm/config";
import { isContextLengthError, toUpstreamError } from "@/lib/llm/errors";
import { maxModelLen } from "@/lib/llm/model-info";
import { languageModelFor } from "@/lib/llm/provider";
import { buildPrompt, type HistoryMessage } from "./prompt-builder";
import {
  appendUserMessage,
  checkpointReply,
  conversationPersona,
  createReplyPlaceholder,
  finishReply,
  getMessage,
  type OwnConversation,
  pathTo,
  toViews,
} from "./queries";
import type { ChatMessageView, ChatStreamEvent } from "./schema";

export type ReplyRequest =
  | { kind: "send"; content: string; clientRequestId: string; parentId?: string | null }
  | { kind: "regenerate"; userMessageId: string }
  | { kind: "continue"; messageId: string };

const CHECKPOINT_MS = 3_000;

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

async function viewOf(conversationId: string, messageId: string): Promise<ChatMessageView> {
  const message = await getMessage(conversationId, messageId);
  const siblings = await db.message.findMany({
    where: { conversationId, parentId: message.parentId },
    select: {
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
    },
  });
  const view = toViews(siblings).find((candidate) => candidate.id === messageId);
  if (!view) throw new AppError("not_found:message");
  const { selectedChildId: _selected, ...rest } = view;
  return rest;
}

function history(path: { id: string; role: "USER" | "ASSISTANT"; content: string }[]): HistoryMessage[] {
  return path.map((message) => ({
    id: message.id,
    role: message.role === "USER" ? "user" : "assistant",
    content: message.content,
  }));
}

/** Resolve what to answer: the user message the reply hangs under, and the text to continue. */
async function prepare(actor: Actor, conversation: OwnConversation, request: ReplyRequest) {
  if (request.kind === "send") {
    const { message, duplicate } = await appendUserMessage(actor, conversation, request);
    if (duplicate) throw new AppError("conflict:duplicate_submit", "This message was already sent.");
    return { parentId: message.id, userMessageId: message.id, continueMessageId: null };
  }
  if (request.kind === "regenerate") {
    const user = await getMessage(conversation.id, request.userMessageId);
    if (user.role !== "USER") throw new AppError("bad_request:not_user_message", "Regenerate answers a user message.");
    // A failed attempt with no text is not worth keeping as a swipe.
    await db.message.deleteMany({
      where: { conversationId: conversation.id, parentId: user.id, status: "FAILED", content: "" },
    });
    return { parentId: user.id, userMessageId: null, continueMessageId: null };
  }
  const target = await getMessage(conversation.id, request.messageId);
  if (target.role !== "ASSISTANT" || target.status === "STREAMING" || target.status === "FAILED") {
    throw new AppError("bad_request:not_continuable", "Only a finished reply can be continued.");
  }
  return { parentId: target.parentId, userMessageId: null, continueMessageId: target.id };
}

export async function* generateReply(
  actor: Actor,
  conversation: OwnConversation,
  request: ReplyRequest,
  signal: AbortSignal,
): AsyncGenerator<ChatStreamEvent> {
  if (conversation.readOnly) {
    throw new AppError("forbidden:read_only", "This character was deleted; the chat is read-only.");
  }
  // Fail before storing anything when no model is connected.
  const config = requireDefaultModelConfig();
  const target = await prepare(actor, conversation, request);
  const userMessage = target.userMessageId ? await viewOf(conversation.id, target.userMessageId) : null;

  const endpoint = config.endpoint;
  const modelId = conversation.modelId;
  const sampling = conversation.sampling;
  const persona = await conversationPersona(actor, conversation);
  const anchorId = target.continueMessageId ?? target.parentId;
  if (!anchorId) throw new AppError("bad_request:nothing_to_answer", "There is nothing to answer yet.");
  const path = history(await pathTo(conversation.id, anchorId));
  const contextLength = await maxModelLen(endpoint, modelId);
  const mode = target.continueMessageId ? "continue" : "reply";
  const build = (shrink: number) =>
    buildPrompt({
      profile: conversation.profile,
      persona,
      history: path,
      budget: { maxModelLen: Math.floor(contextLength * shrink), maxOutputTokens: sampling.max_tokens },
      mode,
    });
  let prompt = build(1);
  const seed = Math.floor(Math.random() * 2 ** 31);

  const lineage = {
    characterVersionId: conversation.characterVersionId,
    modelId,
    sampling,
    seed,
    templateVersion: prompt.templateVersion,
    promptHash: prompt.promptHash,
  };
  let assistantId: string;
  let prefix = "";
  if (target.continueMessageId) {
    const original = await getMessage(conversation.id, target.continueMessageId);
    prefix = original.content;
    assistantId = original.id;
    await db.message.update({ where: { id: assistantId }, data: { status: "STREAMING", error: null } });
  } else {
    if (!target.parentId) throw new AppError("bad_request:nothing_to_answer");
    assistantId = (await createReplyPlaceholder(conversation.id, target.parentId, lineage)).id;
  }
  yield { type: "start", userMessage, assistantMessage: await viewOf(conversation.id, assistantId) };

  let text = "";
  let usage: { promptTokens?: number; completionTokens?: number; cachedTokens?: number; finishReason?: string } = {};
  let failure: AppError | null = null;
  let stopped = false;
  let lastCheckpoint = Date.now();
  const limits = timeouts();

  for (let attempt = 0; attempt < 2; attempt++) {
    const controller = new AbortController();
    let timer = setTimeout(() => controller.abort(new StreamTimeout("first-token")), limits.firstToken);
    const touch = () => {
      clearTimeout(timer);
      timer = setTimeout(() => controller.abort(new StreamTimeout("idle")), limits.idle);
    };
    const heartbeat = setInterval(() => {
      if (Date.now() - lastCheckpoint >= CHECKPOINT_MS) {
        lastCheckpoint = Date.now();
        void checkpointReply(assistantId, prefix + text).catch(() => {});
      }
    }, CHECKPOINT_MS);
    let retryWithLessContext = false;
    try {
      const result = streamText({
        model: languageModelFor(endpoint, modelId),
        system: prompt.system,
        messages: prompt.messages,
        temperature: sampling.temperature,
        topP: sampling.top_p,
        maxOutputTokens: sampling.max_tokens,
        seed,
        maxRetries: 0,
        abortSignal: AbortSignal.any([signal, controller.signal]),
        providerOptions: {
          vllm: {
            top_k: sampling.top_k,
            min_p: sampling.min_p,
            repetition_penalty: sampling.repetition_penalty,
            ...(mode === "continue" ? { continue_final_message: true, add_generation_prompt: false } : {}),
          },
        },
        onError: () => {},
      });
      for await (const part of result.fullStream) {
        if (part.type === "text-delta") {
          touch();
          text += part.text;
          yield { type: "delta", text: part.text };
        } else if (part.type === "finish") {
          usage = {
            promptTokens: part.totalUsage.inputTokens,
            completionTokens: part.totalUsage.outputTokens,
            cachedTokens: part.totalUsage.inputTokenDetails.cacheReadTokens,
            finishReason: part.finishReason,
          };
        } else if (part.type === "error") {
          throw part.error;
        } else if (part.type === "abort") {
          throw controller.signal.reason instanceof StreamTimeout
            ? controller.signal.reason
            : new DOMException("aborted", "AbortError");
        }
      }
    } catch (error) {
      if (signal.aborted && !(controller.signal.reason instanceof StreamTimeout)) {
        stopped = true;
      } else if (attempt === 0 && text === "" && isContextLengthError(error)) {
        // The estimate was too generous for this tokenizer: trim harder and try once more.
        prompt = build(0.75);
        retryWithLessContext = true;
      } else if (error instanceof StreamTimeout || controller.signal.reason instanceof StreamTimeout) {
        const timeout = error instanceof StreamTimeout ? error : (controller.signal.reason as StreamTimeout);
        failure = new AppError("upstream_timeout:model", timeout.message);
      } else {
        failure = toUpstreamError(error);
      }
    } finally {
      clearTimeout(timer);
      clearInterval(heartbeat);
    }
    if (!retryWithLessContext) break;
  }

  const saved = await finishReply(assistantId, {
    content: prefix + text,
    status: stopped ? "STOPPED" : failure ? "FAILED" : "COMPLETE",
    ...(failure ? { error: failure.message } : {}),
    ...usage,
    promptHash: prompt.promptHash,
    templateVersion: prompt.templateVersion,
  });
  await db.conversation.update({ where: { id: conversation.id }, data: { updatedAt: new Date() } });
  const view = await viewOf(conversation.id, saved.id);
  if (failure) yield { type: "error", message: view, error: { code: failure.code, message: failure.message } };
  else yield { type: "done", message: view };
}
