"use client";

import { ThumbsDown, ThumbsUp } from "lucide-react";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { cn } from "@/components/ui/cn";
import { Textarea } from "@/components/ui/textarea";
import type { MessageRatingView } from "@/lib/chat/queries";
import { RATING_REASONS, type RatingReason } from "@/lib/feedback/reasons";

const NEGATIVE: RatingReason[] = [
  "out_of_character",
  "wrong_facts",
  "knows_too_much",
  "fourth_wall",
  "repetitive",
  "too_long",
  "too_short",
  "ignored_me",
  "unsafe",
];
const POSITIVE: RatingReason[] = ["great_roleplay", "funny", "vivid"];

export type RatingChange = { value: 1 | -1 | null; reasons: RatingReason[]; comment?: string };

/** Thumbs on a reply; after a thumb, reason chips and a comment refine it. Same thumb again removes it. */
export function RatingControl(props: {
  rating: MessageRatingView | null;
  onRate: (change: RatingChange) => Promise<boolean>;
}) {
  const [open, setOpen] = useState(false);
  const [reasons, setReasons] = useState<RatingReason[]>((props.rating?.reasons ?? []) as RatingReason[]);
  const [comment, setComment] = useState(props.rating?.comment ?? "");
  const [saving, setSaving] = useState(false);
  const value = props.rating?.value ?? 0;

  async function thumb(next: 1 | -1) {
    const removing = value === next;
    setSaving(true);
    const ok = await props.onRate({ value: removing ? null : next, reasons: [], comment: "" });
    setSaving(false);
    if (ok) {
      setReasons([]);
      setComment("");
      setOpen(!removing);
    }
  }

  async function saveDetails() {
    if (value === 0) return;
    setSaving(true);
    const ok = await props.onRate({ value: value as 1 | -1, reasons, comment });
    setSaving(false);
    if (ok) setOpen(false);
  }

  const chips = value < 0 ? NEGATIVE : POSITIVE;
  return (
    <div className="flex flex-col gap-1" data-testid="rating">
      <div className="flex items-center">
        <Button
          variant="ghost"
          size="icon"
          className={cn("size-7", value > 0 && "text-primary")}
          aria-label="Good reply"
          aria-pressed={value > 0}
          disabled={saving}
          onClick={() => void thumb(1)}
          data-testid="thumbs-up"
        >
          <ThumbsUp aria-hidden className="size-3.5" />
        </Button>
        <Button
          variant="ghost"
          size="icon"
          className={cn("size-7", value < 0 && "text-destructive")}
          aria-label="Bad reply"
          aria-pressed={value < 0}
          disabled={saving}
          onClick={() => void thumb(-1)}
          data-testid="thumbs-down"
        >
          <ThumbsDown aria-hidden className="size-3.5" />
        </Button>
      </div>
      {open && value !== 0 ? (
        <div
          className="w-[min(28rem,88vw)] space-y-2 rounded-lg border border-border bg-card p-3"
          data-testid="rating-details"
        >
          <p className="text-xs text-muted-foreground">{value < 0 ? "What went wrong?" : "What was good?"}</p>
          <div className="flex flex-wrap gap-1.5">
            {chips.map((reason) => {
              const on = reasons.includes(reason);
              return (
                <button
                  key={reason}
                  type="button"
                  aria-pressed={on}
                  onClick={() => setReasons(on ? reasons.filter((r) => r !== reason) : [...reasons, reason])}
                  className={cn(
                    "rounded-full border px-2.5 py-0.5 text-xs transition-colors",
                    on ? "border-primary bg-primary text-primary-foreground" : "border-border hover:bg-accent",
                  )}
                >
                  {RATING_REASONS[reason]}
                </button>
              );
            })}
          </div>
          <Textarea
            aria-label="Comment"
            rows={2}
            maxLength={2000}
            placeholder="Anything else? (optional)"
            value={comment}
            onChange={(event) => setComment(event.target.value)}
          />
          <div className="flex justify-end gap-2">
            <Button variant="ghost" size="sm" onClick={() => setOpen(false)}>
              Close
            </Button>
            <Button size="sm" loading={saving} onClick={() => void saveDetails()} data-testid="save-rating">
              Save
            </Button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
