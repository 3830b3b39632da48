import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { editAssistantMessage, getMessage, getOwnChat } from "@/lib/chat/queries";
import { conversationIdSchema, editMessageSchema } from "@/lib/chat/schema";
import { chatEventResponse } from "@/lib/chat/sse";
import { generateReply } from "@/lib/chat/stream";
import { AppError } from "@/lib/errors";
import { recordTreePreferences } from "@/lib/feedback/record";
import { json, parseJsonBody, parseWith, route } from "@/lib/http";

const bodySchema = editMessageSchema.extend({ clientRequestId: z.string().min(8).max(64).optional() });

/**
 * Edit a message. A user message becomes a new branch (a sibling) and the reply streams as
 * Server-Sent Events; an assistant reply becomes an edited sibling (the original is kept).
 */
export const POST = route<{ params: Promise<{ id: string }> }>(async (request, { params }) => {
  const id = parseWith(conversationIdSchema, (await params).id);
  const body = await parseJsonBody(request, bodySchema, 64 * 1024);
  const user = await requireUser();
  const conversation = await getOwnChat(user, id);
  if (conversation.readOnly)
    throw new AppError("forbidden:read_only", "This character was deleted; the chat is read-only.");
  const original = await getMessage(conversation.id, body.messageId);
  if (original.role === "ASSISTANT") {
    const edited = await editAssistantMessage(conversation.id, original.id, body.content);
    // The edit is preferred over the original, and is itself a supervised example.
    await recordTreePreferences(user.id, conversation.id, edited.id).catch((error) =>
      console.error("[feedback] edit not recorded", error),
    );
    return json({ id: edited.id }, { status: 201 });
  }
  if (!body.clientRequestId)
    throw new AppError("bad_request:client_request_id", "clientRequestId is required to edit a user message.");
  return chatEventResponse(request, (signal) =>
    generateReply(
      user.id,
      conversation.id,
      { kind: "send", content: body.content, clientRequestId: body.clientRequestId ?? "", parentId: original.parentId },
      signal,
    ),
  );
});
