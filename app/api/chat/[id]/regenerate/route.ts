import { requireSessionUserId } from "@/lib/auth/session";
import { conversationIdSchema, regenerateSchema } from "@/lib/chat/schema";
import { chatEventResponse } from "@/lib/chat/sse";
import { generateReply } from "@/lib/chat/stream";
import { parseJsonBody, parseWith, route } from "@/lib/http";

/** Another reply to the same user message: a new swipe. */
export const POST = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const id = parseWith(conversationIdSchema, (await params).id);
  const body = await parseJsonBody(request, regenerateSchema);
  const userId = await requireSessionUserId();
  return chatEventResponse(request, (signal) => generateReply(userId, id, { kind: "regenerate", ...body }, signal));
});
