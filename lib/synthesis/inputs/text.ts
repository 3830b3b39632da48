// Text helpers shared by the input parsers: cleaning what Postgres and prompts cannot take, the
// normalization behind seed ids (so a re-import finds the rows it made before), and cutting long
// text at a sentence or word instead of mid-word.
import { hash } from "node:crypto";
import { withoutControlCharacters } from "@/lib/text";

/** Removes control characters and unpaired surrogates; everything else is kept as written. */
export function cleanText(text: string): string {
  return withoutControlCharacters(text).toWellFormed();
}

/**
 * The form two texts share when they are "the same seed": Unicode-compatible forms folded (full-width
 * letters, ligatures), lower case, runs of whitespace as one space, no outer whitespace.
 */
export function normalizeForId(text: string): string {
  const folded = text.normalize("NFKC").toLowerCase().trim();
  // Testing first is several times faster than replacing in the usual text that needs nothing.
  return /\s\s|[^\S ]/.test(folded) ? folded.replace(/\s+/g, " ") : folded;
}

/** `prefix:` + the first 16 hex digits of the SHA-256 of the parts (normalized, joined by NUL). */
export function seedId(prefix: string, ...parts: string[]): string {
  return `${prefix}:${hash("sha256", parts.map(normalizeForId).join("\u0000"), "hex").slice(0, 16)}`;
}

/** "a string", "a number", "null", "a list", "an object" — for messages people read. */
export function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  switch (typeof value) {
    case "string":
      return value.trim() === "" ? "an empty string" : "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "object":
      return "an object";
    default:
      return `a ${typeof value}`;
  }
}

/**
 * A value quoted for a message, cut to `max` characters. Lists and objects are named instead: String()
 * throws on an object whose own `toString` is not a function, and recurses through nested lists.
 */
export function quote(value: unknown, max = 40): string {
  if (typeof value === "object" && value !== null) return describeValue(value);
  const text = typeof value === "string" ? value : String(value);
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

const segmenters = new Map<string, Intl.Segmenter>();

function sentenceSegmenter(language: string): Intl.Segmenter {
  let segmenter = segmenters.get(language);
  if (!segmenter) {
    try {
      segmenter = new Intl.Segmenter(language, { granularity: "sentence" });
    } catch {
      // A tag our pattern accepts but ICU does not: English rules still split most scripts sensibly.
      segmenter = new Intl.Segmenter("en", { granularity: "sentence" });
    }
    segmenters.set(language, segmenter);
  }
  return segmenter;
}

/** The first sentence of `text` by the language's rules ("" for empty text). */
export function firstSentence(text: string, language = "en"): string {
  const trimmed = text.trim();
  for (const { segment } of sentenceSegmenter(language).segment(trimmed)) return segment.trim();
  return "";
}

const ELLIPSIS = "…";

/**
 * `text` cut to at most `maxChars` characters, ending at the last paragraph, sentence end or word
 * boundary that fits (in that order of preference, if it keeps at least half the budget), followed
 * by "…". Text that fits is returned unchanged.
 */
export function truncateClean(text: string, maxChars: number): string {
  if (text.length <= maxChars) return text;
  // Room for a separator and the ellipsis after the cut.
  const budget = maxChars - 2;
  if (budget < 1) return "";
  // Never keep half of a surrogate pair.
  const head = text.slice(0, /[\ud800-\udbff]/.test(text.charAt(budget - 1)) ? budget - 1 : budget);
  const floor = Math.floor(budget / 2);
  const paragraph = head.lastIndexOf("\n\n");
  if (paragraph >= floor) return `${head.slice(0, paragraph).trimEnd()}\n${ELLIPSIS}`;
  const sentence = lastSentenceEnd(head);
  if (sentence >= floor) return `${head.slice(0, sentence).trimEnd()} ${ELLIPSIS}`;
  const space = head.search(/\s\S*$/);
  return `${(space >= floor ? head.slice(0, space) : head).trimEnd()}${ELLIPSIS}`;
}

/** Index just past the last sentence end in `text` (or -1). CJK full stops need no space after. */
function lastSentenceEnd(text: string): number {
  let end = -1;
  for (const match of text.matchAll(/[.!?]["'”’)\]]?(?=\s)|[。！？]/g)) end = match.index + match[0].length;
  return end;
}
