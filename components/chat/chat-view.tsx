"use client";

import { SendHorizontal, Square } from "lucide-react";
import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/components/ui/toast";
import type { MessageRatingView } from "@/lib/chat/queries";
import type { ChatMessageView, ChatStreamEvent } from "@/lib/chat/schema";
import { selectedPath } from "@/lib/chat/tree";
import { type BubbleActions, MessageBubble } from "./message-bubble";
import { preloadMarkdown } from "./message-text";
import { postChatStream } from "./stream-client";

export type ChatMessageState = ChatMessageView & { selectedChildId: string | null };
export type ChatState = {
  selectedRootId: string | null;
  messages: ChatMessageState[];
  ratings: Record<string, MessageRatingView>;
};

type Props = {
  conversationId: string;
  initial: ChatState;
  /** Server-rendered Markdown of the messages on screen when the page opened, by message id. */
  prerendered: Record<string, ReactNode>;
  characterName: string;
  userName: string;
  readOnly: boolean;
  modelConnected: boolean;
};

export function ChatView({
  conversationId,
  initial,
  prerendered,
  characterName,
  userName,
  readOnly,
  modelConnected,
}: Props) {
  const [state, setState] = useState<ChatState>(initial);
  const [openingText] = useState(() => new Map(initial.messages.map((message) => [message.id, message.content])));
  const [draft, setDraft] = useState("");
  const [busy, setBusy] = useState(false);
  const [pendingUserText, setPendingUserText] = useState<string | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const bottomRef = useRef<HTMLDivElement>(null);
  const pendingDelta = useRef<{ id: string; text: string } | null>(null);
  const frame = useRef<number | null>(null);
  const base = `/api/chat/${conversationId}`;

  const path = useMemo(() => selectedPath(state.messages, state.selectedRootId), [state]);

  const refresh = useCallback(async () => {
    const response = await fetch(base, { cache: "no-store" });
    if (response.ok) {
      const body = await response.json();
      setState({ selectedRootId: body.selectedRootId, messages: body.messages, ratings: body.ratings });
    }
  }, [base]);

  // Follow the conversation as it grows and as the last reply streams in.
  const lastLength = path.at(-1)?.content.length ?? 0;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the effect must re-run when the path or its last message grows
  useEffect(() => {
    bottomRef.current?.scrollIntoView({ block: "end" });
  }, [path.length, lastLength]);

  // Deltas are applied once per animation frame, so fast streams render smoothly.
  const flushDelta = useCallback(() => {
    frame.current = null;
    const pending = pendingDelta.current;
    if (!pending) return;
    pendingDelta.current = null;
    setState((current) => ({
      ...current,
      messages: current.messages.map((message) =>
        message.id === pending.id ? { ...message, content: message.content + pending.text } : message,
      ),
    }));
  }, []);

  const upsert = useCallback((view: ChatMessageView, selectedChildId: string | null = null) => {
    setState((current) => {
      const exists = current.messages.some((message) => message.id === view.id);
      const messages = exists
        ? current.messages.map((message) => (message.id === view.id ? { ...message, ...view } : message))
        : [...current.messages, { ...view, selectedChildId }];
      const parentId = view.parentId;
      return {
        ...current,
        selectedRootId: parentId ? current.selectedRootId : view.id,
        messages: messages.map((message) =>
          message.id === parentId ? { ...message, selectedChildId: view.id } : message,
        ),
      };
    });
  }, []);

  const apply = useCallback(
    (event: ChatStreamEvent, streamingId: { current: string | null }) => {
      if (event.type === "start") {
        setPendingUserText(null);
        setDraft("");
        if (event.userMessage) upsert(event.userMessage, event.assistantMessage.id);
        upsert(event.assistantMessage);
        streamingId.current = event.assistantMessage.id;
      } else if (event.type === "delta" && streamingId.current) {
        const pending = pendingDelta.current;
        pendingDelta.current = { id: streamingId.current, text: (pending?.text ?? "") + event.text };
        frame.current ??= requestAnimationFrame(flushDelta);
      } else if (event.type === "done" || event.type === "error") {
        if (frame.current !== null) cancelAnimationFrame(frame.current);
        flushDelta();
        if (event.message) upsert(event.message);
        if (event.type === "error")
          toast({ title: "The reply failed", description: event.error.message, variant: "error" });
      }
    },
    [flushDelta, upsert],
  );

  const stream = useCallback(
    async (url: string, body: unknown, optimisticUserText?: string) => {
      if (busy) return;
      setBusy(true);
      preloadMarkdown();
      if (optimisticUserText) setPendingUserText(optimisticUserText);
      const controller = new AbortController();
      abortRef.current = controller;
      const streamingId = { current: null as string | null };
      const outcome = await postChatStream(url, body, (event) => apply(event, streamingId), controller.signal);
      abortRef.current = null;
      setPendingUserText(null);
      if (!outcome.ok) {
        toast({ title: "Message not sent", description: outcome.message, variant: "error" });
      }
      if (controller.signal.aborted && streamingId.current) {
        // Stopped: the server saves the partial reply as it winds down; show it as stopped now
        // and read the saved state once it has.
        const stoppedId = streamingId.current;
        flushDelta();
        setState((current) => ({
          ...current,
          messages: current.messages.map((message) =>
            message.id === stoppedId ? { ...message, status: "stopped" } : message,
          ),
        }));
        setTimeout(() => void refresh(), 1000);
      } else {
        await refresh();
      }
      setBusy(false);
    },
    [apply, busy, flushDelta, refresh],
  );

  function send() {
    const content = draft.trim();
    if (!content || busy) return;
    // Reply to what is on screen: a swipe's switch may still be on its way to the server, and the
    // server's own idea of the end of the path would then hang this message under the other reply.
    const parentId = path.at(-1)?.id ?? null;
    void stream(`${base}/messages`, { content, clientRequestId: crypto.randomUUID(), parentId }, content);
  }

  // The chat up to the last reply on screen can be offered whole as training data.
  const lastShown = path.at(-1);
  const offerable =
    !readOnly && lastShown?.role === "assistant" && lastShown.status === "complete" && lastShown.parentId
      ? lastShown.id
      : null;

  async function offer(messageId: string) {
    const response = await fetch(`${base}/offer`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ messageId }),
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      toast({ title: "Not offered", description: body?.error?.message, variant: "error" });
      return;
    }
    toast({
      title: body?.offered ? "Offered for training" : "Already offered",
      description: "A reviewer reads it before it can become training data.",
      variant: "success",
    });
  }

  async function select(messageId: string) {
    const response = await fetch(`${base}/select`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ messageId }),
    });
    // The switch is already on screen; only a refusal needs the server's state back. (Refetching
    // after a success could land after a message sent meanwhile and hide it.)
    if (!response.ok) {
      toast({ title: "Could not switch replies", variant: "error" });
      await refresh();
    }
  }

  const actions: BubbleActions = {
    async onRate(message, change) {
      const response = await fetch(`${base}/rate`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ messageId: message.id, ...change }),
      });
      if (!response.ok) {
        const body = await response.json().catch(() => null);
        toast({ title: "Rating not saved", description: body?.error?.message, variant: "error" });
        return false;
      }
      const { rating } = await response.json();
      setState((current) => {
        const ratings = { ...current.ratings };
        if (rating.value === null) delete ratings[message.id];
        else ratings[message.id] = rating;
        return { ...current, ratings };
      });
      return true;
    },
    onSwipe(message, direction) {
      const target = message.siblings.ids[message.siblings.index - 1 + direction];
      if (target) {
        // Show the switch at once; the server confirms it.
        setState((current) => ({
          ...current,
          selectedRootId: message.parentId ? current.selectedRootId : target,
          messages: current.messages.map((m) => (m.id === message.parentId ? { ...m, selectedChildId: target } : m)),
        }));
        void select(target);
      } else if (direction === 1 && message.parentId && !message.isGreeting) {
        void stream(`${base}/regenerate`, { userMessageId: message.parentId });
      }
    },
    onEdit(message, content) {
      if (message.role === "user") {
        void stream(`${base}/edit`, { messageId: message.id, content, clientRequestId: crypto.randomUUID() });
        return;
      }
      void (async () => {
        const response = await fetch(`${base}/edit`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ messageId: message.id, content }),
        });
        if (!response.ok) toast({ title: "Edit not saved", variant: "error" });
        await refresh();
      })();
    },
    async onDelete(message) {
      const response = await fetch(`${base}/messages/${message.id}`, { method: "DELETE" });
      if (!response.ok) toast({ title: "Not deleted", variant: "error" });
      await refresh();
    },
    onRegenerate(message) {
      if (message.parentId) void stream(`${base}/regenerate`, { userMessageId: message.parentId });
    },
    onContinue(message) {
      void stream(`${base}/continue`, { messageId: message.id });
    },
    onRetry(message) {
      if (message.parentId) void stream(`${base}/regenerate`, { userMessageId: message.parentId });
    },
  };

  function onKeyDown(event: React.KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
      return;
    }
    // Arrow keys swipe the last reply while the composer is empty.
    if ((event.key === "ArrowLeft" || event.key === "ArrowRight") && draft === "" && !busy) {
      const last = path.at(-1);
      if (last?.role === "assistant") {
        event.preventDefault();
        actions.onSwipe(last, event.key === "ArrowLeft" ? -1 : 1);
      }
    }
  }

  const canSend = !readOnly && modelConnected;
  return (
    <div className="flex min-h-[calc(100dvh-10rem)] flex-col">
      <ol className="flex-1 space-y-4 pb-4" aria-live="polite" aria-label="Messages" data-testid="chat-messages">
        {path.map((message, index) => (
          <MessageBubble
            key={message.id}
            message={message}
            name={message.role === "user" ? userName : characterName}
            isLast={index === path.length - 1}
            busy={busy}
            readOnly={!canSend}
            rating={state.ratings[message.id] ?? null}
            prerendered={openingText.get(message.id) === message.content ? prerendered[message.id] : undefined}
            actions={actions}
          />
        ))}
        {pendingUserText ? (
          <li className="flex justify-end opacity-70" data-testid="pending-message">
            <div className="max-w-[min(42rem,92vw)] whitespace-pre-wrap rounded-2xl bg-primary px-4 py-2.5 text-primary-foreground">
              {pendingUserText}
            </div>
          </li>
        ) : null}
      </ol>
      {offerable ? (
        <div className="flex justify-end pb-2">
          <Button
            variant="ghost"
            size="sm"
            onClick={() => void offer(offerable)}
            disabled={busy}
            data-testid="offer-chat"
          >
            Offer this chat as training data
          </Button>
        </div>
      ) : null}
      <div ref={bottomRef} />
      {readOnly ? (
        <Alert
          variant="info"
          description="This character was deleted, so the chat is read-only."
          data-testid="chat-read-only"
        />
      ) : !modelConnected ? (
        <Alert variant="warning" description="No model is connected, so replies cannot be generated." />
      ) : (
        <form
          className="sticky bottom-0 flex items-end gap-2 border-t border-border bg-background/95 py-3 backdrop-blur"
          onSubmit={(event) => {
            event.preventDefault();
            send();
          }}
        >
          <Textarea
            aria-label="Message"
            placeholder={`Message ${characterName}… (Enter to send, Shift+Enter for a new line)`}
            value={draft}
            rows={2}
            maxLength={16000}
            onChange={(event) => setDraft(event.target.value)}
            onFocus={preloadMarkdown}
            onKeyDown={onKeyDown}
            className="max-h-48 min-h-12 resize-y"
            data-testid="composer"
          />
          {busy ? (
            <Button
              type="button"
              variant="secondary"
              size="icon"
              aria-label="Stop"
              onClick={() => abortRef.current?.abort()}
              data-testid="stop"
            >
              <Square aria-hidden className="size-4" />
            </Button>
          ) : (
            <Button type="submit" size="icon" aria-label="Send" disabled={!draft.trim()} data-testid="send">
              <SendHorizontal aria-hidden className="size-4" />
            </Button>
          )}
        </form>
      )}
    </div>
  );
}
