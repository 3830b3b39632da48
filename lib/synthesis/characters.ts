import "server-only";
// Characters as the synthesis pipelines use them: the current version's profile and the system
// block a trained model will see (the same block chat uses, with a neutral {{user}}).
import { renderCharacterBlock } from "@/lib/characters/prompt";
import { type Profile, profileSchema } from "@/lib/characters/schema";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

export type SynthCharacter = { id: string; versionId: string; name: string; profile: Profile; system: string };

const cache = new Map<string, SynthCharacter>();

export async function synthCharacter(id: string): Promise<SynthCharacter> {
  const character = await db.character.findUnique({
    where: { id },
    select: { id: true, name: true, deletedAt: true, currentVersion: { select: { id: true, profile: true } } },
  });
  if (!character?.currentVersion || character.deletedAt) {
    throw new AppError("not_found:character", `Character ${id} does not exist.`);
  }
  const cached = cache.get(character.currentVersion.id);
  if (cached) return cached;
  const profile = profileSchema.parse(character.currentVersion.profile);
  const loaded = {
    id: character.id,
    versionId: character.currentVersion.id,
    name: character.name,
    profile,
    system: renderCharacterBlock(profile, { userName: "User" }),
  };
  if (cache.size > 1000) cache.clear();
  cache.set(loaded.versionId, loaded);
  return loaded;
}

/** Check up front that every chosen character exists, so a job does not fail item by item. */
export async function assertCharacters(ids: string[]): Promise<void> {
  const found = await db.character.count({ where: { id: { in: ids }, deletedAt: null } });
  if (found !== new Set(ids).size)
    throw new AppError("not_found:character", "Some of the chosen characters do not exist.");
}
