// The four identities the consistency judge chooses from. Benchmark rows rarely carry them, so the
// importer draws them from the suite's own characters: the right one plus three others, in a seeded
// order, the same for every turn of a session.
import { AppError } from "@/lib/errors";
import { firstSentence, normalizeForId, truncateClean } from "@/lib/synthesis/inputs/text";
import { sample, seededRandom } from "@/lib/synthesis/random";
import {
  CANDIDATE_LETTERS,
  type Candidate,
  type CandidateLetter,
  type EvalCharacter,
  type KnowledgeItem,
  sameName,
} from "./schema";

/** Long enough to place a character, short enough that four fit a judge prompt comfortably. */
const CANDIDATE_BIO_CHARS = 300;

/** A candidate's bio: the first sentence of the summary (or of the intro when there is no summary). */
export function characterBio(character: EvalCharacter, language = "en"): string {
  const source = character.summary || character.intro;
  return truncateClean(firstSentence(source, language), CANDIDATE_BIO_CHARS);
}

/**
 * The items with `candidates` filled in where they were missing (items that have them keep them).
 * The pool is every character of the suite, once by name, its bio taken from its first item. Each
 * session draws three others and shuffles the four with a PRNG seeded by `seed` and the session id,
 * so a session's draw does not depend on where its items are in the file or on other sessions.
 */
export function assignCandidates(items: readonly KnowledgeItem[], seed: string): KnowledgeItem[] {
  const pool = new Map<string, Candidate>();
  for (const item of items) {
    const key = normalizeForId(item.character.name);
    if (!pool.has(key)) pool.set(key, { name: item.character.name, bio: characterBio(item.character, item.language) });
  }
  if (pool.size < CANDIDATE_LETTERS.length) {
    throw new AppError(
      "unprocessable:eval_suite",
      `Choosing consistency candidates needs at least ${CANDIDATE_LETTERS.length} different characters in the suite; it has ${pool.size}.`,
    );
  }
  const byName = [...pool.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const bySession = new Map<string, Candidate[]>();
  return items.map((item) => {
    if (item.candidates) return item;
    let candidates = bySession.get(item.session);
    if (!candidates) {
      const random = seededRandom(`${seed}\u0000${item.session}`);
      const own = pool.get(normalizeForId(item.character.name)) as Candidate;
      const others = sample(
        byName.filter((candidate) => candidate !== own),
        CANDIDATE_LETTERS.length - 1,
        random,
      );
      candidates = sample([own, ...others], CANDIDATE_LETTERS.length, random);
      bySession.set(item.session, candidates);
    }
    return { ...item, candidates };
  });
}

/** The letter the consistency judge should answer for this item (undefined without candidates). */
export function rightCandidate(item: KnowledgeItem): CandidateLetter | undefined {
  const index = item.candidates?.findIndex((candidate) => sameName(candidate.name, item.character.name)) ?? -1;
  return CANDIDATE_LETTERS[index];
}
