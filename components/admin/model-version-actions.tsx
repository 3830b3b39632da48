"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Switch } from "@/components/ui/switch";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/components/ui/toast";
import type { Sampling } from "@/lib/chat/schema";
import {
  setAdapterLoadedAction,
  setInArenaAction,
  setModelStatusAction,
  updateModelVersionAction,
} from "@/lib/models/actions";
import { useAdminAction } from "./use-admin-action";

type Version = {
  id: string;
  name: string;
  status: "REGISTERED" | "LOADED" | "SERVING" | "RETIRED";
  isAdapter: boolean;
  inArena: boolean;
  notes: string;
  samplingPreset: Partial<Sampling>;
};

const PRESET_FIELDS: { key: keyof Sampling; label: string; step: number }[] = [
  { key: "temperature", label: "Temperature", step: 0.05 },
  { key: "top_p", label: "Top P", step: 0.01 },
  { key: "top_k", label: "Top K", step: 1 },
  { key: "min_p", label: "Min P", step: 0.01 },
  { key: "repetition_penalty", label: "Repetition penalty", step: 0.01 },
  { key: "max_tokens", label: "Max reply tokens", step: 16 },
];

/** Sampling defaults new chats on this version start from; empty fields fall back to Troupe's. */
function PresetDialog({ version }: { version: Version }) {
  const [open, setOpen] = useState(false);
  const [notes, setNotes] = useState(version.notes);
  const [preset, setPreset] = useState<Record<string, string>>(
    Object.fromEntries(Object.entries(version.samplingPreset).map(([key, value]) => [key, String(value)])),
  );
  const { run, pending, fieldError } = useAdminAction();

  function save() {
    const samplingPreset = Object.fromEntries(
      Object.entries(preset)
        .filter(([, value]) => value.trim() !== "")
        .map(([key, value]) => [key, Number(value)]),
    );
    run(() => updateModelVersionAction(version.id, { notes, samplingPreset }), {
      title: `${version.name} saved`,
      onSuccess: () => setOpen(false),
    });
  }

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button variant="ghost" size="sm" data-testid={`preset-${version.name}`}>
          Preset
        </Button>
      </DialogTrigger>
      <DialogContent className="max-w-lg">
        <DialogHeader>
          <DialogTitle>{version.name}: sampling preset</DialogTitle>
          <DialogDescription>
            New chats on this model start with these settings; users can still change them.
          </DialogDescription>
        </DialogHeader>
        <div className="grid grid-cols-2 gap-3">
          {PRESET_FIELDS.map(({ key, label, step }) => (
            <Field key={key} label={label} htmlFor={`preset-${key}`} error={fieldError(`samplingPreset.${key}`)}>
              <Input
                id={`preset-${key}`}
                type="number"
                step={step}
                placeholder="default"
                value={preset[key] ?? ""}
                onChange={(event) => setPreset({ ...preset, [key]: event.target.value })}
              />
            </Field>
          ))}
        </div>
        <Field label="Notes" htmlFor="preset-notes">
          <Textarea id="preset-notes" rows={2} value={notes} onChange={(event) => setNotes(event.target.value)} />
        </Field>
        <DialogFooter>
          <Button onClick={save} loading={pending} data-testid="save-preset">
            Save
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}

export function ModelVersionActions({ version }: { version: Version }) {
  const router = useRouter();
  const [pending, start] = useTransition();

  function setLoaded(loaded: boolean) {
    start(async () => {
      const result = await setAdapterLoadedAction(version.name, loaded);
      if (!result.ok) {
        toast({ title: "Not changed", description: result.error.message, variant: "error" });
        return;
      }
      // vLLM's answer, shown as it came.
      toast({
        title: `vLLM answered HTTP ${result.data.status}`,
        description: result.data.message,
        variant: result.data.ok ? "success" : "error",
      });
      router.refresh();
    });
  }

  function setStatus(status: Version["status"], done: string) {
    start(async () => {
      const result = await setModelStatusAction(version.id, status);
      if (!result.ok) toast({ title: "Not changed", description: result.error.message, variant: "error" });
      else toast({ title: done, variant: "success" });
      router.refresh();
    });
  }

  function setInArena(inArena: boolean) {
    start(async () => {
      const result = await setInArenaAction(version.id, inArena);
      if (!result.ok) toast({ title: "Not changed", description: result.error.message, variant: "error" });
      else toast({ title: `${version.name} ${inArena ? "joins" : "leaves"} the arena`, variant: "success" });
      router.refresh();
    });
  }

  if (version.status === "RETIRED") return null;
  return (
    <div className="flex flex-wrap items-center gap-1">
      <Switch
        checked={version.inArena}
        disabled={pending}
        onCheckedChange={setInArena}
        label="Arena"
        data-testid={`arena-${version.name}`}
      />
      {version.isAdapter && version.status === "REGISTERED" ? (
        <Button
          variant="outline"
          size="sm"
          loading={pending}
          onClick={() => setLoaded(true)}
          data-testid={`load-${version.name}`}
        >
          Load
        </Button>
      ) : null}
      {version.isAdapter && version.status === "LOADED" ? (
        <Button
          variant="ghost"
          size="sm"
          loading={pending}
          onClick={() => setLoaded(false)}
          data-testid={`unload-${version.name}`}
        >
          Unload
        </Button>
      ) : null}
      {version.status === "SERVING" ? (
        <Button
          variant="ghost"
          size="sm"
          loading={pending}
          onClick={() => setStatus("LOADED", `${version.name} taken out of service`)}
        >
          Take out of service
        </Button>
      ) : null}
      <PresetDialog version={version} />
      <ConfirmDialog
        trigger={
          <Button variant="ghost" size="sm" data-testid={`retire-${version.name}`}>
            Retire
          </Button>
        }
        title={`Retire ${version.name}?`}
        description="A retired version takes no new chats and cannot come back; chats on it move to the current routing."
        confirmLabel="Retire"
        destructive
        onConfirm={() => setStatus("RETIRED", `${version.name} retired`)}
      />
    </div>
  );
}
