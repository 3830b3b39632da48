// A quick token estimate for budgets and previews when the server's /tokenize is not at hand.
// Calibrated against the simulator's tokenizer (~4 characters per token for English prose);
// real tokenizers vary, so budgets keep a margin.
const CHARS_PER_TOKEN = 3.8;
/** Chat templates wrap each message in markup: ChatML costs 5–7 tokens a message. */
export const TOKENS_PER_MESSAGE = 7;

export function estimateTokens(text: string): number {
  return text.length === 0 ? 0 : Math.ceil(text.length / CHARS_PER_TOKEN);
}

export function estimateMessagesTokens(messages: { content: string }[]): number {
  return messages.reduce((sum, message) => sum + estimateTokens(message.content) + TOKENS_PER_MESSAGE, 0);
}
