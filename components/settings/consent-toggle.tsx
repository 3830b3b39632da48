"use client";

import { useState, useTransition } from "react";
import { Switch } from "@/components/ui/switch";
import { toast } from "@/components/ui/toast";
import { setConsentAction } from "@/lib/users/actions";

export function ConsentToggle({ initial, changedAt }: { initial: boolean; changedAt: string | null }) {
  const [granted, setGranted] = useState(initial);
  const [since, setSince] = useState(changedAt);
  const [pending, startTransition] = useTransition();

  function change(next: boolean) {
    setGranted(next);
    startTransition(async () => {
      const result = await setConsentAction(next);
      if (!result.ok) {
        setGranted(!next);
        toast({ title: "Consent not changed", description: result.error.message, variant: "error" });
        return;
      }
      setSince(result.data.consentChangedAt ? new Date(result.data.consentChangedAt).toISOString() : null);
      toast({
        title: next ? "Thank you — your chats can now help train Troupe's models" : "Consent withdrawn",
        description: next ? undefined : "Your chats and feedback will no longer be used for training.",
        variant: "success",
      });
    });
  }

  return (
    <div className="space-y-2">
      <Switch
        id="training-consent"
        label="Use my chats and feedback to train models"
        checked={granted}
        disabled={pending}
        onCheckedChange={change}
        data-testid="consent-switch"
      />
      <p className="text-sm text-muted-foreground" data-testid="consent-status" data-saved={!pending}>
        {pending ? "Saving…" : granted ? "You have agreed" : "You have not agreed"}
        {since && !pending ? ` (since ${new Date(since).toLocaleString()})` : ""}. Withdrawing removes rows already
        derived from your feedback from future datasets.
      </p>
    </div>
  );
}
