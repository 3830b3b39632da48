import { requireUser } from "@/lib/auth/session";
import { getOwnChat, selectMessage } from "@/lib/chat/queries";
import { conversationIdSchema, selectMessageSchema } from "@/lib/chat/schema";
import { json, parseJsonBody, parseWith, route } from "@/lib/http";

/** Swipe: continue the chat from this message instead of its siblings. */
export const POST = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const id = parseWith(conversationIdSchema, (await params).id);
  const body = await parseJsonBody(request, selectMessageSchema);
  const user = await requireUser();
  const conversation = await getOwnChat(user, id);
  await selectMessage(conversation.id, body.messageId);
  return json({ ok: true });
});
