"use server";
// Character actions behind the editor and the character page. Each parses its input and checks
// who is asking; ownership is enforced again inside the queries.
import { revalidatePath } from "next/cache";
import { type ActionResult, runAction } from "@/lib/actions";
import { requireUser } from "@/lib/auth/session";
import { parseWith } from "@/lib/http";
import { generateProfileForUser, type PersonaResult, personaSchema } from "./persona";
import { createCharacter, forkCharacter, saveCharacterVersion, setVisibility, softDeleteCharacter } from "./queries";
import { characterIdSchema, type SaveCharacterInput, saveCharacterSchema } from "./schema";

export async function createCharacterAction(input: SaveCharacterInput): Promise<ActionResult<{ id: string }>> {
  return runAction(async () => {
    const data = parseWith(saveCharacterSchema, input);
    const user = await requireUser();
    const created = await createCharacter({
      ownerId: user.id,
      profile: data.profile,
      tags: data.tags,
      visibility: data.visibility,
      note: data.note,
    });
    revalidatePath("/characters");
    return { id: created.id };
  });
}

export async function saveCharacterAction(
  id: string,
  input: SaveCharacterInput,
): Promise<ActionResult<{ number: number; changed: boolean }>> {
  return runAction(async () => {
    const characterId = parseWith(characterIdSchema, id);
    const data = parseWith(saveCharacterSchema, input);
    const user = await requireUser();
    const saved = await saveCharacterVersion(user, characterId, {
      profile: data.profile,
      tags: data.tags,
      note: data.note,
      ...(data.expectedVersion ? { expectedVersion: data.expectedVersion } : {}),
    });
    await setVisibility(user, characterId, data.visibility);
    revalidatePath(`/characters/${characterId}`);
    return { number: saved.number, changed: saved.changed };
  });
}

export async function deleteCharacterAction(id: string): Promise<ActionResult> {
  return runAction(async () => {
    const characterId = parseWith(characterIdSchema, id);
    const user = await requireUser();
    await softDeleteCharacter(user, characterId);
    revalidatePath("/characters");
    return undefined;
  });
}

export async function forkCharacterAction(id: string): Promise<ActionResult<{ id: string }>> {
  return runAction(async () => {
    const characterId = parseWith(characterIdSchema, id);
    const user = await requireUser();
    return forkCharacter(user, characterId);
  });
}

/** Fill the editor from a one-sentence persona. Nothing is saved. */
export async function generateFromPersonaAction(persona: string): Promise<ActionResult<PersonaResult>> {
  return runAction(async () => {
    const text = parseWith(personaSchema, persona);
    const user = await requireUser();
    return generateProfileForUser(user.id, text);
  });
}
