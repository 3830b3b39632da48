import { requireSessionUserId } from "@/lib/auth/session";
import { conversationIdSchema, sendMessageSchema } from "@/lib/chat/schema";
import { chatEventResponse } from "@/lib/chat/sse";
import { generateReply } from "@/lib/chat/stream";
import { parseJsonBody, parseWith, route } from "@/lib/http";

/** Send a user message and stream the reply as Server-Sent Events. */
export const POST = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const id = parseWith(conversationIdSchema, (await params).id);
  const body = await parseJsonBody(request, sendMessageSchema, 64 * 1024);
  const userId = await requireSessionUserId();
  return chatEventResponse(request, (signal) => generateReply(userId, id, { kind: "send", ...body }, signal));
});
