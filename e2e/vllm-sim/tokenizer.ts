/**
 * The simulator's pseudo-tokenizer and ChatML chat template. Usage counts, the context-length check,
 * the prefix cache and /tokenize all go through these, so they agree with each other exactly. The
 * tokenizer only has to be deterministic and roughly BPE-shaped (about 4 characters per token on
 * English prose: words of up to 4 letters plus a leading space are one token, longer ones split
 * every 4) so Troupe can calibrate its own estimates against it.
 */

export const IM_START = "<|im_start|>";
export const IM_END = "<|im_end|>";

const VOCAB_SIZE = 32_000;
const SPECIAL_IDS: ReadonlyMap<string, number> = new Map([
  [IM_START, VOCAB_SIZE],
  [IM_END, VOCAB_SIZE + 1],
]);
const MAX_PIECE_CODE_POINTS = 4;

// GPT-2-style pre-tokenization: special tokens, words and single symbols with an optional leading
// space, numbers in groups of three, whitespace runs. Every code point is covered by one branch.
const PRE_TOKEN = /<\|im_start\|>|<\|im_end\|>| ?[\p{L}\p{M}]+| ?\p{N}{1,3}| ?[^\s\p{L}\p{M}\p{N}]|\s+/gu;

/** Splits text into token strings whose concatenation is the input. */
export function tokenize(text: string): string[] {
  const pieces: string[] = [];
  for (const match of text.matchAll(PRE_TOKEN)) {
    const word = match[0];
    // A leading space rides along for free, as in BPE vocabularies (" word" is one token).
    const spaced = word.length > 1 && word.startsWith(" ") ? 1 : 0;
    if (word.length <= MAX_PIECE_CODE_POINTS + spaced || SPECIAL_IDS.has(word)) {
      pieces.push(word);
      continue;
    }
    // Split long words by code points so a token never holds half a character.
    let piece = "";
    let codePoints = -spaced;
    for (const char of word) {
      piece += char;
      codePoints += 1;
      if (codePoints === MAX_PIECE_CODE_POINTS) {
        pieces.push(piece);
        piece = "";
        codePoints = 0;
      }
    }
    if (piece !== "") pieces.push(piece);
  }
  return pieces;
}

/** A stable id per token string (FNV-1a, so it is identical across processes and runs). */
export function tokenId(piece: string): number {
  const special = SPECIAL_IDS.get(piece);
  if (special !== undefined) return special;
  let hash = 0x811c9dc5;
  for (let i = 0; i < piece.length; i++) {
    hash ^= piece.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0) % VOCAB_SIZE;
}

export function tokenIds(pieces: readonly string[]): number[] {
  return pieces.map(tokenId);
}

export function countTokens(text: string): number {
  return tokenize(text).length;
}

export interface TemplateMessage {
  role: string;
  content: string;
}

export interface ChatTemplateOptions {
  /** Append `<|im_start|>assistant\n` so the model answers as the assistant (vLLM's default). */
  addGenerationPrompt: boolean;
  /** Leave the last message open so the model continues it. */
  continueFinalMessage: boolean;
}

/** Renders messages the way a ChatML model's chat template does. */
export function renderChatMl(
  messages: readonly TemplateMessage[],
  options: ChatTemplateOptions = { addGenerationPrompt: true, continueFinalMessage: false },
): string {
  let prompt = "";
  messages.forEach((message, i) => {
    prompt += `${IM_START}${message.role}\n${message.content}`;
    const isOpenFinal = options.continueFinalMessage && i === messages.length - 1;
    if (!isOpenFinal) prompt += `${IM_END}\n`;
  });
  if (options.addGenerationPrompt) prompt += `${IM_START}assistant\n`;
  return prompt;
}
