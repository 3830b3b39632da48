// Card data of any version → a Troupe profile (validated afterwards by validate.ts) and its tags.
import { LIMITS, type Profile } from "../schema";
import { isRecord, readRecord, readText, readTextList, readTextRecord, readUnixSeconds } from "./coerce";
import type { CardVersion } from "./detect";
import { type CardLimits, formatCount } from "./limits";
import { readLorebook } from "./lorebook";
import type { ImportReport } from "./report";
import { readTroupeExtension } from "./troupe-extension";
import { DEFAULT_ICON_ASSET } from "./types";

const V2_REQUIRED = [
  "name",
  "description",
  "personality",
  "scenario",
  "first_mes",
  "mes_example",
  "creator_notes",
  "system_prompt",
  "post_history_instructions",
  "alternate_greetings",
  "tags",
  "creator",
  "character_version",
  "extensions",
];
const V3_ONLY = [
  "nickname",
  "creator_notes_multilingual",
  "source",
  "group_only_greetings",
  "creation_date",
  "modification_date",
  "assets",
];
const REQUIRED: Record<Exclude<CardVersion, "v1">, string[]> = {
  v2: V2_REQUIRED,
  v3: [...V2_REQUIRED, "group_only_greetings"],
};
/** V3 fields found in a V2 card are read too (SillyTavern writes group_only_greetings there). */
const KNOWN_FIELDS = new Set([...V2_REQUIRED, ...V3_ONLY, "character_book"]);

/** Old names: Pygmalion/TavernAI (char_*) and SillyTavern's V1 creatorcomment. */
const V1_RENAMES: [string, string][] = [
  ["char_name", "name"],
  ["char_persona", "description"],
  ["world_scenario", "scenario"],
  ["char_greeting", "first_mes"],
  ["example_dialogue", "mes_example"],
  ["creatorcomment", "creator_notes"],
];

export interface MappedCharacter {
  /** Complete but not yet validated: lengths and limits are checked by validate.ts. */
  profile: Profile;
  tags: string[];
}

export function mapCharacter(
  rawData: Record<string, unknown>,
  version: CardVersion,
  limits: CardLimits,
  report: ImportReport,
): MappedCharacter {
  const data = version === "v1" ? v1Data(rawData, report) : rawData;
  if (version !== "v1") {
    const missing = REQUIRED[version].filter((field) => data[field] === undefined);
    if (missing.length > 0) report.repair(`Filled in missing fields: ${missing.join(", ")}`);
  }
  const unknownCardFields = Object.fromEntries(Object.entries(data).filter(([key]) => !KNOWN_FIELDS.has(key)));
  const troupe = readTroupeExtension(readRecord(data.extensions, "extensions", report), unknownCardFields, report);
  const text = (field: string) => readText(data[field], field, report);
  const profile: Profile = {
    name: text("name"),
    nickname: text("nickname"),
    ...troupe.fields,
    personality: text("personality"),
    description: text("description"),
    greeting: text("first_mes"),
    alternateGreetings: readTextList(data.alternate_greetings, "alternate_greetings", report, "whole"),
    groupOnlyGreetings: readTextList(data.group_only_greetings, "group_only_greetings", report, "whole"),
    scenario: text("scenario"),
    exampleDialogues: text("mes_example"),
    systemPrompt: text("system_prompt"),
    postHistoryInstructions: text("post_history_instructions"),
    creatorNotes: text("creator_notes"),
    lorebook: readCharacterBook(data.character_book, limits, report),
    card: {
      creator: text("creator"),
      characterVersion: text("character_version"),
      source: readTextList(data.source, "source", report, "lines"),
      creatorNotesMultilingual: readTextRecord(data.creator_notes_multilingual, "creator_notes_multilingual", report),
      assets: readAssets(data.assets, report),
      creationDate: readUnixSeconds(data.creation_date, "creation_date", report),
      modificationDate: readUnixSeconds(data.modification_date, "modification_date", report),
      extensions: troupe.cardExtensions,
    },
  };
  return { profile, tags: readTags(data.tags, report) };
}

/** V1 cards have no place for unknown fields, so those are dropped (and named). */
function v1Data(root: Record<string, unknown>, report: ImportReport): Record<string, unknown> {
  const data = { ...root };
  const renamed: string[] = [];
  for (const [from, to] of V1_RENAMES) {
    if (data[from] === undefined) continue;
    if (data[to] === undefined) data[to] = data[from];
    delete data[from];
    renamed.push(from);
  }
  if (renamed.length > 0) report.repair(`Read the old field names ${renamed.join(", ")} as card fields`);
  const ignored = Object.keys(data).filter((key) => !KNOWN_FIELDS.has(key));
  if (ignored.length > 0) report.warn(`Ignored fields that are not part of the card format: ${ignored.join(", ")}`);
  return Object.fromEntries(Object.entries(data).filter(([key]) => KNOWN_FIELDS.has(key)));
}

function readCharacterBook(value: unknown, limits: CardLimits, report: ImportReport): Profile["lorebook"] {
  if (value === undefined) return null;
  if (value === null) {
    report.repair("character_book was null; read it as no lorebook");
    return null;
  }
  if (!isRecord(value)) {
    report.warn("character_book was not an object and was ignored");
    return null;
  }
  return readLorebook(value, "character_book", limits, report);
}

function readAssets(value: unknown, report: ImportReport): Profile["card"]["assets"] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    report.warn("assets was not a list and was ignored");
    return [];
  }
  const assets = value.filter(isRecord).map((asset, index) => ({
    type: readText(asset.type, `assets[${index}].type`, report),
    uri: readText(asset.uri, `assets[${index}].uri`, report),
    name: readText(asset.name, `assets[${index}].name`, report),
    ext: readText(asset.ext, `assets[${index}].ext`, report),
  }));
  if (assets.length < value.length) report.repair("Removed assets that were not objects");
  // The default list says nothing the card's own image does not; export writes it back when empty.
  return isDefaultAssetList(assets) ? [] : assets;
}

function isDefaultAssetList(assets: Profile["card"]["assets"]): boolean {
  const [only] = assets;
  return (
    assets.length === 1 &&
    only !== undefined &&
    only.type === DEFAULT_ICON_ASSET.type &&
    only.uri === DEFAULT_ICON_ASSET.uri &&
    only.name === DEFAULT_ICON_ASSET.name &&
    only.ext === DEFAULT_ICON_ASSET.ext
  );
}

/**
 * Tags are labels, not character content: empty and duplicate ones are dropped, and so are ones
 * over Troupe's limits (with a warning naming them) rather than failing the whole import.
 */
function readTags(value: unknown, report: ImportReport): string[] {
  const listed = readTextList(value, "tags", report, "commas").map((tag) => tag.trim());
  const seen = new Set<string>();
  const unique = listed.filter((tag) => {
    const key = tag.toLowerCase();
    if (tag === "" || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  if (unique.length < listed.length) report.repair("Removed empty and duplicate tags");
  const tooLong = unique.filter((tag) => tag.length > LIMITS.tagLength);
  if (tooLong.length > 0) {
    report.warn(
      `Dropped tags longer than ${LIMITS.tagLength} characters: ${tooLong.map((tag) => `"${tag}"`).join(", ")}`,
    );
  }
  const tags = unique.filter((tag) => tag.length <= LIMITS.tagLength);
  if (tags.length <= LIMITS.tags) return tags;
  report.warn(`Kept the first ${LIMITS.tags} of ${formatCount(tags.length)} tags`);
  return tags.slice(0, LIMITS.tags);
}
