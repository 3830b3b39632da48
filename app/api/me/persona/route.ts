import { requireUser } from "@/lib/auth/session";
import { getPersona, savePersona } from "@/lib/chat/queries";
import { personaSchema } from "@/lib/chat/schema";
import { json, parseJsonBody, route } from "@/lib/http";

export const GET = route(async () => {
  const user = await requireUser();
  return json(await getPersona(user));
});

export const PUT = route(async (request) => {
  const body = await parseJsonBody(request, personaSchema);
  const user = await requireUser();
  const saved = await savePersona(user, body);
  return json({ name: saved.name, description: saved.description });
});
