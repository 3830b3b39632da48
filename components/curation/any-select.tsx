import type { ComponentProps } from "react";
import { Field } from "@/components/ui/field";
import { NativeSelect } from "@/components/ui/native-select";

export type Option = { id: string; label: string };

/** A labelled filter select whose first choice, "Any", means no condition. */
export function AnySelect({
  id,
  label,
  options,
  ...select
}: { id: string; label: string; options: Option[] } & ComponentProps<"select">) {
  return (
    <Field label={label} htmlFor={id}>
      <NativeSelect id={id} {...select}>
        <option value="">Any</option>
        {options.map((option) => (
          <option key={option.id} value={option.id}>
            {option.label}
          </option>
        ))}
      </NativeSelect>
    </Field>
  );
}

/** Enum-like values as options, shown in lower case. */
export const plainOptions = (values: readonly string[]): Option[] =>
  values.map((value) => ({ id: value, label: value.toLowerCase() }));
