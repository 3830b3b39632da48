import { describe, expect, it } from "vitest";
import { aggregateRun, compareRuns, type JudgementSample, type MetricSummary, sampleSd, scoreItem } from "./aggregate";
import type { Dimension } from "./judges";
import { PERSONA_TASKS, type PersonaItem, type PersonaTask, type SuiteItem } from "./schema";

const judge = { template: "eval-test@1", templateHash: "h1", judgeModel: "judge-model" };

/** n samples of one item and dimension; null is a reply the parser could not read. */
const samples = (itemKey: string, dimension: Dimension, values: (number | null)[], by = judge): JudgementSample[] =>
  values.map((value) => ({ itemKey, dimension, value, ...by }));

const character = (name: string) => ({ name, intro: "", summary: "" });

// Hattie: a session of two turns (English); Vera: one turn (German).
const knowledgeSuite: SuiteItem[] = [
  {
    kind: "knowledge",
    session: "h",
    turn: 0,
    character: character("Hattie Bell"),
    question: "What do you feed the passengers?",
    type: "role_specific",
    shouldRefuse: false,
    evidence: "",
    language: "en",
  },
  {
    kind: "knowledge",
    session: "h",
    turn: 1,
    character: character("Hattie Bell"),
    question: "What do you think of Montana becoming a state?",
    type: "out_of_knowledge",
    shouldRefuse: true,
    evidence: "",
    language: "en",
  },
  {
    kind: "knowledge",
    session: "v",
    turn: 0,
    character: character("Vera Sokolova"),
    question: "Wer ging als Erster auf dem Mond?",
    type: "out_of_knowledge",
    shouldRefuse: true,
    evidence: "",
    language: "de",
  },
];

const knowledgeSamples: JudgementSample[] = [
  // consistency: h#0 → 2 of 3 right = 2/3; h#1 → 1 right of 2 valid (one failure left out) = 1/2;
  // v#0 → every sample failed: excluded, not 0.
  ...samples("h#0", "consistency", [1, 1, 0]),
  ...samples("h#1", "consistency", [1, null, 0]),
  ...samples("v#0", "consistency", [null, null, null]),
  // knowledge: h#0 → (8 + 9 + 7) / 3 = 8; h#1 → (6 + 4) / 2 = 5; v#0 → (3 + 3 + 6) / 3 = 4.
  ...samples("h#0", "knowledge", [8, 9, 7]),
  ...samples("h#1", "knowledge", [6, null, 4]),
  ...samples("v#0", "knowledge", [3, 3, 6]),
  // rejection: h#0 → majority 0 (did not refuse), gold false → correct = 1;
  // h#1 → one 1, one 0, one failure: a tie counts as "did not refuse", gold true → incorrect = 0;
  // v#0 → majority 1, gold true → correct = 1.
  ...samples("h#0", "rejection", [0, 0, 1]),
  ...samples("h#1", "rejection", [1, 0, null]),
  ...samples("v#0", "rejection", [1, 1, 0]),
  // Not the suite's: an unknown item, and a dimension knowledge turns are not judged on.
  ...samples("x#0", "knowledge", [5]),
  ...samples("h#0", "regression", [3]),
];

const metric = (metrics: MetricSummary[], name: string) => metrics.find((summary) => summary.metric === name);

describe("aggregateRun on a knowledge suite", () => {
  const run = aggregateRun(knowledgeSuite, knowledgeSamples);

  it("scores each item from its valid samples", () => {
    const scores = Object.fromEntries(run.items.map((item) => [`${item.itemKey} ${item.dimension}`, item.score]));
    expect(scores).toEqual({
      "h#0 consistency": 2 / 3,
      "h#0 knowledge": 8,
      "h#0 rejection": 1,
      "h#1 consistency": 1 / 2,
      "h#1 knowledge": 5,
      "h#1 rejection": 0,
      "v#0 consistency": null,
      "v#0 knowledge": 4,
      "v#0 rejection": 1,
    });
    expect(run.items.find((item) => item.itemKey === "h#1" && item.dimension === "consistency")).toMatchObject({
      validSamples: 2,
      parseFailures: 1,
    });
  });

  it("averages per character, then over characters, with the sample sd across characters", () => {
    // consistency: Hattie (2/3 + 1/2) / 2 = 7/12; Vera has no score → one character, no sd.
    expect(metric(run.metrics, "consistency")).toEqual({
      metric: "consistency",
      mean: expect.closeTo(7 / 12, 10),
      sd: null,
      characters: 1,
      items: 2,
    });
    // knowledge: Hattie (8 + 5) / 2 = 6.5, Vera 4 → (6.5 + 4) / 2 = 5.25;
    // sd = √(((6.5 − 5.25)² + (4 − 5.25)²) / (2 − 1)) = √3.125 ≈ 1.76777.
    expect(metric(run.metrics, "knowledge")).toEqual({
      metric: "knowledge",
      mean: 5.25,
      sd: expect.closeTo(Math.sqrt(3.125), 10),
      characters: 2,
      items: 3,
    });
    // rejection: Hattie (1 + 0) / 2 = 0.5, Vera 1 → 0.75; sd = √(0.25² + 0.25²) = √0.125 ≈ 0.35355.
    expect(metric(run.metrics, "rejection")).toEqual({
      metric: "rejection",
      mean: 0.75,
      sd: expect.closeTo(Math.sqrt(0.125), 10),
      characters: 2,
      items: 3,
    });
    expect(run.metrics.map((summary) => summary.metric)).toEqual(["consistency", "knowledge", "rejection"]);
  });

  it("breaks the scores down by language and by question type", () => {
    const means = (groups: { metrics: MetricSummary[] }[]) =>
      groups.map((group) => group.metrics.map((summary) => summary.mean));
    expect(run.byLanguage.map((group) => group.language)).toEqual(["de", "en"]);
    // de: Vera alone — consistency unscored, knowledge 4, rejection 1.
    // en: Hattie alone — 7/12, 6.5, 0.5.
    expect(means(run.byLanguage)).toEqual([
      [null, 4, 1],
      [expect.closeTo(7 / 12, 10), 6.5, 0.5],
    ]);
    expect(run.byQuestionType.map((group) => group.questionType)).toEqual(["out_of_knowledge", "role_specific"]);
    // out_of_knowledge (h#1, v#0): consistency Hattie 1/2 only; knowledge (5 + 4) / 2; rejection (0 + 1) / 2.
    // role_specific (h#0): 2/3, 8, 1.
    expect(means(run.byQuestionType)).toEqual([
      [0.5, 4.5, 0.5],
      [expect.closeTo(2 / 3, 10), 8, 1],
    ]);
    // sd of (5, 4) = √0.5.
    expect(metric(run.byQuestionType[0]!.metrics, "knowledge")?.sd).toBeCloseTo(Math.sqrt(0.5), 10);
  });

  it("counts items, sessions, samples, parse failures, exclusions and strays", () => {
    expect(run.counts).toEqual({
      items: 3,
      sessions: 2,
      characters: 2,
      samples: 27,
      // consistency 1 + 3, knowledge 1, rejection 1
      parseFailures: 6,
      excluded: 1,
      missing: 0,
      unmatchedSamples: 2,
    });
    expect(run.judges).toEqual([
      { dimension: "consistency", ...judge },
      { dimension: "knowledge", ...judge },
      { dimension: "rejection", ...judge },
    ]);
  });

  it("counts item × dimension pairs without samples as missing, not excluded", () => {
    const partial = aggregateRun(knowledgeSuite, samples("h#0", "knowledge", [7]));
    expect(partial.counts).toMatchObject({ samples: 1, excluded: 0, missing: 8 });
    expect(metric(partial.metrics, "consistency")).toEqual({
      metric: "consistency",
      mean: null,
      sd: null,
      characters: 0,
      items: 0,
    });
  });
});

describe("the rejection vote", () => {
  const [roleSpecific, outOfKnowledge] = knowledgeSuite as [SuiteItem, SuiteItem];
  it("compares the majority with the gold label", () => {
    expect(scoreItem(outOfKnowledge, "rejection", [1, 1, 0])).toBe(1);
    expect(scoreItem(outOfKnowledge, "rejection", [0, 0, 1])).toBe(0);
    expect(scoreItem(roleSpecific, "rejection", [0, 1, 0])).toBe(1);
  });

  it("counts a tie as did-not-refuse: wrong when the gold says refuse, right when it says answer", () => {
    expect(scoreItem(outOfKnowledge, "rejection", [1, 0])).toBe(0);
    expect(scoreItem(roleSpecific, "rejection", [1, 0])).toBe(1);
  });

  it("has no score without valid samples", () => {
    expect(scoreItem(outOfKnowledge, "rejection", [])).toBeNull();
  });
});

describe("aggregateRun on a persona suite", () => {
  const personas = ["A ranger.", "A nurse.", "A baker."];
  const items: PersonaItem[] = personas.flatMap((persona) =>
    PERSONA_TASKS.map((task) => ({ kind: "persona" as const, persona, question: `${task}?`, task, language: "en" })),
  );
  const keyOf = (persona: string, task: PersonaTask) => {
    const item = items.find((candidate) => candidate.persona === persona && candidate.task === task)!;
    return `${item.persona}|${item.task}`;
  };
  // One sample per item (PersonaGym's setting). The nurse's linguistic-habits reply did not parse.
  const scores: Record<string, (number | null)[]> = {
    //            EA TC    LH PC AJ
    "A ranger.": [4, 5, 3, 4, 2],
    "A nurse.": [2, 5, null, 3, 4],
    "A baker.": [3, 4, 5, 5, 3],
  };
  const withIds = items.map((item) => ({ ...item, id: keyOf(item.persona, item.task) }));
  const run = aggregateRun(
    withIds,
    personas.flatMap((persona) =>
      PERSONA_TASKS.flatMap((task, index) => samples(keyOf(persona, task), task, [scores[persona]![index]!])),
    ),
  );

  it("takes each task's mean over personas and PScore as the mean of the five task means", () => {
    // EA (4 + 2 + 3) / 3 = 3; TC (5 + 5 + 4) / 3 = 14/3; LH (3 + 5) / 2 = 4 (the nurse excluded);
    // PC (4 + 3 + 5) / 3 = 4; AJ (2 + 4 + 3) / 3 = 3. PScore = (3 + 14/3 + 4 + 4 + 3) / 5 = 56/15 ≈ 3.7333.
    expect(run.metrics.map((summary) => [summary.metric, summary.mean])).toEqual([
      ["expected_action", 3],
      ["toxicity_control", expect.closeTo(14 / 3, 10)],
      ["linguistic_habits", 4],
      ["persona_consistency", 4],
      ["action_justification", 3],
      ["pscore", expect.closeTo(56 / 15, 10)],
    ]);
  });

  it("takes PScore's sd across the personas scored on all five tasks", () => {
    // Ranger (4 + 5 + 3 + 4 + 2) / 5 = 3.6, baker (3 + 4 + 5 + 5 + 3) / 5 = 4; the nurse lacks a task.
    // sd = √((0.2² + 0.2²) / 1) = √0.08 ≈ 0.28284.
    expect(metric(run.metrics, "pscore")).toEqual({
      metric: "pscore",
      mean: expect.closeTo(56 / 15, 10),
      sd: expect.closeTo(Math.sqrt(0.08), 10),
      characters: 2,
      items: 14,
    });
    expect(run.counts).toMatchObject({
      items: 15,
      sessions: 15,
      characters: 3,
      samples: 15,
      parseFailures: 1,
      excluded: 1,
    });
  });

  it("gives no PScore where a task has no score", () => {
    const group = run.byQuestionType.find((entry) => entry.questionType === "expected_action")!;
    expect(group.metrics.map((summary) => [summary.metric, summary.mean])).toEqual([
      ["expected_action", 3],
      ["pscore", null],
    ]);
  });
});

describe("compareRuns", () => {
  const before = aggregateRun(knowledgeSuite, knowledgeSamples);
  const newJudge = { ...judge, templateHash: "h2" };
  const after = aggregateRun(knowledgeSuite, [
    ...samples("h#0", "consistency", [0, 0, 0]), // 2/3 → 0: −2/3 on a 0–1 scale
    ...samples("h#1", "consistency", [1, null, 0]), // 1/2 → 1/2
    ...samples("v#0", "consistency", [1, 1, 1]), // excluded before, 1 now: only in the new run
    ...samples("h#0", "knowledge", [5, 5, 5], newJudge), // 8 → 5: −3 on a 1–10 scale, −1/3 of it
    ...samples("h#1", "knowledge", [6, 4, null], newJudge), // 5 → 5
    ...samples("v#0", "knowledge", [4, 4, 4], newJudge), // 4 → 4
    ...samples("h#0", "rejection", [0, 0, 0]), // 1 → 1
    ...samples("h#1", "rejection", [1, 1, 0]), // 0 → 1
    ...samples("v#0", "rejection", [1, 1, 1]), // 1 → 1
  ]);
  const comparison = compareRuns(before, after);

  it("lists the items that got worse, the largest drop relative to its scale first", () => {
    expect(comparison.worse).toEqual([
      { itemKey: "h#0", dimension: "consistency", a: 2 / 3, b: 0, delta: -2 / 3, relativeDelta: -2 / 3 },
      { itemKey: "h#0", dimension: "knowledge", a: 8, b: 5, delta: -3, relativeDelta: -1 / 3 },
    ]);
    expect(comparison.items).toHaveLength(8);
    expect(comparison.items.find((item) => item.itemKey === "h#1" && item.dimension === "rejection")).toMatchObject({
      a: 0,
      b: 1,
      delta: 1,
    });
    expect([comparison.onlyInA, comparison.onlyInB]).toEqual([0, 1]);
  });

  it("gives per-metric deltas", () => {
    // consistency: before 7/12; after Hattie (0 + 1/2) / 2 = 1/4, Vera 1 → 5/8. 5/8 − 7/12 = 1/24.
    // knowledge: before 5.25; after Hattie (5 + 5) / 2 = 5, Vera 4 → 4.5: −0.75.
    // rejection: before 0.75; after 1: +0.25.
    expect(comparison.metrics).toEqual([
      { metric: "consistency", a: expect.closeTo(7 / 12, 10), b: 5 / 8, delta: expect.closeTo(1 / 24, 10) },
      { metric: "knowledge", a: 5.25, b: 4.5, delta: -0.75 },
      { metric: "rejection", a: 0.75, b: 1, delta: 0.25 },
    ]);
  });

  it("says which dimensions were judged by a different judge", () => {
    expect(comparison.judgeChanges).toEqual([
      {
        dimension: "knowledge",
        a: [{ dimension: "knowledge", ...judge }],
        b: [{ dimension: "knowledge", ...newJudge }],
      },
    ]);
    expect(compareRuns(before, before).judgeChanges).toEqual([]);
  });
});

describe("sampleSd", () => {
  it("divides by n − 1 and needs two values", () => {
    // mean 5; squares 9 + 1 + 1 + 9 = 20; 20 / 3.
    expect(sampleSd([2, 4, 6, 8])).toBeCloseTo(Math.sqrt(20 / 3), 10);
    expect(sampleSd([3])).toBeNull();
    expect(sampleSd([])).toBeNull();
  });
});
