import type { Metadata } from "next";
import Link from "next/link";
import { notFound, redirect } from "next/navigation";
import { z } from "zod";
import { CharacterAvatar } from "@/components/characters/character-tile";
import { ChatSettings } from "@/components/chat/chat-settings";
import { ChatView } from "@/components/chat/chat-view";
import { RoleplayMarkdown } from "@/components/chat/roleplay-markdown";
import { requireUserPage } from "@/lib/auth/session";
import { conversationPersona, getOwnConversation, loadState } from "@/lib/chat/queries";
import { selectedPath } from "@/lib/chat/tree";
import { isAppError } from "@/lib/errors";
import { listServingVersions, modelConnected } from "@/lib/models/routing";

export const metadata: Metadata = { title: "Chat" };

export default async function ChatPage({ params }: { params: Promise<{ conversationId: string }> }) {
  const { conversationId } = await params;
  const user = await requireUserPage(`/chat/${conversationId}`);
  if (!z.uuid().safeParse(conversationId).success) notFound();
  const conversation = await getOwnConversation(user, conversationId).catch((error) => {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  });
  if (conversation.mode === "ARENA") redirect(`/arena/${conversation.id}`);
  const [state, persona, models, connected] = await Promise.all([
    loadState(conversation.id, conversation.selectedRootId, { blind: conversation.experimentId !== null }),
    conversationPersona(user, conversation),
    listServingVersions(),
    modelConnected(),
  ]);
  const pickedByUser = !conversation.experimentId && models.some((model) => model.id === conversation.modelVersionId);
  const characterName = conversation.profile.nickname || conversation.profile.name;
  // The messages on screen are rendered here, so the browser needs no Markdown code to show them.
  const prerendered = Object.fromEntries(
    selectedPath(state.messages, state.selectedRootId).map((message) => [
      message.id,
      <RoleplayMarkdown key={message.id} text={message.content} />,
    ]),
  );
  return (
    <div className="mx-auto max-w-3xl space-y-4">
      <header className="flex items-center gap-3">
        <CharacterAvatar
          id={conversation.character.id}
          avatarId={conversation.character.avatarId}
          name={characterName}
          size={40}
        />
        <div className="min-w-0 flex-1">
          <h1 className="truncate font-semibold" data-testid="chat-title">
            {conversation.title}
          </h1>
          <p className="truncate text-xs text-muted-foreground" data-testid="chat-subtitle">
            <Link href={`/characters/${conversation.character.id}`} className="hover:underline">
              {conversation.character.name}
            </Link>{" "}
            v{conversation.characterVersion.number} ·{" "}
            {/* An experiment's arm stays blind, so it cannot colour the feedback. */}
            {conversation.experimentId ? "model chosen by Troupe" : conversation.modelId}
          </p>
        </div>
        <ChatSettings
          conversationId={conversation.id}
          title={conversation.title}
          modelChoice={pickedByUser && conversation.modelVersionId ? conversation.modelVersionId : "auto"}
          models={models.map(({ id, name }) => ({ id, name }))}
          sampling={conversation.sampling}
          personaName={conversation.personaName}
          personaDescription={conversation.personaDescription}
        />
      </header>
      <ChatView
        conversationId={conversation.id}
        initial={state}
        prerendered={prerendered}
        characterName={characterName}
        userName={persona.name}
        readOnly={conversation.readOnly}
        modelConnected={connected}
      />
    </div>
  );
}
