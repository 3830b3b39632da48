import { requireUser } from "@/lib/auth/session";
import { conversationIdSchema } from "@/lib/chat/schema";
import { rateMessage } from "@/lib/feedback/record";
import { rateSchema } from "@/lib/feedback/schema";
import { json, parseJsonBody, parseWith, route } from "@/lib/http";

/** Rate a reply in one of your chats: thumbs up/down with reasons and a comment, or null to remove. */
export const POST = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const id = parseWith(conversationIdSchema, (await params).id);
  const body = await parseJsonBody(request, rateSchema, 16 * 1024);
  const user = await requireUser();
  return json({ rating: await rateMessage(user, id, body) });
});
