"use client";

import { ChevronLeft, ChevronRight, Copy, FastForward, Pencil, RefreshCw, Trash2 } from "lucide-react";
import { type ReactNode, useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/components/ui/toast";
import type { MessageRatingView } from "@/lib/chat/queries";
import type { ChatMessageView } from "@/lib/chat/schema";
import { MessageText } from "./message-text";
import { type RatingChange, RatingControl } from "./rating-control";

export type BubbleActions = {
  onRate: (message: ChatMessageView, change: RatingChange) => Promise<boolean>;
  onSwipe: (message: ChatMessageView, direction: -1 | 1) => void;
  onEdit: (message: ChatMessageView, content: string) => void;
  onDelete: (message: ChatMessageView) => Promise<void>;
  onRegenerate: (message: ChatMessageView) => void;
  onContinue: (message: ChatMessageView) => void;
  onRetry: (message: ChatMessageView) => void;
};

const STATUS_NOTE: Partial<Record<ChatMessageView["status"], string>> = {
  stopped: "Stopped",
  interrupted: "Interrupted — the server stopped while writing this reply",
};

export function MessageBubble({
  message,
  name,
  isLast,
  busy,
  readOnly,
  rating,
  prerendered,
  actions,
}: {
  message: ChatMessageView;
  /** The server's rendering of the message's text, while the text is still what the page opened with. */
  prerendered?: ReactNode;
  rating: MessageRatingView | null;
  name: string;
  isLast: boolean;
  busy: boolean;
  readOnly: boolean;
  actions: BubbleActions;
}) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(message.content);
  const isUser = message.role === "user";
  const streaming = message.status === "streaming";
  // Replies can always be swiped to a new one (at the end); branches of user messages only between siblings.
  const canSwipe = !busy && (message.siblings.count > 1 || (!isUser && isLast && !message.isGreeting && !readOnly));

  function copy() {
    void navigator.clipboard.writeText(message.content).then(
      () => toast({ title: "Copied", variant: "success", durationMs: 1500 }),
      () => toast({ title: "Could not copy", variant: "error" }),
    );
  }

  return (
    <li
      className={cn("group flex flex-col gap-1", isUser ? "items-end" : "items-start")}
      data-testid="chat-message"
      data-role={message.role}
      data-status={message.status}
      data-message-id={message.id}
    >
      <span className="px-1 text-xs text-muted-foreground">{name}</span>
      <div
        className={cn(
          "max-w-[min(42rem,92vw)] rounded-2xl px-4 py-2.5",
          isUser ? "bg-primary text-primary-foreground" : "border border-border bg-card",
          message.status === "failed" && "border-destructive",
        )}
      >
        {editing ? (
          <form
            className="flex min-w-[min(36rem,80vw)] flex-col gap-2"
            onSubmit={(event) => {
              event.preventDefault();
              setEditing(false);
              if (draft.trim() && draft !== message.content) actions.onEdit(message, draft);
            }}
          >
            <Textarea
              aria-label="Edit message"
              value={draft}
              rows={4}
              onChange={(event) => setDraft(event.target.value)}
              data-testid="edit-textarea"
              className="bg-background text-foreground"
            />
            <div className="flex justify-end gap-2">
              <Button type="button" variant="ghost" size="sm" onClick={() => setEditing(false)}>
                Cancel
              </Button>
              <Button type="submit" size="sm" data-testid="edit-save">
                {isUser ? "Send as new branch" : "Save edit"}
              </Button>
            </div>
          </form>
        ) : message.content ? (
          <div data-testid="message-text">
            <MessageText text={message.content} prerendered={prerendered} />
          </div>
        ) : streaming ? (
          <span className="inline-flex gap-1" role="status" aria-label="Writing">
            <span className="size-1.5 animate-pulse rounded-full bg-muted-foreground" />
            <span className="size-1.5 animate-pulse rounded-full bg-muted-foreground [animation-delay:150ms]" />
            <span className="size-1.5 animate-pulse rounded-full bg-muted-foreground [animation-delay:300ms]" />
          </span>
        ) : null}
        {message.status === "failed" ? (
          <div className="mt-2 flex flex-wrap items-center gap-2 text-sm text-destructive" data-testid="message-error">
            <span>{message.error ?? "The reply failed."}</span>
            {!readOnly ? (
              <Button
                size="sm"
                variant="outline"
                onClick={() => actions.onRetry(message)}
                disabled={busy}
                data-testid="retry"
              >
                Retry
              </Button>
            ) : null}
          </div>
        ) : STATUS_NOTE[message.status] ? (
          <p className="mt-1 text-xs text-muted-foreground" data-testid="message-note">
            {STATUS_NOTE[message.status]}
          </p>
        ) : null}
      </div>
      <div className="flex items-center gap-0.5 text-muted-foreground">
        {canSwipe ? (
          <>
            <Button
              variant="ghost"
              size="icon"
              className="size-7"
              aria-label="Previous reply"
              disabled={message.siblings.index <= 1}
              onClick={() => actions.onSwipe(message, -1)}
              data-testid="swipe-prev"
            >
              <ChevronLeft aria-hidden className="size-4" />
            </Button>
            <span className="text-xs tabular-nums" data-testid="swipe-position">
              {message.siblings.index}/{message.siblings.count}
            </span>
            <Button
              variant="ghost"
              size="icon"
              className="size-7"
              aria-label={message.siblings.index < message.siblings.count ? "Next reply" : "New reply"}
              onClick={() => actions.onSwipe(message, 1)}
              disabled={message.siblings.index >= message.siblings.count && (isUser || message.isGreeting || readOnly)}
              data-testid="swipe-next"
            >
              <ChevronRight aria-hidden className="size-4" />
            </Button>
          </>
        ) : null}
        {!isUser && !message.isGreeting && !streaming && message.status !== "failed" ? (
          <RatingControl rating={rating} onRate={(change) => actions.onRate(message, change)} />
        ) : null}
        {!streaming && !editing ? (
          <div className="flex opacity-100 transition-opacity sm:opacity-0 sm:group-focus-within:opacity-100 sm:group-hover:opacity-100">
            <Button variant="ghost" size="icon" className="size-7" aria-label="Copy" onClick={copy}>
              <Copy aria-hidden className="size-3.5" />
            </Button>
            {!readOnly && !busy ? (
              <>
                <Button
                  variant="ghost"
                  size="icon"
                  className="size-7"
                  aria-label="Edit"
                  onClick={() => {
                    setDraft(message.content);
                    setEditing(true);
                  }}
                  data-testid="edit-message"
                >
                  <Pencil aria-hidden className="size-3.5" />
                </Button>
                {!isUser && isLast && !message.isGreeting ? (
                  <>
                    <Button
                      variant="ghost"
                      size="icon"
                      className="size-7"
                      aria-label="Regenerate"
                      onClick={() => actions.onRegenerate(message)}
                      data-testid="regenerate"
                    >
                      <RefreshCw aria-hidden className="size-3.5" />
                    </Button>
                    <Button
                      variant="ghost"
                      size="icon"
                      className="size-7"
                      aria-label="Continue"
                      onClick={() => actions.onContinue(message)}
                      data-testid="continue"
                    >
                      <FastForward aria-hidden className="size-3.5" />
                    </Button>
                  </>
                ) : null}
                <ConfirmDialog
                  trigger={
                    <Button
                      variant="ghost"
                      size="icon"
                      className="size-7"
                      aria-label="Delete from here"
                      data-testid="delete-from-here"
                    >
                      <Trash2 aria-hidden className="size-3.5" />
                    </Button>
                  }
                  title="Delete from here?"
                  description="This message and everything after it on every branch will be deleted."
                  confirmLabel="Delete"
                  destructive
                  onConfirm={() => actions.onDelete(message)}
                />
              </>
            ) : null}
          </div>
        ) : null}
      </div>
    </li>
  );
}
