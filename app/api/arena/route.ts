import { startArenaChat } from "@/lib/arena/queries";
import { requireUser } from "@/lib/auth/session";
import { startConversationSchema } from "@/lib/chat/schema";
import { json, parseJsonBody, route } from "@/lib/http";

/** Start an arena chat with a character. */
export const POST = route(async (request) => {
  const body = await parseJsonBody(request, startConversationSchema);
  const user = await requireUser();
  return json(await startArenaChat(user, body.characterId), { status: 201 });
});
