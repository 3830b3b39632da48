import { requireUser } from "@/lib/auth/session";
import {
  changeConversationSettings,
  deleteConversation,
  getOwnChat,
  getOwnConversation,
  loadState,
} from "@/lib/chat/queries";
import { conversationIdSchema, conversationSettingsSchema } from "@/lib/chat/schema";
import { json, parseJsonBody, parseWith, route } from "@/lib/http";

type Context = { params: Promise<{ id: string }> };

export const GET = route<Context>(async (_request, { params }) => {
  const id = parseWith(conversationIdSchema, (await params).id);
  const user = await requireUser();
  const conversation = await getOwnChat(user, id);
  return json({
    id: conversation.id,
    title: conversation.title,
    // An experiment's arm stays blind to the user.
    ...(conversation.experimentId
      ? {}
      : { modelId: conversation.modelId, modelVersionId: conversation.modelVersionId }),
    sampling: conversation.sampling,
    characterId: conversation.characterId,
    characterVersion: conversation.characterVersion.number,
    readOnly: conversation.readOnly,
    ...(await loadState(conversation.id, conversation.selectedRootId, { blind: conversation.experimentId !== null })),
  });
});

export const PATCH = route<Context>(async (request, { params }) => {
  const id = parseWith(conversationIdSchema, (await params).id);
  const body = await parseJsonBody(request, conversationSettingsSchema);
  const user = await requireUser();
  const conversation = await getOwnChat(user, id);
  const updated = await changeConversationSettings(conversation, body);
  return json({
    id: updated.id,
    title: updated.title,
    ...(updated.experimentId ? {} : { modelId: updated.modelId }),
    settings: updated.settings,
  });
});

export const DELETE = route<Context>(async (_request, { params }) => {
  const id = parseWith(conversationIdSchema, (await params).id);
  const user = await requireUser();
  await getOwnConversation(user, id);
  await deleteConversation(id);
  return new Response(null, { status: 204 });
});
