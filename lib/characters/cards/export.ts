// Export, strictly: every required spec field present, "" never null, lists never text. Optional
// spec fields Troupe knows are always written too (an explicit default beats a guessed one),
// except ids, priorities, dates and lorebook scan settings, which are written only when set.
import type { Lorebook, LorebookEntry, Profile } from "../schema";
import { writeCharx } from "./charx";
import { sniffImageMime } from "./image";
import { placeholderAvatarPng } from "./placeholder-avatar";
import { writePngCard } from "./png-card";
import { CardImportError } from "./report";
import { writeTroupeExtension } from "./troupe-extension";
import {
  type AvatarInput,
  type CardV2,
  type CardV3,
  type CharacterBookV2,
  type CharacterBookV3,
  DEFAULT_ICON_ASSET,
} from "./types";

export function toCardV2(profile: Profile, tags: string[]): CardV2 {
  const { extensions, unknownCardFields } = writeTroupeExtension(profile);
  return {
    spec: "chara_card_v2",
    spec_version: "2.0",
    data: {
      // Fields the spec does not define, kept from the imported card, go back where they were.
      ...unknownCardFields,
      name: profile.name,
      description: profile.description,
      personality: profile.personality,
      scenario: profile.scenario,
      first_mes: profile.greeting,
      mes_example: profile.exampleDialogues,
      creator_notes: profile.creatorNotes,
      system_prompt: profile.systemPrompt,
      post_history_instructions: profile.postHistoryInstructions,
      alternate_greetings: [...profile.alternateGreetings],
      ...(profile.lorebook ? { character_book: characterBookV2(profile.lorebook) } : {}),
      tags: [...tags],
      creator: profile.card.creator,
      character_version: profile.card.characterVersion,
      extensions,
    },
  };
}

export function toCardV3(profile: Profile, tags: string[]): CardV3 {
  const { character_book: _v2Book, ...v2 } = toCardV2(profile, tags).data;
  const { card } = profile;
  return {
    spec: "chara_card_v3",
    spec_version: "3.0",
    data: {
      ...v2,
      ...(profile.lorebook ? { character_book: characterBookV3(profile.lorebook) } : {}),
      nickname: profile.nickname,
      creator_notes_multilingual: { ...card.creatorNotesMultilingual },
      source: [...card.source],
      group_only_greetings: [...profile.groupOnlyGreetings],
      ...(card.creationDate !== undefined ? { creation_date: card.creationDate } : {}),
      ...(card.modificationDate !== undefined ? { modification_date: card.modificationDate } : {}),
      assets: card.assets.length > 0 ? card.assets.map((asset) => ({ ...asset })) : [{ ...DEFAULT_ICON_ASSET }],
    },
  };
}

function characterBookV2(lorebook: Lorebook): CharacterBookV2 {
  return {
    name: lorebook.name,
    description: lorebook.description,
    ...(lorebook.scanDepth !== undefined ? { scan_depth: lorebook.scanDepth } : {}),
    ...(lorebook.tokenBudget !== undefined ? { token_budget: lorebook.tokenBudget } : {}),
    ...(lorebook.recursiveScanning !== undefined ? { recursive_scanning: lorebook.recursiveScanning } : {}),
    extensions: { ...lorebook.extensions },
    entries: lorebook.entries.map(entryV2),
  };
}

function characterBookV3(lorebook: Lorebook): CharacterBookV3 {
  return {
    ...characterBookV2(lorebook),
    entries: lorebook.entries.map((entry) => ({ ...entryV2(entry), use_regex: entry.useRegex })),
  };
}

function entryV2(entry: LorebookEntry): CharacterBookV2["entries"][number] {
  return {
    ...(entry.id !== undefined ? { id: entry.id } : {}),
    keys: [...entry.keys],
    secondary_keys: [...entry.secondaryKeys],
    content: entry.content,
    enabled: entry.enabled,
    insertion_order: entry.insertionOrder,
    position: entry.position,
    constant: entry.constant,
    selective: entry.selective,
    case_sensitive: entry.caseSensitive,
    ...(entry.priority !== undefined ? { priority: entry.priority } : {}),
    name: entry.name,
    comment: entry.comment,
    extensions: { ...entry.extensions },
  };
}

export function exportJson(profile: Profile, tags: string[], version: "v2" | "v3"): string {
  return JSON.stringify(version === "v2" ? toCardV2(profile, tags) : toCardV3(profile, tags), null, 2);
}

/**
 * A PNG card: the avatar (when it is a PNG; JPEG/WebP/GIF avatars are not converted and get the
 * generated placeholder instead) with `chara` (V2) and `ccv3` (V3) chunks.
 */
export function exportPng(profile: Profile, tags: string[], avatar?: AvatarInput): Uint8Array {
  const v2 = JSON.stringify(toCardV2(profile, tags));
  const v3 = JSON.stringify(toCardV3(profile, tags));
  if (avatar && sniffImageMime(avatar.bytes) === "image/png") {
    try {
      return writePngCard(avatar.bytes, v2, v3);
    } catch (error) {
      // A stored avatar that is not a readable PNG still gets a card, on the placeholder.
      if (!(error instanceof CardImportError)) throw error;
    }
  }
  return writePngCard(placeholderAvatarPng(profile.name), v2, v3);
}

/** A CHARX archive: card.json (V3) and the avatar (any supported image type) as its icon. */
export function exportCharx(profile: Profile, tags: string[], avatar?: AvatarInput): Uint8Array {
  const image = avatar && sniffImageMime(avatar.bytes) ? avatar.bytes : placeholderAvatarPng(profile.name);
  return writeCharx(toCardV3(profile, tags), image);
}
