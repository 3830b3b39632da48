"use client";

// The settings button renders at once; the dialog (Radix dialog and select, the form) is loaded the
// first time it is opened, which keeps it out of the chat page's first load.
import { Settings2 } from "lucide-react";
import { lazy, Suspense, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import type { Sampling } from "@/lib/chat/schema";

const ChatSettingsDialog = lazy(() => import("./chat-settings-dialog"));

export type ChatSettingsProps = {
  conversationId: string;
  title: string;
  /** "auto" (Troupe's routing) or the id of the serving model version the user picked. */
  modelChoice: string;
  models: { id: string; name: string }[];
  sampling: Sampling;
  personaName: string | null;
  personaDescription: string | null;
};

export function ChatSettings(props: ChatSettingsProps) {
  const [open, setOpen] = useState(false);
  const [loaded, setLoaded] = useState(false);
  const buttonRef = useRef<HTMLButtonElement>(null);
  return (
    <>
      <Button
        ref={buttonRef}
        variant="outline"
        size="sm"
        aria-haspopup="dialog"
        aria-expanded={open}
        data-testid="chat-settings"
        onClick={() => {
          setLoaded(true);
          setOpen(true);
        }}
      >
        <Settings2 aria-hidden className="size-4" /> Settings
      </Button>
      {loaded ? (
        <Suspense fallback={null}>
          <ChatSettingsDialog {...props} open={open} onOpenChange={setOpen} returnFocusTo={buttonRef} />
        </Suspense>
      ) : null}
    </>
  );
}
