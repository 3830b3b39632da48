import type { Metadata } from "next";
import Link from "next/link";
import { StartArenaButton } from "@/components/arena/start-arena-button";
import { CharacterAvatar } from "@/components/characters/character-tile";
import { ModelStatusBanner } from "@/components/layout/model-status-banner";
import { Card, CardContent } from "@/components/ui/card";
import { EmptyState } from "@/components/ui/empty-state";
import { arenaVersions } from "@/lib/arena/queries";
import { requireUserPage } from "@/lib/auth/session";
import { listGallery, listOwned } from "@/lib/characters/queries";

export const metadata: Metadata = { title: "Arena" };

export default async function ArenaPage() {
  const user = await requireUserPage("/arena");
  const query = { sort: "updated" as const, page: 1, pageSize: 12 };
  const [versions, own, gallery] = await Promise.all([arenaVersions(), listOwned(user.id, query), listGallery(query)]);
  const characters = [...own.items, ...gallery.items.filter((item) => !own.items.some((mine) => mine.id === item.id))];
  const open = versions.length >= 2;
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <h1 className="text-2xl font-semibold tracking-tight">Arena</h1>
        <Link href="/arena/leaderboard" className="text-sm text-primary underline-offset-4 hover:underline">
          Leaderboard
        </Link>
      </div>
      <ModelStatusBanner isAdmin={user.role === "ADMIN"} />
      <p className="max-w-2xl text-sm text-muted-foreground">
        Chat with a character while two models answer each message side by side, blind and in random order. Pick the
        better reply (or call a tie); the names are revealed after your vote and the chat goes on from your pick.
      </p>
      {!open ? (
        <EmptyState
          data-testid="arena-closed"
          title="The arena is closed"
          description={
            user.role === "ADMIN"
              ? "Put at least two model versions in the arena on Admin → Models."
              : "An admin has to put at least two models in the arena."
          }
        />
      ) : characters.length === 0 ? (
        <EmptyState title="No characters yet" description="Create or import a character to battle with." />
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="arena-characters">
          {characters.map((character) => (
            <li key={character.id}>
              <Card>
                <CardContent className="flex items-center gap-3 py-4">
                  <CharacterAvatar id={character.id} avatarId={character.avatarId} name={character.name} size={40} />
                  <span className="min-w-0 flex-1 truncate font-medium">{character.name}</span>
                  <StartArenaButton characterId={character.id} />
                </CardContent>
              </Card>
            </li>
          ))}
        </ul>
      )}
      <p className="text-xs text-muted-foreground">{versions.length} model(s) in the arena.</p>
    </div>
  );
}
