import { z } from "zod";
import { assertSideOpen, openBattle, recordSideMessage } from "@/lib/arena/queries";
import { requireUser } from "@/lib/auth/session";
import { type ChatStreamEvent, conversationIdSchema } from "@/lib/chat/schema";
import { chatEventResponse } from "@/lib/chat/sse";
import { generateReply } from "@/lib/chat/stream";
import { parseWith, recordIdSchema, route } from "@/lib/http";

type Context = { params: Promise<{ id: string; battleId: string; side: string }> };

/** Blind until the vote: the events carry no model id. */
async function* blind(events: AsyncGenerator<ChatStreamEvent>): AsyncGenerator<ChatStreamEvent> {
  for await (const event of events) {
    if (event.type === "start") {
      yield { ...event, assistantMessage: { ...event.assistantMessage, modelId: null } };
    } else if ((event.type === "done" || event.type === "error") && event.message) {
      yield { ...event, message: { ...event.message, modelId: null } } as ChatStreamEvent;
    } else yield event;
  }
}

/** Stream one side's answer (again, after a failure) as Server-Sent Events. */
export const POST = route<Context>(async (request, { params }) => {
  const raw = await params;
  const id = parseWith(conversationIdSchema, raw.id);
  const battleId = parseWith(recordIdSchema, raw.battleId);
  const side = parseWith(z.enum(["A", "B"], { error: "The side is A or B." }), raw.side);
  const user = await requireUser();
  const battle = await openBattle(user, id, battleId);
  await assertSideOpen(battle, side);
  return chatEventResponse(request, (signal) =>
    blind(
      generateReply(user.id, id, { kind: "regenerate", userMessageId: battle.userMessageId }, signal, {
        modelVersionId: side === "A" ? battle.versionAId : battle.versionBId,
        onReplyCreated: (messageId) => recordSideMessage(battle.id, side, messageId),
      }),
    ),
  );
});
