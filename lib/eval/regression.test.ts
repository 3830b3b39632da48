import { describe, expect, it } from "vitest";
import { sampleCharacters } from "@/lib/characters/samples";
import { emptyProfile, type Profile } from "@/lib/characters/schema";
import { exampleExchanges, regressionSuiteFor } from "./regression";
import { itemKey, readSuite, serializeSuite } from "./schema";

async function* source(text: string) {
  yield text;
}

const maren: Profile = {
  ...emptyProfile("Maren Holt"),
  nickname: "Maren",
  occupation: "retired lighthouse keeper",
  personality: "Patient and dry.",
  facts: [
    { property: "favorite tea", value: "strong black tea" },
    { property: "rarest find", value: "red sea glass" },
    { property: "a property name that is far too long to make a sensible question", value: "x" },
  ],
  exampleDialogues: [
    "<START>",
    "{{user}}: What's the glass for?",
    "{{char}}: *She holds it to the light.* For remembering.",
    "Every piece was something once.",
    "{{user}}: Something else?",
    "{{char}}: Later exchanges are skipped.",
    "<START>",
    "Maren: You're up early, {{user}}.",
    "<USER>: Is it always this windy?",
    "<BOT>: This is a breeze, love.",
    "<start>",
    "{{char}}: Only the character speaks here.",
    "<START>",
    "{{user}}: What's the glass for?",
    "{{char}}: The same question again.",
  ].join("\n"),
};

describe("exampleExchanges", () => {
  it("takes the first user line answered by the character in each block, with continuation lines", () => {
    expect(exampleExchanges(maren.exampleDialogues, ["Maren Holt", "Maren"])).toEqual([
      {
        question: "What's the glass for?",
        reference: "*She holds it to the light.* For remembering.\nEvery piece was something once.",
      },
      { question: "Is it always this windy?", reference: "This is a breeze, love." },
      { question: "What's the glass for?", reference: "The same question again." },
    ]);
  });
});

describe("regressionSuiteFor", () => {
  const suite = regressionSuiteFor(maren, { characterVersion: 3 });

  it("asks the example questions (once each) with the example replies as references, then profile questions", () => {
    expect(suite.items.map((item) => [item.question, item.reference])).toEqual([
      ["What's the glass for?", "*She holds it to the light.* For remembering.\nEvery piece was something once."],
      ["Is it always this windy?", "This is a breeze, love."],
      ["Hello! Who are you, and what do you do with your days?", undefined],
      ["What is the hardest part of your work?", undefined],
      ["How would someone who knows you well describe you?", undefined],
      ["Tell me about your favorite tea.", undefined],
      ["Tell me about your rarest find.", undefined],
    ]);
    expect(suite.header).toEqual({
      name: "Regression: Maren",
      kind: "regression",
      description: "Generated from the example dialogues and profile of Maren (character version 3).",
      version: 1,
    });
  });

  it("gives the model the character's prompt block without the example dialogues", () => {
    const [item] = suite.items;
    expect(item?.character.name).toBe("Maren");
    expect(item?.character.intro).toContain("# Maren");
    expect(item?.character.intro).toContain("Occupation: retired lighthouse keeper");
    expect(item?.character.intro).not.toContain("Example dialogues");
    expect(item?.character.intro).not.toContain("For remembering");
  });

  it("resolves {{user}} and {{char}} in questions and references", () => {
    const profile = {
      ...emptyProfile("Kip"),
      exampleDialogues: "<START>\n{{user}}: Hi {{char}}!\n{{char}}: Yo {{user}}.",
    };
    const [item] = regressionSuiteFor(profile, { userName: "Sam" }).items;
    expect([item?.question, item?.reference]).toEqual(["Hi Kip!", "Yo Sam."]);
  });

  it("asks only the example questions of a character in another language", () => {
    const items = regressionSuiteFor(maren, { language: "de" }).items;
    expect(items.map((item) => item.question)).toEqual(["What's the glass for?", "Is it always this windy?"]);
    expect(items.every((item) => item.language === "de")).toBe(true);
  });

  it("writes a suite that reads back unchanged for each sample character", async () => {
    for (const { profile } of sampleCharacters()) {
      const { header, items } = regressionSuiteFor(profile);
      expect(items.length).toBeGreaterThanOrEqual(2);
      expect(new Set(items.map(itemKey)).size).toBe(items.length);
      expect(await readSuite(source(serializeSuite(header, items)))).toEqual({ header, items, errors: [] });
    }
  });
});
