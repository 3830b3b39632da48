import { describe, expect, it } from "vitest";
import { duplicateGroups, shingles, signature, similarity } from "./minhash";

const base =
  "The lighthouse keeper climbed the spiral stairs every evening at dusk, counting the steps aloud " +
  "and greeting the gulls that nested on the gallery rail, then lit the great lamp and watched the sea.";

describe("MinHash near-duplicate detection", () => {
  it("estimates Jaccard similarity: identical texts 1, unrelated texts near 0", () => {
    expect(similarity(signature(base), signature(base))).toBe(1);
    const unrelated = signature("Quarterly revenue grew in every region while costs fell, the report says.");
    expect(similarity(signature(base), unrelated)).toBeLessThan(0.1);
  });

  it("ignores case and punctuation", () => {
    expect(shingles("Hello, WORLD! How are you?")).toEqual(shingles("hello world how are you"));
  });

  it("groups near-duplicates, keeps distinct texts apart, and is deterministic", () => {
    const items = [
      { id: "a", text: base },
      { id: "b", text: `${base} ` },
      { id: "c", text: base.replace("every evening", "each evening") },
      { id: "d", text: "A baker in Lyon rises at four to fold butter into dough for the morning croissants." },
      { id: "e", text: "A baker in Lyon rises at four to fold butter into dough for the morning croissants!" },
      { id: "f", text: "Completely different: the chess club meets on Tuesdays in the library basement." },
    ];
    const groups = duplicateGroups(items, { threshold: 0.7 });
    expect(groups).toEqual([
      ["a", "b", "c"],
      ["d", "e"],
    ]);
    expect(duplicateGroups(items, { threshold: 0.7 })).toEqual(groups);
  });

  it("handles empty and very short texts", () => {
    expect(
      duplicateGroups([
        { id: "x", text: "" },
        { id: "y", text: "hi" },
      ]),
    ).toEqual([]);
    expect(
      duplicateGroups([
        { id: "x", text: "Hi" },
        { id: "y", text: "hi!" },
      ]),
    ).toEqual([["x", "y"]]);
  });
});
