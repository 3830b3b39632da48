import { describe, expect, it } from "vitest";
import {
  createSuiteContext,
  ITEM_SCHEMAS,
  itemKey,
  type KnowledgeItem,
  parseSuiteLine,
  readSuite,
  type SuiteHeader,
  type SuiteItem,
  serializeSuite,
} from "./schema";

async function* source(text: string) {
  yield text;
}

const jsonl = (...rows: unknown[]) => `${rows.map((row) => JSON.stringify(row)).join("\n")}\n`;

const hattie = { name: "Hattie Bell", intro: "Hattie Bell keeps a stage station.", summary: "A widow in 1874." };
const candidates = [
  { name: "Vera Sokolova", bio: "Radio engineer, 1961." },
  { name: "Hattie Bell", bio: "Stage station keeper, 1874." },
  { name: "Ravi Menon", bio: "Software tester, 1999." },
  { name: "Agnes Whitlow", bio: "Ferry pilot, 1942." },
];
const withoutHattie = candidates.filter((candidate) => candidate.name !== "Hattie Bell");
const turn = (turnNumber: number, extra: Record<string, unknown> = {}) => ({
  session: "hattie-1",
  turn: turnNumber,
  character: hattie,
  question: `Question ${turnNumber}?`,
  type: "role_specific",
  evidence: "Beans, biscuits and coffee.",
  candidates,
  ...extra,
});

describe("suite files", () => {
  it("round-trip: parse → serialize gives the same text, and parsing that gives the same values", async () => {
    const header: SuiteHeader = { name: "mixed", kind: "knowledge", description: "d", version: 2 };
    const text =
      `${JSON.stringify({ suite: header })}\n` +
      jsonl(turn(0), turn(1, { type: "out_of_knowledge", language: "de" }), turn(2, { shouldRefuse: true }));
    const first = await readSuite(source(text));
    expect(first.errors).toEqual([]);
    const written = serializeSuite(first.header, first.items);
    const second = await readSuite(source(written));
    expect(second).toEqual(first);
    expect(serializeSuite(second.header, second.items)).toBe(written);
    // A stored item (with its `kind`) passes its own schema unchanged.
    expect(ITEM_SCHEMAS.knowledge.parse(first.items[1])).toEqual(first.items[1]);
  });

  it("round-trips persona and regression items with and without their optional fields", async () => {
    const persona: SuiteItem[] = [
      { kind: "persona", persona: "A nurse.", question: "What now?", task: "expected_action", language: "en" },
      {
        kind: "persona",
        id: "p2",
        persona: "A nurse.",
        question: "Why?",
        task: "action_justification",
        rubric: "5: great. 1: bad.",
        language: "fr",
      },
    ];
    const regression: SuiteItem[] = [
      { kind: "regression", character: hattie, question: "Hello?", language: "en" },
      { kind: "regression", id: "r2", character: hattie, question: "Tea?", reference: "Coffee.", language: "en" },
    ];
    for (const items of [persona, regression]) {
      const parsed = await readSuite(source(serializeSuite(undefined, items)));
      expect(parsed).toEqual({ header: undefined, items, errors: [] });
    }
  });

  it("fills defaults: language en, evidence empty, shouldRefuse from the type unless given", async () => {
    const { items } = await readSuite(
      source(
        jsonl(
          {
            session: "s",
            turn: 0,
            character: { name: "Hattie Bell" },
            question: "Statehood?",
            type: "out-of-knowledge",
          },
          { session: "s", turn: 1, character: { name: "Hattie Bell" }, question: "Beans?", type: "Role Specific" },
          {
            session: "s",
            turn: 2,
            character: { name: "Hattie Bell" },
            question: "Odd?",
            type: "role_specific",
            shouldRefuse: true,
          },
        ),
      ),
    );
    expect(
      items.map((item) => item.kind === "knowledge" && [item.type, item.shouldRefuse, item.language, item.evidence]),
    ).toEqual([
      ["out_of_knowledge", true, "en", ""],
      ["role_specific", false, "en", ""],
      ["role_specific", true, "en", ""],
    ]);
  });

  it("reads WikiRoleEval-like rows as knowledge turns numbered per role in file order", async () => {
    const { items, errors } = await readSuite(
      source(
        jsonl(
          {
            role: "Ada Lovelace",
            question: "What did you write about?",
            type: "role-specific",
            evidence: "Notes on the engine.",
          },
          { role: "Hypatia", question: "Who taught you?", type: "role-specific" },
          { role: "Ada Lovelace", question: "What is Python?", type: "out-of-knowledge", evidence: "1840s." },
        ),
      ),
    );
    expect(errors).toEqual([]);
    const knowledge = items as KnowledgeItem[];
    expect(knowledge.map(itemKey)).toEqual(["Ada Lovelace#0", "Hypatia#0", "Ada Lovelace#1"]);
    expect(knowledge[2]).toEqual({
      kind: "knowledge",
      session: "Ada Lovelace",
      turn: 1,
      character: { name: "Ada Lovelace", intro: "", summary: "" },
      question: "What is Python?",
      type: "out_of_knowledge",
      shouldRefuse: true,
      evidence: "1840s.",
      language: "en",
    });
  });

  it("reports each bad line with its number and the field, and goes on reading", async () => {
    const long = "x".repeat(4_001);
    const text = [
      JSON.stringify({ suite: { name: "k", kind: "knowledge" } }),
      JSON.stringify(turn(0)),
      "not json",
      JSON.stringify(turn(1, { question: long })),
      JSON.stringify(turn(1, { type: "trivia" })),
      JSON.stringify(turn(1, { candidates: candidates.slice(0, 3) })),
      JSON.stringify(turn(1, { candidates: [...withoutHattie, { name: "Yusuf al-Haddad" }] })),
      JSON.stringify(turn(1, { candidates: [...candidates.slice(0, 3), candidates[0]] })),
      JSON.stringify(turn(3)),
      JSON.stringify(turn(0)),
      JSON.stringify({ persona: "A nurse.", question: "Hi?", task: "expected_action" }),
      JSON.stringify({ suite: { kind: "knowledge" } }),
      JSON.stringify({ hello: "world" }),
      JSON.stringify(turn(1, { character: { name: "Vera Sokolova" } })),
      JSON.stringify(turn(1)),
    ].join("\n");
    const { items, errors } = await readSuite(source(text));
    expect(errors).toEqual([
      expect.stringMatching(/^line 3: not JSON/),
      "line 4: `question` is 4,001 characters long; the limit is 4,000",
      'line 5: `type` is "trivia"; expected "role_specific", "out_of_knowledge"',
      "line 6: `candidates` must have at least 4 items",
      'line 7: `candidates` must name the character "Hattie Bell" exactly once (found 0 times)',
      "line 8: `candidates` must be four different names",
      'line 9: `turn` is 3; session "hattie-1" is at turn 1 (turns must come in order)',
      'line 10: the item "hattie-1#0" appears twice in the suite',
      "line 11: this looks like a persona item, but the suite is a knowledge suite",
      "line 12: the suite header must be the first line of the file",
      expect.stringMatching(/^line 13: not a suite item .*; found key hello$/),
      'line 14: `character.name` is "Vera Sokolova"; session "hattie-1" is played by "Hattie Bell"',
    ]);
    expect(items.map(itemKey)).toEqual(["hattie-1#0", "hattie-1#1"]);
  });

  it("takes the kind from the first item when there is no header, and an explicit kind beats the keys", () => {
    const context = createSuiteContext();
    const first = parseSuiteLine(JSON.stringify({ character: hattie, question: "Hi?" }), 1, context);
    expect(first.ok && "item" in first.value && first.value.item.kind).toBe("regression");
    const persona = parseSuiteLine(
      JSON.stringify({ persona: "A nurse.", question: "Hi?", task: "expected_action" }),
      2,
      context,
    );
    expect(persona).toEqual({
      ok: false,
      lineNumber: 2,
      error: "line 2: this looks like a persona item, but the suite is a regression suite",
    });
    const explicit = parseSuiteLine(
      JSON.stringify({ kind: "persona", persona: "A nurse.", question: "Hi?", task: "Toxicity Control" }),
      1,
    );
    expect(explicit.ok && "item" in explicit.value && explicit.value.item).toMatchObject({
      kind: "persona",
      task: "toxicity_control",
    });
  });

  it("removes control characters and trims text", () => {
    const line = parseSuiteLine(
      JSON.stringify({ persona: " A\u0000 nurse. ", question: "Hi?\u0007", task: "expected_action" }),
      1,
    );
    expect(line.ok && "item" in line.value && line.value.item).toMatchObject({ persona: "A nurse.", question: "Hi?" });
  });

  // Both found by the fuzzer: a stack overflow and a TypeError that escaped the reader (an upload's 500).
  it("refuses a line nested too deep, and names a value that is not text without printing it", () => {
    const deep = `{"persona": "A nurse.", "question": "Hi?", "task": "expected_action", "x": ${"[".repeat(50_000)}${"]".repeat(50_000)}}`;
    expect(parseSuiteLine(deep, 1)).toEqual({
      ok: false,
      lineNumber: 1,
      error: "line 1: the line is nested more than 100 levels deep",
    });
    const task = parseSuiteLine('{"persona": "A nurse.", "question": "Hi?", "task": {"toString": 1}}', 2);
    expect(task).toMatchObject({ ok: false, error: expect.stringMatching(/^line 2: `task` is an object; expected /) });
  });

  it("keys persona and regression items by id, else by their text", () => {
    const persona = {
      kind: "persona",
      persona: "A nurse.",
      question: "Hi?",
      task: "expected_action",
      language: "en",
    } as const;
    expect(itemKey({ ...persona, id: "p1" })).toBe("p1");
    expect(itemKey(persona)).toMatch(/^persona:[0-9a-f]{16}$/);
    expect(itemKey(persona)).toBe(itemKey({ ...persona, question: "  hi? " }));
    expect(itemKey(persona)).not.toBe(itemKey({ ...persona, task: "toxicity_control" }));
    const regression = { kind: "regression", character: hattie, question: "Hi?", language: "en" } as const;
    expect(itemKey(regression)).toBe(itemKey({ ...regression, character: { ...hattie, intro: "A new prompt." } }));
  });

  it("refuses to write items of another kind under a header", () => {
    expect(() =>
      serializeSuite({ kind: "persona", description: "", version: 1 }, [
        { kind: "regression", character: hattie, question: "Hi?", language: "en" },
      ]),
    ).toThrow("A persona suite cannot hold regression items.");
  });
});
