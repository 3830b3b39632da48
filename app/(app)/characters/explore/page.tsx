import type { Metadata } from "next";
import { CharacterTile } from "@/components/characters/character-tile";
import { ListControls, Pagination } from "@/components/characters/list-controls";
import { EmptyState } from "@/components/ui/empty-state";
import { requireUserPage } from "@/lib/auth/session";
import { galleryTags, listGallery } from "@/lib/characters/queries";
import { listQuerySchema } from "@/lib/characters/schema";
import { CharactersHeader } from "../characters-nav";

export const metadata: Metadata = { title: "Character gallery" };

export default async function GalleryPage({ searchParams }: { searchParams: Promise<Record<string, string>> }) {
  await requireUserPage("/characters/explore");
  const query = listQuerySchema.catch(listQuerySchema.parse({})).parse(await searchParams);
  const [result, tags] = await Promise.all([
    listGallery({ search: query.q, tag: query.tag, sort: query.sort, page: query.page, pageSize: query.pageSize }),
    galleryTags(),
  ]);
  return (
    <div className="space-y-6">
      <CharactersHeader title="Gallery" current="explore" />
      <ListControls action="/characters/explore" q={query.q} sort={query.sort} tag={query.tag} tags={tags} />
      <p className="text-sm text-muted-foreground" data-testid="gallery-count">
        {result.total.toLocaleString()} public character{result.total === 1 ? "" : "s"}
      </p>
      {result.total === 0 ? (
        <EmptyState title="Nothing here yet" description="Public characters appear here." />
      ) : (
        <ul className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3" data-testid="character-list">
          {result.items.map((character) => (
            <CharacterTile key={character.id} character={character} />
          ))}
        </ul>
      )}
      <Pagination
        action="/characters/explore"
        params={{ ...(query.q ? { q: query.q } : {}), ...(query.tag ? { tag: query.tag } : {}), sort: query.sort }}
        page={result.page}
        pages={result.pages}
      />
    </div>
  );
}
