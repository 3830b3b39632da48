import { describe, expect, it } from "vitest";
import { assignCandidates, characterBio, rightCandidate } from "./candidates";
import { type KnowledgeItem, sameName } from "./schema";

const names = ["Hattie Bell", "Vera Sokolova", "Ravi Menon", "Agnes Whitlow", "Nell Cartwright", "Tupaq Willka"];

/** Two turns per character, each character in a session of its own. */
const suite: KnowledgeItem[] = names.flatMap((name) =>
  [0, 1].map((turn) => ({
    kind: "knowledge" as const,
    session: `${name}-1`,
    turn,
    character: { name, intro: `${name}, someone.`, summary: `${name} is invented. More follows.` },
    question: `Question ${turn}?`,
    type: "role_specific" as const,
    shouldRefuse: false,
    evidence: "",
    language: "en",
  })),
);

describe("assignCandidates", () => {
  it("gives every turn four different candidates, its own character exactly once", () => {
    for (const item of assignCandidates(suite, "seed")) {
      const candidates = item.candidates ?? [];
      expect(candidates).toHaveLength(4);
      expect(new Set(candidates.map((candidate) => candidate.name)).size).toBe(4);
      expect(candidates.filter((candidate) => sameName(candidate.name, item.character.name))).toHaveLength(1);
      expect(candidates.every((candidate) => names.includes(candidate.name))).toBe(true);
      expect(item.candidates?.[["A", "B", "C", "D"].indexOf(rightCandidate(item) ?? "")]?.name).toBe(
        item.character.name,
      );
    }
  });

  it("is deterministic, per session, and independent of the order of the items", () => {
    const first = assignCandidates(suite, "seed");
    expect(assignCandidates(suite, "seed")).toEqual(first);
    const reversed = assignCandidates([...suite].reverse(), "seed").reverse();
    expect(reversed).toEqual(first);
    for (let index = 0; index < first.length; index += 2) {
      expect(first[index]?.candidates).toEqual(first[index + 1]?.candidates);
    }
  });

  it("draws differently for another seed, and puts the right answer in more than one position", () => {
    const layouts = (seed: string) =>
      assignCandidates(suite, seed).map((item) => item.candidates?.map((c) => c.name).join());
    expect(layouts("other")).not.toEqual(layouts("seed"));
    const positions = new Set(
      ["a", "b", "c", "d", "e"].flatMap((seed) => assignCandidates(suite, seed).map(rightCandidate)),
    );
    expect(positions.size).toBeGreaterThan(1);
  });

  it("keeps candidates an item already has", () => {
    const given = [
      { name: "Hattie Bell", bio: "" },
      { name: "W", bio: "" },
      { name: "X", bio: "" },
      { name: "Y", bio: "" },
    ];
    const [first] = assignCandidates([{ ...suite[0]!, candidates: given }, ...suite.slice(1)], "seed");
    expect(first?.candidates).toBe(given);
  });

  it("uses the first sentence of the summary as the bio", () => {
    const [first] = assignCandidates(suite, "seed");
    const own = first?.candidates?.find((candidate) => candidate.name === first.character.name);
    expect(own?.bio).toBe("Hattie Bell is invented.");
    expect(characterBio({ name: "N", intro: "Only an intro. Here.", summary: "" })).toBe("Only an intro.");
  });

  it("needs four different characters", () => {
    const three = suite.filter((item) => names.slice(0, 3).includes(item.character.name));
    expect(() => assignCandidates(three, "seed")).toThrow(/at least 4 different characters.*it has 3/);
  });
});
