import { describe, expect, it } from "vitest";
import { answerPrompt, answerTemplateOf } from "./answer";
import type { KnowledgeItem } from "./schema";

const turn = (number: number, intro = "Hattie Bell keeps a stage station in 1874."): KnowledgeItem => ({
  kind: "knowledge",
  session: "h",
  turn: number,
  character: { name: "Hattie Bell", intro, summary: "" },
  question: `Question ${number}?`,
  type: "role_specific",
  shouldRefuse: false,
  evidence: "",
  language: "en",
});

describe("answerPrompt", () => {
  it("sends a knowledge turn with the brief intro and the earlier turns of its session, in order", () => {
    const { system, messages } = answerPrompt(turn(2), [
      { question: "Question 0?", answer: "Answer 0." },
      { question: "Question 1?", answer: "Answer 1." },
    ]);
    expect(system.startsWith("Hattie Bell keeps a stage station in 1874.\n\nYou are Hattie Bell.")).toBe(true);
    expect(messages).toEqual([
      { role: "user", content: "Question 0?" },
      { role: "assistant", content: "Answer 0." },
      { role: "user", content: "Question 1?" },
      { role: "assistant", content: "Answer 1." },
      { role: "user", content: "Question 2?" },
    ]);
  });

  it("says only the name when there is no intro", () => {
    expect(answerPrompt(turn(0, "")).system.startsWith("You are Hattie Bell. Answer")).toBe(true);
  });

  it("throws when the history does not match the turn", () => {
    expect(() => answerPrompt(turn(1))).toThrow("Item h#1 needs 1 earlier turns as history; got 0.");
    expect(() =>
      answerPrompt({ kind: "persona", persona: "A nurse.", question: "Hi?", task: "expected_action", language: "en" }, [
        { question: "a", answer: "b" },
      ]),
    ).toThrow(/needs 0 earlier turns/);
  });

  it("puts the persona in the system prompt", () => {
    const { system, messages } = answerPrompt({
      kind: "persona",
      persona: "A nurse in Chicago.",
      question: "How was the shift?",
      task: "linguistic_habits",
      language: "en",
    });
    expect(system.endsWith("\n\nA nurse in Chicago.")).toBe(true);
    expect(messages).toEqual([{ role: "user", content: "How was the shift?" }]);
  });

  it("names the template each kind is answered with", () => {
    expect(answerTemplateOf("knowledge")).toEqual({
      template: "eval-answer-knowledge@1",
      templateHash: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
  });
});
