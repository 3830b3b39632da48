"use client";

import { SendHorizontal } from "lucide-react";
import { useCallback, useMemo, useRef, useState } from "react";
import { RoleplayMarkdown } from "@/components/chat/roleplay-markdown";
import { postChatStream } from "@/components/chat/stream-client";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/components/ui/toast";
import type { ChatMessageView } from "@/lib/chat/schema";
import { selectedPath } from "@/lib/chat/tree";
import type { ArenaVote } from "@/lib/feedback/schema";

type Message = ChatMessageView & { selectedChildId: string | null };
type Battle = {
  id: string;
  userMessageId: string;
  messageAId: string | null;
  messageBId: string | null;
  vote: string | null;
  revealed: { A: string; B: string } | null;
};
export type ArenaState = { selectedRootId: string | null; messages: Message[]; battles: Battle[] };
type Side = "A" | "B";

const VOTES: { vote: ArenaVote; label: string }[] = [
  { vote: "A", label: "A is better" },
  { vote: "B", label: "B is better" },
  { vote: "TIE", label: "Tie" },
  { vote: "BOTH_BAD", label: "Both are bad" },
];

function Bubble({
  message,
  name,
  footer,
}: {
  message: Pick<Message, "role" | "content">;
  name: string;
  footer?: React.ReactNode;
}) {
  const isUser = message.role === "user";
  return (
    <li className={cn("flex flex-col gap-1", isUser ? "items-end" : "items-start")} data-testid="arena-message">
      <span className="text-xs text-muted-foreground">{name}</span>
      <div
        className={cn(
          "max-w-[min(42rem,92vw)] rounded-2xl px-4 py-2.5",
          isUser ? "bg-primary text-primary-foreground" : "bg-muted",
        )}
      >
        <RoleplayMarkdown text={message.content} />
      </div>
      {footer}
    </li>
  );
}

export function ArenaView(props: {
  conversationId: string;
  initial: ArenaState;
  characterName: string;
  userName: string;
  canSend: boolean;
}) {
  const [state, setState] = useState(props.initial);
  const [draft, setDraft] = useState("");
  const [streams, setStreams] = useState<Record<Side, { text: string; status: string; error: string | null }>>({
    A: { text: "", status: "idle", error: null },
    B: { text: "", status: "idle", error: null },
  });
  const [busy, setBusy] = useState(false);
  const abortRef = useRef<AbortController | null>(null);
  const base = `/api/arena/${props.conversationId}`;

  const refresh = useCallback(async () => {
    const response = await fetch(base, { cache: "no-store" });
    if (response.ok) setState(await response.json());
  }, [base]);

  const open = state.battles.find((battle) => !battle.vote) ?? null;
  const byId = useMemo(() => new Map(state.messages.map((message) => [message.id, message])), [state.messages]);
  const path = useMemo(() => {
    const full = selectedPath(state.messages, state.selectedRootId);
    // An open round is shown as two columns, not as the reply the tree happens to select.
    const cut = open ? full.findIndex((message) => message.id === open.userMessageId) : -1;
    return cut >= 0 ? full.slice(0, cut + 1) : full;
  }, [state, open]);
  const roundOf = useMemo(
    () => new Map(state.battles.map((battle) => [battle.userMessageId, battle])),
    [state.battles],
  );

  const streamSide = useCallback(
    async (battleId: string, side: Side, signal: AbortSignal) => {
      setStreams((current) => ({ ...current, [side]: { text: "", status: "streaming", error: null } }));
      const outcome = await postChatStream(
        `${base}/battles/${battleId}/${side}`,
        {},
        (event) => {
          if (event.type === "delta") {
            setStreams((current) => ({
              ...current,
              [side]: { ...current[side], text: current[side].text + event.text },
            }));
          } else if (event.type === "done") {
            setStreams((current) => ({
              ...current,
              [side]: { text: event.message.content, status: "complete", error: null },
            }));
          } else if (event.type === "error") {
            setStreams((current) => ({
              ...current,
              [side]: {
                text: event.message?.content ?? current[side].text,
                status: "failed",
                error: event.error.message,
              },
            }));
          }
        },
        signal,
      );
      if (!outcome.ok) {
        setStreams((current) => ({
          ...current,
          [side]: { ...current[side], status: "failed", error: outcome.message },
        }));
      }
    },
    [base],
  );

  async function send() {
    const content = draft.trim();
    if (!content || busy || open) return;
    setBusy(true);
    const response = await fetch(`${base}/battles`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ content, clientRequestId: crypto.randomUUID() }),
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      toast({ title: "Not sent", description: body?.error?.message, variant: "error" });
      setBusy(false);
      return;
    }
    setDraft("");
    await refresh();
    const controller = new AbortController();
    abortRef.current = controller;
    await Promise.all([
      streamSide(body.battleId, "A", controller.signal),
      streamSide(body.battleId, "B", controller.signal),
    ]);
    setBusy(false);
  }

  async function retry(side: Side) {
    if (!open) return;
    setBusy(true);
    await streamSide(open.id, side, new AbortController().signal);
    setBusy(false);
  }

  async function vote(choice: ArenaVote) {
    if (!open) return;
    const response = await fetch(`${base}/battles/${open.id}/vote`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ vote: choice }),
    });
    const body = await response.json().catch(() => null);
    if (!response.ok) {
      toast({ title: "Vote not counted", description: body?.error?.message, variant: "error" });
      return;
    }
    toast({ title: `A was ${body.revealed.A}, B was ${body.revealed.B}`, variant: "success" });
    setStreams({ A: { text: "", status: "idle", error: null }, B: { text: "", status: "idle", error: null } });
    await refresh();
  }

  // After a reload mid-round, the saved replies stand in for the live streams.
  const sideView = (side: Side) => {
    const live = streams[side];
    if (live.status !== "idle") return live;
    const saved = open ? byId.get((side === "A" ? open.messageAId : open.messageBId) ?? "") : undefined;
    if (!saved) return { text: "", status: "missing", error: null };
    return { text: saved.content, status: saved.status, error: saved.error };
  };
  const sides = { A: sideView("A"), B: sideView("B") };
  const finished = (status: string) => status === "complete" || status === "stopped";
  const canVote = open && finished(sides.A.status) && finished(sides.B.status);

  return (
    <div className="flex min-h-[calc(100dvh-10rem)] flex-col gap-4">
      <ol className="flex-1 space-y-4" aria-label="Messages">
        {path.map((message) => {
          const round = message.role === "assistant" && message.parentId ? roundOf.get(message.parentId) : undefined;
          return (
            <Bubble
              key={message.id}
              message={message}
              name={message.role === "user" ? props.userName : props.characterName}
              footer={
                round?.revealed ? (
                  <p className="text-xs text-muted-foreground" data-testid="round-result">
                    A: {round.revealed.A} · B: {round.revealed.B} · your vote:{" "}
                    {round.vote?.replace("_", " ").toLowerCase()}
                  </p>
                ) : null
              }
            />
          );
        })}
      </ol>
      {open ? (
        <section aria-label="This round" className="space-y-3" data-testid="arena-round">
          <div className="grid gap-3 md:grid-cols-2">
            {(["A", "B"] as const).map((side) => (
              <div key={side} className="rounded-xl border border-border p-3" data-testid={`arena-side-${side}`}>
                <p className="mb-2 text-sm font-medium">Model {side}</p>
                <div data-testid={`arena-text-${side}`} data-status={sides[side].status}>
                  <RoleplayMarkdown text={sides[side].text || (sides[side].status === "streaming" ? "…" : "")} />
                </div>
                {sides[side].status === "failed" || sides[side].status === "missing" ? (
                  <div className="mt-2 flex items-center gap-2 text-sm text-destructive">
                    {sides[side].error ?? "No answer yet."}
                    <Button size="sm" variant="outline" disabled={busy} onClick={() => void retry(side)}>
                      Try again
                    </Button>
                  </div>
                ) : null}
              </div>
            ))}
          </div>
          <fieldset className="flex flex-wrap gap-2">
            <legend className="sr-only">Your vote</legend>
            {VOTES.map((option) => (
              <Button
                key={option.vote}
                variant={option.vote === "A" || option.vote === "B" ? "primary" : "outline"}
                disabled={!canVote}
                onClick={() => void vote(option.vote)}
                data-testid={`vote-${option.vote}`}
              >
                {option.label}
              </Button>
            ))}
          </fieldset>
        </section>
      ) : null}
      <form
        className="flex items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          void send();
        }}
      >
        <Textarea
          aria-label="Message"
          data-testid="arena-composer"
          rows={2}
          value={draft}
          disabled={!props.canSend || busy || open !== null}
          placeholder={open ? "Vote first, then the chat goes on." : "Write to both models…"}
          onChange={(event) => setDraft(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
              event.preventDefault();
              void send();
            }
          }}
        />
        <Button
          type="submit"
          size="icon"
          aria-label="Send"
          disabled={!props.canSend || busy || open !== null || !draft.trim()}
        >
          <SendHorizontal aria-hidden className="size-4" />
        </Button>
      </form>
    </div>
  );
}
