// Reads a card's character_book, a standalone lorebook_v3, or a SillyTavern world-info export into
// Troupe's lorebook shape. Unknown fields move into `extensions`, where export keeps them.
import type { Lorebook, LorebookEntry } from "../schema";
import { isRecord, readFlag, readInteger, readRecord, readText, readTextList } from "./coerce";
import { type CardLimits, formatCount } from "./limits";
import { CardImportError, type ImportReport } from "./report";

const BOOK_FIELDS = new Set([
  "name",
  "description",
  "scan_depth",
  "token_budget",
  "recursive_scanning",
  "extensions",
  "entries",
]);
const ENTRY_FIELDS = new Set([
  "keys",
  "secondary_keys",
  "content",
  "enabled",
  "insertion_order",
  "position",
  "constant",
  "selective",
  "case_sensitive",
  "use_regex",
  "priority",
  "id",
  "name",
  "comment",
  "extensions",
]);
const REQUIRED_ENTRY_FIELDS = ["keys", "content", "enabled", "insertion_order", "extensions"];

/** SillyTavern world-info names for card entry fields (`disable` is inverted separately). */
const WORLD_INFO_NAMES: [string, string][] = [
  ["key", "keys"],
  ["keysecondary", "secondary_keys"],
  ["order", "insertion_order"],
  ["uid", "id"],
  ["caseSensitive", "case_sensitive"],
];

export function readLorebook(
  raw: Record<string, unknown>,
  label: string,
  limits: CardLimits,
  report: ImportReport,
): Lorebook {
  const rawEntries = readEntryList(raw.entries, label, report);
  if (rawEntries.length > limits.maxLorebookEntries) {
    throw new CardImportError(
      "payload_too_large:card_lorebook",
      `the lorebook has ${formatCount(rawEntries.length)} entries; the limit is ${formatCount(limits.maxLorebookEntries)}`,
    );
  }
  if (raw.extensions === undefined) report.repair(`Filled in the missing extensions of ${label}`);
  const extensions = { ...readRecord(raw.extensions, `${label}.extensions`, report) };
  const moved = moveUnknownFields(raw, BOOK_FIELDS, extensions, ["originalData"]);
  if (moved.length > 0)
    report.repair(`Moved ${label} fields the spec does not define into its extensions: ${moved.join(", ")}`);
  // SillyTavern keeps a copy of the book it imported; importing it again would double the entries.
  if (raw.originalData !== undefined)
    report.warn("Ignored originalData, SillyTavern's copy of the lorebook it imported");

  const movedEntryFields = new Set<string>();
  const entries: LorebookEntry[] = [];
  for (const rawEntry of rawEntries) {
    const entry = readEntry(rawEntry, movedEntryFields, report);
    if (entry) entries.push(entry);
  }
  if (movedEntryFields.size > 0) {
    report.repair(
      `Moved lorebook entry fields the spec does not define into their extensions: ${[...movedEntryFields].join(", ")}`,
    );
  }
  return {
    name: readText(raw.name, `${label}.name`, report),
    description: readText(raw.description, `${label}.description`, report),
    scanDepth: readBounded(raw.scan_depth, `${label}.scan_depth`, 1000, report),
    tokenBudget: readBounded(raw.token_budget, `${label}.token_budget`, 1_000_000, report),
    recursiveScanning: readFlag(raw.recursive_scanning, `${label}.recursive_scanning`, report),
    extensions,
    entries,
  };
}

function readEntryList(value: unknown, label: string, report: ImportReport): unknown[] {
  if (Array.isArray(value)) return value;
  if (isRecord(value)) {
    report.repair("Lorebook entries were an object keyed by id (SillyTavern world info); converted them to a list");
    return Object.values(value);
  }
  if (value === undefined || value === null) report.repair(`${label} had no entries list; used an empty one`);
  else report.warn(`${label}.entries was not a list and was ignored`);
  return [];
}

function readEntry(raw: unknown, movedFields: Set<string>, report: ImportReport): LorebookEntry | undefined {
  if (!isRecord(raw)) {
    report.repair("Removed a lorebook entry that was not an object");
    return undefined;
  }
  const entry = renameWorldInfoFields(raw, report);
  const missing = REQUIRED_ENTRY_FIELDS.filter((field) => entry[field] === undefined);
  if (missing.length > 0) report.repair(`Filled in missing lorebook entry fields: ${missing.join(", ")}`);
  const extensions = { ...readRecord(entry.extensions, "A lorebook entry's extensions", report) };
  for (const field of moveUnknownFields(entry, ENTRY_FIELDS, extensions)) movedFields.add(field);
  const field = (name: string) => `A lorebook entry's ${name}`;
  return {
    id: readId(entry.id, report),
    name: readText(entry.name, field("name"), report),
    keys: readTextList(entry.keys, field("keys"), report, "commas"),
    secondaryKeys: readTextList(entry.secondary_keys, field("secondary_keys"), report, "commas"),
    content: readText(entry.content, field("content"), report),
    enabled: readFlag(entry.enabled, field("enabled"), report) ?? true,
    insertionOrder: readInteger(entry.insertion_order, field("insertion_order"), report) ?? 100,
    position: readPosition(entry.position, extensions, report) ?? "after_char",
    constant: readFlag(entry.constant, field("constant"), report) ?? false,
    selective: readFlag(entry.selective, field("selective"), report) ?? false,
    caseSensitive: readFlag(entry.case_sensitive, field("case_sensitive"), report) ?? false,
    useRegex: readFlag(entry.use_regex, field("use_regex"), report) ?? false,
    priority: readInteger(entry.priority, field("priority"), report),
    comment: readText(entry.comment, field("comment"), report),
    extensions,
  };
}

function renameWorldInfoFields(raw: Record<string, unknown>, report: ImportReport): Record<string, unknown> {
  const entry = { ...raw };
  let renamed = false;
  for (const [from, to] of WORLD_INFO_NAMES) {
    if (from in entry && entry[to] === undefined) {
      entry[to] = entry[from];
      delete entry[from];
      renamed = true;
    }
  }
  if ("disable" in entry && entry.enabled === undefined) {
    const disabled = readFlag(entry.disable, "A lorebook entry's disable", report);
    entry.enabled = disabled === undefined ? undefined : !disabled;
    delete entry.disable;
    renamed = true;
  }
  if (renamed)
    report.repair("Mapped SillyTavern world-info entry fields (key, keysecondary, order, disable, uid) to card fields");
  return entry;
}

/** Moves keys outside `known` into `extensions` (without overwriting) and returns their names. */
function moveUnknownFields(
  source: Record<string, unknown>,
  known: Set<string>,
  extensions: Record<string, unknown>,
  skip: string[] = [],
): string[] {
  const moved = Object.keys(source).filter((key) => !known.has(key) && !skip.includes(key));
  for (const key of moved) if (!(key in extensions)) extensions[key] = source[key];
  return moved;
}

function readId(value: unknown, report: ImportReport): number | string | undefined {
  if (value === undefined || typeof value === "string" || (typeof value === "number" && Number.isFinite(value))) {
    return value;
  }
  if (value !== null) report.warn("A lorebook entry's id was neither a number nor text and was ignored");
  return undefined;
}

/** Numbers are SillyTavern's placements: 0 is before the character, 1 after, 2+ finer ones. */
function readPosition(
  value: unknown,
  extensions: Record<string, unknown>,
  report: ImportReport,
): LorebookEntry["position"] | undefined {
  if (value === undefined || value === "before_char" || value === "after_char") return value;
  if (typeof value === "number") {
    report.repair("A lorebook entry's position was a number; converted it (0 → before_char, otherwise after_char)");
    // Keep SillyTavern's finer placement where SillyTavern itself looks for it.
    if (value > 1 && !("position" in extensions)) extensions.position = value;
    return value === 0 ? "before_char" : "after_char";
  }
  if (typeof value === "string") {
    report.repair(`A lorebook entry's position "${value}" is not before_char or after_char; read it as the nearer one`);
    return /before/i.test(value) ? "before_char" : "after_char";
  }
  report.repair("A lorebook entry's position was not before_char or after_char; used after_char");
  return undefined;
}

function readBounded(value: unknown, field: string, max: number, report: ImportReport): number | undefined {
  const number = readInteger(value, field, report);
  if (number === undefined || (number >= 0 && number <= max)) return number;
  const clamped = Math.min(Math.max(number, 0), max);
  report.repair(`${field} was ${number}, outside 0–${formatCount(max)}; used ${formatCount(clamped)}`);
  return clamped;
}
