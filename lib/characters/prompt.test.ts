import { describe, expect, it } from "vitest";
import { DEFAULT_SYSTEM_PROMPT, renderCharacterBlock, renderPostHistory, resolveMacros, splitExamples } from "./prompt";
import { profileSchema } from "./schema";

const profile = profileSchema.parse({
  name: "Maren Holt",
  nickname: "Maren",
  age: "71",
  occupation: "retired lighthouse keeper",
  description: "{{char}} keeps jars of sea glass. She calls <USER> love.",
  personality: "Patient.",
  scenario: "{{User}} knocks at the door.",
  exampleDialogues:
    "<START>\n{{user}}: Hi\n{{char}}: Hello, love.\n<START>\n{{user}}: Tea?\n{{char}}: Always.\n<start>  \n",
  creatorNotes: "SECRET CREATOR NOTE",
  postHistoryInstructions: "Stay in {{char}}'s voice.",
  lorebook: {
    entries: [
      { keys: [], content: "Constant before.", constant: true, position: "before_char", insertionOrder: 2 },
      { keys: [], content: "Constant after.", constant: true, position: "after_char" },
      { keys: ["storm"], content: "Triggered only by keys.", constant: false },
      { keys: [], content: "Disabled.", constant: true, enabled: false },
    ],
  },
});

describe("character block", () => {
  it("renders a golden prompt", () => {
    expect(renderCharacterBlock(profile, { userName: "Sam", userPersona: "A traveller from the south." })).toBe(
      [
        DEFAULT_SYSTEM_PROMPT.replaceAll("{{char}}", "Maren").replaceAll("{{user}}", "Sam"),
        "Constant before.",
        "# Maren\nName: Maren Holt\nAlso known as: Maren\nAge: 71\nOccupation: retired lighthouse keeper",
        "## Description\nMaren keeps jars of sea glass. She calls Sam love.",
        "## Personality\nPatient.",
        "Constant after.",
        "## Scenario\nSam knocks at the door.",
        "## Sam\nA traveller from the south.",
        "## Example dialogues\n<START>\nSam: Hi\nMaren: Hello, love.\n\n<START>\nSam: Tea?\nMaren: Always.",
      ].join("\n\n"),
    );
  });

  it("never includes creator notes or key-triggered lore", () => {
    const text = renderCharacterBlock(profile, { userName: "Sam" });
    expect(text).not.toContain("SECRET CREATOR NOTE");
    expect(text).not.toContain("Triggered only by keys.");
    expect(text).not.toContain("Disabled.");
  });

  it("is deterministic: the same input renders byte-identical text", () => {
    expect(renderCharacterBlock(profile, { userName: "Sam" })).toBe(
      renderCharacterBlock(structuredClone(profile), { userName: "Sam" }),
    );
  });

  it("replaces the default system prompt, keeping it where {{original}} stands", () => {
    const custom = { ...profile, systemPrompt: "House rules first. {{original}}" };
    const text = renderCharacterBlock(custom, { userName: "Sam" });
    expect(text.startsWith("House rules first. You are Maren in an ongoing role-play with Sam.")).toBe(true);
    const replaced = renderCharacterBlock({ ...profile, systemPrompt: "Only this." }, { userName: "Sam" });
    expect(replaced.startsWith("Only this.\n\n")).toBe(true);
  });

  it("prunes example dialogues to the limit", () => {
    expect(renderCharacterBlock(profile, { userName: "Sam", exampleLimit: 1 })).not.toContain("Tea?");
    expect(renderCharacterBlock(profile, { userName: "Sam", exampleLimit: 0 })).not.toContain("Example dialogues");
  });

  it("renders post-history instructions with macros", () => {
    expect(renderPostHistory(profile, { userName: "Sam" })).toBe("Stay in Maren's voice.");
  });
});

describe("macros", () => {
  it("resolve case-insensitively, in both spellings", () => {
    expect(resolveMacros("{{CHAR}} <bot> {{User}} <USER>", "A", "B")).toBe("A A B B");
  });

  it("split examples on <START> in any case, dropping empty blocks", () => {
    expect(splitExamples("<START>\na\n<start>\n\n<Start>b")).toEqual(["a", "b"]);
  });
});
