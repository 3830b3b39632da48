// The card shapes Troupe writes, as zod schemas (tests check every export against them) and the
// types inferred from them, plus the import result types. Reading never uses these schemas: input
// is read leniently by coerce.ts, map.ts and lorebook.ts.
import { z } from "zod";
import type { Lorebook, Profile } from "../schema";
import type { CardErrorCode } from "./report";

const extensions = z.record(z.string(), z.unknown());

// Optional spec fields Troupe always writes are required here, so a missing one fails the tests.
const entryV2Schema = z.object({
  id: z.union([z.number(), z.string()]).optional(),
  keys: z.array(z.string()),
  secondary_keys: z.array(z.string()),
  content: z.string(),
  enabled: z.boolean(),
  insertion_order: z.number().int(),
  position: z.enum(["before_char", "after_char"]),
  constant: z.boolean(),
  selective: z.boolean(),
  case_sensitive: z.boolean(),
  priority: z.number().int().optional(),
  name: z.string(),
  comment: z.string(),
  extensions,
});
const entryV3Schema = entryV2Schema.extend({ use_regex: z.boolean() });

const bookFields = {
  name: z.string(),
  description: z.string(),
  scan_depth: z.number().int().nonnegative().optional(),
  token_budget: z.number().int().nonnegative().optional(),
  recursive_scanning: z.boolean().optional(),
  extensions,
};
export const characterBookV2Schema = z.object({ ...bookFields, entries: z.array(entryV2Schema) });
export const characterBookV3Schema = z.object({ ...bookFields, entries: z.array(entryV3Schema) });

const dataV2Fields = {
  name: z.string(),
  description: z.string(),
  personality: z.string(),
  scenario: z.string(),
  first_mes: z.string(),
  mes_example: z.string(),
  creator_notes: z.string(),
  system_prompt: z.string(),
  post_history_instructions: z.string(),
  alternate_greetings: z.array(z.string()),
  tags: z.array(z.string()),
  creator: z.string(),
  character_version: z.string(),
  extensions,
};

export const cardV2Schema = z.object({
  spec: z.literal("chara_card_v2"),
  spec_version: z.literal("2.0"),
  data: z.object({ ...dataV2Fields, character_book: characterBookV2Schema.optional() }),
});

export const cardAssetSchema = z.object({ type: z.string(), uri: z.string(), name: z.string(), ext: z.string() });

export const cardV3Schema = z.object({
  spec: z.literal("chara_card_v3"),
  spec_version: z.literal("3.0"),
  data: z.object({
    ...dataV2Fields,
    character_book: characterBookV3Schema.optional(),
    nickname: z.string(),
    creator_notes_multilingual: z.record(z.string(), z.string()),
    source: z.array(z.string()),
    group_only_greetings: z.array(z.string()),
    creation_date: z.number().int().optional(),
    modification_date: z.number().int().optional(),
    assets: z.array(cardAssetSchema),
  }),
});

export type CardV2 = z.infer<typeof cardV2Schema>;
export type CardV3 = z.infer<typeof cardV3Schema>;
export type CharacterBookV2 = z.infer<typeof characterBookV2Schema>;
export type CharacterBookV3 = z.infer<typeof characterBookV3Schema>;
export type CardAsset = z.infer<typeof cardAssetSchema>;

/** What V3 readers assume when a card lists no assets: "use the image this card came in". */
export const DEFAULT_ICON_ASSET: Readonly<CardAsset> = Object.freeze({
  type: "icon",
  uri: "ccdefault:",
  name: "main",
  ext: "png",
});

export type CardSourceFormat = "v1" | "v2" | "v3" | "png-v2" | "png-v3" | "charx";
export type AvatarMime = "image/png" | "image/jpeg" | "image/webp" | "image/gif";

export interface CardAvatar {
  bytes: Uint8Array;
  mime: AvatarMime;
  width: number;
  height: number;
}

export interface CardFileInput {
  fileName: string;
  bytes: Uint8Array;
}

/** An avatar handed to export; anything that is not really a PNG gets a placeholder in PNG cards. */
export interface AvatarInput {
  bytes: Uint8Array;
  mime: string;
}

export interface CharacterImport {
  ok: true;
  kind: "character";
  fileName: string;
  profile: Profile;
  tags: string[];
  avatar?: CardAvatar;
  sourceFormat: CardSourceFormat;
  repairs: string[];
  warnings: string[];
}

export interface LorebookImport {
  ok: true;
  kind: "lorebook";
  fileName: string;
  lorebook: Lorebook;
  repairs: string[];
  warnings: string[];
}

export interface CardImportFailure {
  ok: false;
  fileName: string;
  error: { code: CardErrorCode; message: string };
}

export type CardImportResult = CharacterImport | LorebookImport | CardImportFailure;
