import "server-only";
// Repair: replies users disliked (thumbs-down, with their reasons) are critiqued and rewritten in
// character; the rewrite is preferred over the original and is also a supervised example. Seeds
// come only from consenting users (the feedback side stores no seed otherwise).
import { z } from "zod";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { conversationTree, type ReplyLineage, replyLineage } from "@/lib/feedback/lineage";
import { REPAIR_TEMPLATE, templateRef } from "../templates";
import { runSingleCall } from "./single-call";
import type { Pipeline, SingleCall } from "./types";

type Input = { repairSeedId: string; feedbackEventId: string };

const params = z.object({ limit: z.number().int().min(1).optional() });

const repairSchema = z.object({
  critique: z.string().min(1).max(2000),
  rewrite: z.string().min(1).max(8000),
});

type Carry = { message: { id: string; content: string }; lineage: ReplyLineage; userId: string };

/** The repair request for a disliked reply, carrying the reply and the conversation it answered. */
async function prepare(raw: unknown) {
  const { feedbackEventId } = raw as Input;
  const event = await db.feedbackEvent.findUnique({ where: { id: feedbackEventId } });
  const message = event ? await db.message.findUnique({ where: { id: event.messageId } }) : null;
  if (!event || !message) throw new AppError("not_found:message", "The disliked reply no longer exists.");
  const lineage = await replyLineage(event.conversationId, message.id, await conversationTree(event.conversationId));
  const [system, ...conversation] = lineage.prompt;
  return {
    system: REPAIR_TEMPLATE.system,
    prompt:
      `Character:\n${system?.content ?? ""}\n\nConversation (JSON):\n${JSON.stringify(conversation)}\n\n` +
      `Disliked reply:\n${message.content}\n\nThe user's reasons: ${event.reasons.join(", ") || "none given"}` +
      `${event.comment ? `\nTheir comment: ${event.comment}` : ""}`,
    schema: repairSchema,
    schemaName: "reply_repair",
    carry: { message, lineage, userId: event.userId } satisfies Carry,
  };
}

const singleCall: SingleCall = {
  request: prepare,
  async accept(raw, answer, context, carry) {
    const { repairSeedId, feedbackEventId } = raw as Input;
    const { message, lineage, userId } = carry as Carry;
    const { critique, rewrite } = answer as z.infer<typeof repairSchema>;
    await db.repairSeed.update({ where: { id: repairSeedId }, data: { consumedAt: new Date() } });
    const rowLineage = {
      pipeline: "repair",
      template: templateRef(REPAIR_TEMPLATE),
      modelId: context.modelId,
      sampling: context.sampling,
      feedbackEventId,
      original: { messageId: message.id, modelId: lineage.modelId, characterVersionId: lineage.characterVersionId },
      critique,
    };
    return {
      output: { critique },
      samples: [
        {
          kind: "PREFERENCE",
          prompt: lineage.prompt,
          chosen: rewrite,
          rejected: message.content,
          userId,
          lineage: rowLineage,
        },
        { kind: "SFT", prompt: lineage.prompt, chosen: rewrite, userId, lineage: rowLineage },
      ],
    };
  },
};

export const repairPipeline: Pipeline<typeof params> = {
  name: "repair",
  template: templateRef(REPAIR_TEMPLATE),
  description: "disliked replies → critique + in-character rewrite (rewrite ≻ original)",
  params,
  singleCall,
  async *plan({ limit }) {
    const seeds = await db.repairSeed.findMany({
      where: { consumedAt: null },
      orderBy: { createdAt: "asc" },
      ...(limit ? { take: limit } : {}),
    });
    for (const seed of seeds) {
      yield { key: `repair:${seed.id}`, input: { repairSeedId: seed.id, feedbackEventId: seed.feedbackEventId } };
    }
  },
  preview: (input) => singleCall.request(input),
  handle: (input, context) => runSingleCall(singleCall, input, context),
};
