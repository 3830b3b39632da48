"use client";

import { useRouter } from "next/navigation";
import { useTransition } from "react";
import { Button } from "@/components/ui/button";
import { toast } from "@/components/ui/toast";
import { controlJobAction } from "@/lib/synthesis/actions";

const ACTIONS: Record<string, ("pause" | "resume" | "cancel")[]> = {
  QUEUED: ["pause", "cancel"],
  RUNNING: ["pause", "cancel"],
  PAUSED: ["resume", "cancel"],
  CANCELLED: ["resume"],
  COMPLETED: [],
};

export function JobControls({ id, status }: { id: string; status: string }) {
  const router = useRouter();
  const [pending, start] = useTransition();
  return (
    <div className="flex gap-2">
      {(ACTIONS[status] ?? []).map((action) => (
        <Button
          key={action}
          size="sm"
          variant={action === "cancel" ? "ghost" : "outline"}
          loading={pending}
          data-testid={`job-${action}`}
          onClick={() =>
            start(async () => {
              const result = await controlJobAction(id, action);
              if (!result.ok) toast({ title: "Not changed", description: result.error.message, variant: "error" });
              router.refresh();
            })
          }
        >
          {action[0]?.toUpperCase()}
          {action.slice(1)}
        </Button>
      ))}
    </div>
  );
}
