import { describe, expect, it } from "vitest";
import { checkSample, dominantScript, type Turn } from "./heuristics";

const chat = (...answers: string[]): Turn[] => [
  { role: "system", content: "You are Maren." },
  ...answers.flatMap((answer, index) => [
    { role: "user" as const, content: `Question ${index + 1}?` },
    { role: "assistant" as const, content: answer },
  ]),
];

const codes = (turns: Turn[], options = {}) => checkSample(turns, options).map((flag) => flag.code);

describe("automatic sample checks", () => {
  it("passes a clean in-character exchange", () => {
    expect(
      codes(chat("*Maren laughs.* The tide waits for nobody, friend."), { language: "en", characterName: "Maren" }),
    ).toEqual([]);
  });

  it("flags empty turns, truncation, stepping out of role and name prefixes", () => {
    expect(
      codes([
        { role: "user", content: " " },
        { role: "assistant", content: "Fine." },
      ]),
    ).toContain("empty_turn");
    expect(codes(chat("The tide waits for nobody and the"))).toContain("truncated");
    expect(codes(chat("As an AI, I don't have feelings about the sea."))).toContain("breaks_role");
    expect(codes(chat("I'm just an AI assistant, but here goes."))).toContain("breaks_role");
    expect(codes(chat("Maren: The tide waits."), { characterName: "Maren" })).toContain("repeated_name");
  });

  it("flags answers in the wrong writing system and length outliers", () => {
    expect(dominantScript("Привет, как дела?")).toBe("cyrillic");
    expect(codes(chat("Привет, как дела?"), { language: "en" })).toContain("wrong_language");
    expect(codes(chat("こんにちは、元気ですか。"), { language: "ja" })).not.toContain("wrong_language");
    expect(codes(chat("Yes."))).toContain("too_short");
    expect(codes(chat(`${"word ".repeat(30).trim()}.`), { maxAnswerWords: 20 })).toContain("too_long");
  });
});
