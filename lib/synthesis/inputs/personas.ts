// Personas for OpenCharacter's profile synthesis: JSON Lines in Persona Hub's shape
// (`{"persona": "..."}`), `{"text": ...}` or a bare JSON string per line, or plain text with one
// persona per line. Blank lines are skipped without a message.
import type { Line } from "./lines";
import { foundKeys, isRecord, lineError, type ParseResult, parseJsonLine, validate } from "./result";
import { type Persona, personaTextSchema, sourceIdSchema } from "./schema";
import { cleanText, describeValue, seedId } from "./text";

export type PersonaFormat = "jsonl" | "text";

/** Keys a persona's text is read from, in order of preference. */
const TEXT_KEYS = ["persona", "text", "input persona"] as const;
const ID_KEYS = ["id", "uuid"] as const;

/** The format a file name implies, or undefined when it implies none (the content decides). */
export function personaFormatFor(fileName: string): PersonaFormat | undefined {
  const name = fileName.toLowerCase();
  if (/\.(jsonl|ndjson|json)$/.test(name)) return "jsonl";
  if (name.endsWith(".txt")) return "text";
  return undefined;
}

/**
 * One result per non-blank line. Without a `format`, the first non-blank line decides: one that
 * starts with `{` or `"` means JSON Lines, anything else plain text.
 */
export async function* parsePersonas(
  lines: AsyncIterable<Line>,
  options: { format?: PersonaFormat } = {},
): AsyncGenerator<ParseResult<Persona>> {
  let format = options.format;
  for await (const line of lines) {
    if (line.error !== undefined) {
      yield lineError(line.lineNumber, line.error);
      continue;
    }
    if (line.text.trim() === "") continue;
    format ??= /^\s*[{"]/.test(line.text) ? "jsonl" : "text";
    yield format === "jsonl" ? personaFromJson(line.lineNumber, line.text) : persona(line.lineNumber, line.text, []);
  }
}

function personaFromJson(lineNumber: number, text: string): ParseResult<Persona> {
  const parsed = parseJsonLine(text);
  if (!parsed.ok) return lineError(lineNumber, parsed.reason);
  const row = parsed.value;
  if (typeof row === "string") return persona(lineNumber, row, []);
  if (!isRecord(row)) {
    return lineError(
      lineNumber,
      `expected an object with \`persona\` or \`text\`, or a JSON string; got ${describeValue(row)}`,
    );
  }
  const textKey = TEXT_KEYS.find((key) => key in row);
  if (textKey === undefined) {
    return lineError(lineNumber, `expected \`persona\` or \`text\` (the persona as a string); ${foundKeys(row)}`);
  }
  const idKey = ID_KEYS.find((key) => row[key] !== undefined && row[key] !== null);
  let sourceId: string | undefined;
  if (idKey !== undefined) {
    const id = validate(sourceIdSchema, row[idKey], [idKey]);
    if (!id.ok) return lineError(lineNumber, id.reason);
    sourceId = id.value;
  }
  return persona(lineNumber, row[textKey], [textKey], sourceId);
}

function persona(lineNumber: number, raw: unknown, path: string[], sourceId?: string): ParseResult<Persona> {
  const text = validate(personaTextSchema, typeof raw === "string" ? cleanText(raw) : raw, path, "the persona");
  if (!text.ok) return lineError(lineNumber, text.reason);
  const value: Persona = { text: text.value, seedId: seedId("persona", text.value) };
  if (sourceId !== undefined) value.sourceId = sourceId;
  return { ok: true, lineNumber, value };
}
