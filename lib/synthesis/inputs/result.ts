// What every input parser yields per line, and the pieces that make its messages precise: the line
// number first, then the field (as written in the file) and what is wrong with it.
import type { z } from "zod";
import { formatCount } from "../../characters/cards/limits";
import { cleanText, describeValue, quote } from "./text";

export type ParseResult<T> =
  | { ok: true; lineNumber: number; value: T }
  | { ok: false; lineNumber: number; error: string };

/** A field's location in a line's JSON: `messages[2].content`, `claims["date of birth"]`. */
export type FieldPath = readonly PropertyKey[];

/**
 * A refused line. Reasons quote what the line held (keys, values, JSON.parse's excerpt of it), and
 * errors are stored as jsonb, which takes neither NUL nor a lone surrogate: those are cleaned here.
 */
export function lineError(lineNumber: number, reason: string): { ok: false; lineNumber: number; error: string } {
  return { ok: false, lineNumber, error: `line ${lineNumber}: ${cleanText(reason)}` };
}

/** The value on a JSONL line, or why it is not JSON. */
export function parseJsonLine(text: string): { ok: true; value: unknown } | { ok: false; reason: string } {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    // A pretty-printed file or a JSON array looks like this on its first line.
    const hint = /^\s*[[{]\s*$/.test(text) ? "; expected one complete JSON value per line (JSON Lines)" : "";
    return { ok: false, reason: `not JSON (${detail})${hint}` };
  }
}

/** Whether `value` nests deeper than `limit`, found without recursion (a 1 MiB line can nest 500,000 deep). */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: [unknown, number][] = [[value, 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, depth] = next;
    if (typeof item !== "object" || item === null) continue;
    if (depth >= limit) return true;
    for (const child of Object.values(item)) pending.push([child, depth + 1]);
  }
  return false;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function formatPath(path: FieldPath): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else if (typeof key === "string" && /^[A-Za-z_$][\w$]*$/.test(key)) text += text === "" ? key : `.${key}`;
    else text += `[${JSON.stringify(String(key))}]`;
  }
  return `\`${text}\``;
}

/** "found keys a, b, c" — to say what a line had when it matched no known shape. */
export function foundKeys(value: Record<string, unknown>): string {
  const keys = Object.keys(value);
  if (keys.length === 0) return "found an empty object";
  const shown = keys.slice(0, 8).join(", ");
  return `found ${keys.length === 1 ? "key" : "keys"} ${shown}${keys.length > 8 ? ", …" : ""}`;
}

const MAX_ISSUES_SHOWN = 3;

/**
 * Parses `data` with `schema`; failures become one sentence per problem, each naming the field by
 * `path` + the issue's own path (`messages[2].content must be a non-empty string`).
 */
export function validate<S extends z.ZodType>(
  schema: S,
  data: unknown,
  path: FieldPath = [],
  /** What the value is called when `path` is empty ("the persona"). */
  rootName = "the line",
): { ok: true; value: z.output<S> } | { ok: false; reason: string } {
  const result = schema.safeParse(data);
  if (result.success) return { ok: true, value: result.data };
  // Parsing again to get the inputs into the issues, because asking for them on every parse makes
  // zod take its slow path (ten times slower on a million personas).
  const issues = schema.safeParse(data, { reportInput: true }).error?.issues ?? result.error.issues;
  const shown = issues
    .slice(0, MAX_ISSUES_SHOWN)
    .map((issue) => describeIssue(issue, [...path, ...issue.path], rootName));
  const more = issues.length - shown.length;
  return {
    ok: false,
    reason: shown.join("; ") + (more > 0 ? `; and ${more} more ${more === 1 ? "problem" : "problems"}` : ""),
  };
}

function describeIssue(issue: z.core.$ZodIssue, path: FieldPath, rootName: string): string {
  const field = path.length === 0 ? rootName : formatPath(path);
  switch (issue.code) {
    case "invalid_type":
      if (issue.input === undefined) return `${field} is missing`;
      return `${field} must be ${article(issue.expected)}, not ${describeValue(issue.input)}`;
    case "too_small":
      if (issue.origin === "string") {
        return Number(issue.minimum) <= 1
          ? `${field} must be a non-empty string`
          : `${field} must be at least ${formatCount(Number(issue.minimum))} characters long`;
      }
      if (issue.origin === "array") {
        return Number(issue.minimum) <= 1
          ? `${field} must not be empty`
          : `${field} must have at least ${formatCount(Number(issue.minimum))} items`;
      }
      return `${field} must be at least ${issue.minimum}`;
    case "too_big":
      if (issue.origin === "string") {
        const length =
          typeof issue.input === "string" ? `is ${formatCount(issue.input.length)} characters long` : "is too long";
        return `${field} ${length}; the limit is ${formatCount(Number(issue.maximum))}`;
      }
      if (issue.origin === "array") {
        const count = Array.isArray(issue.input)
          ? `has ${formatCount(issue.input.length)} items`
          : "has too many items";
        return `${field} ${count}; the limit is ${formatCount(Number(issue.maximum))}`;
      }
      return `${field} must be at most ${issue.maximum}`;
    case "invalid_value":
      return `${field} is ${quote(issue.input)}; expected ${issue.values.map((value) => quote(value)).join(", ")}`;
    default:
      // Unions, formats and refinements carry a message written in our schemas ("must be …").
      if (typeof issue.input === "string") return `${field} ${issue.message} (got ${quote(issue.input)})`;
      return issue.input === undefined
        ? `${field} ${issue.message}`
        : `${field} ${issue.message}, not ${describeValue(issue.input)}`;
  }
}

function article(expected: string): string {
  switch (expected) {
    case "array":
      return "a list";
    case "object":
    case "record":
      return "an object";
    case "int":
      return "a whole number";
    default:
      return `a ${expected}`;
  }
}
