// Evaluation suites: the JSON Lines file format, its zod schemas and a line-by-line reader.
//
// ## Suite files (JSON Lines, UTF-8, one JSON object per line; blank lines are skipped)
//
// An optional first line names the suite:
//
//   {"suite": {"name": "troupe-knowledge", "kind": "knowledge", "description": "…", "version": 1}}
//
// `kind` is "knowledge", "persona" or "regression"; `name` (≤ 200 characters) may be left out when
// the importer is given one; `description` defaults to "" and `version` (a whole number ≥ 1) to 1.
// Without this line the suite's kind is that of its first item. Every other line is one item, and
// all items of a suite are of its kind. Unknown keys are ignored; an item may say its kind with
// `"kind": "…"`, otherwise the kind follows from its keys.
//
// Knowledge item (Ditto / WikiRoleEval style), one turn of a multi-turn session:
//
//   {"session": "hattie-1", "turn": 0,
//    "character": {"name": "Hattie Bell", "intro": "…", "summary": "…"},
//    "question": "…", "type": "role_specific", "shouldRefuse": false, "evidence": "…",
//    "candidates": [{"name": "…", "bio": "…"}, ×4], "language": "en"}
//
//   - `session` (≤ 200) names the session; `turn` counts from 0. A session's turns must appear in
//     order (0, 1, 2, …, at most 50), all with the same character name. The runner answers them in
//     that order, sending turn k with the earlier questions and the model's own answers as history.
//   - `character.intro` is the brief introduction the model under test gets as its system prompt;
//     `character.summary` is the profile the knowledge judge reads. Both may be "" (benchmark rows
//     rarely have them); the answer prompt then says only the name.
//   - `type` is "role_specific" (the character can answer) or "out_of_knowledge" (the character
//     cannot know; the right answer refuses or deflects in character).
//   - `shouldRefuse` is the gold label of the rejection judge; when left out it is true exactly for
//     out_of_knowledge questions.
//   - `evidence` (default "") holds notes for the knowledge judge: what a good answer contains, or
//     why the character cannot know.
//   - `candidates` are the four identities the consistency judge chooses from (labelled A–D in this
//     order), exactly one of them the character (names compared ignoring case and spacing). They may
//     be left out on import and filled by `assignCandidates` from the suite's other characters.
//   - `language` is a language tag ("en", "de", "pt-BR"), default "en".
//
// Persona item (PersonaGym style):
//
//   {"persona": "…", "question": "…", "task": "expected_action", "rubric": "…", "language": "en"}
//
//   - `task` is one of expected_action, toxicity_control, linguistic_habits, persona_consistency,
//     action_justification (PersonaGym's spellings such as "Expected Action" are accepted). The judge
//     scores the answer 1–5 on that task's dimension only; a run's PScore is the mean of the five
//     task means (see aggregate.ts).
//   - `rubric` (optional) replaces the task's built-in rubric for this item.
//
// Regression item (does a new model version still play this character?):
//
//   {"character": {"name": "…", "intro": "…", "summary": "…"}, "question": "…",
//    "reference": "…", "language": "en"}
//
//   - `character.intro` is the system prompt the model under test gets (for generated suites, the
//     character's prompt block without its example dialogues); the judge reads `summary`, or `intro`
//     when `summary` is "".
//   - `reference` (optional) is an answer the character gave in its example dialogues: a sample of
//     voice for the judge, not an answer key.
//
// Persona and regression items may carry an `id` (≤ 200); without one their key is derived from
// their text, so runs on the same suite match item by item (`itemKey`).
//
// WikiRoleEval-like rows `{"role", "question", "type", "evidence"?, "language"?}` are read as
// knowledge items: `role` becomes the character name and the session id, turns are numbered in file
// order per role, intro and summary stay "", candidates are left for `assignCandidates`. `type`
// may be spelled "role-specific", "Role Specific", "out-of-knowledge", … (any case, with -, _ or
// spaces).
//
// Limits (`EVAL_LIMITS`): question 4,000 characters; persona 4,000; rubric 4,000; evidence 8,000;
// reference 8,000; character name 200, intro 32,000, summary 16,000; candidate bio 1,000; suite
// description 4,000; 50 turns per session; 50,000 items per suite. Control characters (except tab
// and line breaks) are removed and text is trimmed.

import { z } from "zod";
import { AppError } from "@/lib/errors";
import { type InputSource, readLines } from "@/lib/synthesis/inputs/lines";
import {
  foundKeys,
  isRecord,
  lineError,
  nestedDeeperThan,
  type ParseResult,
  parseJsonLine,
  validate,
} from "@/lib/synthesis/inputs/result";
import { languageSchema } from "@/lib/synthesis/inputs/schema";
import { cleanText, describeValue, normalizeForId, quote, seedId } from "@/lib/synthesis/inputs/text";

export const EVAL_LIMITS = {
  suiteName: 200,
  suiteDescription: 4_000,
  id: 200,
  characterName: 200,
  intro: 32_000,
  summary: 16_000,
  bio: 1_000,
  question: 4_000,
  evidence: 8_000,
  persona: 4_000,
  rubric: 4_000,
  reference: 8_000,
  turnsPerSession: 50,
  items: 50_000,
} as const;

export const SUITE_KINDS = ["knowledge", "persona", "regression"] as const;
export type SuiteKind = (typeof SUITE_KINDS)[number];

export const QUESTION_TYPES = ["role_specific", "out_of_knowledge"] as const;
export type QuestionType = (typeof QUESTION_TYPES)[number];

export const PERSONA_TASKS = [
  "expected_action",
  "toxicity_control",
  "linguistic_habits",
  "persona_consistency",
  "action_justification",
] as const;
export type PersonaTask = (typeof PERSONA_TASKS)[number];

/** The consistency judge's labels, in the order of `candidates`. */
export const CANDIDATE_LETTERS = ["A", "B", "C", "D"] as const;
export type CandidateLetter = (typeof CANDIDATE_LETTERS)[number];

const text = (max: number) => z.string().trim().max(max);
const requiredText = (max: number) => text(max).min(1);

/** "Role-Specific", "out of knowledge" → "role_specific", "out_of_knowledge". */
const snakeCase = (value: unknown) =>
  typeof value === "string"
    ? value
        .trim()
        .toLowerCase()
        .replace(/[\s-]+/g, "_")
    : value;

export const suiteHeaderSchema = z.object({
  name: requiredText(EVAL_LIMITS.suiteName).optional(),
  kind: z.enum(SUITE_KINDS),
  description: text(EVAL_LIMITS.suiteDescription).default(""),
  version: z.number().int().min(1).default(1),
});
export type SuiteHeader = z.infer<typeof suiteHeaderSchema>;

export const characterSchema = z.object({
  name: requiredText(EVAL_LIMITS.characterName),
  intro: text(EVAL_LIMITS.intro).default(""),
  summary: text(EVAL_LIMITS.summary).default(""),
});
export type EvalCharacter = z.infer<typeof characterSchema>;

export const candidateSchema = z.object({
  name: requiredText(EVAL_LIMITS.characterName),
  bio: text(EVAL_LIMITS.bio).default(""),
});
export type Candidate = z.infer<typeof candidateSchema>;

const itemIdSchema = requiredText(EVAL_LIMITS.id);
const questionSchema = requiredText(EVAL_LIMITS.question);
const itemLanguageSchema = languageSchema.default("en");

/** Names match when they are the same text ignoring case, width forms and runs of spaces. */
export const sameName = (a: string, b: string) => normalizeForId(a) === normalizeForId(b);

export const knowledgeItemSchema = z
  .object({
    kind: z.literal("knowledge").optional(),
    session: requiredText(EVAL_LIMITS.id),
    turn: z
      .number()
      .int()
      .min(0)
      .max(EVAL_LIMITS.turnsPerSession - 1),
    character: characterSchema,
    question: questionSchema,
    type: z.preprocess(snakeCase, z.enum(QUESTION_TYPES)),
    shouldRefuse: z.boolean().optional(),
    evidence: text(EVAL_LIMITS.evidence).default(""),
    candidates: z.array(candidateSchema).length(4).optional(),
    language: itemLanguageSchema,
  })
  // `check` rather than `superRefine`: an issue pushed here carries no input, so the message does not
  // end in "…, not an object".
  .check(({ value: item, issues }) => {
    if (!item.candidates) return;
    const problem = (message: string) =>
      issues.push({ code: "custom", path: ["candidates"], message, input: undefined });
    const own = item.candidates.filter((candidate) => sameName(candidate.name, item.character.name)).length;
    if (own !== 1) problem(`must name the character ${quote(item.character.name)} exactly once (found ${own} times)`);
    const names = new Set(item.candidates.map((candidate) => normalizeForId(candidate.name)));
    if (names.size !== item.candidates.length) problem("must be four different names");
  })
  .transform(({ kind: _kind, shouldRefuse, ...item }) => ({
    kind: "knowledge" as const,
    ...item,
    shouldRefuse: shouldRefuse ?? item.type === "out_of_knowledge",
  }));
export type KnowledgeItem = z.infer<typeof knowledgeItemSchema>;

export const personaItemSchema = z
  .object({
    kind: z.literal("persona").optional(),
    id: itemIdSchema.optional(),
    persona: requiredText(EVAL_LIMITS.persona),
    question: questionSchema,
    task: z.preprocess(snakeCase, z.enum(PERSONA_TASKS)),
    rubric: requiredText(EVAL_LIMITS.rubric).optional(),
    language: itemLanguageSchema,
  })
  .transform(({ kind: _kind, ...item }) => ({ kind: "persona" as const, ...item }));
export type PersonaItem = z.infer<typeof personaItemSchema>;

export const regressionItemSchema = z
  .object({
    kind: z.literal("regression").optional(),
    id: itemIdSchema.optional(),
    character: characterSchema,
    question: questionSchema,
    reference: requiredText(EVAL_LIMITS.reference).optional(),
    language: itemLanguageSchema,
  })
  .transform(({ kind: _kind, ...item }) => ({ kind: "regression" as const, ...item }));
export type RegressionItem = z.infer<typeof regressionItemSchema>;

export type SuiteItem = KnowledgeItem | PersonaItem | RegressionItem;

/**
 * The schema of each item kind. They also accept the parsed value itself (with its `kind`), so a
 * stored item can be checked again with the same schema.
 */
export const ITEM_SCHEMAS = {
  knowledge: knowledgeItemSchema,
  persona: personaItemSchema,
  regression: regressionItemSchema,
} as const;

/** A WikiRoleEval-like row, read as a knowledge item (see the header comment). */
const benchmarkRowSchema = z.object({
  role: requiredText(EVAL_LIMITS.characterName),
  question: questionSchema,
  type: z.preprocess(snakeCase, z.enum(QUESTION_TYPES)),
  evidence: text(EVAL_LIMITS.evidence).default(""),
  language: itemLanguageSchema,
});

/**
 * The key that matches an item across runs of a suite: `session#turn` for knowledge turns, else the
 * item's `id`, else a hash of the text that makes the item (persona, task, question; or character
 * name and question — not the character's prompt, so a regenerated suite keeps its keys).
 */
export function itemKey(item: SuiteItem): string {
  switch (item.kind) {
    case "knowledge":
      return `${item.session}#${item.turn}`;
    case "persona":
      return item.id ?? seedId("persona", item.persona, item.task, item.question);
    case "regression":
      return item.id ?? seedId("regression", item.character.name, item.question);
  }
}

/** Who is being played: the character's name, or the persona text for persona items. */
export function characterOf(item: SuiteItem): string {
  return item.kind === "persona" ? item.persona : item.character.name;
}

/**
 * The group an item falls in for the by-question-type breakdown: the knowledge question type, the
 * persona task, or for regression whether the question came from an example dialogue.
 */
export function questionTypeOf(item: SuiteItem): string {
  switch (item.kind) {
    case "knowledge":
      return item.type;
    case "persona":
      return item.task;
    case "regression":
      return item.reference === undefined ? "profile" : "example_dialogue";
  }
}

// Reading

export type SuiteLine = { header: SuiteHeader } | { item: SuiteItem };

/**
 * What the lines read so far fixed, for the checks that span lines: the suite's kind, whether any
 * line was read (the header must come first), the keys seen and each session's next turn.
 * Create one per file with `createSuiteContext()`; `parseSuiteLine` updates it for good lines only.
 */
export interface SuiteContext {
  kind: SuiteKind | undefined;
  linesRead: number;
  keys: Set<string>;
  sessions: Map<string, { nextTurn: number; character: string }>;
}

export function createSuiteContext(): SuiteContext {
  return { kind: undefined, linesRead: 0, keys: new Set(), sessions: new Map() };
}

type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * One line of a suite file: the header or an item, or an error that starts with `line N:`.
 * Without a context the line is read on its own (as the first line of a file).
 */
export function parseSuiteLine(
  line: string,
  lineNumber: number,
  context: SuiteContext = createSuiteContext(),
): ParseResult<SuiteLine> {
  const parsed = parseLine(line, context);
  if (!parsed.ok) return lineError(lineNumber, parsed.reason);
  context.linesRead++;
  if ("header" in parsed.value) {
    context.kind = parsed.value.header.kind;
    return { ok: true, lineNumber, value: parsed.value };
  }
  const { item } = parsed.value;
  context.kind ??= item.kind;
  context.keys.add(itemKey(item));
  if (item.kind === "knowledge") {
    context.sessions.set(item.session, { nextTurn: item.turn + 1, character: item.character.name });
  }
  return { ok: true, lineNumber, value: parsed.value };
}

function parseLine(line: string, context: SuiteContext): Outcome<SuiteLine> {
  if (line.trim() === "") return { ok: false, reason: "the line is empty" };
  const json = parseJsonLine(line);
  if (!json.ok) return json;
  if (!isRecord(json.value)) return { ok: false, reason: `expected a JSON object, got ${describeValue(json.value)}` };
  if (nestedDeeperThan(json.value, MAX_DEPTH)) {
    return { ok: false, reason: `the line is nested more than ${MAX_DEPTH} levels deep` };
  }
  const row = cleanStrings(json.value);

  if (row.suite !== undefined) {
    if (context.linesRead > 0) return { ok: false, reason: "the suite header must be the first line of the file" };
    const header = validate(suiteHeaderSchema, row.suite, ["suite"]);
    return header.ok ? { ok: true, value: { header: header.value } } : header;
  }
  if (context.keys.size >= EVAL_LIMITS.items) {
    return { ok: false, reason: `a suite holds at most ${EVAL_LIMITS.items.toLocaleString("en-US")} items` };
  }

  const kind = kindOf(row);
  if (kind === undefined) {
    return {
      ok: false,
      reason:
        typeof row.kind === "string"
          ? `\`kind\` is ${quote(row.kind)}; expected ${SUITE_KINDS.map((name) => `"${name}"`).join(", ")}`
          : `not a suite item (a knowledge item has \`session\`, \`turn\` and \`character\`; a persona item \`persona\` and \`task\`; a regression item \`character\` and \`question\`); ${foundKeys(row)}`,
    };
  }
  if (context.kind !== undefined && kind !== context.kind) {
    return { ok: false, reason: `this looks like a ${kind} item, but the suite is a ${context.kind} suite` };
  }
  const item =
    row.role !== undefined && kind === "knowledge" && row.session === undefined
      ? fromBenchmarkRow(row, context)
      : validate(ITEM_SCHEMAS[kind], row);
  if (!item.ok) return item;

  const key = itemKey(item.value);
  if (context.keys.has(key)) return { ok: false, reason: `the item ${quote(key)} appears twice in the suite` };
  if (item.value.kind === "knowledge") {
    const order = sessionOrderProblem(item.value, context);
    if (order) return { ok: false, reason: order };
  }
  return { ok: true, value: { item: item.value } };
}

/** An explicit `kind`, else the kind whose marker keys the row has. */
function kindOf(row: Record<string, unknown>): SuiteKind | undefined {
  if (row.kind !== undefined) return SUITE_KINDS.find((kind) => kind === row.kind);
  const has = (...keys: string[]) => keys.some((key) => row[key] !== undefined);
  if (has("session", "turn", "type", "shouldRefuse", "evidence", "candidates", "role")) return "knowledge";
  if (has("persona", "task", "rubric")) return "persona";
  if (has("character", "reference")) return "regression";
  return undefined;
}

function fromBenchmarkRow(row: Record<string, unknown>, context: SuiteContext): Outcome<KnowledgeItem> {
  const fields = validate(benchmarkRowSchema, row);
  if (!fields.ok) return fields;
  const { role, ...rest } = fields.value;
  const turn = context.sessions.get(role)?.nextTurn ?? 0;
  if (turn >= EVAL_LIMITS.turnsPerSession) {
    return { ok: false, reason: `${quote(role)} has over ${EVAL_LIMITS.turnsPerSession} rows; that is the limit` };
  }
  return validate(knowledgeItemSchema, { ...rest, session: role, turn, character: { name: role } });
}

function sessionOrderProblem(item: KnowledgeItem, context: SuiteContext): string | undefined {
  const session = context.sessions.get(item.session);
  const expected = session?.nextTurn ?? 0;
  if (item.turn !== expected) {
    return session
      ? `\`turn\` is ${item.turn}; session ${quote(item.session)} is at turn ${expected} (turns must come in order)`
      : `\`turn\` is ${item.turn}; session ${quote(item.session)} must start at turn 0`;
  }
  if (session && !sameName(session.character, item.character.name)) {
    return `\`character.name\` is ${quote(item.character.name)}; session ${quote(item.session)} is played by ${quote(session.character)}`;
  }
  return undefined;
}

/** Far deeper than any suite item; bounds the recursion of `cleanStrings`. */
const MAX_DEPTH = 100;

/** Every string in the row without control characters (PostgreSQL refuses NUL; the rest confuse prompts). */
function cleanStrings(row: Record<string, unknown>): Record<string, unknown> {
  const clean = (value: unknown): unknown => {
    if (typeof value === "string") return cleanText(value);
    if (Array.isArray(value)) return value.map(clean);
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, field]) => [key, clean(field)]));
    return value;
  };
  return clean(row) as Record<string, unknown>;
}

/** The results of reading a suite file as a stream: one per non-blank line, in order. */
export async function* parseSuite(source: InputSource): AsyncGenerator<ParseResult<SuiteLine>> {
  const context = createSuiteContext();
  for await (const line of readLines(source)) {
    if (line.error !== undefined) yield lineError(line.lineNumber, line.error);
    else if (line.text.trim() !== "") yield parseSuiteLine(line.text, line.lineNumber, context);
  }
}

export type SuiteFile = {
  header: SuiteHeader | undefined;
  items: SuiteItem[];
  /** Every line that could not be read, as `line N: …`. */
  errors: string[];
};

/** A whole suite in memory — for the built-in suites and tests; imports should use `parseSuite`. */
export async function readSuite(source: InputSource): Promise<SuiteFile> {
  const suite: SuiteFile = { header: undefined, items: [], errors: [] };
  for await (const result of parseSuite(source)) {
    if (!result.ok) suite.errors.push(result.error);
    else if ("header" in result.value) suite.header = result.value.header;
    else suite.items.push(result.value.item);
  }
  return suite;
}

// Writing: keys in the documented order, optional fields only when set, so parsing the output gives
// back the same values and writing those again gives the same text.

export function serializeHeader(header: SuiteHeader): string {
  const { name, kind, description, version } = header;
  return JSON.stringify({
    suite: name === undefined ? { kind, description, version } : { name, kind, description, version },
  });
}

export function serializeItem(item: SuiteItem): string {
  switch (item.kind) {
    case "knowledge":
      return JSON.stringify({
        session: item.session,
        turn: item.turn,
        character: serializeCharacter(item.character),
        question: item.question,
        type: item.type,
        shouldRefuse: item.shouldRefuse,
        evidence: item.evidence,
        candidates: item.candidates?.map(({ name, bio }) => ({ name, bio })),
        language: item.language,
      });
    case "persona":
      return JSON.stringify({
        id: item.id,
        persona: item.persona,
        question: item.question,
        task: item.task,
        rubric: item.rubric,
        language: item.language,
      });
    case "regression":
      return JSON.stringify({
        id: item.id,
        character: serializeCharacter(item.character),
        question: item.question,
        reference: item.reference,
        language: item.language,
      });
  }
}

const serializeCharacter = ({ name, intro, summary }: EvalCharacter) => ({ name, intro, summary });

/** The suite as JSON Lines text: the header line (when given), then one line per item. */
export function serializeSuite(header: SuiteHeader | undefined, items: readonly SuiteItem[]): string {
  if (header) {
    const other = items.find((item) => item.kind !== header.kind);
    if (other) throw new AppError("bad_request:eval_suite", `A ${header.kind} suite cannot hold ${other.kind} items.`);
  }
  const lines = header ? [serializeHeader(header)] : [];
  for (const item of items) lines.push(serializeItem(item));
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
