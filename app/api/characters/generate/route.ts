import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { generateProfileForUser, personaSchema } from "@/lib/characters/persona";
import { json, parseJsonBody, route } from "@/lib/http";

const bodySchema = z.object({ persona: personaSchema });

/** Persona → profile, for review; nothing is saved. */
export const POST = route(async (request) => {
  const { persona } = await parseJsonBody(request, bodySchema);
  const user = await requireUser();
  return json(await generateProfileForUser(user.id, persona));
});
