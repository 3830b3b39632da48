import type { Metadata } from "next";
import { ModelStatusBanner } from "@/components/layout/model-status-banner";
import { EmptyState } from "@/components/ui/empty-state";
import { requireUserPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Characters" };

export default async function CharactersPage() {
  const user = await requireUserPage("/characters");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Characters</h1>
      <ModelStatusBanner isAdmin={user.role === "ADMIN"} />
      <EmptyState
        data-testid="characters-empty"
        title="No characters yet"
        description="Character profiles and Character Card import are not built yet; they are the next piece of work."
      />
    </div>
  );
}
