"use client";

import * as ToastPrimitive from "@radix-ui/react-toast";
import { CircleCheck, CircleX, X } from "lucide-react";
import { useSyncExternalStore } from "react";
import { cn } from "./cn";

export type ToastVariant = "default" | "success" | "error";

export interface ToastOptions {
  title: string;
  description?: string;
  variant?: ToastVariant;
  durationMs?: number;
}

interface ToastItem extends ToastOptions {
  id: number;
  open: boolean;
}

// A tiny module-level store so any client component can call `toast()` without a context.
const MAX_TOASTS = 5;
// Closed toasts stay mounted this long so Radix can play their exit animation.
const EXIT_MS = 500;
const NO_TOASTS: ToastItem[] = [];
let toasts: ToastItem[] = NO_TOASTS;
let nextId = 0;
const listeners = new Set<() => void>();

function setToasts(next: ToastItem[]) {
  toasts = next;
  for (const listener of listeners) listener();
}

function subscribe(listener: () => void) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** Shows a notification; needs `<Toaster />` mounted once in the root layout. */
export function toast(options: ToastOptions): void {
  nextId += 1;
  setToasts([...toasts, { ...options, id: nextId, open: true }].slice(-MAX_TOASTS));
}

function dismiss(id: number) {
  setToasts(toasts.map((t) => (t.id === id ? { ...t, open: false } : t)));
  setTimeout(() => setToasts(toasts.filter((t) => t.id !== id)), EXIT_MS);
}

const variantClasses: Record<ToastVariant, string> = {
  default: "border-border",
  success: "border-success/40",
  error: "border-destructive/50",
};

export function Toaster() {
  const items = useSyncExternalStore(
    subscribe,
    () => toasts,
    () => NO_TOASTS,
  );

  return (
    <ToastPrimitive.Provider swipeDirection="right" label="Notification">
      {items.map(({ id, open, title, description, variant = "default", durationMs }) => (
        <ToastPrimitive.Root
          key={id}
          open={open}
          onOpenChange={(next) => !next && dismiss(id)}
          duration={durationMs ?? (variant === "error" ? 8000 : 5000)}
          // Foreground toasts are announced assertively; errors must not be missed.
          type={variant === "error" ? "foreground" : "background"}
          data-testid="toast"
          data-variant={variant}
          data-slot="toast"
          className={cn(
            "pointer-events-auto relative flex w-full items-start gap-3 rounded-lg border bg-card p-4 pr-10 text-card-foreground shadow-lg",
            "data-[state=closed]:animate-fade-out data-[state=open]:animate-pop-in",
            "data-[swipe=move]:translate-x-(--radix-toast-swipe-move-x) data-[swipe=cancel]:translate-x-0 data-[swipe=cancel]:transition-[translate]",
            "data-[swipe=end]:animate-swipe-out",
            variantClasses[variant],
          )}
        >
          {variant === "success" && <CircleCheck className="mt-0.5 size-5 shrink-0 text-success" aria-hidden="true" />}
          {variant === "error" && <CircleX className="mt-0.5 size-5 shrink-0 text-destructive" aria-hidden="true" />}
          <div className="grid min-w-0 gap-1">
            <ToastPrimitive.Title className="font-medium text-sm">{title}</ToastPrimitive.Title>
            {description && (
              <ToastPrimitive.Description className="break-words text-muted-foreground text-sm">
                {description}
              </ToastPrimitive.Description>
            )}
          </div>
          <ToastPrimitive.Close
            aria-label="Dismiss notification"
            className="absolute top-3 right-3 rounded-md p-1 text-muted-foreground transition-colors hover:bg-accent hover:text-accent-foreground"
          >
            <X className="size-4" aria-hidden="true" />
          </ToastPrimitive.Close>
        </ToastPrimitive.Root>
      ))}
      <ToastPrimitive.Viewport
        data-slot="toast-viewport"
        className={cn(
          "pointer-events-none fixed inset-x-0 top-0 z-100 flex max-h-dvh flex-col gap-2 p-4",
          "sm:top-auto sm:right-0 sm:bottom-0 sm:left-auto sm:w-full sm:max-w-sm",
        )}
      />
    </ToastPrimitive.Provider>
  );
}
