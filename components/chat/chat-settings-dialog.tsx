"use client";

import { useRouter } from "next/navigation";
import { type RefObject, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import {
  Dialog,
  DialogContent,
  DialogDescription,
  DialogFooter,
  DialogHeader,
  DialogTitle,
} from "@/components/ui/dialog";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Select, SelectContent, SelectItem, SelectTrigger, SelectValue } from "@/components/ui/select";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/components/ui/toast";
import { deleteChatAction, updateChatSettingsAction } from "@/lib/chat/actions";
import type { Sampling } from "@/lib/chat/schema";
import type { ChatSettingsProps } from "./chat-settings";

const NUMBERS: { key: keyof Sampling; label: string; step: number; hint: string }[] = [
  { key: "temperature", label: "Temperature", step: 0.05, hint: "0–2; higher is more varied." },
  { key: "top_p", label: "Top P", step: 0.01, hint: "0–1." },
  { key: "top_k", label: "Top K", step: 1, hint: "-1 turns it off." },
  { key: "min_p", label: "Min P", step: 0.01, hint: "0–1." },
  { key: "repetition_penalty", label: "Repetition penalty", step: 0.01, hint: "1 = none." },
  { key: "max_tokens", label: "Max reply tokens", step: 16, hint: "16–8192." },
];

export default function ChatSettingsDialog({
  open,
  onOpenChange: setOpen,
  returnFocusTo,
  ...props
}: ChatSettingsProps & {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The button that opens the dialog lives outside it, so focus is handed back by hand. */
  returnFocusTo: RefObject<HTMLElement | null>;
}) {
  const router = useRouter();
  const [title, setTitle] = useState(props.title);
  const [modelChoice, setModelChoice] = useState(props.modelChoice);
  const [sampling, setSampling] = useState(props.sampling);
  const [personaName, setPersonaName] = useState(props.personaName ?? "");
  const [personaDescription, setPersonaDescription] = useState(props.personaDescription ?? "");
  const [pending, start] = useTransition();

  function save() {
    start(async () => {
      const result = await updateChatSettingsAction(props.conversationId, {
        title,
        ...(modelChoice !== props.modelChoice ? { modelVersionId: modelChoice } : {}),
        sampling,
        personaName: personaName.trim() || null,
        personaDescription: personaName.trim() ? personaDescription : null,
      });
      if (!result.ok) {
        const fields = result.error.fields
          ? Object.entries(result.error.fields)
              .map(([k, v]) => `${k}: ${v.join(" ")}`)
              .join("; ")
          : "";
        toast({ title: "Settings not saved", description: fields || result.error.message, variant: "error" });
        return;
      }
      toast({ title: "Chat settings saved", variant: "success" });
      setOpen(false);
      router.refresh();
    });
  }

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogContent
        className="max-w-lg"
        onCloseAutoFocus={(event) => {
          event.preventDefault();
          returnFocusTo.current?.focus();
        }}
      >
        <DialogHeader>
          <DialogTitle>Chat settings</DialogTitle>
          <DialogDescription>Apply to the next replies in this chat.</DialogDescription>
        </DialogHeader>
        <div className="space-y-4">
          <Field label="Title" htmlFor="chat-title">
            <Input id="chat-title" value={title} maxLength={120} onChange={(event) => setTitle(event.target.value)} />
          </Field>
          {props.models.length > 0 ? (
            <Field label="Model" htmlFor="chat-model" hint="Automatic follows this instance's routing and experiments.">
              <Select value={modelChoice} onValueChange={setModelChoice}>
                <SelectTrigger id="chat-model" data-testid="chat-model">
                  <SelectValue />
                </SelectTrigger>
                <SelectContent>
                  <SelectItem value="auto">Automatic</SelectItem>
                  {props.models.map((model) => (
                    <SelectItem key={model.id} value={model.id}>
                      {model.name}
                    </SelectItem>
                  ))}
                </SelectContent>
              </Select>
            </Field>
          ) : null}
          <div className="grid grid-cols-2 gap-3">
            {NUMBERS.map(({ key, label, step, hint }) => (
              <Field key={key} label={label} htmlFor={`sampling-${key}`} hint={hint}>
                <Input
                  id={`sampling-${key}`}
                  type="number"
                  step={step}
                  value={sampling[key]}
                  onChange={(event) => setSampling({ ...sampling, [key]: Number(event.target.value) })}
                  data-testid={`sampling-${key}`}
                />
              </Field>
            ))}
          </div>
          <Field label="Your name in this chat" htmlFor="persona-name" hint="Empty = your default persona.">
            <Input
              id="persona-name"
              value={personaName}
              maxLength={80}
              onChange={(event) => setPersonaName(event.target.value)}
            />
          </Field>
          {personaName.trim() ? (
            <Field label="Who you are in this chat" htmlFor="persona-description">
              <Textarea
                id="persona-description"
                rows={3}
                value={personaDescription}
                onChange={(event) => setPersonaDescription(event.target.value)}
              />
            </Field>
          ) : null}
        </div>
        <DialogFooter className="sm:justify-between">
          <ConfirmDialog
            trigger={
              <Button variant="ghost" type="button" data-testid="delete-chat">
                Delete chat
              </Button>
            }
            title="Delete this chat?"
            description="The conversation disappears from your list."
            confirmLabel="Delete"
            destructive
            onConfirm={async () => {
              const result = await deleteChatAction(props.conversationId);
              if (result && !result.ok)
                toast({ title: "Not deleted", description: result.error.message, variant: "error" });
            }}
          />
          <Button onClick={save} loading={pending} data-testid="save-chat-settings">
            Save
          </Button>
        </DialogFooter>
      </DialogContent>
    </Dialog>
  );
}
