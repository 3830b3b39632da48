import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { personaSchema, profileFromPersona } from "@/lib/characters/persona";
import { json, parseJsonBody, route } from "@/lib/http";
import { getDefaultChatModel } from "@/lib/llm/provider";

const bodySchema = z.object({ persona: personaSchema });

/** Persona → profile, for review; nothing is saved. */
export const POST = route(async (request) => {
  const { persona } = await parseJsonBody(request, bodySchema);
  await requireUser();
  const { model, modelId } = await getDefaultChatModel();
  return json(await profileFromPersona(model, modelId, persona, { abortSignal: AbortSignal.timeout(120_000) }));
});
