import "server-only";
// OpenCharacter step 1 at scale: each persona becomes a synthetic character owned by the admin who
// started the job, with its provenance; a character whose name another synthetic character already
// has is flagged as a near-duplicate (kept, for the reviewer to decide).
import { z } from "zod";
import { type GeneratedProfile, generatedProfileSchema, PERSONA_TEMPLATE } from "@/lib/characters/persona";
import { createCharacter } from "@/lib/characters/queries";
import { emptyProfile } from "@/lib/characters/schema";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { uuidFrom } from "../random";
import { seedsOf } from "../seeds";
import { templateRef } from "../templates";
import { runSingleCall } from "./single-call";
import type { Pipeline, SingleCall } from "./types";

const params = z.object({ inputId: z.string().min(1), limit: z.number().int().min(1).optional() });

type Input = { seedId: string; persona: string };

const singleCall: SingleCall = {
  async request(input) {
    const { persona } = input as Input;
    return {
      system: PERSONA_TEMPLATE.system,
      prompt: PERSONA_TEMPLATE.user(persona),
      schema: generatedProfileSchema,
      schemaName: "character_profile",
    };
  },
  async accept(input, answer, context) {
    const { seedId, persona } = input as Input;
    if (!context.createdById) throw new AppError("bad_request:owner", "A profiles job needs the admin who started it.");
    const { tags, ...fields } = answer as GeneratedProfile;
    const id = uuidFrom(`${context.jobId}:${context.key}`);
    const [existing, duplicate] = await Promise.all([
      db.character.findUnique({ where: { id }, select: { id: true } }),
      db.character.findFirst({
        where: {
          origin: "SYNTHETIC",
          deletedAt: null,
          name: { equals: fields.name.trim(), mode: "insensitive" },
          id: { not: id },
        },
        select: { id: true },
      }),
    ]);
    // A retried item finds the character it already made.
    if (!existing) {
      await createCharacter({
        id,
        ownerId: context.createdById,
        origin: "SYNTHETIC",
        profile: { ...emptyProfile(fields.name), ...fields },
        tags: [...new Set(tags.map((tag) => tag.trim().toLowerCase()).filter(Boolean))],
        note: `Generated from a persona by ${context.modelId}`,
        provenance: {
          persona,
          seedId,
          modelId: context.modelId,
          template: templateRef(PERSONA_TEMPLATE),
          jobId: context.jobId,
          ...(duplicate ? { nearDuplicateOf: duplicate.id } : {}),
        },
      });
    }
    return { output: { characterId: id, name: fields.name, nearDuplicateOf: duplicate?.id ?? null }, samples: [] };
  },
};

export const profilesPipeline: Pipeline<typeof params> = {
  name: "profiles",
  template: templateRef(PERSONA_TEMPLATE),
  description: "persona → character profile (OpenCharacter), saved as synthetic characters",
  params,
  singleCall,
  async *plan({ inputId, limit }) {
    for await (const seed of seedsOf<{ text: string }>(inputId, "personas", limit)) {
      yield { key: `profiles:${seed.seedId}`, input: { seedId: seed.seedId, persona: seed.data.text } };
    }
  },
  preview: (input) => singleCall.request(input),
  handle: (input, context) => runSingleCall(singleCall, input, context),
};
