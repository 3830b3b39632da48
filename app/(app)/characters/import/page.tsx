import type { Metadata } from "next";
import { ImportDropzone } from "@/components/characters/import-dropzone";
import { requireUserPage } from "@/lib/auth/session";
import { listOwned } from "@/lib/characters/queries";

export const metadata: Metadata = { title: "Import Character Cards" };

export default async function ImportPage() {
  const user = await requireUserPage("/characters/import");
  const mine = await listOwned(user.id, { sort: "name", page: 1, pageSize: 100 });
  return (
    <div className="mx-auto max-w-3xl space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Import Character Cards</h1>
        <p className="text-sm text-muted-foreground">
          Cards from SillyTavern and other tools. Broken cards are repaired where possible and every change is listed;
          imported characters start private.
        </p>
      </div>
      <ImportDropzone characters={mine.items.map((character) => ({ id: character.id, name: character.name }))} />
    </div>
  );
}
