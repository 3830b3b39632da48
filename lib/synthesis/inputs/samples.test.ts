// The sample files in samples/synthesis parse cleanly, and bad-lines.jsonl fails exactly as documented.
import { describe, expect, it } from "vitest";
import { chunks, collect, sample } from "./fixtures/build";
import { type InputKind, MAX_REPORTED_ERRORS, parseInputFile, summarizeInput } from "./index";
import { instructionSeedSchema, knowledgeProfileSchema, personaSchema } from "./schema";

const SAMPLES: [InputKind, string, number][] = [
  ["personas", "personas.jsonl", 40],
  ["personas", "personas.txt", 15],
  ["instructions", "instructions-alpaca.jsonl", 25],
  ["instructions", "instructions-sharegpt.jsonl", 10],
  ["instructions", "instructions-openai.jsonl", 10],
  ["knowledge", "knowledge.jsonl", 20],
];

const SCHEMAS = { personas: personaSchema, instructions: instructionSeedSchema, knowledge: knowledgeProfileSchema };

describe("sample files", () => {
  it.each(SAMPLES)("%s: %s parses with no errors", async (kind, fileName, count) => {
    const seedIds = new Set<string>();
    const summary = await summarizeInput(parseInputFile(kind, sample(fileName), { fileName }), {
      onValue: (value) => {
        expect(SCHEMAS[kind].parse(value)).toEqual(value);
        seedIds.add(value.seedId);
      },
    });
    expect(summary).toEqual({ ok: count, failed: 0, errors: [] });
    expect(seedIds.size).toBe(count);
  });

  it("has multi-turn ShareGPT seeds with references, and an OpenAI seed ending on a user turn", async () => {
    const sharegpt = await collect(parseInputFile("instructions", sample("instructions-sharegpt.jsonl")));
    for (const result of sharegpt) {
      expect(result.ok && result.value.hasReferences && result.value.turns.length >= 4).toBe(true);
    }
    const openai = await collect(parseInputFile("instructions", sample("instructions-openai.jsonl")));
    expect(openai.filter((result) => result.ok && !result.value.hasReferences)).toHaveLength(1);
  });

  it("covers four categories and several languages of knowledge profiles", async () => {
    const profiles = await collect(parseInputFile("knowledge", sample("knowledge.jsonl")));
    const values = profiles.flatMap((result) => (result.ok ? [result.value] : []));
    expect(new Set(values.map((profile) => profile.category))).toEqual(
      new Set(["person", "place", "creature", "organization"]),
    );
    expect(new Set(values.map((profile) => profile.language))).toEqual(new Set(["en", "fr", "es", "zh"]));
    for (const profile of values) {
      expect(profile.claims.length).toBeGreaterThan(0);
      expect(profile.article.length).toBeGreaterThan(200);
    }
  });
});

/** What bad-lines.jsonl is meant to show, by kind: the lines written for it and their errors. */
const BAD_LINES: Record<InputKind, Record<number, string | RegExp>> = {
  personas: {
    1: "line 1: `persona` must be a non-empty string",
    2: "line 2: `persona` must be a string, not a number",
    3: "line 3: expected `persona` or `text` (the persona as a string); found keys name, age",
    4: "line 4: `id` must be a string or a number, not a boolean",
    5: /^line 5: not JSON \(.+\)$/,
    6: "line 6: expected an object with `persona` or `text`, or a JSON string; got a list",
  },
  instructions: {
    7: "line 7: `instruction` must be a non-empty string",
    8: "line 8: `input` must be a string, not a number",
    9: "line 9: `conversations[0]` is an assistant turn; the conversation must start with a user turn",
    10: 'line 10: `conversations[1].from` is "bot"; expected "human", "gpt", "system", "user", "assistant"',
    11: "line 11: `messages[1].content` must be a non-empty string",
    12: "line 12: `messages[1]` is a user turn after a user turn; user and assistant turns must alternate",
    13: 'line 13: `messages[0].role` is "tool"; expected "system", "user", "assistant"',
    14: "line 14: `messages` must not be empty",
    15: "line 15: not an instruction seed: expected `instruction` (Alpaca), `conversations` (ShareGPT) or `messages` (OpenAI); found keys prompt, completion",
    16: "line 16: `messages[1]` is a system turn; only the first turn may be a system turn",
  },
  knowledge: {
    17: "line 17: `label` is missing; found keys description, summary",
    18: "line 18: `aliases` must be a list, not a string",
    19: "line 19: `claims` must be an object (property → value or values) or a list of {property, value}, not a string",
    20: "line 20: `claims[0].value` is missing",
    21: 'line 21: `language` must be a language tag like "en", "de" or "pt-BR" (got "English")',
    22: "line 22: `claims.born` must be text, a number or a boolean, not an object",
  },
};

describe("bad-lines.jsonl", () => {
  it.each(Object.keys(BAD_LINES) as InputKind[])(
    "as %s: every line fails, its own lines exactly as expected",
    async (kind) => {
      const results = await collect(parseInputFile(kind, sample("bad-lines.jsonl"), { fileName: "bad-lines.jsonl" }));
      expect(results.map((result) => result.lineNumber)).toEqual(Array.from({ length: 22 }, (_, index) => index + 1));
      expect(results.filter((result) => result.ok)).toEqual([]);
      const expected = BAD_LINES[kind];
      const own = results.filter((result) => result.lineNumber in expected);
      expect(own.map((result) => (result.ok ? "parsed" : result.error))).toEqual(
        Object.values(expected).map((error) => (typeof error === "string" ? error : expect.stringMatching(error))),
      );
    },
  );
});

describe("parseInputFile and summarizeInput", () => {
  async function* manyBadLines(count: number) {
    for (let index = 0; index < count; index++) yield "not json\n";
    yield '{"persona": "A good one."}\n';
  }

  it("counts everything but keeps only the first errors", async () => {
    const summary = await summarizeInput(parseInputFile("personas", manyBadLines(120), { format: "jsonl" }));
    expect(summary.ok).toBe(1);
    expect(summary.failed).toBe(120);
    expect(summary.errors).toHaveLength(MAX_REPORTED_ERRORS);
    expect(summary.errors[0]).toEqual({ lineNumber: 1, error: expect.stringMatching(/^line 1: not JSON/) });
    const few = await summarizeInput(parseInputFile("personas", manyBadLines(5), { format: "jsonl" }), {
      maxErrors: 2,
    });
    expect(few.errors.map((error) => error.lineNumber)).toEqual([1, 2]);
  });

  it("passes each value and its line number to onValue, waiting for it", async () => {
    const seen: [string, number][] = [];
    await summarizeInput(parseInputFile("personas", sample("personas.txt"), { fileName: "personas.txt" }), {
      onValue: async (value, lineNumber) => {
        await new Promise((resolve) => setTimeout(resolve, 1));
        seen.push([value.text.slice(0, 12), lineNumber]);
      },
    });
    expect(seen).toHaveLength(15);
    expect(seen[0]).toEqual(["A clockmaker", 1]);
    expect(seen.map(([, lineNumber]) => lineNumber)).toEqual(Array.from({ length: 15 }, (_, index) => index + 1));
  });

  it("uses the file name or the format option for personas, and passes the line limit on", async () => {
    const asText = await collect(parseInputFile("personas", sample("personas.jsonl"), { fileName: "personas.txt" }));
    expect(asText[0]).toMatchObject({ ok: true, value: { text: expect.stringMatching(/^\{"id"/) } });
    const forced = await collect(
      parseInputFile("personas", sample("personas.jsonl"), { fileName: "x.txt", format: "jsonl" }),
    );
    expect(forced[0]).toMatchObject({ ok: true, value: { sourceId: "troupe-persona-001" } });
    const limited = await summarizeInput(
      parseInputFile("knowledge", sample("knowledge.jsonl"), { maxLineBytes: 1_000 }),
    );
    expect(limited.ok).toBe(0);
    expect(limited.errors[0]?.error).toMatch(/^line 1: too long \(\d+(\.\d)? KB; the limit is 1000 bytes per line\)$/);
  });

  it("refuses a text format for JSON-only kinds", () => {
    expect(() => parseInputFile("knowledge", chunks(), { format: "text" as "jsonl" })).toThrow(
      'knowledge files are JSON Lines; "text" is not accepted',
    );
  });
});
