// Fuzzing the evaluation suite reader with generated suite files of each kind: known-good items (in
// session order, with unique keys), lines that are bad in context (another kind, a duplicate, a
// skipped turn, a late header) or on their own (junk, not JSON, wrong fields, too deep), mutated
// items, blank lines, CRLF, a byte-order mark and chunk cuts anywhere. Every good line must be read,
// every bad one refused with its line number, nothing may throw, every item must be storable and
// must come back the same from the suite file Troupe writes. Seed and counts: lib/testing/fuzz.ts.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_MAX_LINE_BYTES } from "@/lib/synthesis/inputs";
import { collect } from "@/lib/synthesis/inputs/fixtures/build";
import {
  blankLine,
  CASE_TIME_LIMIT_MS,
  CaseTimer,
  checkLineResults,
  deepJsonText,
  FUZZ_RUNS,
  type FuzzLine,
  fuzzOptions,
  hostileText,
  jsonlFile,
  junkLine,
  line,
  mutated,
  streamOf,
  tooLongLine,
  unstorablePath,
} from "@/lib/testing/fuzz";
import {
  EVAL_LIMITS,
  ITEM_SCHEMAS,
  PERSONA_TASKS,
  parseSuite,
  readSuite,
  SUITE_KINDS,
  type SuiteHeader,
  type SuiteItem,
  type SuiteKind,
  serializeSuite,
  suiteHeaderSchema,
} from "./schema";

const someText = fc
  .tuple(hostileText, fc.constantFrom("A", "é", "日"))
  .map(([text, letter]) => `${letter}${text}${letter}`);
const language = fc.constantFrom(undefined, "en", "de", "pt-BR", "ja");
const json = (value: unknown) => JSON.stringify(value) ?? "null";

/** What the lines so far fixed: a line is good or bad only given these. */
type State = {
  kind: SuiteKind;
  /** The kind is fixed (by a header or a first good item), so another kind is refused. */
  fixed: boolean;
  goodLines: number;
  lastItem?: string;
  index: number;
  nextTurn: Map<string, number>;
};
type Step = (state: State) => FuzzLine;

const NAMES = ["Hattie Bell", "Oswin Marr", "Vera Sokolova"];
const OTHERS = ["Ravi Menon", "Agnes Whitlow", "Yusuf al-Haddad"];

// Good lines, each made for the state it lands in.

const header = fc
  .record(
    {
      name: someText,
      description: someText,
      version: fc.integer({ min: 1, max: 1000 }),
    },
    { requiredKeys: [] },
  )
  .map(
    (fields): Step =>
      (state) =>
        line(json({ suite: { ...fields, kind: state.kind } }), "good"),
  );

const personaItem = fc
  .record({
    id: fc.boolean(),
    persona: someText,
    question: someText,
    task: fc.constantFrom(...PERSONA_TASKS, "Expected Action", "toxicity-control", "Linguistic Habits"),
    rubric: fc.option(someText, { nil: undefined }),
    language,
  })
  .map(({ id, question, ...item }) => (index: number) => ({
    ...item,
    ...(id ? { id: `g${index}` } : {}),
    question: `${question} #${index}`,
  }));

const regressionItem = fc
  .record({
    id: fc.boolean(),
    character: fc.record({ name: someText, intro: someText, summary: someText }, { requiredKeys: ["name"] }),
    question: someText,
    reference: fc.option(someText, { nil: undefined }),
    language,
  })
  .map(({ id, question, ...item }) => (index: number) => ({
    ...item,
    ...(id ? { id: `g${index}` } : {}),
    question: `${question} #${index}`,
  }));

const knowledgeFields = fc.record({
  who: fc.nat(NAMES.length - 1),
  benchmark: fc.boolean(),
  question: someText,
  type: fc.constantFrom("role_specific", "out_of_knowledge", "Role Specific", "out-of-knowledge"),
  shouldRefuse: fc.option(fc.boolean(), { nil: undefined }),
  evidence: fc.option(someText, { nil: undefined }),
  intro: someText,
  candidates: fc.boolean(),
  language,
});

/** The next turn of a session (or, as WikiRoleEval rows, of a role): in order, under the 50-turn limit. */
function knowledgeLine(fields: typeof knowledgeFields extends fc.Arbitrary<infer F> ? F : never, state: State) {
  const name = NAMES[fields.who] ?? "Hattie Bell";
  const session = fields.benchmark ? name : `session-${fields.who}`;
  const turn = state.nextTurn.get(session) ?? 0;
  if (turn >= EVAL_LIMITS.turnsPerSession) return undefined;
  const question = `${fields.question} #${state.index}`;
  if (fields.benchmark)
    return { session, item: { role: name, question, type: fields.type, language: fields.language } };
  const candidates = fields.candidates
    ? [name, ...OTHERS].map((candidate, index) => ({ name: candidate, bio: `bio ${index}` }))
    : undefined;
  return {
    session,
    item: {
      session,
      turn,
      character: { name, intro: fields.intro },
      question,
      type: fields.type,
      shouldRefuse: fields.shouldRefuse,
      evidence: fields.evidence,
      candidates,
      language: fields.language,
    },
  };
}

function goodItem(kind: SuiteKind): fc.Arbitrary<Step> {
  if (kind === "knowledge") {
    return knowledgeFields.map(
      (fields): Step =>
        (state) => {
          const made = knowledgeLine(fields, state);
          if (!made) return line(`not json ${state.index}`, "bad");
          state.nextTurn.set(made.session, (state.nextTurn.get(made.session) ?? 0) + 1);
          // A repeated WikiRoleEval row is the role's next turn, not a duplicate: only items with keys count.
          return itemLine(json(made.item), state, !fields.benchmark);
        },
    );
  }
  const make = kind === "persona" ? personaItem : regressionItem;
  return make.map(
    (item): Step =>
      (state) =>
        itemLine(json(item(state.index)), state),
  );
}

function itemLine(text: string, state: State, keyed = true): FuzzLine {
  state.fixed = true;
  state.goodLines++;
  if (keyed) state.lastItem = text;
  return line(text, "good");
}

/** An item of each kind that is fine on its own, to be refused in a suite of another kind. */
const SAMPLE_ITEMS: Record<SuiteKind, Record<string, unknown>> = {
  knowledge: { session: "lone", turn: 0, character: { name: "Lone" }, question: "Q?", type: "role_specific" },
  persona: { persona: "A nurse.", question: "Hi?", task: "expected_action" },
  regression: { character: { name: "Lone" }, question: "Who are you?" },
};

// Bad lines: refused whatever else the file holds, or refused given the state.

const alwaysBad = fc
  .constantFrom(
    "not json",
    "[1, 2]",
    '"text"',
    "{}",
    '{"kind": "other", "question": "x"}',
    '{"kind": {"toString": 1}}',
    '{"hello": "world"}',
    '{"persona": "x", "question": "", "task": "expected_action"}',
    '{"persona": "x", "question": "y", "task": "dancing"}',
    '{"persona": "x", "question": "y", "task": {"toString": 1}}',
    '{"persona": "x", "question": "y", "task": [[["expected_action"]]]}',
    '{"persona": "x", "question": "y", "task": "expected_action", "language": "not a tag"}',
    '{"character": {"name": ""}, "question": "y"}',
    '{"character": "Lone", "question": "y"}',
    '{"session": "s", "turn": -1, "character": {"name": "N"}, "question": "q", "type": "role_specific"}',
    '{"session": "s", "turn": 0.5, "character": {"name": "N"}, "question": "q", "type": "role_specific"}',
    '{"session": "s", "turn": 0, "character": {"name": "N"}, "question": "q", "type": {"valueOf": 1}}',
    '{"role": "", "question": "q", "type": "role_specific"}',
    `{"persona": "x", "question": "${"q".repeat(EVAL_LIMITS.question + 1)}", "task": "expected_action"}`,
    `{"persona": "x", "question": "y", "task": "expected_action", "extra": ${deepJsonText(20_000, "array")}}`,
    `{"session": "deep", "turn": 0, "character": ${deepJsonText(5_000, "object")}, "question": "q", "type": "role_specific"}`,
  )
  .map(
    (text): Step =>
      () =>
        line(text, "bad"),
  );

const badInContext = fc
  .constantFrom(
    "anotherKind",
    "duplicate",
    "lateHeader",
    "skippedTurn",
    "laterStart",
    "otherCharacter",
    "badCandidates",
  )
  .map(
    (problem): Step =>
      (state) =>
        badLine(problem, state) ?? line(`{"not": "an item", "index": ${state.index}}`, "bad"),
  );

/** A line with `problem`, when the state allows it (a duplicate needs an earlier item, …). */
function badLine(problem: string, state: State): FuzzLine | undefined {
  const other = SUITE_KINDS.find((kind) => kind !== state.kind) ?? "persona";
  switch (problem) {
    case "anotherKind":
      return state.fixed ? line(json(SAMPLE_ITEMS[other]), "bad") : undefined;
    case "duplicate":
      return state.lastItem ? line(state.lastItem, "bad") : undefined;
    case "lateHeader":
      return state.goodLines > 0 ? line(json({ suite: { kind: state.kind } }), "bad") : undefined;
  }
  if (state.kind !== "knowledge" || !state.fixed) return undefined;
  const next = state.nextTurn.get("session-0") ?? 0;
  const item = {
    session: "session-0",
    turn: next,
    character: { name: "Hattie Bell" },
    question: `Bad #${state.index}`,
    type: "role_specific",
  };
  switch (problem) {
    case "skippedTurn":
      return line(json({ ...item, turn: next + 1 }), "bad");
    case "laterStart":
      return line(json({ ...item, session: `fresh-${state.index}`, turn: 1 }), "bad");
    case "otherCharacter":
      return next > 0 ? line(json({ ...item, character: { name: "Someone Else" } }), "bad") : undefined;
    case "badCandidates":
      return line(json({ ...item, candidates: ["A", "B", "C", "D"].map((name) => ({ name })) }), "bad");
  }
  return undefined;
}

// Mutations of good items, under keys no good line uses, once the kind is fixed.

const KEYS = [
  "suite",
  "kind",
  "session",
  "turn",
  "character",
  "name",
  "intro",
  "summary",
  "question",
  "type",
  "shouldRefuse",
  "evidence",
  "candidates",
  "bio",
  "persona",
  "task",
  "rubric",
  "reference",
  "language",
  "id",
  "role",
];

const eitherItem = fc
  .tuple(
    mutated({ persona: "A nurse.", question: "Hi?", task: "expected_action", id: "m" }, KEYS),
    mutated({ character: { name: "Lone", intro: "I." }, question: "Who?", reference: "Me.", id: "m" }, KEYS),
    mutated(
      { session: "m", turn: 0, character: { name: "Lone" }, question: "Q?", type: "role_specific", evidence: "E." },
      KEYS,
    ),
  )
  .map(
    (items): Step =>
      (state) => {
        if (!state.fixed) return line(`still not json ${state.index}`, "bad");
        const [persona, regression, knowledge] = items.map((item) => retag(item, state.index));
        const chosen = state.kind === "persona" ? persona : state.kind === "regression" ? regression : knowledge;
        return line(json(chosen), "either");
      },
  );

/** Makes a mutated item's key its own (`m<index>`) wherever the mutation left the id or session as it was. */
function retag(item: unknown, index: number): unknown {
  if (typeof item !== "object" || item === null || Array.isArray(item)) return item;
  const copy = { ...(item as Record<string, unknown>) };
  if (copy.id === "m") copy.id = `m${index}`;
  if (copy.session === "m") copy.session = `m${index}`;
  return copy;
}

function suiteFile(kind: SuiteKind) {
  const lines = fc
    .tuple(
      fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 2, arbitrary: header }),
      fc.array(
        fc.oneof(
          { weight: 8, arbitrary: goodItem(kind) },
          { weight: 2, arbitrary: alwaysBad },
          { weight: 2, arbitrary: badInContext },
          { weight: 3, arbitrary: eitherItem },
          {
            weight: 2,
            arbitrary: blankLine.map(
              (blank): Step =>
                () =>
                  blank,
            ),
          },
          {
            weight: 1,
            arbitrary: junkLine.map(
              (junk): Step =>
                () =>
                  junk,
            ),
          },
        ),
        { maxLength: 32, size: "medium" },
      ),
      // Rarely: a line over the reader's 1 MiB limit.
      fc.oneof(
        { weight: 39, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: tooLongLine(DEFAULT_MAX_LINE_BYTES) },
      ),
    )
    .map(([first, steps, tooLong]) => {
      const state: State = { kind, fixed: false, goodLines: 0, index: 0, nextTurn: new Map() };
      const made: FuzzLine[] = [];
      if (first) {
        made.push(first(state));
        state.fixed = true;
        state.goodLines++;
      }
      for (const step of steps) {
        state.index++;
        made.push(step(state));
      }
      if (tooLong) made.push(tooLong);
      return made;
    });
  return jsonlFile(lines);
}

const timer = new CaseTimer();
const totals = new Map<string, { files: number; lines: number; items: number; refused: number }>();

afterAll(() => {
  for (const [kind, total] of totals) {
    console.info(
      `[fuzz] eval suites (${kind}): ${total.files} files, ${total.lines} lines, ${total.items} items read, ${total.refused} lines refused`,
    );
  }
  console.info(`[fuzz] eval suites: slowest file ${timer.slowestMs.toFixed(0)} ms`);
  expect(timer.slowestMs).toBeLessThan(CASE_TIME_LIMIT_MS);
});

describe("fuzzing evaluation suite files", () => {
  for (const kind of SUITE_KINDS) {
    it(`${kind} suites (${FUZZ_RUNS} files)`, async () => {
      await fc.assert(
        fc.asyncProperty(suiteFile(kind), async (file) => {
          const results = await timer.timeAsync(() => collect(parseSuite(streamOf(file.chunks))));
          const counts = checkLineResults(file, results);
          let suiteHeader: SuiteHeader | undefined;
          const items: SuiteItem[] = [];
          for (const result of results) {
            if (!result.ok) continue;
            if ("header" in result.value) {
              suiteHeader = result.value.header;
              expect(suiteHeaderSchema.parse(suiteHeader)).toEqual(suiteHeader);
              continue;
            }
            const { item } = result.value;
            expect(item.kind).toBe(kind);
            // Items are stored as jsonb and checked again with the same schema when read back.
            expect(unstorablePath(item)).toBeUndefined();
            expect(ITEM_SCHEMAS[item.kind].parse(item)).toEqual(item);
            items.push(item);
          }
          // The file Troupe writes for these items reads back as the same suite.
          const written = await readSuite(streamOf([new TextEncoder().encode(serializeSuite(suiteHeader, items))]));
          expect(written).toEqual({ header: suiteHeader, items, errors: [] });
          const total = totals.get(kind) ?? { files: 0, lines: 0, items: 0, refused: 0 };
          totals.set(kind, {
            files: total.files + 1,
            lines: total.lines + file.lines.length,
            items: total.items + items.length,
            refused: total.refused + counts.failed,
          });
        }),
        fuzzOptions(`eval suites: ${kind}`),
      );
    }, 300_000);
  }
});
