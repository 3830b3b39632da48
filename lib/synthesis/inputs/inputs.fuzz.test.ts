// Fuzzing the synthesis input parsers with generated files: known-good lines, known-bad lines
// (binary junk, invalid UTF-8, not JSON, wrong shapes, over the line limit), mutations of good lines,
// blank lines, CRLF, a byte-order mark, and chunks cut anywhere. Every good line must be kept and
// every bad one refused with its line number, nothing may throw, every value must be storable, and
// reading must not hold more memory for a bigger file. Seed and counts: lib/testing/fuzz.ts.
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import {
  anyJson,
  blankLine,
  CASE_TIME_LIMIT_MS,
  CaseTimer,
  checkLineResults,
  deepJsonText,
  FUZZ_RUNS,
  type FuzzLine,
  fuzzOptions,
  heapAfterGcMb,
  hostileText,
  jsonlFile,
  junkLine,
  line,
  mutated,
  PROTOTYPE_KEYS,
  streamOf,
  tooLongLine,
  unstorablePath,
} from "@/lib/testing/fuzz";
import { collect } from "./fixtures/build";
import { DEFAULT_MAX_LINE_BYTES, type InputKind, parseInputFile, summarizeInput } from "./index";
import { instructionSeedSchema, knowledgeProfileSchema, personaSchema } from "./schema";
import { cleanText } from "./text";

/** Text that is valid wherever a non-empty field is asked for: a letter at each end, anything between. */
const someText = fc
  .tuple(hostileText, fc.constantFrom("A", "é", "日"))
  .map(([text, letter]) => `${letter}${text}${letter}`);
/** The same, on one line of a plain-text file (no line breaks in it). */
const oneLineText = someText.map((text) => text.replace(/[\r\n]/g, " "));
const anyId = fc.oneof(someText, fc.integer(), fc.constantFrom(...PROTOTYPE_KEYS));

const json = (value: unknown) => JSON.stringify(value);

// Personas

const personaGood = fc.oneof(
  fc.record({ persona: someText, id: fc.option(anyId, { nil: undefined }) }).map((row) => line(json(row), "good")),
  fc.record({ text: someText, uuid: anyId }).map((row) => line(json(row), "good")),
  someText.map((text) => line(json(text), "good")),
);
const personaBad = fc
  .oneof(
    fc.constantFrom(
      "5",
      "[1, 2]",
      "null",
      '{"name": "no persona key"}',
      '{"persona": 5}',
      '{"persona": "   "}',
      '{"persona": "\\u0000\\u0001"}',
      '{"persona": "x", "id": {}}',
      '{"persona": "x", "id": "   "}',
      '{"persona": {"toString": 1}}',
      '{"persona": [[[[]]]]}',
      "{",
      "not json at all",
    ),
    fc.tuple(fc.constantFrom("{", "nope ", "[", "{'persona': "), oneLineText).map(([start, rest]) => `${start}${rest}`),
    fc.constantFrom(...PROTOTYPE_KEYS).map((key) => `{"${key}": "a persona"}`),
  )
  .map((text) => line(text, "bad"));
const personaEither = fc
  .oneof(
    mutated({ persona: "A luthier in Cremona.", id: 7 }, ["persona", "text", "id", "uuid", "input persona"]),
    anyJson(["persona", "text", "id", "uuid", "input persona"]),
  )
  .map((value) => line(json(value) ?? "null", "either"));

const personaTextGood = oneLineText.map((text) => line(text, "good"));
const personaTextBad = fc.constantFrom("\u0001", "\u0000 \u0002", "\u001f\t").map((text) => line(text, "bad"));

// Instruction seeds

const alpaca = fc.record(
  {
    instruction: someText,
    input: fc.oneof(someText, fc.constantFrom("", null)),
    output: fc.oneof(someText, fc.constantFrom("", null)),
    system: fc.oneof(someText, fc.constant(null)),
    id: anyId,
  },
  { requiredKeys: ["instruction"] },
);
/** Alternating turns starting with a user turn, in either vocabulary, after an optional system turn. */
const conversation = fc
  .tuple(fc.array(someText, { minLength: 1, maxLength: 6 }), fc.option(someText, { nil: undefined }), fc.boolean())
  .map(([texts, system, shareGpt]) => {
    const turn = (role: "system" | "user" | "assistant", text: string) =>
      shareGpt
        ? { from: { system: "system", user: "human", assistant: "gpt" }[role], value: text }
        : { role, content: text };
    const turns = texts.map((text, index) => turn(index % 2 === 0 ? "user" : "assistant", text));
    const list = system === undefined ? turns : [turn("system", system), ...turns];
    return shareGpt ? { conversations: list } : { messages: list };
  });
const textParts = fc
  .array(someText, { minLength: 1, maxLength: 3 })
  .map((texts) => ({ messages: [{ role: "user", content: texts.map((text) => ({ type: "text", text })) }] }));

const instructionGood = fc.oneof(alpaca, conversation, textParts).map((row) => line(json(row), "good"));
const instructionBad = fc
  .constantFrom(
    "[]",
    '"just text"',
    '{"foo": 1}',
    '{"instruction": ""}',
    '{"instruction": 5}',
    '{"messages": []}',
    '{"messages": "hello"}',
    '{"messages": [{"role": "assistant", "content": "x"}]}',
    '{"messages": [{"role": "user", "content": "x"}, {"role": "user", "content": "y"}]}',
    '{"messages": [{"role": "user", "content": [{"type": "image_url", "image_url": "x"}]}]}',
    '{"messages": [{"role": "user", "content": "x"}, {"role": "system", "content": "late"}]}',
    '{"system": "a", "messages": [{"role": "system", "content": "b"}, {"role": "user", "content": "x"}]}',
    '{"conversations": [{"from": "narrator", "value": "x"}]}',
    '{"conversations": [{"from": {"toString": 1}, "value": "x"}]}',
    '{"conversations": [{"from": [[["deep"]]], "value": "x"}]}',
    '{"messages": [{"role": {"valueOf": 1}, "content": "x"}]}',
    '{"messages": [{"speaker": "user", "text": "x"}]}',
    '{"\\u0000": 1}',
    '{"\\ud800": "lone"}',
    "not json",
  )
  .map((text) => line(text, "bad"));
const INSTRUCTION_KEYS = [
  "instruction",
  "input",
  "output",
  "system",
  "conversations",
  "messages",
  "from",
  "value",
  "role",
  "content",
  "type",
  "text",
  "id",
];
const instructionEither = fc
  .oneof(
    mutated({ instruction: "Name a river.", input: "In Europe.", output: "The Danube." }, INSTRUCTION_KEYS),
    mutated(
      {
        messages: [
          { role: "system", content: "Be brief." },
          { role: "user", content: "Hi" },
          { role: "assistant", content: "Hello" },
        ],
      },
      INSTRUCTION_KEYS,
    ),
    mutated(
      {
        conversations: [
          { from: "human", value: "Hi" },
          { from: "gpt", value: "Hello" },
        ],
      },
      INSTRUCTION_KEYS,
    ),
    anyJson(INSTRUCTION_KEYS),
  )
  .map((value) => line(json(value) ?? "null", "either"));

// Knowledge profiles

const claimValue = fc.oneof(someText, fc.integer(), fc.boolean(), fc.constant(null));
const knowledgeGood = fc
  .record(
    {
      label: someText,
      description: someText,
      aliases: fc.array(fc.oneof(someText, fc.constant(null), fc.constant("")), { maxLength: 4 }),
      claims: fc.oneof(
        fc.dictionary(someText, fc.oneof(claimValue, fc.array(claimValue, { maxLength: 3 })), { maxKeys: 4 }),
        fc.array(fc.record({ property: someText, value: claimValue }), { maxLength: 3 }),
      ),
      category: fc.constantFrom("person", "place", ""),
      language: fc.constantFrom("en", "de", "pt-BR", "zh-Hant-TW", "yue"),
      summary: someText,
      article: someText,
      qid: anyId,
    },
    { requiredKeys: ["label"] },
  )
  .map((row) => line(json(row), "good"));
const knowledgeBad = fc
  .constantFrom(
    "{}",
    "[]",
    '"Ada"',
    '{"label": ""}',
    '{"label": "   "}',
    '{"label": 5}',
    '{"label": "x", "language": "not a tag!"}',
    '{"label": "x", "language": {"toString": 1}}',
    '{"label": "x", "claims": 5}',
    '{"label": "x", "claims": [5]}',
    '{"label": "x", "claims": [{"property": "", "value": "v"}]}',
    '{"label": "x", "claims": [{"property": "p"}]}',
    '{"label": "x", "claims": {"p": {"nested": true}}}',
    '{"label": "x", "aliases": "one"}',
    '{"label": "x", "id": []}',
    '{"name": "Ada", "\\u0000": 1}',
    "{",
  )
  .map((text) => line(text, "bad"));
const KNOWLEDGE_KEYS = [
  "label",
  "description",
  "aliases",
  "claims",
  "property",
  "value",
  "category",
  "language",
  "summary",
  "article",
  "id",
  "qid",
];
const knowledgeEither = fc
  .oneof(
    mutated(
      {
        label: "Ada Lovelace",
        aliases: ["Ada Byron"],
        claims: { occupation: ["mathematician", "writer"], children: 3 },
        language: "en",
        summary: "An English mathematician.",
      },
      KNOWLEDGE_KEYS,
    ),
    anyJson(KNOWLEDGE_KEYS),
  )
  .map((value) => line(json(value) ?? "null", "either"));

// The property

type KindSpec = {
  kind: InputKind;
  fileName: string;
  good: fc.Arbitrary<FuzzLine>;
  bad: fc.Arbitrary<FuzzLine>;
  either: fc.Arbitrary<FuzzLine>;
  check: (value: unknown) => void;
};

const KINDS: KindSpec[] = [
  {
    kind: "personas",
    fileName: "personas.jsonl",
    good: personaGood,
    bad: personaBad,
    either: personaEither,
    check: (value) => expect(personaSchema.parse(value)).toEqual(value),
  },
  {
    kind: "personas",
    fileName: "personas.txt",
    good: personaTextGood,
    bad: personaTextBad,
    either: personaTextGood,
    check: (value) => expect(personaSchema.parse(value)).toEqual(value),
  },
  {
    kind: "instructions",
    fileName: "seeds.jsonl",
    good: instructionGood,
    bad: instructionBad,
    either: instructionEither,
    check: (value) => expect(instructionSeedSchema.parse(value)).toEqual(value),
  },
  {
    kind: "knowledge",
    fileName: "profiles.jsonl",
    good: knowledgeGood,
    bad: knowledgeBad,
    either: knowledgeEither,
    check: (value) => expect(knowledgeProfileSchema.parse(value)).toEqual(value),
  },
];

const SMALL_LINE_LIMIT = 4096;

/** JSON nested as deep as the line limit allows, as a whole line or under an unknown key. */
const deepLine = (limit: number) =>
  fc.tuple(fc.constantFrom("array" as const, "object" as const), fc.boolean()).map(([kind, wrapped]) => {
    const depth = Math.floor((limit - 100) / (kind === "array" ? 2 : 6));
    const deep = deepJsonText(depth, kind);
    return line(wrapped ? `{"persona": "A", "label": "A", "instruction": "A", "x": ${deep}}` : deep, "either");
  });

function fileFor(spec: KindSpec) {
  const lines = (limit: number) =>
    fc.array(
      fc.oneof(
        { weight: 6, arbitrary: spec.good },
        { weight: 2, arbitrary: spec.bad },
        { weight: 3, arbitrary: spec.either },
        { weight: 2, arbitrary: blankLine },
        { weight: 1, arbitrary: junkLine },
        { weight: 1, arbitrary: tooLongLine(limit) },
        { weight: 1, arbitrary: deepLine(limit) },
      ),
      { maxLength: 32, size: "medium" },
    );
  // Mostly a small line limit (cheap long lines); now and then the real 1 MiB one.
  return fc.oneof(
    { weight: 19, arbitrary: jsonlFile(lines(SMALL_LINE_LIMIT)).map((file) => ({ file, limit: SMALL_LINE_LIMIT })) },
    {
      weight: 1,
      arbitrary: jsonlFile(lines(DEFAULT_MAX_LINE_BYTES)).map((file) => ({ file, limit: DEFAULT_MAX_LINE_BYTES })),
    },
  );
}

const timer = new CaseTimer();
const totals = new Map<string, { lines: number; ok: number; failed: number; bytes: number }>();

afterAll(() => {
  for (const [label, total] of totals) {
    console.info(
      `[fuzz] ${label}: ${total.lines} lines (${total.ok} read, ${total.failed} refused), ${(total.bytes / 1024 / 1024).toFixed(1)} MB`,
    );
  }
  console.info(`[fuzz] synthesis inputs: ${timer.cases} files, slowest ${timer.slowestMs.toFixed(0)} ms`);
  expect(timer.slowestMs).toBeLessThan(CASE_TIME_LIMIT_MS);
});

describe("fuzzing synthesis input files", () => {
  for (const spec of KINDS) {
    const label = `inputs: ${spec.kind} (${spec.fileName})`;
    it(`${spec.kind} as ${spec.fileName} (${FUZZ_RUNS} files)`, async () => {
      await fc.assert(
        fc.asyncProperty(fileFor(spec), async ({ file, limit }) => {
          const results = await timer.timeAsync(() =>
            collect(parseInputFile(spec.kind, streamOf(file.chunks), { fileName: spec.fileName, maxLineBytes: limit })),
          );
          const counts = checkLineResults(file, results);
          for (const result of results) {
            // Values are stored as jsonb and errors in the input's error list: both must fit PostgreSQL.
            expect(unstorablePath(result)).toBeUndefined();
            if (result.ok) spec.check(result.value);
          }
          // What an upload reports: the same counts, the first errors with their line numbers.
          const summary = await summarizeInput(
            parseInputFile(spec.kind, streamOf(file.chunks), { fileName: spec.fileName, maxLineBytes: limit }),
          );
          expect({ ok: summary.ok, failed: summary.failed }).toEqual(counts);
          expect(summary.errors).toEqual(
            results
              .flatMap((result) => (result.ok ? [] : [{ lineNumber: result.lineNumber, error: result.error }]))
              .slice(0, 50),
          );
          const total = totals.get(label) ?? { lines: 0, ok: 0, failed: 0, bytes: 0 };
          totals.set(label, {
            lines: total.lines + file.lines.length,
            ok: total.ok + counts.ok,
            failed: total.failed + counts.failed,
            bytes: total.bytes + file.bytes,
          });
        }),
        fuzzOptions(label),
      );
    }, 300_000);
  }

  it("a persona line is read as written, whatever the line endings, chunking and byte-order mark", async () => {
    await fc.assert(
      fc.asyncProperty(jsonlFile(fc.array(personaTextGood, { minLength: 1, maxLength: 12 })), async (file) => {
        const results = await collect(parseInputFile("personas", streamOf(file.chunks), { fileName: "p.txt" }));
        expect(results.map((result) => result.ok && result.value.text)).toEqual(
          file.lines.map((fileLine) => cleanText(new TextDecoder().decode(fileLine.bytes)).trim()),
        );
      }),
      fuzzOptions("inputs: persona text read as written"),
    );
  }, 300_000);
});

const MB = 1024 * 1024;

/**
 * `megabytes` of lines made on demand (never held together): good personas, junk, bad JSON and,
 * every 4 MB, one line of 3 MB that is over the limit and must not be held either.
 */
async function* bigFile(megabytes: number, onMegabyte: (mb: number) => void): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  const block = encoder.encode(
    `${Array.from({ length: 1000 }, (_, index) =>
      index % 10 === 9
        ? '{"persona": 5}'
        : index % 10 === 8
          ? "\u00ff\u00fe not json"
          : json({ persona: `A luthier, number ${index}, in Cremona.` }),
    ).join("\n")}\n`,
  );
  const longLine = new Uint8Array(3 * MB).fill(0x78);
  let sent = 0;
  let mark = 1;
  while (sent < megabytes * MB) {
    yield block;
    sent += block.length;
    if (sent < mark * MB) continue;
    onMegabyte(mark);
    if (mark % 4 === 0) {
      yield longLine;
      yield encoder.encode("\n");
      sent += longLine.length + 1;
    }
    mark = Math.floor(sent / MB) + 1;
  }
}

describe("streaming", () => {
  it("reading 64 MB holds no more memory at the end than after the first 8 MB", async () => {
    const checkpoints = new Map<number, number>();
    const summary = await summarizeInput(
      parseInputFile(
        "personas",
        bigFile(64, (mb) => {
          if (mb % 8 === 0) checkpoints.set(mb, heapAfterGcMb());
        }),
        { fileName: "big.jsonl" },
      ),
    );
    const first = checkpoints.get(8) ?? Number.NaN;
    const last = Math.max(...[...checkpoints.entries()].filter(([mb]) => mb >= 56).map(([, heap]) => heap));
    console.info(
      `[fuzz] inputs streaming: ${summary.ok + summary.failed} lines (${summary.ok} read, ${summary.failed} refused); ` +
        `heap after GC ${[...checkpoints].map(([mb, heap]) => `${mb} MB: ${heap.toFixed(1)}`).join(", ")} MB`,
    );
    expect(summary.failed).toBeGreaterThan(0);
    expect(summary.errors).toHaveLength(50);
    expect(last - first).toBeLessThan(8);
  }, 300_000);
});
