// Input files for the synthesis pipelines: personas (OpenCharacter profiles), instruction seeds
// (OpenCharacter responses) and knowledge profiles (Ditto). Files are read as streams, line by
// line, with bounded memory; a bad line becomes an error result and reading goes on. Nothing here
// touches the database: callers store the values. See README.md for the accepted shapes.
import { AppError } from "../../errors";
import { parseInstructions } from "./instructions";
import { parseKnowledge } from "./knowledge";
import { type InputSource, type ReadLinesOptions, readLines } from "./lines";
import { type PersonaFormat, parsePersonas, personaFormatFor } from "./personas";
import type { ParseResult } from "./result";
import type { InstructionSeed, KnowledgeProfile, Persona } from "./schema";

export {
  alpacaRowSchema,
  instructionShapeOf,
  parseInstructions,
  roleTurnSchema,
  shareGptTurnSchema,
} from "./instructions";
export { BRIEF_INTRO_CHARS, briefIntro, KNOWLEDGE_TEXT_CHARS, knowledgeText, parseKnowledge } from "./knowledge";
export { DEFAULT_MAX_LINE_BYTES, type InputSource, type Line, type ReadLinesOptions, readLines } from "./lines";
export { type PersonaFormat, parsePersonas, personaFormatFor } from "./personas";
export type { ParseResult } from "./result";
export * from "./schema";

export const INPUT_KINDS = ["personas", "instructions", "knowledge"] as const;
export type InputKind = (typeof INPUT_KINDS)[number];

export interface InputValues {
  personas: Persona;
  instructions: InstructionSeed;
  knowledge: KnowledgeProfile;
}

export interface ParseInputOptions<K extends InputKind = InputKind> extends ReadLinesOptions {
  /** Used to pick the persona format (`.jsonl`/`.json` or `.txt`). */
  fileName?: string;
  /** Overrides the file name. Only personas come as plain text; the other kinds are JSON Lines. */
  format?: K extends "personas" ? PersonaFormat : "jsonl";
}

/** The results of reading `source` as a `kind` file, one per non-blank line, in order. */
export function parseInputFile<K extends InputKind>(
  kind: K,
  source: InputSource,
  options: ParseInputOptions<K> = {},
): AsyncGenerator<ParseResult<InputValues[K]>> {
  if (kind !== "personas" && options.format !== undefined && options.format !== "jsonl") {
    throw new AppError("bad_request:input_format", `${kind} files are JSON Lines; "${options.format}" is not accepted`);
  }
  const lines = readLines(source, { maxLineBytes: options.maxLineBytes });
  // The casts restate what `kind` already fixed; TypeScript cannot narrow K from a switch on kind.
  switch (kind) {
    case "personas": {
      const format =
        options.format ?? (options.fileName === undefined ? undefined : personaFormatFor(options.fileName));
      return parsePersonas(lines, { format }) as AsyncGenerator<ParseResult<InputValues[K]>>;
    }
    case "instructions":
      return parseInstructions(lines) as AsyncGenerator<ParseResult<InputValues[K]>>;
    case "knowledge":
      return parseKnowledge(lines) as AsyncGenerator<ParseResult<InputValues[K]>>;
    default:
      throw new AppError("bad_request:input_kind", `Unknown input kind "${kind}"; expected ${INPUT_KINDS.join(", ")}`);
  }
}

export const MAX_REPORTED_ERRORS = 50;

export interface InputSummary {
  ok: number;
  failed: number;
  /** The first `maxErrors` errors ("line 17: not JSON (…)"); `failed` counts them all. */
  errors: { lineNumber: number; error: string }[];
}

/**
 * Reads `results` to the end, counting good and bad lines. Each good value goes to `onValue`
 * (awaited, so a slow store slows the reading instead of piling values up in memory).
 */
export async function summarizeInput<T>(
  results: AsyncIterable<ParseResult<T>>,
  options: { onValue?: (value: T, lineNumber: number) => void | Promise<void>; maxErrors?: number } = {},
): Promise<InputSummary> {
  const maxErrors = options.maxErrors ?? MAX_REPORTED_ERRORS;
  const summary: InputSummary = { ok: 0, failed: 0, errors: [] };
  for await (const result of results) {
    if (result.ok) {
      summary.ok++;
      await options.onValue?.(result.value, result.lineNumber);
    } else {
      summary.failed++;
      if (summary.errors.length < maxErrors) {
        summary.errors.push({ lineNumber: result.lineNumber, error: result.error });
      }
    }
  }
  return summary;
}
