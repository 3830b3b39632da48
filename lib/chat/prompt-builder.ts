// The chat prompt, built so that consecutive turns share a byte-identical prefix: vLLM's automatic
// prefix caching only reuses KV blocks chained from the very first token, so anything that moves
// near the top of the prompt costs a full recompute. The rules that keep it stable:
//
// 1. Order: system = the character block (system prompt or the card's override, constant lore,
//    profile, scenario, persona, example dialogues); then the history; then the post-history
//    instructions, appended to the last message after a blank line. That tail moves every turn,
//    so it is left out of `rendered` (the cacheable part) but included in `promptHash`.
// 2. {{char}}/{{user}} (and <BOT>/<USER>) are resolved in history messages too: greetings carry them.
// 3. Budget = maxModelLen − maxOutputTokens − safetyTokens. Examples go before history, and all
//    at once: pruning them one by one would change the prefix again and again.
// 4. History is cut in big blocks, rarely, never a message per turn. The window start is replayed
//    from the first message: it stays put while the window fits, and when a new message makes it
//    overflow, it jumps forward far enough that only KEEP_AFTER_CUT of the history budget is left
//    (three quarters of the budget dropped at once). The replay depends only on the counts of
//    messages that already exist, so the start never moves between overflows, and consecutive
//    prompts extend each other until the next one. The last message is always kept; when lore
//    makes the chosen window overflow, the start moves on message by message; at worst the last
//    message is sent alone without its lore; if even that does not fit,
//    `unprocessable:message_too_long`.
// 5. Key-triggered lore (./lorebook.ts) is attached once, in front of a user message, at its first
//    trigger inside the kept window: a message's rendering changes only when the window moves.
//    Lore counts toward the budget and respects the lorebook's own token budget.
// 6. Deterministic: no timestamps, no randomness; the same input gives byte-identical output.
// 7. Mode "continue": the assistant message being continued stays last and unchanged; the
//    post-history tail goes on the last user message before it (omitted when there is none in
//    the window). The prompt then equals the one that produced the message, plus the message,
//    so the cache from that request still hits.
import { createHash } from "node:crypto";
import {
  displayName,
  renderCharacterBlock,
  renderPostHistory,
  resolveMacros,
  splitExamples,
} from "@/lib/characters/prompt";
import type { Profile } from "@/lib/characters/schema";
import { AppError } from "@/lib/errors";
import { estimateTokens, TOKENS_PER_MESSAGE } from "@/lib/llm/tokens";
import { compileLorebook, findTriggers, type LorePlacement, placeLore } from "./lorebook";

/** Stored on every reply; bump on any change to how a prompt is rendered. */
export const PROMPT_TEMPLATE_VERSION = "chat-prompt@1";

/** Tokenizers disagree a little; the budget keeps this margin unless told otherwise. */
export const DEFAULT_SAFETY_TOKENS = 64;

/**
 * Share of the history budget left right after a cut (rule 4). Smaller means fewer prefix breaks
 * (each cut frees more room) but less history right after a cut.
 */
export const KEEP_AFTER_CUT = 0.25;

export type ChatRole = "user" | "assistant";
export type HistoryMessage = { id: string; role: ChatRole; content: string };
export type PromptMessage = { role: ChatRole; content: string };

export type BuildPromptInput = {
  profile: Profile;
  /** {{user}} resolves to `name`; `description` is shown to the model as who {{user}} is. */
  persona: { name: string; description: string };
  /**
   * The active path, oldest first (it may start with the greeting). For "reply" the last message
   * is the user turn being answered; for "continue" it is the assistant message to continue.
   */
  history: HistoryMessage[];
  budget: { maxModelLen: number; maxOutputTokens: number; safetyTokens?: number };
  /** Defaults to `estimateTokens`; TOKENS_PER_MESSAGE is added for each message's markup. */
  countTokens?: (text: string) => number;
  mode?: "reply" | "continue";
};

export type BuiltPrompt = {
  /** The character block (the AI SDK's `system`). */
  system: string;
  /** The kept history with lore and macros applied and the post-history tail appended. */
  messages: PromptMessage[];
  /** Canonical serialization of system + messages without the post-history tail: the cacheable part. */
  rendered: string;
  /** sha256 of the canonical serialization of what the model saw, tail included. */
  promptHash: string;
  templateVersion: string;
  stats: {
    droppedMessages: number;
    examplesKept: number;
    examplesTotal: number;
    loreEntryIds: (string | number)[];
    estimatedTokens: number;
    budgetTokens: number;
  };
};

/**
 * Where the kept history starts (rule 4), replayed over every message so far: the start moves
 * only when a message makes the window overflow `limit`, and then far enough that at most `keep`
 * tokens remain (always keeping that message). A function of the counts alone, so a growing
 * history gets the same start until its next overflow.
 */
export function windowStart(messageTokens: number[], limit: number, keep: number): number {
  let start = 0;
  let kept = 0;
  messageTokens.forEach((tokens, end) => {
    kept += tokens;
    if (kept <= limit) return;
    while (start < end && kept > keep) {
      kept -= messageTokens[start] ?? 0;
      start += 1;
    }
  });
  return start;
}

/** Share of turns (from the 2nd on) whose `rendered` starts with the previous turn's, byte for byte. */
export function prefixStability(rendered: string[]): number {
  if (rendered.length < 2) return 1;
  let extended = 0;
  for (let turn = 1; turn < rendered.length; turn++) {
    if (rendered[turn]?.startsWith(rendered[turn - 1] ?? "")) extended += 1;
  }
  return extended / (rendered.length - 1);
}

function serialize(system: string, messages: PromptMessage[]): string {
  return [`<|system|>\n${system}`, ...messages.map((message) => `<|${message.role}|>\n${message.content}`)].join("\n");
}

function checkHistory(history: HistoryMessage[], mode: "reply" | "continue"): void {
  const last = history.at(-1);
  if (!last) throw new AppError("bad_request:prompt", "There is no message to answer yet.");
  if (mode === "reply" && last.role !== "user") {
    throw new AppError("bad_request:prompt", "A reply needs the user's message last.");
  }
  if (mode === "continue" && last.role !== "assistant") {
    throw new AppError("bad_request:prompt", "Only a character's message can be continued.");
  }
}

type ResolvedMessage = PromptMessage & { tokens: number };

/** A candidate window: the kept messages from `start` as sent (tail not yet added) and their cost. */
type HistoryWindow = {
  start: number;
  messages: PromptMessage[];
  /** Index in `messages` that gets the post-history tail, or null. */
  tailAt: number | null;
  loreEntryIds: (string | number)[];
  tokens: number;
};

export function buildPrompt(input: BuildPromptInput): BuiltPrompt {
  const { profile, persona, history, budget } = input;
  const mode = input.mode ?? "reply";
  const countTokens = input.countTokens ?? estimateTokens;
  checkHistory(history, mode);

  const charName = displayName(profile);
  const resolve = (text: string) => resolveMacros(text, charName, persona.name);
  const context = { userName: persona.name, userPersona: persona.description };
  const budgetTokens = budget.maxModelLen - budget.maxOutputTokens - (budget.safetyTokens ?? DEFAULT_SAFETY_TOKENS);
  const postHistory = renderPostHistory(profile, context);
  const messageCost = (content: string) => countTokens(content) + TOKENS_PER_MESSAGE;
  const withTail = (content: string) => (postHistory ? `${content}\n\n${postHistory}` : content);

  const resolved: ResolvedMessage[] = history.map(({ role, content }) => {
    const text = resolve(content);
    return { role, content: text, tokens: messageCost(text) };
  });
  const lastIndex = resolved.length - 1;
  const messageTokens = resolved.map((message) => message.tokens);
  // Lore and the tail only add tokens, so a window whose bare messages already overflow is passed
  // over without placing lore: only the last few candidate windows get counted in full.
  const bareTokensFrom = messageTokens.map(() => 0);
  for (let i = lastIndex, sum = 0; i >= 0; i--) {
    sum += messageTokens[i] ?? 0;
    bareTokensFrom[i] = sum;
  }
  const tailIndex =
    mode === "reply" ? lastIndex : resolved.findLastIndex((message, i) => message.role === "user" && i < lastIndex);
  const lorebook = compileLorebook(profile.lorebook, { resolveMacros: resolve, countTokens });
  const roles = resolved.map((message) => message.role);
  const triggers = findTriggers(
    lorebook,
    resolved.map((message) => message.content),
  );

  const windowFrom = (start: number, lore: LorePlacement): HistoryWindow => {
    let tokens = 0;
    const messages = resolved.slice(start).map((message, offset) => {
      const index = start + offset;
      const content = `${lore.prefixes.get(index) ?? ""}${message.content}`;
      const sent = index === tailIndex ? withTail(content) : content;
      // Only messages that gained lore or the tail need counting again.
      tokens += sent === message.content ? message.tokens : messageCost(sent);
      return { role: message.role, content };
    });
    const tailAt = postHistory && tailIndex >= start ? tailIndex - start : null;
    return { start, messages, tailAt, loreEntryIds: lore.entryIds, tokens };
  };
  const windowWithLore = (start: number) => windowFrom(start, placeLore(lorebook, triggers, roles, start));

  const examplesTotal = splitExamples(profile.exampleDialogues).length;
  const assemble = (system: string, window: HistoryWindow, examplesKept: number): BuiltPrompt => {
    const messages = window.messages.map((message, offset) =>
      offset === window.tailAt ? { ...message, content: withTail(message.content) } : message,
    );
    return {
      system,
      messages,
      rendered: serialize(system, window.messages),
      promptHash: createHash("sha256").update(serialize(system, messages)).digest("hex"),
      templateVersion: PROMPT_TEMPLATE_VERSION,
      stats: {
        droppedMessages: window.start,
        examplesKept,
        examplesTotal,
        loreEntryIds: window.loreEntryIds,
        estimatedTokens: messageCost(system) + window.tokens,
        budgetTokens,
      },
    };
  };

  const fullSystem = renderCharacterBlock(profile, context);
  const fullSystemTokens = messageCost(fullSystem);
  if (fullSystemTokens + (bareTokensFrom[0] ?? 0) <= budgetTokens) {
    const everything = windowWithLore(0);
    if (fullSystemTokens + everything.tokens <= budgetTokens) return assemble(fullSystem, everything, examplesTotal);
  }

  const system = examplesTotal > 0 ? renderCharacterBlock(profile, { ...context, exampleLimit: 0 }) : fullSystem;
  const systemTokens = messageCost(system);
  const historyBudget = budgetTokens - systemTokens;
  const pick = (window: HistoryWindow) => assemble(system, window, 0);
  const fitsBare = (start: number) => (bareTokensFrom[start] ?? 0) <= historyBudget;
  // The tail rides on the newest message; reserve it in the replay so the window really fits.
  const tailReserve = postHistory ? messageCost(postHistory) : 0;
  // Every entry a message triggers is counted on it, as if attached there: an overestimate that
  // keeps the replayed window fitting whatever the lore re-anchors to, so lore never nudges the
  // start forward a message at a time.
  const replayTokens = messageTokens.map(
    (tokens, index) =>
      tokens + (triggers[index] ?? []).reduce((sum, entry) => sum + (lorebook.entries[entry]?.blockTokens ?? 0), 0),
  );
  const replayed = windowStart(replayTokens, historyBudget - tailReserve, Math.floor(historyBudget * KEEP_AFTER_CUT));
  // Lore can still overflow the replayed window: move on, message by message, to a window that
  // fits; as a last resort send the last message alone without its lore.
  for (let start = replayed; start <= lastIndex; start++) {
    if (!fitsBare(start)) continue;
    const window = windowWithLore(start);
    if (window.tokens <= historyBudget) return pick(window);
  }
  const lastAlone = windowFrom(lastIndex, { prefixes: new Map(), entryIds: [] });
  if (lastAlone.tokens <= historyBudget) return pick(lastAlone);
  throw new AppError(
    "unprocessable:message_too_long",
    `This message is too long for the model's context: ${budgetTokens} tokens are left for the prompt, ` +
      `the character uses ${systemTokens} and the message ${lastAlone.tokens}. Shorten it and try again.`,
  );
}
