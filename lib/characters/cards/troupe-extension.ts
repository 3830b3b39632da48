// Troupe-only profile fields travel inside cards as `data.extensions.troupe`, where other apps
// ignore them. The same object also carries, for Troupe's own bookkeeping, any top-level card
// fields the spec does not define (`unknownCardFields`), so they are written back where they were.
import type { Profile } from "../schema";
import { isRecord, readText, readTextList } from "./coerce";
import type { ImportReport } from "./report";

export const TROUPE_EXTENSION = "troupe";
const UNKNOWN_CARD_FIELDS = "unknownCardFields";

const TEXT_FIELDS = [
  "age",
  "gender",
  "species",
  "birthplace",
  "appearance",
  "occupation",
  "background",
  "speakingStyle",
  "knowledgeSummary",
  "knowledgeBoundary",
] as const satisfies readonly (keyof Profile)[];

type TextField = (typeof TEXT_FIELDS)[number];
export type TroupeFields = Pick<Profile, TextField | "aliases" | "facts">;

function isTextField(key: string): key is TextField {
  return (TEXT_FIELDS as readonly string[]).includes(key);
}

/**
 * Splits a card's extensions into the Troupe fields it carries and the extensions kept on the
 * profile (`card.extensions`), which hold everything else untouched.
 */
export function readTroupeExtension(
  extensions: Record<string, unknown>,
  unknownCardFields: Record<string, unknown>,
  report: ImportReport,
): { fields: TroupeFields; cardExtensions: Record<string, unknown> } {
  const { [TROUPE_EXTENSION]: troupe, ...others } = extensions;
  const fields = emptyTroupeFields();
  const hasUnknownFields = Object.keys(unknownCardFields).length > 0;
  if (troupe !== undefined && !isRecord(troupe)) {
    if (hasUnknownFields)
      report.warn(`Dropped card fields the spec does not define: ${Object.keys(unknownCardFields).join(", ")}`);
    return { fields, cardExtensions: extensions };
  }
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(troupe ?? {})) {
    const field = `extensions.troupe.${key}`;
    if (isTextField(key)) fields[key] = readText(value, field, report);
    else if (key === "aliases") fields.aliases = readTextList(value, field, report, "commas");
    else if (key === "facts") fields.facts = readFacts(value, field, report);
    else kept[key] = value;
  }
  if (hasUnknownFields) kept[UNKNOWN_CARD_FIELDS] = unknownCardFields;
  return { fields, cardExtensions: Object.keys(kept).length > 0 ? { ...others, [TROUPE_EXTENSION]: kept } : others };
}

function emptyTroupeFields(): TroupeFields {
  const texts = Object.fromEntries(TEXT_FIELDS.map((key) => [key, ""])) as Record<TextField, string>;
  return { ...texts, aliases: [], facts: [] };
}

function readFacts(value: unknown, field: string, report: ImportReport): Profile["facts"] {
  if (!Array.isArray(value)) {
    report.warn(`${field} was not a list and was ignored`);
    return [];
  }
  const facts = value.filter(isRecord).map((fact, index) => ({
    property: readText(fact.property, `${field}[${index}].property`, report),
    value: readText(fact.value, `${field}[${index}].value`, report),
  }));
  if (facts.length < value.length) report.repair(`Removed items of ${field} that were not objects`);
  return facts;
}

/** The inverse: card extensions with the Troupe fields merged in, and the stashed card fields. */
export function writeTroupeExtension(profile: Profile): {
  extensions: Record<string, unknown>;
  unknownCardFields: Record<string, unknown>;
} {
  const { [TROUPE_EXTENSION]: stored, ...others } = profile.card.extensions;
  const { [UNKNOWN_CARD_FIELDS]: unknownCardFields, ...kept } = isRecord(stored) ? stored : {};
  const troupe: Record<string, unknown> = { ...kept };
  for (const key of TEXT_FIELDS) if (profile[key] !== "") troupe[key] = profile[key];
  if (profile.aliases.length > 0) troupe.aliases = [...profile.aliases];
  if (profile.facts.length > 0) troupe.facts = profile.facts.map((fact) => ({ ...fact }));
  // Another app's non-object `troupe` extension is kept unless Troupe has fields to write there.
  const foreign = stored !== undefined && !isRecord(stored);
  let extensions = others;
  if (Object.keys(troupe).length > 0) extensions = { ...others, [TROUPE_EXTENSION]: troupe };
  else if (foreign) extensions = profile.card.extensions;
  return { extensions, unknownCardFields: isRecord(unknownCardFields) ? unknownCardFields : {} };
}
