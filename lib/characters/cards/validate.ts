// The last step of every import: Troupe's own schema. A violation fails the import with the card's
// name for the field and the limit, never a silent cut: a truncated greeting is a broken character.
import type { z } from "zod";
import { type Lorebook, lorebookSchema, type Profile, profileSchema } from "../schema";
import { formatCount } from "./limits";
import { CardImportError } from "./report";

const CARD_NAMES = new Map([
  ["greeting", "first_mes"],
  ["alternateGreetings", "alternate_greetings"],
  ["groupOnlyGreetings", "group_only_greetings"],
  ["exampleDialogues", "mes_example"],
  ["systemPrompt", "system_prompt"],
  ["postHistoryInstructions", "post_history_instructions"],
  ["creatorNotes", "creator_notes"],
  ["lorebook", "character_book"],
  ["characterVersion", "character_version"],
  ["creatorNotesMultilingual", "creator_notes_multilingual"],
  ["creationDate", "creation_date"],
  ["modificationDate", "modification_date"],
  ["secondaryKeys", "secondary_keys"],
  ["insertionOrder", "insertion_order"],
  ["caseSensitive", "case_sensitive"],
  ["useRegex", "use_regex"],
  ["scanDepth", "scan_depth"],
  ["tokenBudget", "token_budget"],
  ["recursiveScanning", "recursive_scanning"],
]);
/** Top-level profile fields that live in `extensions.troupe` inside a card. */
const TROUPE_FIELDS = new Set([
  "age",
  "gender",
  "species",
  "birthplace",
  "appearance",
  "occupation",
  "background",
  "speakingStyle",
  "aliases",
  "facts",
  "knowledgeSummary",
  "knowledgeBoundary",
]);

export function validateProfile(profile: Profile): Profile {
  const result = profileSchema.safeParse(profile);
  if (result.success) return result.data;
  throw failure(result.error, profile, (path) => cardPath(path, "profile"));
}

export function validateLorebook(lorebook: Lorebook): Lorebook {
  const result = lorebookSchema.safeParse(lorebook);
  if (result.success) return result.data;
  throw failure(result.error, lorebook, (path) => cardPath(path, "lorebook"));
}

function failure(error: z.ZodError, input: unknown, name: (path: PropertyKey[]) => string): CardImportError {
  const [first, ...rest] = error.issues.map((issue) => describeIssue(issue, input, name));
  const more = rest.length > 0 ? ` (and ${rest.length} more ${rest.length === 1 ? "problem" : "problems"})` : "";
  return new CardImportError("unprocessable:card_field", `${first ?? "the card is not valid"}${more}`);
}

function describeIssue(issue: z.core.$ZodIssue, input: unknown, name: (path: PropertyKey[]) => string): string {
  const field = name(issue.path);
  if (issue.code === "too_big") {
    const value = valueAt(input, issue.path);
    const limit = formatCount(Number(issue.maximum));
    if (typeof value === "string")
      return `${field} is ${formatCount(value.length)} characters long; the limit is ${limit}`;
    if (Array.isArray(value)) return `${field} has ${formatCount(value.length)} items; the limit is ${limit}`;
    return `${field} is ${String(value)}; the largest allowed value is ${limit}`;
  }
  if (issue.code === "too_small" && field === "name") return "the card has no name";
  return `${field}: ${issue.message}`;
}

/** ["lorebook", "entries", 3, "insertionOrder"] → "character_book.entries[3].insertion_order". */
function cardPath(path: PropertyKey[], root: "profile" | "lorebook"): string {
  const [head, ...tail] = path;
  let segments = path;
  if (root === "profile" && head === "card") segments = tail;
  else if (root === "profile" && typeof head === "string" && TROUPE_FIELDS.has(head))
    segments = ["extensions", "troupe", ...path];
  let text = "";
  for (const segment of segments) {
    if (typeof segment === "number") text += `[${segment}]`;
    else {
      const key = String(segment);
      text += `${text === "" ? "" : "."}${CARD_NAMES.get(key) ?? key}`;
    }
  }
  return text === "" ? (root === "profile" ? "the card" : "the lorebook") : text;
}

function valueAt(input: unknown, path: PropertyKey[]): unknown {
  let value = input;
  for (const segment of path) {
    if (typeof value !== "object" || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[segment];
  }
  return value;
}
