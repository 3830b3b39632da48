"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
  DialogTrigger,
} from "@/components/ui/dialog";
import { Field, fieldAria } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { NativeSelect } from "@/components/ui/native-select";
import { Textarea } from "@/components/ui/textarea";
import { registerModelAction } from "@/lib/models/actions";
import { useAdminAction } from "./use-admin-action";

/** Register a base model or a LoRA adapter; the served ids each endpoint lists are offered. */
export function RegisterModelDialog(props: { endpoints: { name: string; discovered: string[] }[] }) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState({
    name: "",
    servedModelId: "",
    endpointName:
      props.endpoints.find((endpoint) => endpoint.name === "default")?.name ?? props.endpoints[0]?.name ?? "",
    baseModel: "",
    adapterPath: "",
    notes: "",
  });
  const { run, pending, fieldError } = useAdminAction();
  const set = (key: keyof typeof form) => (event: { target: { value: string } }) =>
    setForm({ ...form, [key]: event.target.value });
  const discovered = props.endpoints.find((endpoint) => endpoint.name === form.endpointName)?.discovered ?? [];

  function save() {
    const { baseModel, adapterPath, ...rest } = form;
    run(
      () =>
        registerModelAction({
          ...rest,
          ...(baseModel.trim() ? { baseModel } : {}),
          ...(adapterPath.trim() ? { adapterPath } : {}),
        }),
      { title: `Registered ${form.name}`, onSuccess: () => setOpen(false) },
    );
  }

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button size="sm" data-testid="register-model" disabled={props.endpoints.length === 0}>
          Register a model version
        </Button>
      </DialogTrigger>
      <DialogContent className="max-w-lg">
        <DialogHeader>
          <DialogTitle>Register a model version</DialogTitle>
          <DialogDescription>
            A base model or a LoRA adapter. Adapter names are immutable and versioned (char-aria-v3): a new training run
            gets a new name.
          </DialogDescription>
        </DialogHeader>
        <div className="space-y-4">
          <Field label="Name users see" htmlFor="model-name" error={fieldError("name")}>
            <Input {...fieldAria("model-name", fieldError("name"))} value={form.name} onChange={set("name")} />
          </Field>
          <Field label="Endpoint" htmlFor="model-endpoint">
            <NativeSelect id="model-endpoint" value={form.endpointName} onChange={set("endpointName")}>
              {props.endpoints.map((endpoint) => (
                <option key={endpoint.name} value={endpoint.name}>
                  {endpoint.name}
                </option>
              ))}
            </NativeSelect>
          </Field>
          <Field
            label="Served model id"
            htmlFor="model-served-id"
            hint="The id sent as `model`: the base model or the adapter name."
            error={fieldError("servedModelId")}
          >
            <Input
              {...fieldAria("model-served-id", fieldError("servedModelId"))}
              list="model-served-ids"
              value={form.servedModelId}
              onChange={set("servedModelId")}
            />
            <datalist id="model-served-ids">
              {discovered.map((id) => (
                <option key={id} value={id} />
              ))}
            </datalist>
          </Field>
          <Field label="Adapter path" htmlFor="model-adapter" hint="Only for LoRA adapters: where vLLM finds it.">
            <Input id="model-adapter" value={form.adapterPath} onChange={set("adapterPath")} />
          </Field>
          <Field label="Base model" htmlFor="model-base">
            <Input id="model-base" value={form.baseModel} onChange={set("baseModel")} />
          </Field>
          <Field label="Notes" htmlFor="model-notes">
            <Textarea id="model-notes" rows={2} value={form.notes} onChange={set("notes")} />
          </Field>
        </div>
        <DialogFooter>
          <Button onClick={save} loading={pending} data-testid="save-model">
            Register
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
