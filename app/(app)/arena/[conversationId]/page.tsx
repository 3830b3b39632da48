import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { ArenaView } from "@/components/arena/arena-view";
import { arenaState } from "@/lib/arena/queries";
import { requireUserPage } from "@/lib/auth/session";
import { conversationPersona } from "@/lib/chat/queries";
import { isAppError } from "@/lib/errors";

export const metadata: Metadata = { title: "Arena battle" };

export default async function ArenaChatPage({ params }: { params: Promise<{ conversationId: string }> }) {
  const { conversationId } = await params;
  const user = await requireUserPage(`/arena/${conversationId}`);
  if (!z.uuid().safeParse(conversationId).success) notFound();
  const state = await arenaState(user, conversationId).catch((error) => {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  });
  const { conversation, ...initial } = state;
  const persona = await conversationPersona(user, conversation);
  const characterName = conversation.profile.nickname || conversation.profile.name;
  return (
    <div className="mx-auto max-w-5xl space-y-4">
      <header>
        <h1 className="font-semibold" data-testid="arena-title">
          Arena · {conversation.character.name}
        </h1>
        <p className="text-xs text-muted-foreground">
          Two hidden models answer each message.{" "}
          <Link href="/arena/leaderboard" className="underline-offset-4 hover:underline">
            Leaderboard
          </Link>
        </p>
      </header>
      <ArenaView
        conversationId={conversation.id}
        initial={initial}
        characterName={characterName}
        userName={persona.name}
        canSend={!conversation.readOnly}
      />
    </div>
  );
}
