import type { ComponentProps, ReactNode } from "react";
import { cn } from "./cn";

export interface EmptyStateProps extends Omit<ComponentProps<"div">, "title"> {
  /** A decorative icon element, e.g. `<Inbox />` from lucide-react. */
  icon?: ReactNode;
  title: ReactNode;
  description?: ReactNode;
  /** Usually a `<Button>` that creates the first item. */
  action?: ReactNode;
}

export function EmptyState({ icon, title, description, action, className, ...props }: EmptyStateProps) {
  return (
    <div
      data-slot="empty-state"
      className={cn(
        "flex flex-col items-center justify-center gap-3 rounded-xl border border-dashed px-4 py-10 text-center sm:px-8",
        className,
      )}
      {...props}
    >
      {icon && (
        <div aria-hidden="true" className="rounded-full bg-muted p-3 text-muted-foreground [&>svg]:size-6">
          {icon}
        </div>
      )}
      <div className="grid max-w-sm gap-1">
        <h3 className="font-semibold text-base">{title}</h3>
        {description && <p className="text-muted-foreground text-sm">{description}</p>}
      </div>
      {action && <div className="mt-1">{action}</div>}
    </div>
  );
}
