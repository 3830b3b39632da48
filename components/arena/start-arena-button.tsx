"use client";

import { Swords } from "lucide-react";
import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";

export function StartArenaButton({ characterId, disabled }: { characterId: string; disabled?: boolean }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <Button
      size="sm"
      variant="outline"
      loading={pending}
      disabled={disabled}
      data-testid="start-arena"
      onClick={() =>
        start(async () => {
          const response = await fetch("/api/arena", {
            method: "POST",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify({ characterId }),
          });
          const body = await response.json().catch(() => null);
          if (!response.ok) {
            toast({ title: "Could not start a battle", description: body?.error?.message, variant: "error" });
            return;
          }
          router.push(`/arena/${body.id}`);
        })
      }
    >
      <Swords aria-hidden className="size-4" /> Battle
    </Button>
  );
}
