import { describe, expect, it } from "vitest";
import {
  CONSISTENCY_JUDGE,
  dimensionsFor,
  judgesFor,
  PERSONA_JUDGES,
  PERSONA_RUBRICS,
  parseCandidateLetter,
  parseFinalScore,
  parseLastLineInteger,
  templateHash,
} from "./judges";
import type { KnowledgeItem, PersonaItem, RegressionItem } from "./schema";

const knowledge: KnowledgeItem = {
  kind: "knowledge",
  session: "hattie-1",
  turn: 0,
  character: { name: "Hattie Bell", intro: "", summary: "A widow keeping a stage station in 1874." },
  question: "What do you feed the passengers?",
  type: "role_specific",
  shouldRefuse: false,
  evidence: "Beans, biscuits and coffee.",
  candidates: [
    { name: "Vera Sokolova", bio: "Radio engineer, 1961." },
    { name: "Ravi Menon", bio: "" },
    { name: "Hattie Bell", bio: "Stage station keeper, 1874." },
    { name: "Agnes Whitlow", bio: "Ferry pilot, 1942." },
  ],
  language: "en",
};

describe("parseCandidateLetter", () => {
  it.each([
    ["Her talk of biscuits and road agents points to the station keeper.\nC", "C"],
    ["Reasoning…\n\n**C**\n", "C"],
    ["Answer: (B)", "B"],
    ["The answer is D.", "D"],
    ["Final answer - A", "A"],
    ["C. Hattie Bell", "C"],
    ["C) Hattie Bell — the frontier details fit", "C"],
  ])("reads %j as %s", (output, letter) => {
    expect(parseCandidateLetter(output)).toEqual({ value: letter });
  });

  it.each([
    ["", "the reply is empty"],
    ["I am not sure.", 'the last line "I am not sure." does not start with a letter A–D'],
    ["A good fit would be C", 'the last line "A good fit would be C" does not start with a letter A–D'],
    ["E", 'the last line "E" does not start with a letter A–D'],
    ["C\n\nHope that helps!", 'the last line "Hope that helps!" does not start with a letter A–D'],
  ])("fails on %j", (output, reason) => {
    expect(parseCandidateLetter(output)).toEqual({ parseFailure: reason });
  });
});

describe("parseLastLineInteger", () => {
  const grade = { min: 1, max: 10 };
  it.each([
    ["Specific and accurate.\n8", 8],
    ["Good recall.\nScore: 7/10", 7],
    ["**9**", 9],
    ["Grade: 10 out of 10", 10],
    ["Rich detail.\n6 — names the right foods", 6],
    ["7.", 7],
  ])("reads %j as %i", (output, value) => {
    expect(parseLastLineInteger(output, grade)).toEqual({ value });
  });

  it.each([
    ["", "the reply is empty"],
    ["It is quite good overall.", 'the last line "It is quite good overall." has no score'],
    ["I would give it 8", 'the last line "I would give it 8" does not start with the score'],
    ["11", "11 is outside 1–10"],
    ["0", "0 is outside 1–10"],
    ["7.5", "7.5 is not a whole number"],
    ["7 or 8", 'the last line "7 or 8" has more than one number'],
    [
      "8 — mentions the year 1874 correctly",
      'the last line "8 — mentions the year 1874 correctly" has more than one number',
    ],
    ["4/5", "the score is given out of 5, not 10"],
  ])("fails on %j", (output, reason) => {
    expect(parseLastLineInteger(output, grade)).toEqual({ parseFailure: reason });
  });

  it("reads the rejection judge's 1 and 0, and nothing else", () => {
    const binary = { min: 0, max: 1 };
    expect(parseLastLineInteger("She says she has never heard of it.\n1", binary)).toEqual({ value: 1 });
    expect(parseLastLineInteger("Verdict: 0", binary)).toEqual({ value: 0 });
    expect(parseLastLineInteger("2", binary)).toEqual({ parseFailure: "2 is outside 0–1" });
    expect(parseLastLineInteger("1\n0", binary)).toEqual({ value: 0 });
  });
});

describe("parseFinalScore", () => {
  const scale = { min: 1, max: 5 };
  it.each([
    ["The action fits a ranger well.\nfinal score is 4", 4],
    ["Final score is: **5**", 5],
    ["FINAL SCORE: 3/5\nThanks.", 3],
    ["final score is 2. On reflection, the final score is 2.", 2],
  ])("reads %j as %i", (output, value) => {
    expect(parseFinalScore(output, scale)).toEqual({ value });
  });

  it.each([
    ["I'd say 4.", 'the reply has no "final score is N"'],
    ["final score is N", 'the reply has no "final score is N"'],
    ["final score is 6", "6 is outside 1–5"],
    ["final score is 0", "0 is outside 1–5"],
    ["final score is 3.5", "3.5 is not a whole number"],
    ["final score is 3 … no, final score is 4", "the reply gives different final scores (3, 4)"],
    ["final score is 8/10", "the score is given out of 10, not 5"],
  ])("fails on %j", (output, reason) => {
    expect(parseFinalScore(output, scale)).toEqual({ parseFailure: reason });
  });
});

describe("judges", () => {
  it("scores a knowledge turn with consistency, knowledge and rejection, in that order", () => {
    const judges = judgesFor(knowledge);
    expect(judges.map((judge) => [judge.dimension, judge.template])).toEqual([
      ["consistency", "eval-consistency@1"],
      ["knowledge", "eval-knowledge@1"],
      ["rejection", "eval-rejection@1"],
    ]);
    expect(dimensionsFor(knowledge)).toEqual(judges.map((judge) => judge.dimension));
  });

  it("shows the consistency judge the labelled candidates but not the character's name, and scores the letter", () => {
    const [consistency] = judgesFor(knowledge);
    const { system, prompt } = consistency!.render(
      "Beans and biscuits, love, and coffee strong enough to float a horseshoe.",
    );
    expect(system).toBe(CONSISTENCY_JUDGE.system);
    expect(prompt).toContain(
      "A. Vera Sokolova — Radio engineer, 1961.\nB. Ravi Menon\nC. Hattie Bell — Stage station keeper, 1874.\nD. Agnes Whitlow — Ferry pilot, 1942.",
    );
    expect(prompt).toContain("## Answer\nBeans and biscuits");
    expect(consistency!.score("Frontier food.\nC")).toEqual({ value: 1 });
    expect(consistency!.score("B")).toEqual({ value: 0 });
    expect(consistency!.score("no idea")).toHaveProperty("parseFailure");
  });

  it("refuses to render the consistency judge for a turn without candidates", () => {
    const { candidates: _candidates, ...bare } = knowledge;
    expect(() => judgesFor(bare)[0]!.render("Hi")).toThrow(/has no candidates/);
  });

  it("gives the knowledge judge the summary and evidence, and says when there are none", () => {
    const [, knowledgeJudge] = judgesFor(knowledge);
    expect(knowledgeJudge!.render("Beans.").prompt).toContain(
      "## Profile summary\nA widow keeping a stage station in 1874.\n\n## Notes for the grader\nBeans, biscuits and coffee.",
    );
    const bare = judgesFor({ ...knowledge, character: { ...knowledge.character, summary: "" }, evidence: "" })[1]!;
    expect(bare.render("Beans.").prompt).toContain(
      "## Profile summary\n(none given)\n\n## Notes for the grader\n(none given)",
    );
  });

  it("leaves {{slots}} inside an answer as written", () => {
    const [, knowledgeJudge] = judgesFor(knowledge);
    expect(knowledgeJudge!.render("My name is {{name}} and {{question}}").prompt).toContain(
      "## Answer\nMy name is {{name}} and {{question}}",
    );
  });

  it("judges a persona item on its task's rubric, or on the item's own rubric", () => {
    const item: PersonaItem = {
      kind: "persona",
      persona: "A park ranger.",
      question: "A family walks toward a bison. What do you do?",
      task: "expected_action",
      language: "en",
    };
    const [judge] = judgesFor(item);
    expect(judge!.dimension).toBe("expected_action");
    expect(judge!.template).toBe("eval-persona-expected-action@1");
    expect(judge!.render("I step between them.").system).toContain(PERSONA_RUBRICS.expected_action);
    const custom = judgesFor({ ...item, rubric: "5: keeps everyone safe. 1: takes a selfie too." })[0]!;
    const { system } = custom.render("I step between them.");
    expect(system).toContain("5: keeps everyone safe. 1: takes a selfie too.");
    expect(system).not.toContain(PERSONA_RUBRICS.expected_action);
    expect(custom.score("final score is 5")).toEqual({ value: 5 });
  });

  it("falls back to the intro for the regression judge's profile", () => {
    const item: RegressionItem = {
      kind: "regression",
      character: { name: "Maren Holt", intro: "You are Maren, a retired lighthouse keeper.", summary: "" },
      question: "What's the glass for?",
      language: "en",
    };
    const { prompt } = judgesFor(item)[0]!.render("For remembering.");
    expect(prompt).toContain("## Character: Maren Holt\nYou are Maren, a retired lighthouse keeper.");
    expect(prompt).toContain("## Example answer from the character's example dialogues\n(none given)");
  });

  it("hashes the system and user text, so any wording change shows", () => {
    expect(templateHash(CONSISTENCY_JUDGE)).toMatch(/^[0-9a-f]{64}$/);
    expect(templateHash({ ...CONSISTENCY_JUDGE, user: `${CONSISTENCY_JUDGE.user} ` })).not.toBe(
      templateHash(CONSISTENCY_JUDGE),
    );
    const hashes = new Set(Object.values(PERSONA_JUDGES).map(templateHash));
    expect(hashes.size).toBe(5);
  });
});
