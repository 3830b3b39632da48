import type { Metadata } from "next";
import { ModelStatusBanner } from "@/components/layout/model-status-banner";
import { EmptyState } from "@/components/ui/empty-state";
import { requireUserPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Arena" };

export default async function ArenaPage() {
  const user = await requireUserPage("/arena");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Arena</h1>
      <ModelStatusBanner isAdmin={user.role === "ADMIN"} />
      <EmptyState
        data-testid="arena-empty"
        title="No battles yet"
        description="The blind model arena needs chat and the model registry; it is not built yet."
      />
    </div>
  );
}
