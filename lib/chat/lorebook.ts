// Key-triggered lorebook entries for the chat prompt. Constant entries are already part of the
// character block (lib/characters/prompt.ts); every other enabled entry is triggered by its keys
// appearing in a history message and is attached once, in front of a user message. Where an entry
// lands depends only on the messages up to it and on where the kept window starts, so appending
// turns never rewrites an earlier message — vLLM's prefix cache keeps hitting.
import type { Lorebook } from "@/lib/characters/schema";

export type CompiledLoreEntry = {
  /** The entry's card id, or its position in the lorebook when it has none. */
  id: string | number;
  /** Position in the lorebook: the tie-break after `insertionOrder`. */
  index: number;
  insertionOrder: number;
  /** The text put in front of the user message, macros resolved. */
  block: string;
  blockTokens: number;
  primaryKeys: KeyMatcher[];
  /** Empty unless the entry is selective; then one of these must match as well. */
  secondaryKeys: KeyMatcher[];
};

export type CompiledLorebook = {
  entries: CompiledLoreEntry[];
  /** Tokens all attached entries may use together; null = no limit. */
  tokenBudget: number | null;
};

export type LorePlacement = {
  /** Text to put in front of a message, by message index. */
  prefixes: Map<number, string>;
  /** Attached entries in prompt order. */
  entryIds: (string | number)[];
};

/** A message's text, plus its lower-cased copy so case-insensitive keys do not re-lowercase it. */
type ScannedText = { text: string; lower: string };
type KeyMatcher = (message: ScannedText) => boolean;

// A group holding a quantifier that is itself quantified — `(a+)+`, `(\w*x)*` — can backtrack
// exponentially. Cards are written by users and run against every message on the server, so such
// keys are skipped rather than risked.
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/;
const REGEX_LITERAL = /^\/(.+)\/([a-z]*)$/s;

export function formatLoreBlock(content: string): string {
  return `[World info: ${content}]\n\n`;
}

function compileRegex(key: string, caseSensitive: boolean): RegExp | null {
  const literal = REGEX_LITERAL.exec(key);
  const source = literal?.[1] ?? key;
  // g and y make `test` stateful; case sensitivity follows the entry, like plain keys.
  const flags = new Set([...(literal?.[2] ?? "")].filter((flag) => flag !== "g" && flag !== "y"));
  if (!caseSensitive) flags.add("i");
  if (NESTED_QUANTIFIER.test(source)) return null;
  try {
    return new RegExp(source, [...flags].join(""));
  } catch {
    return null;
  }
}

function compileKey(rawKey: string, caseSensitive: boolean, useRegex: boolean): KeyMatcher | null {
  const key = rawKey.trim();
  if (!key) return null;
  if (useRegex) {
    const regex = compileRegex(key, caseSensitive);
    return regex ? (message) => regex.test(message.text) : null;
  }
  if (caseSensitive) return (message) => message.text.includes(key);
  const lowerKey = key.toLowerCase();
  return (message) => message.lower.includes(lowerKey);
}

function compileKeys(keys: string[], caseSensitive: boolean, useRegex: boolean): KeyMatcher[] {
  return keys
    .map((key) => compileKey(key, caseSensitive, useRegex))
    .filter((matcher): matcher is KeyMatcher => matcher !== null);
}

/**
 * The entries that keys can trigger: enabled, not constant, with content and at least one usable
 * key. Invalid or dangerous regex keys are dropped; an entry left without keys never triggers.
 */
export function compileLorebook(
  lorebook: Lorebook | null,
  options: { resolveMacros: (text: string) => string; countTokens: (text: string) => number },
): CompiledLorebook {
  const entries: CompiledLoreEntry[] = [];
  (lorebook?.entries ?? []).forEach((entry, index) => {
    const content = options.resolveMacros(entry.content).trim();
    if (!entry.enabled || entry.constant || !content) return;
    const primaryKeys = compileKeys(entry.keys, entry.caseSensitive, entry.useRegex);
    if (primaryKeys.length === 0) return;
    const block = formatLoreBlock(content);
    entries.push({
      id: entry.id ?? index,
      index,
      insertionOrder: entry.insertionOrder,
      block,
      blockTokens: options.countTokens(block),
      primaryKeys,
      secondaryKeys: entry.selective ? compileKeys(entry.secondaryKeys, entry.caseSensitive, entry.useRegex) : [],
    });
  });
  // 0 comes from exporters that write a default, not from authors wanting no lore at all.
  const tokenBudget = lorebook?.tokenBudget ? lorebook.tokenBudget : null;
  return { entries, tokenBudget };
}

/** For each message text, the indices (into `book.entries`) of the entries it triggers. */
export function findTriggers(book: CompiledLorebook, texts: string[]): number[][] {
  return texts.map((text) => {
    const message = { text, lower: text.toLowerCase() };
    const triggered: number[] = [];
    book.entries.forEach((entry, entryIndex) => {
      const primary = entry.primaryKeys.some((matches) => matches(message));
      const secondary = entry.secondaryKeys.length === 0 || entry.secondaryKeys.some((matches) => matches(message));
      if (primary && secondary) triggered.push(entryIndex);
    });
    return triggered;
  });
}

/**
 * Attaches each entry triggered inside the window (messages from `windowStart` on) once: in front
 * of the first user message at or after its first triggering message. Entries with no user message
 * after their trigger (the assistant message being continued) wait for the next turn. Over the
 * token budget, entries are skipped in prompt order, so earlier decisions never change.
 */
export function placeLore(
  book: CompiledLorebook,
  triggers: number[][],
  roles: ("user" | "assistant")[],
  windowStart: number,
): LorePlacement {
  const anchors: { entry: CompiledLoreEntry; anchor: number }[] = [];
  const seen = new Set<number>();
  let nextUser = -1;
  // Walking backwards keeps the nearest user message at or after each index at hand.
  const nextUserAt: number[] = [];
  for (let i = roles.length - 1; i >= windowStart; i--) {
    if (roles[i] === "user") nextUser = i;
    nextUserAt[i] = nextUser;
  }
  for (let i = windowStart; i < triggers.length; i++) {
    for (const entryIndex of triggers[i] ?? []) {
      if (seen.has(entryIndex)) continue;
      seen.add(entryIndex);
      const entry = book.entries[entryIndex];
      const anchor = nextUserAt[i] ?? -1;
      if (entry && anchor >= 0) anchors.push({ entry, anchor });
    }
  }
  anchors.sort(
    (a, b) => a.anchor - b.anchor || a.entry.insertionOrder - b.entry.insertionOrder || a.entry.index - b.entry.index,
  );
  const prefixes = new Map<number, string>();
  const entryIds: (string | number)[] = [];
  let tokensUsed = 0;
  for (const { entry, anchor } of anchors) {
    if (book.tokenBudget !== null && tokensUsed + entry.blockTokens > book.tokenBudget) continue;
    tokensUsed += entry.blockTokens;
    prefixes.set(anchor, (prefixes.get(anchor) ?? "") + entry.block);
    entryIds.push(entry.id);
  }
  return { prefixes, entryIds };
}
