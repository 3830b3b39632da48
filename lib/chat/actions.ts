"use server";
import { redirect } from "next/navigation";
import { z } from "zod";
import { type ActionResult, runAction } from "@/lib/actions";
import { requireUser } from "@/lib/auth/session";
import { parseWith } from "@/lib/http";
import {
  changeConversationSettings,
  deleteConversation,
  getOwnChat,
  getOwnConversation,
  savePersona,
  startConversation,
} from "./queries";
import { conversationSettingsSchema, personaSchema, startConversationSchema } from "./schema";

/** Start a chat and open it. */
export async function startChatAction(characterId: string): Promise<ActionResult> {
  const result = await runAction(async () => {
    const input = parseWith(startConversationSchema, { characterId });
    const user = await requireUser();
    return startConversation(user, input.characterId);
  });
  if (result.ok) redirect(`/chat/${result.data.id}`);
  return result;
}

export async function updateChatSettingsAction(conversationId: string, patch: unknown): Promise<ActionResult> {
  return runAction(async () => {
    const id = parseWith(z.uuid(), conversationId);
    const input = parseWith(conversationSettingsSchema, patch);
    const user = await requireUser();
    const conversation = await getOwnChat(user, id);
    await changeConversationSettings(conversation, input);
    return undefined;
  });
}

export async function deleteChatAction(conversationId: string): Promise<ActionResult> {
  const result = await runAction(async () => {
    const id = parseWith(z.uuid(), conversationId);
    const user = await requireUser();
    await getOwnConversation(user, id);
    await deleteConversation(id);
    return undefined;
  });
  if (result.ok) redirect("/chats");
  return result;
}

export async function savePersonaAction(input: unknown): Promise<ActionResult> {
  return runAction(async () => {
    const persona = parseWith(personaSchema, input);
    const user = await requireUser();
    await savePersona(user, persona);
    return undefined;
  });
}
