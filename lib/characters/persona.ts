// OpenCharacter step 1: a one-sentence persona → a structured character profile. The template
// is versioned and stored with what it produces; the synthesis pipeline reuses it.
import type { LanguageModel } from "ai";
import { z } from "zod";
import { AppError } from "@/lib/errors";
import { getDefaultChatModel } from "@/lib/llm/provider";
import { generateStructured } from "@/lib/llm/structured";
import { hitRateLimit, RATE_LIMITS } from "@/lib/rate-limit";
import { emptyProfile, type Profile } from "./schema";

export const PERSONA_TEMPLATE = {
  id: "persona-to-profile",
  version: 1,
  system:
    "You design characters for role-play. Given a one-sentence persona, invent one specific, believable character " +
    "who fits it: a real name, an age, a place of birth, a look, a life story with concrete events, a personality " +
    "with contradictions, and a recognizable way of speaking. Write in the third person, in English, without " +
    "mentioning that you are an AI or that this is a persona. Answer with a JSON object only.",
  user: (persona: string) =>
    `Persona: ${persona}\n\nCreate the character profile. The greeting is the first thing the character says ` +
    "to someone they have just met, in their own voice, with an *action* in asterisks.",
} as const;

export const generatedProfileSchema = z.object({
  name: z.string().min(1).max(80),
  age: z.string().max(40),
  gender: z.string().max(40),
  species: z.string().max(60),
  birthplace: z.string().max(120),
  occupation: z.string().max(120),
  appearance: z.string().max(800),
  background: z.string().max(2000),
  personality: z.string().max(1000),
  speakingStyle: z.string().max(600),
  description: z.string().max(1000),
  scenario: z.string().max(600),
  greeting: z.string().max(1000),
  tags: z.array(z.string().max(30)).max(8),
});

export type GeneratedProfile = z.infer<typeof generatedProfileSchema>;

export const personaSchema = z
  .string()
  .trim()
  .min(8, { error: "Describe the persona in a sentence (at least 8 characters)." })
  .max(600, { error: "Keep the persona under 600 characters." });

export type PersonaResult = {
  profile: Profile;
  tags: string[];
  template: { id: string; version: number };
  modelId: string;
  attempts: number;
};

/** Ask the model for a profile; one retry with the validation error when the answer does not fit. */
export async function profileFromPersona(
  model: LanguageModel,
  modelId: string,
  persona: string,
  options: { seed?: number; abortSignal?: AbortSignal } = {},
): Promise<PersonaResult> {
  const result = await generateStructured({
    model,
    schema: generatedProfileSchema,
    schemaName: "character_profile",
    system: PERSONA_TEMPLATE.system,
    prompt: PERSONA_TEMPLATE.user(persona),
    retries: 1,
    temperature: 0.9,
    maxOutputTokens: 2048,
    ...options,
  });
  const { tags, ...fields } = result.object;
  const profile: Profile = { ...emptyProfile(fields.name), ...fields };
  return {
    profile,
    tags: [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))],
    template: { id: PERSONA_TEMPLATE.id, version: PERSONA_TEMPLATE.version },
    modelId,
    attempts: result.attempts,
  };
}

/**
 * "Generate from persona" for a signed-in user (the editor's button and the API): counted per user
 * before the model is asked, in its own hourly bucket, since each is up to two long model calls.
 */
export async function generateProfileForUser(userId: string, persona: string): Promise<PersonaResult> {
  const rule = RATE_LIMITS.personaProfiles;
  const limit = await hitRateLimit(`persona:${userId}`, rule);
  if (!limit.allowed) {
    throw new AppError(
      "rate_limited:persona",
      `You can generate ${rule.limit} profiles an hour. Try again in ${Math.ceil(limit.retryAfterSeconds / 60)} minutes.`,
      { retryAfterSeconds: limit.retryAfterSeconds },
    );
  }
  const { model, modelId } = await getDefaultChatModel();
  return profileFromPersona(model, modelId, persona, { abortSignal: AbortSignal.timeout(120_000) });
}
