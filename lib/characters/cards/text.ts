// Bytes → text → JSON object, leniently: byte-order marks, UTF-16, damaged UTF-8, Windows-1252,
// extra bytes after the JSON. Then every string is cleaned of control characters, which Postgres
// (NUL) and terminals do not accept; HTML is left alone because the UI escapes on display.

import { withoutControlCharacters } from "@/lib/text";
import { isRecord } from "./coerce";
import { formatBytes, formatCount } from "./limits";
import { CardImportError, type ImportReport } from "./report";

/** Reads `bytes` as a JSON object. `what` names the source in messages ("the ccv3 chunk"). */
export function parseJsonObject(
  bytes: Uint8Array,
  what: string,
  maxBytes: number,
  report: ImportReport,
): Record<string, unknown> {
  if (bytes.length > maxBytes) {
    throw new CardImportError(
      "payload_too_large:card_json",
      `${what} is ${formatBytes(bytes.length)}; the limit is ${formatBytes(maxBytes)}`,
    );
  }
  const value = parseAllowingTrailingData(decodeText(bytes, what, report), what, report);
  if (!isRecord(value)) {
    throw new CardImportError("unprocessable:card_json", `${what} is JSON but not an object`);
  }
  const cleaner = new StringCleaner();
  const clean = cleaner.clean(value, "", 0);
  cleaner.reportTo(report);
  return clean as Record<string, unknown>;
}

export function decodeText(bytes: Uint8Array, what: string, report: ImportReport): string {
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) {
    report.repair(`Removed the byte-order mark at the start of ${what}`);
    return decodeText(bytes.subarray(3), what, report);
  }
  if (startsWith(bytes, [0xff, 0xfe]) || startsWith(bytes, [0xfe, 0xff])) {
    report.repair(`${sentence(what)} was UTF-16 text; converted it`);
    return new TextDecoder(bytes[0] === 0xff ? "utf-16le" : "utf-16be").decode(bytes);
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    const lossy = new TextDecoder("utf-8").decode(bytes);
    // Real multi-byte characters mean UTF-8 with a few damaged bytes; none means a legacy encoding.
    if (/[\u0080-\ufffc]/.test(lossy)) {
      report.repair(`${sentence(what)} had bytes that are not valid UTF-8; replaced them with �`);
      return lossy;
    }
    report.repair(`${sentence(what)} was not UTF-8; decoded it as Windows-1252 (Western European)`);
    return decodeWindows1252(bytes);
  }
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function startsWith(bytes: Uint8Array, prefix: number[]): boolean {
  return prefix.every((byte, index) => bytes[index] === byte);
}

// Node's TextDecoder treats "windows-1252" as Latin-1, so 0x80–0x9F (curly quotes, dashes, €)
// would become invisible C1 controls; map that range by hand.
const WINDOWS_1252_HIGH =
  "\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f" +
  "\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178";

function decodeWindows1252(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
    .toString("latin1")
    .replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_HIGH.charAt(char.charCodeAt(0) - 0x80));
}

function parseAllowingTrailingData(text: string, what: string, report: ImportReport): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const end = endOfFirstValue(text);
    if (end !== undefined && text.slice(end).trim() !== "") {
      try {
        const value: unknown = JSON.parse(text.slice(0, end));
        report.repair(`Ignored ${formatCount(text.length - end)} characters of extra data after the JSON in ${what}`);
        return value;
      } catch {
        // The prefix is broken too: report the original error below.
      }
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new CardImportError("unprocessable:card_json", `${what} is not valid JSON (${reason})`);
  }
}

/** Index just past the first top-level object or array, by bracket counting outside strings. */
function endOfFirstValue(text: string): number | undefined {
  let index = text.search(/\S/);
  if (index < 0 || (text[index] !== "{" && text[index] !== "[")) return undefined;
  let depth = 0;
  let inString = false;
  for (; index < text.length; index++) {
    const char = text[index];
    if (inString) {
      if (char === "\\") index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === "{" || char === "[") depth++;
    else if (char === "}" || char === "]") {
      depth--;
      if (depth === 0) return index + 1;
    }
  }
  return undefined;
}

/** Deeper than any real card; bounds the recursion below. */
const MAX_DEPTH = 100;

class StringCleaner {
  private readonly controlFields = new Set<string>();
  private readonly surrogateFields = new Set<string>();
  private removedProtoKey = false;

  clean(value: unknown, path: string, depth: number): unknown {
    if (typeof value === "string") return this.cleanString(value, path);
    if (typeof value !== "object" || value === null) return value;
    if (depth >= MAX_DEPTH) {
      throw new CardImportError("unprocessable:card_json", `the JSON is nested more than ${MAX_DEPTH} levels deep`);
    }
    if (Array.isArray(value)) return value.map((item, index) => this.clean(item, `${path}[${index}]`, depth + 1));
    const entries: [string, unknown][] = [];
    for (const [key, item] of Object.entries(value)) {
      // `__proto__` would change an object's prototype when code later assigns by key.
      if (key === "__proto__") {
        this.removedProtoKey = true;
        continue;
      }
      const childPath = path === "" ? key : `${path}.${key}`;
      entries.push([this.cleanString(key, childPath), this.clean(item, childPath, depth + 1)]);
    }
    return Object.fromEntries(entries);
  }

  reportTo(report: ImportReport): void {
    if (this.controlFields.size > 0) {
      report.repair(`Removed control characters (such as NUL) from ${describeFields(this.controlFields)}`);
    }
    if (this.surrogateFields.size > 0) {
      report.repair(`Replaced broken Unicode characters with � in ${describeFields(this.surrogateFields)}`);
    }
    if (this.removedProtoKey) report.repair("Removed keys named __proto__");
  }

  private cleanString(text: string, path: string): string {
    const withoutControls = withoutControlCharacters(text);
    if (withoutControls !== text) this.controlFields.add(path);
    const wellFormed = withoutControls.toWellFormed();
    if (wellFormed !== withoutControls) this.surrogateFields.add(path);
    return wellFormed;
  }
}

function describeFields(paths: Set<string>): string {
  const names = [...paths].map((path) => path.replace(/^data\./, ""));
  const shown = names.slice(0, 5).join(", ");
  return names.length > 5 ? `${shown} and ${names.length - 5} more fields` : shown;
}
