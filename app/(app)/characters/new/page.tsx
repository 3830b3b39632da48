import type { Metadata } from "next";
import { CharacterEditor } from "@/components/characters/character-editor";
import { requireUserPage } from "@/lib/auth/session";
import { emptyProfile } from "@/lib/characters/schema";
import { defaultModelConfig } from "@/lib/llm/config";

export const metadata: Metadata = { title: "New character" };

export default async function NewCharacterPage() {
  const user = await requireUserPage("/characters/new");
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">New character</h1>
      <CharacterEditor
        initial={{ profile: { ...emptyProfile("x"), name: "" }, tags: [], visibility: "PRIVATE" }}
        userName={user.name}
        modelConnected={defaultModelConfig() !== null}
      />
    </div>
  );
}
