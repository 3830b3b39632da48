import { requireSessionUserId } from "@/lib/auth/session";
import { continueSchema, conversationIdSchema } from "@/lib/chat/schema";
import { chatEventResponse } from "@/lib/chat/sse";
import { generateReply } from "@/lib/chat/stream";
import { parseJsonBody, parseWith, route } from "@/lib/http";

/** Ask the model to keep writing the given reply. */
export const POST = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const id = parseWith(conversationIdSchema, (await params).id);
  const body = await parseJsonBody(request, continueSchema);
  const userId = await requireSessionUserId();
  return chatEventResponse(request, (signal) => generateReply(userId, id, { kind: "continue", ...body }, signal));
});
