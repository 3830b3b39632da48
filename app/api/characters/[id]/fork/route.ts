import { requireUser } from "@/lib/auth/session";
import { forkCharacter } from "@/lib/characters/queries";
import { characterIdSchema } from "@/lib/characters/schema";
import { json, parseWith, route } from "@/lib/http";

export const POST = route<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const id = parseWith(characterIdSchema, (await params).id);
  const user = await requireUser();
  return json(await forkCharacter(user, id), { status: 201 });
});
