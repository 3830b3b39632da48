import { describe, expect, it } from "vitest";
import { collect, errors, jsonLines, values } from "./fixtures/build";
import { briefIntro, knowledgeText, parseKnowledge } from "./knowledge";
import { type KnowledgeProfile, knowledgeProfileSchema } from "./schema";

async function parse(...rows: unknown[]): Promise<KnowledgeProfile[]> {
  const profiles = values(await collect(parseKnowledge(jsonLines(...rows))));
  for (const profile of profiles) expect(knowledgeProfileSchema.parse(profile)).toEqual(profile);
  return profiles;
}

async function problems(...rows: unknown[]): Promise<string[]> {
  return errors(await collect(parseKnowledge(jsonLines(...rows))));
}

const ada = {
  label: "Ada Lovelace",
  description: "English mathematician and writer",
  aliases: ["Ada Byron", "ada byron", "", null, "Ada Lovelace", "Augusta Ada King"],
  claims: { "date of birth": "10 December 1815", occupation: ["mathematician", "writer"], "number of children": 3 },
  category: "person",
  summary: "Ada Lovelace was an English mathematician. She wrote about the Analytical Engine.",
  article: "Augusta Ada Byron was born in London in 1815.",
  id: "Q7259",
};

describe("knowledge lines", () => {
  it("normalizes a full profile: claims flattened, aliases de-duplicated, language defaulted", async () => {
    const [profile] = await parse(ada);
    expect(profile).toEqual({
      label: "Ada Lovelace",
      description: "English mathematician and writer",
      aliases: ["Ada Byron", "Augusta Ada King"],
      claims: [
        { property: "date of birth", value: "10 December 1815" },
        { property: "occupation", value: "mathematician" },
        { property: "occupation", value: "writer" },
        { property: "number of children", value: "3" },
      ],
      category: "person",
      language: "en",
      summary: "Ada Lovelace was an English mathematician. She wrote about the Analytical Engine.",
      article: "Augusta Ada Byron was born in London in 1815.",
      sourceId: "Q7259",
      seedId: expect.stringMatching(/^knowledge:[0-9a-f]{16}$/),
    });
  });

  it("reads a label alone, and claims as a list of {property, value}", async () => {
    const [bare, listed] = await parse(
      { label: "Anansi" },
      {
        label: "Kraken",
        language: "en-GB",
        claims: [
          { property: "habitat", value: "the sea off Norway" },
          { property: "described by", value: ["Erik Pontoppidan", null, ""] },
          { property: "real", value: false },
        ],
      },
    );
    expect(bare).toMatchObject({
      label: "Anansi",
      description: "",
      aliases: [],
      claims: [],
      category: "",
      summary: "",
    });
    expect(listed?.language).toBe("en-GB");
    expect(listed?.claims).toEqual([
      { property: "habitat", value: "the sea off Norway" },
      { property: "described by", value: "Erik Pontoppidan" },
      { property: "real", value: "false" },
    ]);
  });

  it("keeps the seed id when only the summary, claims or article change", async () => {
    const [first, edited, otherLanguage, otherDescription] = await parse(
      ada,
      { ...ada, summary: "Rewritten.", claims: {}, article: "" },
      { ...ada, language: "de" },
      { ...ada, description: "Countess of Lovelace" },
    );
    expect(edited?.seedId).toBe(first?.seedId);
    expect(otherLanguage?.seedId).not.toBe(first?.seedId);
    expect(otherDescription?.seedId).not.toBe(first?.seedId);
  });

  it("accepts a 200,000-character article and refuses a longer one", async () => {
    const article = "word ".repeat(40_000).trim();
    const [long] = await parse({ label: "Long", article });
    expect(long?.article).toHaveLength(199_999);
    expect(await problems({ label: "Longer", article: "x".repeat(200_001) })).toEqual([
      "line 1: `article` is 200,001 characters long; the limit is 200,000",
    ]);
  });

  it("names the field and the problem for every bad line, and goes on", async () => {
    const results = await collect(
      parseKnowledge(
        jsonLines(
          { description: "A city with no name" },
          { label: "   " },
          { label: "Kestrel Vane", aliases: "The Grey Hawk" },
          { label: "Kestrel Vane", claims: "occupation: smuggler" },
          { label: "Kestrel Vane", claims: [{ property: "occupation" }] },
          { label: "Kestrel Vane", claims: [{ value: "smuggler" }] },
          { label: "Kestrel Vane", claims: ["smuggler"] },
          { label: "Kestrel Vane", language: "English" },
          { label: "Kestrel Vane", claims: { born: { year: 1702 } } },
          { label: "Kestrel Vane", claims: { "date of birth": ["1702", { year: 1702 }] } },
          { label: "Kestrel Vane", summary: 12, category: ["a"] },
          { label: "Kestrel Vane" },
          { label: "x".repeat(201) },
          { label: "Kestrel Vane", claims: { " ": "x" } },
          { label: "Kestrel Vane", id: false },
          { label: "Kestrel Vane", claims: { many: Array.from({ length: 1_001 }, (_, index) => index) } },
        ),
      ),
    );
    expect(errors(results)).toEqual([
      "line 1: `label` is missing; found key description",
      "line 2: `label` must be a non-empty string",
      "line 3: `aliases` must be a list, not a string",
      "line 4: `claims` must be an object (property → value or values) or a list of {property, value}, not a string",
      "line 5: `claims[0].value` is missing",
      "line 6: `claims[0].property` is missing",
      "line 7: `claims[0]` must be an object, not a string",
      'line 8: `language` must be a language tag like "en", "de" or "pt-BR" (got "English")',
      "line 9: `claims.born` must be text, a number or a boolean, not an object",
      'line 10: `claims["date of birth"][1]` must be text, a number or a boolean, not an object',
      "line 11: `category` must be a string, not a list; `summary` must be a string, not a number",
      "line 13: `label` is 201 characters long; the limit is 200",
      "line 14: in `claims`, a property name must be a non-empty string",
      "line 15: `id` must be a string or a number, not a boolean",
      "line 16: `claims` has over 1,000 values; that is the limit",
    ]);
    expect(results.filter((result) => result.ok).map((result) => result.lineNumber)).toEqual([12]);
  });

  // Found by the fuzzer: profiles are stored as jsonb, which takes neither NUL nor a lone surrogate.
  it("cleans claim property names and source ids like every other text", async () => {
    const [profile] = await parse({
      label: "Kestrel Vane",
      claims: { "home\u0000port": "Saltmere", "rank\ud800": "captain" },
      id: "Q\u00001",
    });
    expect(profile?.claims).toEqual([
      { property: "homeport", value: "Saltmere" },
      { property: "rank\ufffd", value: "captain" },
    ]);
    expect(profile?.sourceId).toBe("Q1");
  });
});

describe("briefIntro", () => {
  it("is the label, the description and the summary's first sentence", async () => {
    const [profile] = await parse(ada);
    expect(briefIntro(profile as KnowledgeProfile)).toBe(
      "Ada Lovelace, English mathematician and writer. Ada Lovelace was an English mathematician.",
    );
  });

  it("works without a description or summary, in Chinese, and stays short", async () => {
    const [bare, chinese, wordy] = await parse(
      { label: "Anansi" },
      {
        label: "孙悟空",
        description: "《西游记》中的主要角色",
        language: "zh",
        summary: "孙悟空是从花果山仙石中诞生的石猴。他曾大闹天宫。",
      },
      { label: "Wordy", summary: `${"Very long sentence ".repeat(60)}end. Second.` },
    );
    expect(briefIntro(bare as KnowledgeProfile)).toBe("Anansi.");
    expect(briefIntro(chinese as KnowledgeProfile)).toBe(
      "孙悟空，《西游记》中的主要角色。孙悟空是从花果山仙石中诞生的石猴。",
    );
    const intro = briefIntro(wordy as KnowledgeProfile);
    expect(intro.length).toBeLessThanOrEqual(400);
    expect(intro).toMatch(/ (Very|long|sentence)…$/);
    expect(briefIntro(wordy as KnowledgeProfile, 50).length).toBeLessThanOrEqual(50);
  });
});

describe("knowledgeText", () => {
  const profile = async () =>
    (
      await parse({
        ...ada,
        claims: Object.fromEntries(Array.from({ length: 40 }, (_, index) => [`property ${index}`, `value ${index}`])),
        article: Array.from({ length: 30 }, (_, index) => `Paragraph ${index}. It has two sentences.`).join("\n\n"),
      })
    )[0] as KnowledgeProfile;

  it("has the identity, summary, facts and article when they fit", async () => {
    const text = knowledgeText(await profile(), 100_000);
    expect(text).toMatch(/^Name: Ada Lovelace\nAlso known as: Ada Byron; Augusta Ada King\nDescription: English/);
    expect(text).toContain("\n\nSummary:\nAda Lovelace was an English mathematician.");
    expect(text).toContain("\n\nFacts:\n- property 0: value 0\n");
    expect(text).toContain("- property 39: value 39\n\nArticle:\nParagraph 0.");
    expect(text.endsWith("Paragraph 29. It has two sentences.")).toBe(true);
  });

  it("groups several values of one property on one line", async () => {
    const [grouped] = await parse(ada);
    expect(knowledgeText(grouped as KnowledgeProfile)).toContain("- occupation: mathematician; writer");
  });

  it("never exceeds maxChars and cuts at boundaries", async () => {
    const full = await profile();
    const everything = knowledgeText(full, 1_000_000);
    for (const maxChars of [60, 200, 500, 800, 1_000, 1_500, 3_000]) {
      const text = knowledgeText(full, maxChars);
      expect(text.length).toBeLessThanOrEqual(maxChars);
      // Whatever comes before the ellipsis ends where a word of the full text ends.
      const lastLine = (text.split("\n").at(-1) ?? "").replace(/\s*…$/, "");
      if (text.endsWith("…") && lastLine !== "") {
        expect(everything).toMatch(new RegExp(`${lastLine.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\s|$)`));
      }
    }
    const mid = knowledgeText(full, 1_000);
    expect(mid).toMatch(/- … \(\d+ more\)/);
    expect(mid).not.toContain("Article:");
    const roomy = knowledgeText(full, 1_500);
    expect(roomy).toContain("Article:\nParagraph 0.");
    expect(roomy).toMatch(/sentences\.\n…$/);
  });
});
