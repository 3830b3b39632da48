import { z } from "zod";
import { voteBattle } from "@/lib/arena/queries";
import { requireUser } from "@/lib/auth/session";
import { ARENA_VOTES } from "@/lib/feedback/schema";
import { json, parseJsonBody, parseWith, route } from "@/lib/http";

type Context = { params: Promise<{ id: string; battleId: string }> };
const bodySchema = z.object({ vote: z.enum(ARENA_VOTES, { error: "Vote A, B, TIE or BOTH_BAD." }) });

/** Vote on a round: the names are revealed and the chat continues from the picked reply. */
export const POST = route<Context>(async (request, { params }) => {
  const raw = await params;
  const id = parseWith(z.uuid({ error: "Not a conversation id." }), raw.id);
  const battleId = parseWith(z.string().min(1).max(64), raw.battleId);
  const body = await parseJsonBody(request, bodySchema);
  const user = await requireUser();
  return json(await voteBattle(user, id, battleId, body.vote));
});
