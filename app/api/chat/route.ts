import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { listConversations, startConversation } from "@/lib/chat/queries";
import { startConversationSchema } from "@/lib/chat/schema";
import { json, parseJsonBody, parseWith, route } from "@/lib/http";

const listSchema = z.object({
  q: z.string().max(200).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(30),
});

export const GET = route(async (request) => {
  const query = parseWith(listSchema, Object.fromEntries(new URL(request.url).searchParams));
  const user = await requireUser();
  return json(await listConversations(user, { search: query.q, page: query.page, pageSize: query.pageSize }));
});

/** Start a chat with a character; its model is routed now and stays with the chat. */
export const POST = route(async (request) => {
  const body = await parseJsonBody(request, startConversationSchema);
  const user = await requireUser();
  return json(await startConversation(user, body.characterId), { status: 201 });
});
