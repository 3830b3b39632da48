import type { ComponentProps } from "react";
import { cn } from "./cn";

export const controlClasses = cn(
  "w-full min-w-0 rounded-md border border-input bg-background px-3 text-base shadow-xs transition-colors sm:text-sm",
  "placeholder:text-muted-foreground disabled:cursor-not-allowed disabled:opacity-50",
  "aria-invalid:border-destructive",
);

export function Input({ className, type = "text", ...props }: ComponentProps<"input">) {
  return (
    <input
      data-slot="input"
      type={type}
      className={cn(
        controlClasses,
        "h-10 py-2 file:mr-3 file:border-0 file:bg-transparent file:font-medium file:text-foreground file:text-sm",
        className,
      )}
      {...props}
    />
  );
}
