import type { ReactNode } from "react";
import { cn } from "./cn";
import { Label } from "./label";

export interface FieldProps {
  label: ReactNode;
  /** Id of the control inside; also the prefix of the hint (`${htmlFor}-hint`) and error (`${htmlFor}-error`) ids. */
  htmlFor: string;
  hint?: ReactNode;
  error?: ReactNode;
  className?: string;
  children: ReactNode;
}

/** Label, control, hint and error message. Spread `fieldAria(id, error, hint)` onto the control. */
export function Field({ label, htmlFor, hint, error, className, children }: FieldProps) {
  return (
    <div data-slot="field" className={cn("flex flex-col items-start", className)}>
      <Label htmlFor={htmlFor} className="mb-1.5">
        {label}
      </Label>
      {children}
      {hint && (
        <p id={`${htmlFor}-hint`} className="mt-1.5 text-muted-foreground text-sm">
          {hint}
        </p>
      )}
      {/* Always rendered (and never display:none) so the live region exists before an error arrives. */}
      <p id={`${htmlFor}-error`} aria-live="polite" className="text-destructive text-sm not-empty:mt-1.5">
        {error}
      </p>
    </div>
  );
}

/** Props for the control inside a `Field`, wiring up its id, invalid state and descriptions. */
export function fieldAria(
  id: string,
  error?: ReactNode,
  hint?: ReactNode,
): { id: string; "aria-invalid": true | undefined; "aria-describedby": string | undefined } {
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ");
  return { id, "aria-invalid": error ? true : undefined, "aria-describedby": describedBy || undefined };
}
