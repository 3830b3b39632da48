import { requireUser } from "@/lib/auth/session";
import { conversationIdSchema } from "@/lib/chat/schema";
import { offerConversation } from "@/lib/feedback/record";
import { offerSchema } from "@/lib/feedback/schema";
import { json, parseJsonBody, parseWith, route } from "@/lib/http";

/** Offer one of your chats as training data, up to the reply on screen (needs training consent). */
export const POST = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const id = parseWith(conversationIdSchema, (await params).id);
  const body = await parseJsonBody(request, offerSchema, 4 * 1024);
  const user = await requireUser();
  return json(await offerConversation(user, id, body));
});
