"use client";

import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { deleteEndpointAction } from "@/lib/models/actions";
import { useAdminAction } from "./use-admin-action";

export function DeleteEndpointButton(props: { id: string; name: string }) {
  const { run } = useAdminAction();
  return (
    <ConfirmDialog
      trigger={
        <Button variant="ghost" size="sm">
          Delete
        </Button>
      }
      title={`Delete ${props.name}?`}
      description="Only an endpoint without registered model versions can be deleted."
      confirmLabel="Delete"
      destructive
      onConfirm={() => run(() => deleteEndpointAction(props.id), { title: `${props.name} deleted` })}
    />
  );
}
