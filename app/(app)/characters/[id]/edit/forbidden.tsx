import { Alert } from "@/components/ui/alert";

/** A character you may see but not change: someone else's, or deleted. */
export default function EditForbidden() {
  return (
    <Alert
      variant="error"
      title="Read-only"
      description="Only the owner can edit this character, and a deleted character cannot be edited."
      data-testid="edit-forbidden"
    />
  );
}
