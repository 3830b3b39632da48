import type { Metadata } from "next";
import { forbidden, notFound } from "next/navigation";
import { CharacterEditor } from "@/components/characters/character-editor";
import { requireUserPage } from "@/lib/auth/session";
import { getCharacterForViewer } from "@/lib/characters/queries";
import { characterIdSchema } from "@/lib/characters/schema";
import { isAppError } from "@/lib/errors";
import { defaultModelConfig } from "@/lib/llm/config";

export const metadata: Metadata = { title: "Edit character" };

export default async function EditCharacterPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const user = await requireUserPage(`/characters/${id}/edit`);
  if (!characterIdSchema.safeParse(id).success) notFound();
  const character = await getCharacterForViewer(user, id).catch((error) => {
    if (isAppError(error) && error.status === 404) notFound();
    throw error;
  });
  // Signed in and allowed to see it, not to change it: a 403 (with ./forbidden.tsx), as the API answers.
  if (!character.canEdit) forbidden();
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Edit {character.name}</h1>
      <CharacterEditor
        characterId={character.id}
        initial={{
          profile: character.profile,
          tags: character.tags,
          visibility: character.visibility,
          version: character.versionCount,
        }}
        userName={user.name}
        modelConnected={defaultModelConfig() !== null}
      />
    </div>
  );
}
