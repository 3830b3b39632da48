"use client";

import { MessageCircle } from "lucide-react";
import { useTransition } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import { startChatAction } from "@/lib/chat/actions";

export function StartChatButton({ characterId, disabled }: { characterId: string; disabled?: boolean }) {
  const [pending, start] = useTransition();
  return (
    <Button
      size="sm"
      loading={pending}
      disabled={disabled}
      data-testid="start-chat"
      onClick={() =>
        start(async () => {
          const result = await startChatAction(characterId);
          if (result && !result.ok)
            toast({ title: "Could not start a chat", description: result.error.message, variant: "error" });
        })
      }
    >
      <MessageCircle aria-hidden className="size-4" /> Start chat
    </Button>
  );
}
