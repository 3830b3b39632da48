import { Badge, type BadgeVariant } from "@/components/ui/badge";
import type { SampleState } from "@/lib/curation/states";

const LOOK: Record<SampleState, { label: string; variant: BadgeVariant }> = {
  NEW: { label: "new", variant: "outline" },
  AUTO_CHECKED: { label: "auto-checked", variant: "secondary" },
  NEEDS_REVIEW: { label: "needs review", variant: "warning" },
  APPROVED: { label: "approved", variant: "success" },
  REJECTED: { label: "rejected", variant: "destructive" },
  ERASED: { label: "erased", variant: "outline" },
};

export function StateBadge({ state }: { state: SampleState }) {
  const look = LOOK[state];
  return (
    <Badge variant={look.variant} data-testid="sample-state" data-state={state}>
      {look.label}
    </Badge>
  );
}
