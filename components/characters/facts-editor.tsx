"use client";

import { Plus, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import type { Profile } from "@/lib/characters/schema";

type Fact = Profile["facts"][number];

/** Property → value pairs (Ditto's knowledge claims). */
export function FactsEditor({
  facts,
  onChange,
  error,
}: {
  facts: Fact[];
  onChange: (facts: Fact[]) => void;
  error?: string;
}) {
  const update = (index: number, patch: Partial<Fact>) =>
    onChange(facts.map((fact, i) => (i === index ? { ...fact, ...patch } : fact)));
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium">Facts</legend>
      <p className="text-sm text-muted-foreground">What is true about the character, as property → value.</p>
      {facts.map((fact, index) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position
        <div key={index} className="grid grid-cols-[1fr_2fr_auto] gap-2">
          <Input
            aria-label={`Fact ${index + 1} property`}
            placeholder="property"
            value={fact.property}
            onChange={(e) => update(index, { property: e.target.value })}
          />
          <Input
            aria-label={`Fact ${index + 1} value`}
            placeholder="value"
            value={fact.value}
            onChange={(e) => update(index, { value: e.target.value })}
          />
          <Button
            type="button"
            variant="ghost"
            size="icon"
            aria-label={`Remove fact ${index + 1}`}
            onClick={() => onChange(facts.filter((_, i) => i !== index))}
          >
            <Trash2 aria-hidden className="size-4" />
          </Button>
        </div>
      ))}
      <Button
        type="button"
        variant="outline"
        size="sm"
        onClick={() => onChange([...facts, { property: "", value: "" }])}
      >
        <Plus aria-hidden className="size-4" /> Add fact
      </Button>
      {error ? <p className="text-sm text-destructive">{error}</p> : null}
    </fieldset>
  );
}
