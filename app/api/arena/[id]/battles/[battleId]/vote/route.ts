import { z } from "zod";
import { voteBattle } from "@/lib/arena/queries";
import { requireUser } from "@/lib/auth/session";
import { conversationIdSchema } from "@/lib/chat/schema";
import { ARENA_VOTES } from "@/lib/feedback/schema";
import { json, parseJsonBody, parseWith, recordIdSchema, route } from "@/lib/http";

type Context = { params: Promise<{ id: string; battleId: string }> };
const bodySchema = z.object({ vote: z.enum(ARENA_VOTES, { error: "Vote A, B, TIE or BOTH_BAD." }) });

/** Vote on a round: the names are revealed and the chat continues from the picked reply. */
export const POST = route<Context>(async (request, { params }) => {
  const raw = await params;
  const id = parseWith(conversationIdSchema, raw.id);
  const battleId = parseWith(recordIdSchema, raw.battleId);
  const body = await parseJsonBody(request, bodySchema);
  const user = await requireUser();
  return json(await voteBattle(user, id, battleId, body.vote));
});
