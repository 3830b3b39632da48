"use client";

import * as AlertDialog from "@radix-ui/react-alert-dialog";
import { type RefObject, useState } from "react";
import { Button } from "./button";
import { cn } from "./cn";
import type { ConfirmDialogProps } from "./confirm-dialog";
import { modalClasses, overlayClasses } from "./dialog";

type Props = Omit<ConfirmDialogProps, "trigger"> & {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** There is no Radix trigger (it lives in the eagerly loaded part), so focus is handed back here. */
  returnFocusTo: RefObject<HTMLElement | null>;
};

export default function ConfirmDialogContent({
  title,
  description,
  confirmLabel,
  cancelLabel = "Cancel",
  destructive = false,
  onConfirm,
  open,
  onOpenChange,
  returnFocusTo,
}: Props) {
  const [pending, setPending] = useState(false);

  async function confirm() {
    setPending(true);
    try {
      await onConfirm();
      onOpenChange(false);
    } finally {
      setPending(false);
    }
  }

  return (
    <AlertDialog.Root open={open} onOpenChange={(next) => !pending && onOpenChange(next)}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay data-slot="confirm-dialog-overlay" className={overlayClasses} />
        <AlertDialog.Content
          data-slot="confirm-dialog"
          className={cn(modalClasses, "max-w-md")}
          onCloseAutoFocus={(event) => {
            event.preventDefault();
            returnFocusTo.current?.focus();
          }}
        >
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
