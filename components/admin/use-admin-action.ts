"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { toast } from "@/components/ui/toast";
import type { ActionResult } from "@/lib/actions";
import type { FieldErrors } from "@/lib/errors";

/**
 * Run an admin server action: a toast either way, field errors kept for the form, and the page
 * refreshed on success so server-rendered tables show the change.
 */
export function useAdminAction() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [fields, setFields] = useState<FieldErrors>({});

  function run<T>(action: () => Promise<ActionResult<T>>, done: { title: string; onSuccess?: (data: T) => void }) {
    start(async () => {
      const result = await action();
      if (!result.ok) {
        setFields(result.error.fields ?? {});
        toast({ title: "Not saved", description: result.error.message, variant: "error" });
        return;
      }
      setFields({});
      toast({ title: done.title, variant: "success" });
      done.onSuccess?.(result.data);
      router.refresh();
    });
  }

  return { run, pending, fieldError: (name: string) => fields[name]?.join(" ") };
}
