import type { Metadata } from "next";
import { CharacterTile } from "@/components/characters/character-tile";
import { ListControls, Pagination } from "@/components/characters/list-controls";
import { ModelStatusBanner } from "@/components/layout/model-status-banner";
import { EmptyState } from "@/components/ui/empty-state";
import { requireUserPage } from "@/lib/auth/session";
import { listOwned } from "@/lib/characters/queries";
import { listQuerySchema } from "@/lib/characters/schema";
import { CharactersHeader } from "./characters-nav";

export const metadata: Metadata = { title: "My characters" };

export default async function MyCharactersPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  const user = await requireUserPage("/characters");
  const query = listQuerySchema.catch(listQuerySchema.parse({})).parse(await searchParams);
  const result = await listOwned(user.id, {
    search: query.q,
    tag: query.tag,
    sort: query.sort,
    page: query.page,
    pageSize: query.pageSize,
  });
  return (
    <div className="space-y-6">
      <CharactersHeader title="My characters" current="mine" />
      <ModelStatusBanner isAdmin={user.role === "ADMIN"} />
      <ListControls action="/characters" q={query.q} sort={query.sort} tag={query.tag} />
      {result.total === 0 ? (
        <EmptyState
          data-testid="characters-empty"
          title={query.q || query.tag ? "No characters match" : "No characters yet"}
          description={
            query.q || query.tag
              ? "Try another search."
              : "Create one, import a Character Card, or fork one from the gallery."
          }
        />
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="character-list">
          {result.items.map((character) => (
            <CharacterTile key={character.id} character={character} showVisibility />
          ))}
        </ul>
      )}
      <Pagination
        action="/characters"
        params={{ ...(query.q ? { q: query.q } : {}), ...(query.tag ? { tag: query.tag } : {}), sort: query.sort }}
        page={result.page}
        pages={result.pages}
      />
    </div>
  );
}
