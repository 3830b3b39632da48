import { CircleCheck, CircleX, Info, TriangleAlert } from "lucide-react";
import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

const variants = {
  info: { icon: Info, classes: "bg-muted/60 [&>svg]:text-primary", role: "status" },
  success: { icon: CircleCheck, classes: "border-success/30 bg-success/10 [&>svg]:text-success", role: "status" },
  warning: { icon: TriangleAlert, classes: "border-warning/40 bg-warning/10 [&>svg]:text-warning", role: undefined },
  error: {
    icon: CircleX,
    classes: "border-destructive/40 bg-destructive/10 [&>svg]:text-destructive",
    role: undefined,
  },
} as const;

export type AlertVariant = keyof typeof variants;

export interface AlertProps extends Omit<ComponentProps<"div">, "title"> {
  variant?: AlertVariant;
  title?: ReactNode;
  description?: ReactNode;
}

/**
 * Inline callout. Info/success get role="status"; never role="alert", which Next's route announcer owns.
 * Extra `children` render below the description (e.g. an action button).
 */
export function Alert({ variant = "info", title, description, className, children, ...props }: AlertProps) {
  const { icon: Icon, classes, role } = variants[variant];
  return (
    <div
      data-slot="alert"
      data-variant={variant}
      role={role}
      className={cn("flex gap-3 rounded-lg border p-4 text-foreground text-sm", classes, className)}
      {...props}
    >
      <Icon className="mt-0.5 size-4 shrink-0" aria-hidden="true" />
      <div className="grid min-w-0 gap-1">
        {title && <p className="font-medium leading-snug">{title}</p>}
        {description && <div className="break-words text-muted-foreground">{description}</div>}
        {children}
      </div>
    </div>
  );
}
