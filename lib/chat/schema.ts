import { z } from "zod";

export const conversationIdSchema = z.uuid({ error: "Not a conversation id." });

export const MAX_MESSAGE_CHARS = 16_000;

/** Sampling settings, sent to vLLM as OpenAI fields plus its extras. */
export const samplingSchema = z.object({
  temperature: z.number().min(0).max(2).default(0.8),
  top_p: z.number().gt(0).max(1).default(0.95),
  top_k: z.number().int().min(-1).max(1000).default(-1),
  min_p: z.number().min(0).max(1).default(0.05),
  repetition_penalty: z.number().min(0.5).max(2).default(1.05),
  max_tokens: z.number().int().min(16).max(8192).default(512),
});
export type Sampling = z.infer<typeof samplingSchema>;
export const DEFAULT_SAMPLING: Sampling = samplingSchema.parse({});

export const messageContentSchema = z
  .string()
  .max(MAX_MESSAGE_CHARS, { error: `Keep messages under ${MAX_MESSAGE_CHARS.toLocaleString()} characters.` })
  .refine((text) => text.trim().length > 0, { error: "Write something first." });

export const startConversationSchema = z.object({
  characterId: z.uuid(),
});

export const sendMessageSchema = z.object({
  content: messageContentSchema,
  /** A random id per submit; the same id twice stores one message. */
  clientRequestId: z.string().min(8).max(64),
  /** Reply to this message instead of the end of the selected path (used by edit → branch). */
  parentId: z.string().max(64).nullable().optional(),
});

export const regenerateSchema = z.object({ userMessageId: z.string().max(64) });
export const continueSchema = z.object({ messageId: z.string().max(64) });
export const editMessageSchema = z.object({ messageId: z.string().max(64), content: messageContentSchema });
export const selectMessageSchema = z.object({ messageId: z.string().max(64) });

export const conversationSettingsSchema = z.object({
  title: z.string().trim().min(1).max(120).optional(),
  /** A serving model version's id, or "auto" for the routing rules. */
  modelVersionId: z.string().trim().min(1).max(64).optional(),
  sampling: samplingSchema.partial().optional(),
  personaName: z.string().trim().max(80).nullable().optional(),
  personaDescription: z.string().max(2000).nullable().optional(),
});

export const personaSchema = z.object({
  name: z.string().trim().min(1, { error: "Give your persona a name." }).max(80),
  description: z.string().max(2000).default(""),
});

/** The events the chat stream sends to the browser, one JSON object per SSE frame. */
export type ChatStreamEvent =
  | { type: "start"; userMessage: ChatMessageView | null; assistantMessage: ChatMessageView }
  | { type: "delta"; text: string }
  | { type: "done"; message: ChatMessageView }
  | { type: "error"; message: ChatMessageView | null; error: { code: string; message: string } };

export type ChatMessageView = {
  id: string;
  parentId: string | null;
  role: "user" | "assistant";
  content: string;
  status: "streaming" | "complete" | "stopped" | "failed" | "interrupted";
  error: string | null;
  isGreeting: boolean;
  editedFromId: string | null;
  modelId: string | null;
  createdAt: string;
  /** Sibling position for swipes: this message is `index` of `count` (1-based). */
  siblings: { index: number; count: number; ids: string[] };
};
