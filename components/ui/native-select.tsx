import type { ComponentProps } from "react";
import { cn } from "./cn";
import { controlClasses } from "./input";

/** A plain <select> styled like the inputs: for forms, where a native control is the most robust. */
export function NativeSelect({ className, ...props }: ComponentProps<"select">) {
  return <select data-slot="native-select" className={cn(controlClasses, "h-10 py-2", className)} {...props} />;
}
