"use client";

import { Plus, Trash2 } from "lucide-react";
import { Button } from "@/components/ui/button";
import { Input } from "@/components/ui/input";
import { Label } from "@/components/ui/label";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import { type Lorebook, type LorebookEntry, lorebookEntrySchema } from "@/lib/characters/schema";

const splitKeys = (text: string) =>
  text
    .split(",")
    .map((key) => key.trim())
    .filter(Boolean);

/** Lorebook entries: stored and exported now; chat inserts them when their keys appear. */
export function LorebookEditor({
  lorebook,
  onChange,
}: {
  lorebook: Lorebook | null;
  onChange: (lorebook: Lorebook | null) => void;
}) {
  const entries = lorebook?.entries ?? [];
  const setEntries = (next: LorebookEntry[]) =>
    onChange({ name: "", description: "", extensions: {}, ...lorebook, entries: next });
  const update = (index: number, patch: Partial<LorebookEntry>) =>
    setEntries(entries.map((entry, i) => (i === index ? { ...entry, ...patch } : entry)));

  return (
    <div className="space-y-4" data-testid="lorebook-editor">
      <p className="text-sm text-muted-foreground">
        Entries are added to the prompt when one of their keys appears in recent messages (or always, when constant).
      </p>
      {entries.map((entry, index) => (
        <fieldset
          // biome-ignore lint/suspicious/noArrayIndexKey: entries may lack ids; position is their identity here
          key={index}
          className="space-y-3 rounded-lg border border-border p-3"
        >
          <legend className="px-1 text-sm font-medium">Entry {index + 1}</legend>
          <div className="grid gap-3 sm:grid-cols-2">
            <div className="space-y-1">
              <Label htmlFor={`lore-${index}-keys`}>Keys (comma-separated)</Label>
              <Input
                id={`lore-${index}-keys`}
                value={entry.keys.join(", ")}
                onChange={(e) => update(index, { keys: splitKeys(e.target.value) })}
              />
            </div>
            <div className="grid grid-cols-2 gap-3">
              <div className="space-y-1">
                <Label htmlFor={`lore-${index}-order`}>Order</Label>
                <Input
                  id={`lore-${index}-order`}
                  type="number"
                  value={entry.insertionOrder}
                  onChange={(e) => update(index, { insertionOrder: Number.parseInt(e.target.value, 10) || 0 })}
                />
              </div>
              <div className="space-y-1">
                <Label htmlFor={`lore-${index}-position`}>Position</Label>
                <select
                  id={`lore-${index}-position`}
                  className="h-9 w-full rounded-md border border-input bg-background px-2 text-sm"
                  value={entry.position}
                  onChange={(e) =>
                    update(index, { position: e.target.value === "before_char" ? "before_char" : "after_char" })
                  }
                >
                  <option value="before_char">Before character</option>
                  <option value="after_char">After character</option>
                </select>
              </div>
            </div>
          </div>
          <div className="space-y-1">
            <Label htmlFor={`lore-${index}-content`}>Content</Label>
            <Textarea
              id={`lore-${index}-content`}
              rows={3}
              value={entry.content}
              onChange={(e) => update(index, { content: e.target.value })}
            />
          </div>
          <div className="flex flex-wrap items-center gap-4">
            <Switch label="Enabled" checked={entry.enabled} onCheckedChange={(enabled) => update(index, { enabled })} />
            <Switch
              label="Constant"
              checked={entry.constant}
              onCheckedChange={(constant) => update(index, { constant })}
            />
            <Switch
              label="Case-sensitive"
              checked={entry.caseSensitive}
              onCheckedChange={(caseSensitive) => update(index, { caseSensitive })}
            />
            <Button
              type="button"
              variant="ghost"
              size="sm"
              className="ml-auto"
              onClick={() => setEntries(entries.filter((_, i) => i !== index))}
            >
              <Trash2 aria-hidden className="size-4" /> Remove
            </Button>
          </div>
        </fieldset>
      ))}
      <Button
        type="button"
        variant="outline"
        size="sm"
        onClick={() => setEntries([...entries, lorebookEntrySchema.parse({})])}
      >
        <Plus aria-hidden className="size-4" /> Add entry
      </Button>
    </div>
  );
}
