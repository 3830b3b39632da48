"use client";
// Small controlled inputs the character editor is built from. Each shows its own validation
// message and is wired for screen readers through Field/fieldAria.
import { Plus, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";

type Common = { id: string; label: string; error?: string; hint?: string };

export function TextField({
  id,
  label,
  error,
  hint,
  value,
  onChange,
  maxLength,
}: Common & {
  value: string;
  onChange: (value: string) => void;
  maxLength?: number;
}) {
  return (
    <Field label={label} htmlFor={id} error={error} hint={hint}>
      <Input
        value={value}
        maxLength={maxLength}
        onChange={(event) => onChange(event.target.value)}
        data-testid={`field-${id}`}
        {...fieldAria(id, error, hint)}
      />
    </Field>
  );
}

export function AreaField({
  id,
  label,
  error,
  hint,
  value,
  onChange,
  rows = 4,
}: Common & {
  value: string;
  onChange: (value: string) => void;
  rows?: number;
}) {
  return (
    <Field label={label} htmlFor={id} error={error} hint={hint}>
      <Textarea
        value={value}
        rows={rows}
        onChange={(event) => onChange(event.target.value)}
        data-testid={`field-${id}`}
        {...fieldAria(id, error, hint)}
      />
    </Field>
  );
}

/** A list of multi-line texts (alternate greetings), each removable. */
export function TextListField({
  id,
  label,
  error,
  hint,
  values,
  onChange,
  addLabel,
}: Common & {
  values: string[];
  onChange: (values: string[]) => void;
  addLabel: string;
}) {
  return (
    <fieldset className="space-y-2" aria-describedby={error ? `${id}-error` : undefined}>
      <legend className="text-sm font-medium">{label}</legend>
      {hint ? <p className="text-sm text-muted-foreground">{hint}</p> : null}
      {values.map((value, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: items have no identity beyond their position
        <div key={index} className="flex gap-2">
          <Textarea
            aria-label={`${label} ${index + 1}`}
            value={value}
            rows={2}
            onChange={(event) => onChange(values.map((item, i) => (i === index ? event.target.value : item)))}
          />
          <Button
            type="button"
            variant="ghost"
            size="icon"
            aria-label={`Remove ${label.toLowerCase()} ${index + 1}`}
            onClick={() => onChange(values.filter((_, i) => i !== index))}
          >
            <Trash2 aria-hidden className="size-4" />
          </Button>
        </div>
      ))}
      <Button type="button" variant="outline" size="sm" onClick={() => onChange([...values, ""])}>
        <Plus aria-hidden className="size-4" /> {addLabel}
      </Button>
      {error ? (
        <p id={`${id}-error`} className="text-sm text-destructive">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
