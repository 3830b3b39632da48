import "server-only";
// The arena leaderboard: Bradley–Terry strengths fitted on every voted round (optionally only
// one character's), with bootstrap 95% intervals. "Both bad" counts as a tie: neither won.
import { db } from "@/lib/db";
import { type Battle, bootstrapBradleyTerry } from "@/lib/feedback/bradley-terry";

export async function arenaLeaderboard(options: { characterId?: string } = {}) {
  const rounds = await db.arenaBattle.findMany({
    where: { vote: { not: null }, ...(options.characterId ? { characterId: options.characterId } : {}) },
    select: { versionAId: true, versionBId: true, vote: true },
  });
  const battles: Battle[] = rounds.map((round) => ({
    a: round.versionAId,
    b: round.versionBId,
    outcome: round.vote === "A" ? "a" : round.vote === "B" ? "b" : "tie",
  }));
  const fit = bootstrapBradleyTerry(battles, { rounds: 200, seed: 7 });
  const names = await db.modelVersion.findMany({
    where: { id: { in: fit.ratings.map((rating) => rating.model) } },
    select: { id: true, name: true },
  });
  const nameOf = new Map(names.map((version) => [version.id, version.name]));
  return {
    battles: battles.length,
    ratings: fit.ratings.map((rating) => ({ ...rating, name: nameOf.get(rating.model) ?? rating.model })),
  };
}

/** Public characters with voted rounds: the leaderboard's filter. */
export async function leaderboardCharacters() {
  const voted = await db.arenaBattle.findMany({
    where: { vote: { not: null } },
    select: { characterId: true },
    distinct: ["characterId"],
    take: 500,
  });
  return db.character.findMany({
    where: { id: { in: voted.map((round) => round.characterId) }, visibility: "PUBLIC", deletedAt: null },
    select: { id: true, name: true },
    orderBy: { name: "asc" },
  });
}
