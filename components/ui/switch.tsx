"use client";

import * as SwitchPrimitive from "@radix-ui/react-switch";
import { type ComponentProps, type ReactNode, useId } from "react";
import { cn } from "./cn";
import { Label } from "./label";

export interface SwitchProps extends ComponentProps<typeof SwitchPrimitive.Root> {
  /** Visible label rendered beside the switch; otherwise pair `id` with your own `<Label htmlFor>`. */
  label?: ReactNode;
}

export function Switch({ label, id, className, ...props }: SwitchProps) {
  const generatedId = useId();
  const switchId = id ?? generatedId;
  const control = (
    <SwitchPrimitive.Root
      data-slot="switch"
      id={switchId}
      className={cn(
        "peer inline-flex h-6 w-11 shrink-0 items-center rounded-full border-2 border-transparent transition-colors",
        "bg-input data-[state=checked]:bg-primary disabled:cursor-not-allowed disabled:opacity-50",
        className,
      )}
      {...props}
    >
      <SwitchPrimitive.Thumb className="pointer-events-none block size-5 rounded-full bg-background shadow-sm transition-transform data-[state=checked]:translate-x-5" />
    </SwitchPrimitive.Root>
  );
  if (!label) return control;
  return (
    <div className="flex items-center gap-3">
      {control}
      <Label htmlFor={switchId}>{label}</Label>
    </div>
  );
}
