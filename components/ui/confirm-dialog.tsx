"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { type ReactNode, useState } from "react";
import { Button } from "./button";
import { cn } from "./cn";
import { modalClasses, overlayClasses } from "./dialog";

export interface ConfirmDialogProps {
  /** The element that opens the dialog, usually a `<Button>`; rendered with `asChild`. */
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

export function ConfirmDialog({
  trigger,
  title,
  description,
  confirmLabel,
  cancelLabel = "Cancel",
  destructive = false,
  onConfirm,
}: ConfirmDialogProps) {
  const [open, setOpen] = useState(false);
  const [pending, setPending] = useState(false);

  async function confirm() {
    setPending(true);
    try {
      await onConfirm();
      setOpen(false);
    } finally {
      setPending(false);
    }
  }

  return (
    <AlertDialog.Root open={open} onOpenChange={(next) => !pending && setOpen(next)}>
      <AlertDialog.Trigger asChild>{trigger}</AlertDialog.Trigger>
      <AlertDialog.Portal>
        <AlertDialog.Overlay data-slot="confirm-dialog-overlay" className={overlayClasses} />
        <AlertDialog.Content data-slot="confirm-dialog" className={cn(modalClasses, "max-w-md")}>
          <div className="flex flex-col gap-1.5">
            <AlertDialog.Title className="font-semibold text-lg leading-tight">{title}</AlertDialog.Title>
            <AlertDialog.Description className="text-muted-foreground text-sm">{description}</AlertDialog.Description>
          </div>
          <div className="flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            <AlertDialog.Cancel asChild>
              <Button variant="outline" disabled={pending}>
                {cancelLabel}
              </Button>
            </AlertDialog.Cancel>
            {/* preventDefault stops Radix closing the dialog before the promise settles. */}
            <AlertDialog.Action
              asChild
              onClick={(event) => {
                event.preventDefault();
                void confirm();
              }}
            >
              <Button variant={destructive ? "destructive" : "primary"} loading={pending}>
                {confirmLabel}
              </Button>
            </AlertDialog.Action>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
