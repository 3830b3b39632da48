"use client";

import { useState, useTransition } from "react";
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
import { deleteAccountAction } from "@/lib/users/actions";

export function DeleteAccount({ email }: { email: string }) {
  const [confirmEmail, setConfirmEmail] = useState("");
  const [error, setError] = useState<string | undefined>();
  const [pending, startTransition] = useTransition();

  function submit(event: React.FormEvent) {
    event.preventDefault();
    startTransition(async () => {
      const result = await deleteAccountAction(confirmEmail);
      if (result && !result.ok) setError(result.error.fields?.confirmEmail?.join(" ") ?? result.error.message);
    });
  }

  return (
    <Dialog>
      <DialogTrigger asChild>
        <Button variant="destructive" data-testid="delete-account">
          Delete my account
        </Button>
      </DialogTrigger>
      <DialogContent>
        <form onSubmit={submit} className="space-y-4">
          <DialogHeader>
            <DialogTitle>Delete your account?</DialogTitle>
            <DialogDescription>
              This removes your account, your characters and chats, and any training rows derived from your feedback. It
              cannot be undone.
            </DialogDescription>
          </DialogHeader>
          <Field label={`Type ${email} to confirm`} htmlFor="confirmEmail" error={error}>
            <Input
              value={confirmEmail}
              onChange={(event) => setConfirmEmail(event.target.value)}
              autoComplete="off"
              {...fieldAria("confirmEmail", error)}
            />
          </Field>
          <DialogFooter>
            <Button type="submit" variant="destructive" loading={pending} data-testid="confirm-delete-account">
              Delete permanently
            </Button>
          </DialogFooter>
        </form>
      </DialogContent>
    </Dialog>
  );
}
