import { createBattle } from "@/lib/arena/queries";
import { requireUser } from "@/lib/auth/session";
import { conversationIdSchema, sendMessageSchema } from "@/lib/chat/schema";
import { json, parseJsonBody, parseWith, route } from "@/lib/http";

const bodySchema = sendMessageSchema.pick({ content: true, clientRequestId: true });

/** Send a message in an arena chat: two models are drawn for it; stream each side next. */
export const POST = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const id = parseWith(conversationIdSchema, (await params).id);
  const body = await parseJsonBody(request, bodySchema, 64 * 1024);
  const user = await requireUser();
  return json(await createBattle(user, id, body), { status: 201 });
});
