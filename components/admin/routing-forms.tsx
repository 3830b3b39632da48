"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import {
  setCharacterModelAction,
  setDefaultModelAction,
  startExperimentAction,
  stopExperimentAction,
} from "@/lib/models/actions";
import { characterIdFrom } from "./character-ids";
import { useAdminAction } from "./use-admin-action";

type VersionOption = { id: string; name: string };

function VersionSelect(props: {
  id: string;
  versions: VersionOption[];
  value: string;
  onChange: (value: string) => void;
  emptyLabel?: string;
}) {
  return (
    <NativeSelect id={props.id} value={props.value} onChange={(event) => props.onChange(event.target.value)}>
      {props.emptyLabel !== undefined ? <option value="">{props.emptyLabel}</option> : null}
      {props.versions.map((version) => (
        <option key={version.id} value={version.id}>
          {version.name}
        </option>
      ))}
    </NativeSelect>
  );
}

export function DefaultModelForm(props: { versions: VersionOption[]; current: string | null }) {
  const [value, setValue] = useState(props.current ?? "");
  const { run, pending } = useAdminAction();
  return (
    <div className="flex flex-wrap items-end gap-3">
      <Field label="Default model for new chats" htmlFor="default-model" className="min-w-64">
        <VersionSelect
          id="default-model"
          versions={props.versions}
          value={value}
          onChange={setValue}
          emptyLabel="The environment's model (LLM_BASE_URL / LOCAL_MODEL_PATH)"
        />
      </Field>
      <Button
        loading={pending}
        data-testid="save-default-model"
        onClick={() => run(() => setDefaultModelAction(value || null), { title: "Default model saved" })}
      >
        Save
      </Button>
    </div>
  );
}

export function CharacterModelForm(props: { versions: VersionOption[] }) {
  const [character, setCharacter] = useState("");
  const [version, setVersion] = useState(props.versions[0]?.id ?? "");
  const { run, pending } = useAdminAction();
  return (
    <div className="flex flex-wrap items-end gap-3">
      <Field label="Character" htmlFor="route-character" hint="Its id or the URL of its page." className="min-w-72">
        <Input id="route-character" value={character} onChange={(event) => setCharacter(event.target.value)} />
      </Field>
      <Field label="Model" htmlFor="route-character-model" className="min-w-48">
        <VersionSelect id="route-character-model" versions={props.versions} value={version} onChange={setVersion} />
      </Field>
      <Button
        loading={pending}
        data-testid="save-character-model"
        onClick={() =>
          run(() => setCharacterModelAction(characterIdFrom(character), version || null), {
            title: "Character model saved",
            onSuccess: () => setCharacter(""),
          })
        }
      >
        Route
      </Button>
    </div>
  );
}

export function ClearCharacterModelButton(props: { characterId: string; name: string }) {
  const { run, pending } = useAdminAction();
  return (
    <Button
      variant="ghost"
      size="sm"
      loading={pending}
      onClick={() =>
        run(() => setCharacterModelAction(props.characterId, null), { title: `${props.name} uses the default again` })
      }
    >
      Clear
    </Button>
  );
}

export function ExperimentForm(props: { versions: VersionOption[] }) {
  const [form, setForm] = useState({
    name: "",
    character: "",
    variantAId: props.versions[0]?.id ?? "",
    variantBId: props.versions[1]?.id ?? "",
    splitPercent: "50",
  });
  const { run, pending, fieldError } = useAdminAction();
  const set = (key: keyof typeof form) => (value: string) => setForm({ ...form, [key]: value });

  function start() {
    run(
      () =>
        startExperimentAction({
          name: form.name,
          characterId: form.character.trim() ? characterIdFrom(form.character) : null,
          variantAId: form.variantAId,
          variantBId: form.variantBId,
          splitA: Number(form.splitPercent) / 100,
        }),
      { title: `Experiment ${form.name} started`, onSuccess: () => setForm({ ...form, name: "" }) },
    );
  }

  return (
    <div className="grid gap-3 sm:grid-cols-2">
      <Field label="Name" htmlFor="experiment-name" error={fieldError("name")}>
        <Input
          {...fieldAria("experiment-name", fieldError("name"))}
          value={form.name}
          onChange={(event) => set("name")(event.target.value)}
        />
      </Field>
      <Field label="Character" htmlFor="experiment-character" hint="Empty: all characters without their own model.">
        <Input
          id="experiment-character"
          value={form.character}
          onChange={(event) => set("character")(event.target.value)}
        />
      </Field>
      <Field label="Variant A" htmlFor="experiment-a">
        <VersionSelect
          id="experiment-a"
          versions={props.versions}
          value={form.variantAId}
          onChange={set("variantAId")}
        />
      </Field>
      <Field label="Variant B" htmlFor="experiment-b" error={fieldError("variantBId")}>
        <VersionSelect
          id="experiment-b"
          versions={props.versions}
          value={form.variantBId}
          onChange={set("variantBId")}
        />
      </Field>
      <Field label="Share of new chats to A (%)" htmlFor="experiment-split" error={fieldError("splitA")}>
        <Input
          {...fieldAria("experiment-split", fieldError("splitA"))}
          type="number"
          min={1}
          max={99}
          value={form.splitPercent}
          onChange={(event) => set("splitPercent")(event.target.value)}
        />
      </Field>
      <div className="flex items-end">
        <Button loading={pending} onClick={start} data-testid="start-experiment">
          Start experiment
        </Button>
      </div>
    </div>
  );
}

export function StopExperimentButton(props: { id: string; name: string }) {
  const { run } = useAdminAction();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="sm" data-testid={`stop-${props.name}`}>
          Stop
        </Button>
      }
      title={`Stop ${props.name}?`}
      description="New chats stop being split; chats already assigned keep their model."
      confirmLabel="Stop"
      onConfirm={() => run(() => stopExperimentAction(props.id), { title: `${props.name} stopped` })}
    />
  );
}
