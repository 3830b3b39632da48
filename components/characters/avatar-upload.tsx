"use client";

import { ImageUp } from "lucide-react";
import { useRouter } from "next/navigation";
import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";

export function AvatarUpload({ characterId }: { characterId: string }) {
  const router = useRouter();
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);

  async function upload(file: File | undefined) {
    if (!file) return;
    setBusy(true);
    try {
      const response = await fetch(`/api/characters/${characterId}/avatar`, { method: "PUT", body: file });
      if (!response.ok) {
        const body = await response.json().catch(() => null);
        toast({
          title: "Avatar not changed",
          description: body?.error?.message ?? `HTTP ${response.status}`,
          variant: "error",
        });
        return;
      }
      toast({ title: "Avatar updated", variant: "success" });
      router.refresh();
    } finally {
      setBusy(false);
      if (input.current) input.current.value = "";
    }
  }

  return (
    <>
      <input
        ref={input}
        type="file"
        accept="image/png,image/jpeg,image/webp,image/gif"
        className="sr-only"
        aria-label="Avatar image"
        data-testid="avatar-input"
        onChange={(event) => void upload(event.target.files?.[0])}
      />
      <Button type="button" variant="ghost" size="sm" loading={busy} onClick={() => input.current?.click()}>
        <ImageUp aria-hidden className="size-4" /> Avatar
      </Button>
    </>
  );
}
