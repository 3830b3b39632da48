import { arenaState } from "@/lib/arena/queries";
import { requireUser } from "@/lib/auth/session";
import { conversationIdSchema } from "@/lib/chat/schema";
import { json, parseWith, route } from "@/lib/http";

/** The arena chat: messages (model ids hidden in open rounds) and its rounds (names after the vote). */
export const GET = route<{ params: Promise<{ id: string }> }>(async (_request, { params }) => {
  const id = parseWith(conversationIdSchema, (await params).id);
  const user = await requireUser();
  const { conversation: _conversation, ...state } = await arenaState(user, id);
  return json(state);
});
