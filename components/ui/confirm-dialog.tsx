"use client";

// The trigger renders at once; Radix's alert dialog is loaded the first time it opens, so the many
// pages with a delete button do not ship the dialog code on their first load.
import { Slot } from "@radix-ui/react-slot";
import { lazy, type ReactNode, Suspense, useRef, useState } from "react";

const ConfirmDialogContent = lazy(() => import("./confirm-dialog-content"));

export interface ConfirmDialogProps {
  /** The element that opens the dialog, usually a `<Button>`. */
  trigger: ReactNode;
  title: ReactNode;
  description: ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  destructive?: boolean;
  /**
   * Runs on confirm; the dialog stays open with a busy button until it settles and closes on success.
   * Report failures inside (e.g. with `toast`): if it throws, the dialog stays open.
   */
  onConfirm: () => void | Promise<void>;
}

export function ConfirmDialog({ trigger, ...props }: ConfirmDialogProps) {
  const [open, setOpen] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const triggerRef = useRef<HTMLElement>(null);
  return (
    <>
      <Slot
        ref={triggerRef}
        aria-haspopup="dialog"
        aria-expanded={open}
        onClick={() => {
          setLoaded(true);
          setOpen(true);
        }}
      >
        {trigger}
      </Slot>
      {loaded ? (
        <Suspense fallback={null}>
          <ConfirmDialogContent {...props} open={open} onOpenChange={setOpen} returnFocusTo={triggerRef} />
        </Suspense>
      ) : null}
    </>
  );
}
