// The values the input parsers produce, as zod schemas with their limits. The parsers check each
// field against these same schemas as it is read (so a message names the field as written in the
// file); callers can use them to re-check values they stored.
import { z } from "zod";
import { cleanText } from "./text";

export const INPUT_LIMITS = {
  personaText: 4_000,
  sourceId: 200,
  /** One user turn or reference answer; LIMA's longest answers are a little over 10,000 characters. */
  turnContent: 32_000,
  systemPrompt: 32_000,
  turns: 100,
  label: 200,
  description: 1_000,
  aliases: 100,
  alias: 200,
  claims: 1_000,
  claimProperty: 200,
  claimValue: 4_000,
  category: 100,
  summary: 16_000,
  article: 200_000,
} as const;

/** "en", "pt-BR", "zh-Hant-TW", "yue": a language subtag and optional script/region/variant subtags. */
export const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;

const optionalText = (max: number) => z.string().trim().max(max);
const requiredText = (max: number) => z.string().trim().min(1).max(max);
const seedIdFor = (prefix: string) =>
  z.string().regex(new RegExp(`^${prefix}:[0-9a-f]{16}$`), { error: `must be "${prefix}:" and 16 hex digits` });

/** An id the source gave the row (`id`, `uuid`); numbers are kept as their text, cleaned like every text. */
export const sourceIdSchema = z
  .union([z.string(), z.number()], { error: "must be a string or a number" })
  .transform((value) => cleanText(String(value)).trim())
  .pipe(requiredText(INPUT_LIMITS.sourceId));

export const languageSchema = z
  .string()
  .trim()
  .regex(LANGUAGE_TAG, { error: 'must be a language tag like "en", "de" or "pt-BR"' });

// Personas (OpenCharacter's input: one sentence that an LLM expands into a character profile).

export const personaTextSchema = requiredText(INPUT_LIMITS.personaText);

export const personaSchema = z.object({
  text: personaTextSchema,
  sourceId: sourceIdSchema.optional(),
  seedId: seedIdFor("persona"),
});
export type Persona = z.infer<typeof personaSchema>;

// Instruction seeds (OpenCharacter's questions, with reference answers when the source has them).

export const turnContentSchema = requiredText(INPUT_LIMITS.turnContent);
export const systemPromptSchema = optionalText(INPUT_LIMITS.systemPrompt);

export type TurnRole = "system" | "user" | "assistant";

/**
 * What is wrong with a turn order, if anything: an optional system turn first, then user and
 * assistant turns alternating, starting with a user turn. Ending on a user turn is allowed.
 */
export function turnOrderProblem(roles: readonly TurnRole[]): { index: number; reason: string } | undefined {
  let expected: "user" | "assistant" = "user";
  for (const [index, role] of roles.entries()) {
    if (role === "system") {
      if (index === 0) continue;
      return { index, reason: "is a system turn; only the first turn may be a system turn" };
    }
    if (role !== expected) {
      const first = !roles.slice(0, index).some((earlier) => earlier !== "system");
      return first
        ? { index, reason: "is an assistant turn; the conversation must start with a user turn" }
        : {
            index,
            reason: `is ${role === "user" ? "a user" : "an assistant"} turn after ${role === "user" ? "a user" : "an assistant"} turn; user and assistant turns must alternate`,
          };
    }
    expected = role === "user" ? "assistant" : "user";
  }
  if (!roles.some((role) => role === "user")) return { index: roles.length, reason: "has no user turn" };
  return undefined;
}

export const instructionTurnSchema = z.object({
  role: z.enum(["user", "assistant"]),
  content: turnContentSchema,
});
export type InstructionTurn = z.infer<typeof instructionTurnSchema>;

export const instructionSeedSchema = z
  .object({
    system: systemPromptSchema.min(1).optional(),
    turns: z.array(instructionTurnSchema).min(1).max(INPUT_LIMITS.turns),
    /** Every user turn has a reference answer (the conversation ends with an assistant turn). */
    hasReferences: z.boolean(),
    sourceId: sourceIdSchema.optional(),
    seedId: seedIdFor("instruction"),
  })
  .superRefine((seed, context) => {
    const problem = turnOrderProblem(seed.turns.map((turn) => turn.role));
    if (problem) context.addIssue({ code: "custom", path: ["turns", problem.index], message: problem.reason });
    if (seed.hasReferences !== (seed.turns.at(-1)?.role === "assistant")) {
      context.addIssue({
        code: "custom",
        path: ["hasReferences"],
        message: "must say whether the last turn is an answer",
      });
    }
  });
export type InstructionSeed = z.infer<typeof instructionSeedSchema>;

// Knowledge profiles (Ditto: Wikidata label, description, aliases and claims + Wikipedia text).

export const claimPropertySchema = requiredText(INPUT_LIMITS.claimProperty);

/** A claim value as text; numbers and booleans (Wikidata quantities, flags) are written as text. */
export const claimValueSchema = z
  .union([z.string(), z.number(), z.boolean()], { error: "must be text, a number or a boolean" })
  .transform((value) => String(value).trim())
  .pipe(optionalText(INPUT_LIMITS.claimValue));

export const claimSchema = z.object({
  property: claimPropertySchema,
  value: requiredText(INPUT_LIMITS.claimValue),
});
export type Claim = z.infer<typeof claimSchema>;

/** The fields of a knowledge line besides `claims`, which can take two shapes and is read on its own. */
export const knowledgeRowSchema = z.object({
  label: requiredText(INPUT_LIMITS.label),
  description: optionalText(INPUT_LIMITS.description).nullish(),
  aliases: z.array(optionalText(INPUT_LIMITS.alias).nullable()).max(INPUT_LIMITS.aliases).nullish(),
  category: optionalText(INPUT_LIMITS.category).nullish(),
  language: languageSchema.nullish(),
  summary: optionalText(INPUT_LIMITS.summary).nullish(),
  article: optionalText(INPUT_LIMITS.article).nullish(),
});

export const knowledgeProfileSchema = z.object({
  label: requiredText(INPUT_LIMITS.label),
  description: optionalText(INPUT_LIMITS.description),
  aliases: z.array(requiredText(INPUT_LIMITS.alias)).max(INPUT_LIMITS.aliases),
  claims: z.array(claimSchema).max(INPUT_LIMITS.claims),
  category: optionalText(INPUT_LIMITS.category),
  language: languageSchema,
  summary: optionalText(INPUT_LIMITS.summary),
  article: optionalText(INPUT_LIMITS.article),
  sourceId: sourceIdSchema.optional(),
  seedId: seedIdFor("knowledge"),
});
export type KnowledgeProfile = z.infer<typeof knowledgeProfileSchema>;
