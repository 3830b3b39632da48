import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { deleteFrom, getOwnChat } from "@/lib/chat/queries";
import { conversationIdSchema } from "@/lib/chat/schema";
import { parseWith, route } from "@/lib/http";

const paramsSchema = z.object({ id: conversationIdSchema, messageId: z.string().max(64) });

/** Delete a message and everything after it. */
export const DELETE = route<{ params: Promise<{ id: string; messageId: string }> }>(async (_request, { params }) => {
  const { id, messageId } = parseWith(paramsSchema, await params);
  const user = await requireUser();
  const conversation = await getOwnChat(user, id);
  await deleteFrom(conversation.id, messageId);
  return new Response(null, { status: 204 });
});
