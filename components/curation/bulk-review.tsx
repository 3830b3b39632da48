"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { toast } from "@/components/ui/toast";
import { bulkReviewAction, previewBulkAction, undoBulkAction } from "@/lib/curation/actions";
import type { SampleFilter } from "@/lib/curation/schema";

type Decision = "APPROVED" | "REJECTED";
const VERB: Record<Decision, string> = { APPROVED: "Approve", REJECTED: "Reject" };

/**
 * Approve or reject everything the queue's filter matches: preview the count first, confirm that
 * exact count (the server refuses if it moved), and undo from the result.
 */
export function BulkReview({ filter }: { filter: SampleFilter }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [decision, setDecision] = useState<Decision>("APPROVED");
  const [reason, setReason] = useState("");
  const [preview, setPreview] = useState<number | null>(null);
  const [done, setDone] = useState<{ bulkId: string; moved: number; decision: Decision } | null>(null);

  function fail(message: string) {
    toast({ title: "Nothing changed", description: message, variant: "error" });
  }

  function runPreview() {
    start(async () => {
      const result = await previewBulkAction({ filter, decision });
      if (!result.ok) return fail(result.error.message);
      setPreview(result.data.count);
      setDone(null);
    });
  }

  function apply(expected: number) {
    start(async () => {
      const result = await bulkReviewAction({ filter, decision, reason: reason || undefined, expected });
      setPreview(null);
      if (!result.ok) return fail(result.error.message);
      setDone({ ...result.data, decision });
      router.refresh();
    });
  }

  return (
    <div className="space-y-3" data-testid="bulk-review">
      <div className="flex flex-wrap items-end gap-2">
        <Field label="Bulk decision" htmlFor="bulk-decision">
          <NativeSelect
            id="bulk-decision"
            value={decision}
            onChange={(event) => {
              setDecision(event.target.value as Decision);
              setPreview(null);
            }}
          >
            <option value="APPROVED">Approve all matching</option>
            <option value="REJECTED">Reject all matching</option>
          </NativeSelect>
        </Field>
        {decision === "REJECTED" ? (
          <Field label="Reason" htmlFor="bulk-reason">
            <Input
              id="bulk-reason"
              value={reason}
              maxLength={300}
              onChange={(event) => setReason(event.target.value)}
            />
          </Field>
        ) : null}
        <Button type="button" variant="outline" onClick={runPreview} disabled={pending} data-testid="bulk-preview">
          Preview
        </Button>
      </div>
      {preview !== null ? (
        <Alert data-testid="bulk-confirm">
          <div className="flex flex-wrap items-center gap-3">
            <span>
              {preview === 0
                ? "No sample matching this filter can take that decision."
                : `${VERB[decision]} ${preview.toLocaleString("en")} sample(s) matching this filter?`}
            </span>
            {preview > 0 ? (
              <Button
                type="button"
                size="sm"
                variant={decision === "REJECTED" ? "destructive" : "primary"}
                disabled={pending || (decision === "REJECTED" && !reason.trim())}
                onClick={() => apply(preview)}
                data-testid="bulk-apply"
              >
                {VERB[decision]} {preview.toLocaleString("en")}
              </Button>
            ) : null}
            <Button type="button" size="sm" variant="ghost" onClick={() => setPreview(null)}>
              Cancel
            </Button>
          </div>
          {decision === "REJECTED" && !reason.trim() ? (
            <p className="mt-1 text-sm text-muted-foreground">Say why they are rejected first.</p>
          ) : null}
        </Alert>
      ) : null}
      {done ? (
        <Alert data-testid="bulk-result">
          <div className="flex flex-wrap items-center gap-3">
            <span>
              {done.decision === "APPROVED" ? "Approved" : "Rejected"} {done.moved.toLocaleString("en")} sample(s).
            </span>
            <UndoBulkButton bulkId={done.bulkId} onUndone={() => setDone(null)} />
          </div>
        </Alert>
      ) : null}
    </div>
  );
}

/** Undo for an earlier bulk action listed on the queue page. */
export function UndoBulkButton({ bulkId, onUndone }: { bulkId: string; onUndone?: () => void }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      type="button"
      size="sm"
      variant="outline"
      disabled={pending}
      data-testid="bulk-undo"
      onClick={() =>
        start(async () => {
          const result = await undoBulkAction(bulkId);
          if (!result.ok) {
            toast({ title: "Nothing changed", description: result.error.message, variant: "error" });
            return;
          }
          toast({ title: `Undone: ${result.data.restored} sample(s) back where they were`, variant: "success" });
          onUndone?.();
          router.refresh();
        })
      }
    >
      Undo
    </Button>
  );
}
