"use client";
// The reviewer's view of one training sample: the sample as the chat a trainer would see, everything
// known about where it came from, and keyboard shortcuts for the decisions, so a reviewer can work
// through a queue without the mouse.

import Link from "next/link";
import { useRouter } from "next/navigation";
import { type ReactNode, useEffect, useEffectEvent, useRef, useState, useTransition } from "react";
import { z } from "zod";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button, type ButtonProps } from "@/components/ui/button";
import { Card, CardContent } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/components/ui/toast";
import type { ActionResult } from "@/lib/actions";
import { reviewSampleAction, reviseSampleAction } from "@/lib/curation/actions";
import type { sampleForReview } from "@/lib/curation/queries";
import { REJECT_REASONS } from "@/lib/curation/schema";
import type { SampleState } from "@/lib/curation/states";
import { StateBadge } from "./state-badge";

type Review = NonNullable<Awaited<ReturnType<typeof sampleForReview>>>;
type Sample = Review["sample"];
type Decision = "APPROVED" | "REJECTED" | "NEEDS_REVIEW";
type Draft = { chosen: string; rejected?: string; note?: string };
type Command = "approve" | "reject" | "edit" | "send-to-review" | "next" | "previous" | "legend";

const SHORTCUTS: { command: Command; keys: string[]; hint: string; label: string }[] = [
  { command: "approve", keys: ["a"], hint: "a", label: "Approve, then go to the next sample" },
  { command: "reject", keys: ["r"], hint: "r", label: "Reject: 1–6 picks a reason, or type one and press Enter" },
  { command: "edit", keys: ["e"], hint: "e", label: "Edit the answer: Ctrl/⌘+Enter saves a revision, Esc cancels" },
  { command: "send-to-review", keys: ["u"], hint: "u", label: "Send back to review" },
  { command: "next", keys: ["j", "ArrowRight"], hint: "j / →", label: "Next sample" },
  { command: "previous", keys: ["k", "ArrowLeft"], hint: "k / ←", label: "Previous sample" },
  { command: "legend", keys: ["?"], hint: "?", label: "Show or hide these shortcuts" },
];

// Stored JSON, read defensively: a malformed row still renders what it can.
const turnsSchema = z.array(z.object({ role: z.enum(["system", "user", "assistant"]), content: z.string() }));
const checksSchema = z.object({ flags: z.array(z.object({ code: z.string(), detail: z.string() })) });
const judgeSchema = z.object({
  model: z.string().nullish(),
  template: z.string().optional(),
  templateHash: z.string().optional(),
});
const judgementSchema = z.union([
  judgeSchema.extend({ consistency: z.number(), instruction: z.number(), rationale: z.string() }),
  judgeSchema.extend({ error: z.string() }),
]);

const stateLabel = (state: SampleState) => state.toLowerCase().replace("_", " ");
// UTC and fixed-format, so the server render and the browser agree.
const when = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;

function isTyping(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName))
  );
}

function failed(result: Extract<ActionResult<unknown>, { ok: false }>) {
  const details = Object.values(result.error.fields ?? {}).flat();
  toast({ title: "Not saved", description: details.join(" ") || result.error.message, variant: "error" });
}

export function SampleReview({
  review,
  nextId,
  previousId,
  search,
}: {
  review: Review;
  nextId: string | null;
  previousId: string | null;
  /** The queue's query string ("?…" or ""), kept on every link so next/previous follow the same queue. */
  search: string;
}) {
  const { sample } = review;
  const router = useRouter();
  const [pending, start] = useTransition();
  const [mode, setMode] = useState<"idle" | "reject" | "edit">("idle");
  const [legendOpen, setLegendOpen] = useState(false);
  const [atEnd, setAtEnd] = useState(false);
  const [ready, setReady] = useState(false);
  const erased = sample.state === "ERASED";
  const hrefOf = (id: string) => `/admin/curation/${id}${search}`;

  function decide(decision: Decision, reason?: string) {
    start(async () => {
      const result = await reviewSampleAction({ sampleId: sample.id, decision, reason });
      if (!result.ok) return failed(result);
      setMode("idle");
      if (decision !== "NEEDS_REVIEW" && nextId) return router.push(hrefOf(nextId));
      if (decision === "NEEDS_REVIEW") toast({ title: "Sent back to review", variant: "success" });
      else setAtEnd(true);
      router.refresh();
    });
  }

  function revise(draft: Draft) {
    start(async () => {
      const result = await reviseSampleAction({ sampleId: sample.id, ...draft });
      if (!result.ok) return failed(result);
      toast({ title: "Saved as an approved revision", variant: "success" });
      router.push(hrefOf(result.data.id));
    });
  }

  function enabled(command: Command): boolean {
    switch (command) {
      case "next":
        return nextId !== null && !pending;
      case "previous":
        return previousId !== null && !pending;
      case "legend":
        return true;
      case "send-to-review":
        return !erased && !pending && sample.state !== "NEEDS_REVIEW";
      default:
        return !erased && !pending;
    }
  }

  function run(command: Command) {
    if (!enabled(command)) return;
    if (command === "approve") decide("APPROVED");
    else if (command === "reject") setMode("reject");
    else if (command === "edit") setMode("edit");
    else if (command === "send-to-review") decide("NEEDS_REVIEW");
    else if (command === "next" && nextId) router.push(hrefOf(nextId));
    else if (command === "previous" && previousId) router.push(hrefOf(previousId));
    else if (command === "legend") setLegendOpen((open) => !open);
  }

  const onKeyDown = useEffectEvent((event: KeyboardEvent) => {
    if (mode !== "idle" || event.repeat || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.defaultPrevented || isTyping(event.target)) return;
    const key = event.key.length === 1 ? event.key.toLowerCase() : event.key;
    const shortcut = SHORTCUTS.find((candidate) => candidate.keys.includes(key));
    if (!shortcut) return;
    // Also keeps the key's letter out of the editor or reason field it opens.
    event.preventDefault();
    run(shortcut.command);
  });

  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKeyDown(event);
    window.addEventListener("keydown", listener);
    setReady(true);
    return () => window.removeEventListener("keydown", listener);
  }, []);

  const commandButton = (command: Command, label: string, props: ButtonProps = {}) => (
    <CommandButton command={command} disabled={!enabled(command)} onClick={() => run(command)} {...props}>
      {label}
    </CommandButton>
  );

  return (
    <div className="space-y-4" data-testid="sample-review" data-sample-id={sample.id} data-ready={ready}>
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <Link
            href={`/admin/curation${search}`}
            className="text-sm text-muted-foreground hover:underline"
            data-testid="back-to-queue"
          >
            ← Back to queue
          </Link>
          <h2 className="text-lg font-medium">
            {sample.kind.toLowerCase()} sample <span className="font-mono text-sm">{sample.id.slice(0, 8)}</span>
          </h2>
        </div>
        <div className="flex flex-wrap items-center gap-2">
          {commandButton("previous", "Previous", { variant: "outline" })}
          {commandButton("next", "Next", { variant: "outline" })}
          <CommandButton command="legend" variant="ghost" aria-expanded={legendOpen} onClick={() => run("legend")}>
            Shortcuts
          </CommandButton>
        </div>
      </div>
      {legendOpen ? <ShortcutLegend /> : null}
      {atEnd ? <Alert title="End of the queue" description="There is no next sample for this filter." /> : null}
      {erased ? (
        <Alert
          variant="warning"
          title="erased — consent withdrawn"
          description="The user withdrew their consent: this sample cannot be reviewed, edited or exported."
        />
      ) : (
        <div className="flex flex-wrap gap-2">
          {commandButton("approve", "Approve")}
          {commandButton("reject", "Reject", { variant: "destructive" })}
          {commandButton("edit", "Edit", { variant: "outline" })}
          {commandButton("send-to-review", "Send back to review", { variant: "outline" })}
        </div>
      )}
      {mode === "reject" ? (
        <ReasonPicker
          pending={pending}
          onPick={(reason) => decide("REJECTED", reason)}
          onCancel={() => setMode("idle")}
        />
      ) : null}
      <div className="grid gap-6 lg:grid-cols-[minmax(0,1fr)_20rem]">
        <div className="@container min-w-0 space-y-3">
          <Transcript sample={sample} />
          {mode === "edit" ? (
            <RevisionEditor sample={sample} pending={pending} onSave={revise} onCancel={() => setMode("idle")} />
          ) : (
            <FinalAnswer sample={sample} />
          )}
        </div>
        <SamplePanel review={review} hrefOf={hrefOf} />
      </div>
    </div>
  );
}

function Key({ children }: { children: ReactNode }) {
  return <kbd className="rounded border border-current/30 px-1 font-mono text-[0.7rem] opacity-80">{children}</kbd>;
}

function CommandButton({ command, children, ...props }: ButtonProps & { command: Command }) {
  const shortcut = SHORTCUTS.find((candidate) => candidate.command === command);
  return (
    <Button
      type="button"
      size="sm"
      data-testid={command}
      aria-keyshortcuts={shortcut?.keys.join(" ")}
      title={shortcut?.label}
      {...props}
    >
      {children}
      {shortcut ? <Key>{shortcut.hint}</Key> : null}
    </Button>
  );
}

function ShortcutLegend() {
  return (
    <Card data-testid="shortcut-legend">
      <CardContent className="pt-4 sm:pt-4">
        <dl className="grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr]">
          {SHORTCUTS.map((shortcut) => (
            <div key={shortcut.command} className="contents">
              <dt>
                <Key>{shortcut.hint}</Key>
              </dt>
              <dd className="text-muted-foreground">{shortcut.label}</dd>
            </div>
          ))}
        </dl>
      </CardContent>
    </Card>
  );
}

function ReasonPicker({
  pending,
  onPick,
  onCancel,
}: {
  pending: boolean;
  onPick: (reason: string) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState("");
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
  return (
    <Card data-testid="reason-picker">
      <CardContent className="space-y-3 pt-4 sm:pt-4">
        <p className="text-sm font-medium">Why is it rejected?</p>
        <div className="flex flex-wrap gap-2">
          {REJECT_REASONS.map((reason, index) => (
            <Button
              key={reason}
              type="button"
              size="sm"
              variant="outline"
              disabled={pending}
              onClick={() => onPick(reason)}
            >
              <Key>{index + 1}</Key> {reason}
            </Button>
          ))}
        </div>
        <form
          className="flex flex-wrap gap-2"
          onSubmit={(event) => {
            event.preventDefault();
            if (text.trim()) onPick(text.trim());
          }}
        >
          <Input
            ref={field}
            aria-label="Another reason"
            placeholder="Or type a reason and press Enter"
            value={text}
            maxLength={300}
            className="max-w-md"
            onChange={(event) => setText(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Escape") {
                event.preventDefault();
                onCancel();
                return;
              }
              // Digits pick a listed reason while the field is empty; after that they are text.
              const listed = text === "" && /^\d$/.test(event.key) ? REJECT_REASONS[Number(event.key) - 1] : undefined;
              if (listed && !pending) {
                event.preventDefault();
                onPick(listed);
              }
            }}
          />
          <Button type="submit" size="sm" variant="destructive" disabled={pending || !text.trim()}>
            Reject
          </Button>
          <Button type="button" size="sm" variant="ghost" onClick={onCancel}>
            Cancel <Key>Esc</Key>
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}

function Bubble({ speaker, text, note, dimmed }: { speaker: string; text: string; note?: string; dimmed?: boolean }) {
  const fromUser = speaker === "user";
  return (
    <div
      data-testid="turn"
      data-role={speaker}
      className={cn("flex flex-col gap-1", fromUser ? "items-end" : "items-start", dimmed && "opacity-60")}
    >
      <span className="px-1 text-xs text-muted-foreground">
        {speaker}
        {note ? ` · ${note}` : ""}
      </span>
      <div
        className={cn(
          "max-w-full rounded-2xl px-4 py-2.5",
          fromUser ? "bg-primary text-primary-foreground" : "border border-border bg-card",
        )}
      >
        {/* Exactly what a trainer reads: markup and all, never rendered away. */}
        <p className="whitespace-pre-wrap break-words">{text}</p>
      </div>
    </div>
  );
}

function Transcript({ sample }: { sample: Sample }) {
  const turns = turnsSchema.safeParse(sample.prompt).data ?? [];
  const system = turns.filter((turn) => turn.role === "system");
  const dialogue = turns.filter((turn) => turn.role !== "system");
  return (
    <>
      {system.length > 0 ? (
        <details className="rounded-lg border border-border p-3 text-sm" data-testid="system-prompt">
          <summary className="cursor-pointer font-medium">System prompt</summary>
          <div className="mt-2 space-y-2">
            {system.map((turn, index) => (
              // biome-ignore lint/suspicious/noArrayIndexKey: stored turns have no ids and never reorder
              <p key={index} className="whitespace-pre-wrap break-words">
                {turn.content}
              </p>
            ))}
          </div>
        </details>
      ) : null}
      {dialogue.map((turn, index) =>
        turn.role === "assistant" ? (
          <Bubble
            // biome-ignore lint/suspicious/noArrayIndexKey: stored turns have no ids and never reorder
            key={index}
            speaker="assistant"
            text={turn.content}
            note={sample.trainOn === "ALL" ? "trained" : "context, not trained"}
            dimmed={sample.trainOn !== "ALL"}
          />
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: stored turns have no ids and never reorder
          <Bubble key={index} speaker={turn.role} text={turn.content} />
        ),
      )}
    </>
  );
}

function FinalAnswer({ sample }: { sample: Sample }) {
  if (sample.kind === "PREFERENCE") {
    return (
      <div className="grid gap-3 @lg:grid-cols-2">
        <div data-testid="pair-chosen" className="min-w-0 rounded-lg border border-success/40 p-2">
          <Badge variant="success">chosen</Badge>
          <Bubble speaker="assistant" text={sample.chosen} note="trained" />
        </div>
        <div data-testid="pair-rejected" className="min-w-0 rounded-lg border border-destructive/40 p-2">
          <Badge variant="destructive">rejected</Badge>
          <Bubble speaker="assistant" text={sample.rejected ?? ""} note="trained against" />
        </div>
      </div>
    );
  }
  if (sample.kind === "KTO") {
    const label = sample.label === null ? "unlabelled" : sample.label ? "👍 desirable" : "👎 undesirable";
    return (
      <div className="space-y-1" data-testid="kto-answer">
        <Badge variant={sample.label === null ? "secondary" : sample.label ? "success" : "destructive"}>{label}</Badge>
        <Bubble speaker="assistant" text={sample.chosen} note="trained" />
      </div>
    );
  }
  return <Bubble speaker="assistant" text={sample.chosen} note="trained" />;
}

function RevisionEditor({
  sample,
  pending,
  onSave,
  onCancel,
}: {
  sample: Sample;
  pending: boolean;
  onSave: (draft: Draft) => void;
  onCancel: () => void;
}) {
  const pair = sample.kind === "PREFERENCE";
  const [chosen, setChosen] = useState(sample.chosen);
  const [rejected, setRejected] = useState(sample.rejected ?? "");
  const [note, setNote] = useState("");
  const first = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const field = first.current;
    if (!field) return;
    // Ready to type at the end of the answer, where edits usually go.
    field.focus();
    field.setSelectionRange(field.value.length, field.value.length);
  }, []);
  const save = () => {
    if (!pending) onSave({ chosen, rejected: pair ? rejected : undefined, note: note.trim() || undefined });
  };
  return (
    <form
      className="space-y-2 rounded-lg border border-border p-3"
      data-testid="revision-editor"
      onSubmit={(event) => {
        event.preventDefault();
        save();
      }}
      onKeyDown={(event) => {
        if (event.key === "Escape") {
          event.preventDefault();
          onCancel();
        } else if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          save();
        }
      }}
    >
      <p className="text-sm text-muted-foreground">
        Saving makes an approved revision; this sample stays as it is and is rejected as replaced.
      </p>
      <div className={cn("grid gap-3", pair && "@lg:grid-cols-2")}>
        <Textarea
          ref={first}
          aria-label={pair ? "Chosen answer" : "Answer"}
          value={chosen}
          rows={10}
          onChange={(event) => setChosen(event.target.value)}
        />
        {pair ? (
          <Textarea
            aria-label="Rejected answer"
            value={rejected}
            rows={10}
            onChange={(event) => setRejected(event.target.value)}
          />
        ) : null}
      </div>
      <Input
        aria-label="Note (optional)"
        placeholder="Note (optional)"
        value={note}
        maxLength={300}
        onChange={(event) => setNote(event.target.value)}
      />
      <div className="flex justify-end gap-2">
        <Button type="button" size="sm" variant="ghost" onClick={onCancel}>
          Cancel <Key>Esc</Key>
        </Button>
        <Button type="submit" size="sm" loading={pending}>
          Save revision <Key>Ctrl/⌘ Enter</Key>
        </Button>
      </div>
    </form>
  );
}

function PanelSection({ title, children, testId }: { title: string; children: ReactNode; testId?: string }) {
  return (
    <section className="space-y-1" data-testid={testId}>
      <h3 className="text-xs font-medium uppercase tracking-wide text-muted-foreground">{title}</h3>
      {children}
    </section>
  );
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt className="text-muted-foreground">{label}</dt>
      <dd className="break-words">{children}</dd>
    </>
  );
}

function SamplePanel({ review, hrefOf }: { review: Review; hrefOf: (id: string) => string }) {
  const { sample, character, revisions, duplicates, reviews } = review;
  return (
    <Card className="h-fit">
      <CardContent className="space-y-4 pt-4 text-sm sm:pt-4">
        <StateBadge state={sample.state} />
        <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-3 gap-y-1">
          <Fact label="Source">{sample.source.toLowerCase()}</Fact>
          <Fact label="Kind">{sample.kind.toLowerCase()}</Fact>
          <Fact label="Pipeline / job">
            {sample.jobId ? (
              <Link href={`/admin/synthesis/${sample.jobId}`} className="underline">
                {sample.pipeline ?? "job"} · {sample.jobId.slice(0, 8)}
              </Link>
            ) : (
              (sample.pipeline ?? "—")
            )}
          </Fact>
          <Fact label="Character">
            {character ? (
              <Link href={`/characters/${character.id}`} className="underline">
                {character.name}
              </Link>
            ) : (
              "—"
            )}
          </Fact>
          <Fact label="Model">{sample.modelId ?? "—"}</Fact>
          <Fact label="Language">{sample.language ?? "—"}</Fact>
          <Fact label="Tokens">
            {sample.promptTokens ?? "?"} prompt · {sample.answerTokens ?? "?"} answer
          </Fact>
          <Fact label="Created">{when(sample.createdAt)}</Fact>
        </dl>
        <FlagList sample={sample} />
        <JudgeVerdict sample={sample} />
        {sample.duplicateOf || duplicates.length > 0 ? (
          <PanelSection title="Near-duplicates">
            {sample.duplicateOf ? (
              <p>
                <Link href={hrefOf(sample.duplicateOf)} className="underline" data-testid="kept-sample">
                  Kept sample
                </Link>{" "}
                (this one is a duplicate)
              </p>
            ) : null}
            <SampleLinks samples={duplicates.filter((other) => other.id !== sample.duplicateOf)} hrefOf={hrefOf} />
          </PanelSection>
        ) : null}
        {sample.revisionOf || revisions.length > 0 ? (
          <PanelSection title="Revisions">
            {sample.revisionOf ? (
              <p>
                <Link href={hrefOf(sample.revisionOf)} className="underline" data-testid="revision-of">
                  Revision of {sample.revisionOf.slice(0, 8)}
                </Link>
              </p>
            ) : null}
            <SampleLinks samples={revisions} hrefOf={hrefOf} />
          </PanelSection>
        ) : null}
        <details data-testid="lineage">
          <summary className="cursor-pointer text-xs font-medium uppercase tracking-wide text-muted-foreground">
            Lineage
          </summary>
          <pre className="mt-2 max-h-80 overflow-auto whitespace-pre-wrap break-all rounded bg-muted p-2 text-xs">
            {JSON.stringify(sample.lineage, null, 2)}
          </pre>
        </details>
        <PanelSection title="Review history" testId="review-history">
          {reviews.length === 0 ? <p className="text-muted-foreground">No moves yet.</p> : null}
          <ol className="space-y-2">
            {reviews.map((entry) => (
              <li key={entry.id}>
                <span className="font-medium">{entry.reviewer}</span>: {stateLabel(entry.fromState)} →{" "}
                {stateLabel(entry.toState)}
                {entry.reason ? <span className="block break-words text-muted-foreground">{entry.reason}</span> : null}
                <span className="block text-xs text-muted-foreground">{when(entry.createdAt)}</span>
              </li>
            ))}
          </ol>
        </PanelSection>
      </CardContent>
    </Card>
  );
}

function SampleLinks({
  samples,
  hrefOf,
}: {
  samples: { id: string; state: SampleState; chosen?: string }[];
  hrefOf: (id: string) => string;
}) {
  if (samples.length === 0) return null;
  return (
    <ul className="space-y-1">
      {samples.map((other) => (
        <li key={other.id}>
          <Link href={hrefOf(other.id)} className="underline">
            {other.id.slice(0, 8)}
          </Link>{" "}
          <span className="text-muted-foreground">
            {stateLabel(other.state)}
            {other.chosen ? ` · ${other.chosen.slice(0, 60)}` : ""}
          </span>
        </li>
      ))}
    </ul>
  );
}

function FlagList({ sample }: { sample: Sample }) {
  if (sample.flags.length === 0) return null;
  const details = checksSchema.safeParse(sample.checks).data?.flags ?? [];
  return (
    <PanelSection title="Flags" testId="flags">
      <ul className="space-y-1">
        {sample.flags.map((code) => (
          <li key={code}>
            <Badge variant="warning">{code}</Badge>{" "}
            <span className="text-muted-foreground">
              {details
                .filter((flag) => flag.code === code)
                .map((flag) => flag.detail)
                .join("; ")}
            </span>
          </li>
        ))}
      </ul>
    </PanelSection>
  );
}

function JudgeVerdict({ sample }: { sample: Sample }) {
  const judgement = judgementSchema.safeParse(sample.judgement).data;
  if (!judgement) return null;
  const about = [judgement.model, judgement.template, judgement.templateHash?.slice(0, 12)].filter(Boolean).join(" · ");
  return (
    <PanelSection title="Judge" testId="judge">
      {"error" in judgement ? (
        <p className="text-destructive">The judge failed: {judgement.error}</p>
      ) : (
        <>
          <p className="tabular-nums">
            {sample.score?.toFixed(1)} · consistency {judgement.consistency}/5 · instruction {judgement.instruction}/5
          </p>
          <p className="break-words text-muted-foreground">{judgement.rationale}</p>
        </>
      )}
      {about ? <p className="font-mono text-xs text-muted-foreground">{about}</p> : null}
    </PanelSection>
  );
}
