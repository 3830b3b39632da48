import type { Metadata } from "next";
import { ModelStatusBanner } from "@/components/layout/model-status-banner";
import { EmptyState } from "@/components/ui/empty-state";
import { requireUserPage } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Chats" };

export default async function ChatsPage() {
  const user = await requireUserPage("/chats");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Chats</h1>
      <ModelStatusBanner isAdmin={user.role === "ADMIN"} />
      <EmptyState
        data-testid="chats-empty"
        title="No chats yet"
        description="Conversations need characters first; chat is not built yet."
      />
    </div>
  );
}
