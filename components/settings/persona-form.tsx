"use client";

import { useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { Input } from "@/components/ui/input";
import { Textarea } from "@/components/ui/textarea";
import { toast } from "@/components/ui/toast";
import { savePersonaAction } from "@/lib/chat/actions";

export function PersonaForm({ initial }: { initial: { name: string; description: string } }) {
  const [name, setName] = useState(initial.name);
  const [description, setDescription] = useState(initial.description);
  const [pending, start] = useTransition();
  return (
    <form
      className="space-y-3"
      onSubmit={(event) => {
        event.preventDefault();
        start(async () => {
          const result = await savePersonaAction({ name, description });
          toast(
            result.ok
              ? { title: "Persona saved", variant: "success" }
              : { title: "Persona not saved", description: result.error.message, variant: "error" },
          );
        });
      }}
    >
      <Field label="Name" htmlFor="persona-default-name" hint="What characters call you ({{user}}).">
        <Input
          id="persona-default-name"
          value={name}
          maxLength={80}
          onChange={(event) => setName(event.target.value)}
          data-testid="persona-name"
        />
      </Field>
      <Field label="About you" htmlFor="persona-default-description" hint="A few lines characters know about you.">
        <Textarea
          id="persona-default-description"
          rows={3}
          maxLength={2000}
          value={description}
          onChange={(event) => setDescription(event.target.value)}
        />
      </Field>
      <Button type="submit" size="sm" loading={pending} data-testid="persona-save">
        Save persona
      </Button>
    </form>
  );
}
