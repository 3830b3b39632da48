import { describe, expect, it } from "vitest";
import { cleanText, firstSentence, normalizeForId, seedId, truncateClean } from "./text";

describe("text helpers", () => {
  it("normalizes for ids: Unicode forms, case, whitespace", () => {
    expect(normalizeForId("  Ｆｕｌｌ\u00a0Width\t\tTEXT\n")).toBe("full width text");
    expect(normalizeForId("plain text")).toBe("plain text");
    expect(seedId("persona", "A  Baker")).toBe(seedId("persona", "a baker"));
    expect(seedId("x", "a", "b")).not.toBe(seedId("x", "a b"));
  });

  it("removes control characters and replaces lone surrogates", () => {
    expect(cleanText("a\u0000b\u001bc\td\ne\r\n")).toBe("abc\td\ne\r\n");
    expect(cleanText("x\ud800y 🐝")).toBe("x\ufffdy 🐝");
  });

  it("finds the first sentence by the language's rules", () => {
    expect(firstSentence("Dr. Watson met him in 1881. Then more.", "en")).toMatch(
      /^Dr\. Watson met him in 1881\.$|^Dr\.$/,
    );
    expect(firstSentence("It rained. Then it stopped.")).toBe("It rained.");
    expect(firstSentence("他来了。然后走了。", "zh")).toBe("他来了。");
    expect(firstSentence("", "en")).toBe("");
    expect(firstSentence("No full stop at all", "xx-invalid-tag")).toBe("No full stop at all");
  });

  it("truncates at a paragraph, sentence or word, within the limit", () => {
    expect(truncateClean("short", 10)).toBe("short");
    const paragraphs = "First paragraph here.\n\nSecond paragraph is longer than the first one.";
    expect(truncateClean(paragraphs, 40)).toBe("First paragraph here.\n…");
    expect(truncateClean("One sentence. Two sentences are here. Three.", 40)).toBe(
      "One sentence. Two sentences are here. …",
    );
    expect(truncateClean("alpha beta gamma delta epsilon", 20)).toBe("alpha beta gamma…");
    expect(truncateClean("abcdefghijklmnopqrstuvwxyz", 10)).toBe("abcdefgh…");
    expect(truncateClean("🐝🐝🐝🐝🐝🐝", 7)).toBe("🐝🐝…");
    expect(truncateClean("anything", 2)).toBe("");
    for (let max = 3; max < 60; max++) expect(truncateClean(paragraphs, max).length).toBeLessThanOrEqual(max);
  });
});
