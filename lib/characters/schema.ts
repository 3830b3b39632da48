// A character profile as Troupe stores it in each immutable CharacterVersion. Fields follow
// OpenCharacter's profile (identity, story), Ditto's knowledge profile (knowledge) and the
// Character Card spec (chat, lorebook); `card` keeps card-only data so imports round-trip.
import { z } from "zod";

export const LIMITS = {
  shortText: 200,
  mediumText: 4_000,
  longText: 32_000,
  listItems: 100,
  facts: 200,
  lorebookEntries: 1_000,
  lorebookEntryText: 16_000,
  tags: 30,
  tagLength: 40,
} as const;

const short = z
  .string()
  .trim()
  .max(LIMITS.shortText, { error: `Keep it under ${LIMITS.shortText} characters.` });
const medium = z.string().max(LIMITS.mediumText, { error: `Keep it under ${LIMITS.mediumText} characters.` });
const long = z.string().max(LIMITS.longText, { error: `Keep it under ${LIMITS.longText} characters.` });

/** Unknown keys from cards (and other tools) survive every save untouched. */
export const extensionsSchema = z.record(z.string(), z.unknown());

export const factSchema = z.object({ property: short.min(1, { error: "Name the property." }), value: medium });

export const lorebookEntrySchema = z.object({
  id: z.union([z.number(), z.string()]).optional(),
  name: short.default(""),
  keys: z.array(z.string().max(LIMITS.shortText)).max(LIMITS.listItems).default([]),
  secondaryKeys: z.array(z.string().max(LIMITS.shortText)).max(LIMITS.listItems).default([]),
  content: z.string().max(LIMITS.lorebookEntryText).default(""),
  enabled: z.boolean().default(true),
  insertionOrder: z.number().int().default(100),
  position: z.enum(["before_char", "after_char"]).default("after_char"),
  constant: z.boolean().default(false),
  selective: z.boolean().default(false),
  caseSensitive: z.boolean().default(false),
  useRegex: z.boolean().default(false),
  priority: z.number().int().optional(),
  comment: z.string().max(LIMITS.mediumText).default(""),
  extensions: extensionsSchema.default({}),
});

export const lorebookSchema = z.object({
  name: short.default(""),
  description: medium.default(""),
  scanDepth: z.number().int().min(0).max(1000).optional(),
  tokenBudget: z.number().int().min(0).max(1_000_000).optional(),
  recursiveScanning: z.boolean().optional(),
  extensions: extensionsSchema.default({}),
  entries: z
    .array(lorebookEntrySchema)
    .max(LIMITS.lorebookEntries, { error: `At most ${LIMITS.lorebookEntries} entries.` })
    .default([]),
});

export const cardAssetSchema = z.object({
  type: z.string().max(LIMITS.shortText),
  uri: z.string().max(LIMITS.longText),
  name: z.string().max(LIMITS.shortText),
  ext: z.string().max(20),
});

export const profileSchema = z.object({
  // identity
  name: short.min(1, { error: "Every character needs a name." }),
  nickname: short.default(""),
  age: short.default(""),
  gender: short.default(""),
  species: short.default(""),
  birthplace: short.default(""),
  appearance: medium.default(""),
  occupation: short.default(""),
  // story
  background: long.default(""),
  personality: medium.default(""),
  speakingStyle: medium.default(""),
  // knowledge
  description: long.default(""),
  aliases: z.array(short).max(LIMITS.listItems).default([]),
  facts: z
    .array(factSchema)
    .max(LIMITS.facts, { error: `At most ${LIMITS.facts} facts.` })
    .default([]),
  knowledgeSummary: long.default(""),
  knowledgeBoundary: medium.default(""),
  // chat
  greeting: long.default(""),
  alternateGreetings: z.array(long).max(LIMITS.listItems).default([]),
  groupOnlyGreetings: z.array(long).max(LIMITS.listItems).default([]),
  scenario: long.default(""),
  exampleDialogues: long.default(""),
  systemPrompt: long.default(""),
  postHistoryInstructions: long.default(""),
  creatorNotes: long.default(""),
  // lorebook
  lorebook: lorebookSchema.nullable().default(null),
  // card metadata kept for faithful export
  card: z
    .object({
      creator: short.default(""),
      characterVersion: short.default(""),
      source: z.array(z.string().max(LIMITS.mediumText)).max(LIMITS.listItems).default([]),
      creatorNotesMultilingual: z.record(z.string(), z.string().max(LIMITS.longText)).default({}),
      assets: z.array(cardAssetSchema).max(LIMITS.listItems).default([]),
      creationDate: z.number().int().optional(),
      modificationDate: z.number().int().optional(),
      extensions: extensionsSchema.default({}),
    })
    .default({
      creator: "",
      characterVersion: "",
      source: [],
      creatorNotesMultilingual: {},
      assets: [],
      extensions: {},
    }),
});

export type Profile = z.infer<typeof profileSchema>;
export type ProfileInput = z.input<typeof profileSchema>;
export type LorebookEntry = z.infer<typeof lorebookEntrySchema>;
export type Lorebook = z.infer<typeof lorebookSchema>;

export const tagsSchema = z
  .array(z.string().trim().toLowerCase().min(1).max(LIMITS.tagLength))
  .max(LIMITS.tags, { error: `At most ${LIMITS.tags} tags.` })
  .transform((tags) => [...new Set(tags)]);

export const visibilitySchema = z.enum(["PRIVATE", "UNLISTED", "PUBLIC"]);
export type Visibility = z.infer<typeof visibilitySchema>;

/** An empty profile with every default filled, for new characters and tests. */
export function emptyProfile(name: string): Profile {
  return profileSchema.parse({ name });
}

export const saveCharacterSchema = z.object({
  profile: profileSchema,
  tags: tagsSchema.default([]),
  visibility: visibilitySchema.default("PRIVATE"),
  note: z.string().trim().max(500).default(""),
  /** The version the editor started from; a different current version means someone saved in between. */
  expectedVersion: z.number().int().min(1).optional(),
});
export type SaveCharacterInput = z.input<typeof saveCharacterSchema>;

export const listQuerySchema = z.object({
  q: z.string().trim().max(200).optional(),
  tag: z.string().trim().toLowerCase().max(LIMITS.tagLength).optional(),
  sort: z.enum(["updated", "created", "name"]).default("updated"),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(24),
});

export const exportFormatSchema = z.enum(["v2", "v3", "png", "charx"]);
export type ExportFormat = z.infer<typeof exportFormatSchema>;

export const characterIdSchema = z.uuid({ error: "Not a character id." });
