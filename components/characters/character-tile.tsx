import Link from "next/link";
import { Badge } from "@/components/ui/badge";
import type { CharacterListItem } from "@/lib/characters/queries";

const VISIBILITY_LABEL = { PRIVATE: "Private", UNLISTED: "Unlisted", PUBLIC: "Public" } as const;

export function CharacterAvatar({
  id,
  avatarId,
  name,
  size = 56,
}: {
  id: string;
  avatarId: string | null;
  name: string;
  size?: number;
}) {
  if (avatarId) {
    return (
      // biome-ignore lint/performance/noImgElement: avatars come from our own API, not static files next/image can optimize
      <img
        src={`/api/characters/${id}/avatar?v=${avatarId}`}
        alt=""
        width={size}
        height={size}
        className="shrink-0 rounded-lg border border-border object-cover"
        style={{ width: size, height: size }}
      />
    );
  }
  return (
    <div
      aria-hidden
      className="flex shrink-0 items-center justify-center rounded-lg bg-secondary font-semibold text-secondary-foreground"
      style={{ width: size, height: size }}
    >
      {name.trim().slice(0, 1).toUpperCase() || "?"}
    </div>
  );
}

export function CharacterTile({
  character,
  showVisibility,
}: {
  character: CharacterListItem;
  showVisibility?: boolean;
}) {
  return (
    <li>
      <Link
        href={`/characters/${character.id}`}
        className="flex h-full gap-3 rounded-lg border border-border bg-card p-3 transition-colors hover:bg-muted"
        data-testid="character-tile"
      >
        <CharacterAvatar id={character.id} avatarId={character.avatarId} name={character.name} />
        <div className="min-w-0 flex-1 space-y-1">
          <div className="flex items-center gap-2">
            <p className="truncate font-medium" data-testid="character-tile-name">
              {character.name}
            </p>
            {showVisibility ? <Badge variant="outline">{VISIBILITY_LABEL[character.visibility]}</Badge> : null}
          </div>
          <p className="line-clamp-2 text-sm text-muted-foreground">{character.tagline || "No description yet."}</p>
          <p className="truncate text-xs text-muted-foreground">
            by {character.owner.name}
            {character.tags.length > 0 ? ` · ${character.tags.slice(0, 4).join(", ")}` : ""}
          </p>
        </div>
      </Link>
    </li>
  );
}
