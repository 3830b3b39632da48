// Cheap automatic checks every new sample goes through before anyone reads it. Each returns flags
// with a short reason; none of them rejects on its own — flagged samples go to review first.

export type Turn = { role: "system" | "user" | "assistant"; content: string };

export type Flag = {
  code: "empty_turn" | "truncated" | "breaks_role" | "repeated_name" | "wrong_language" | "too_short" | "too_long";
  detail: string;
};

/** Phrases that mean the model stepped out of the character. */
const OUT_OF_ROLE = [
  /\bas an ai\b/i,
  /\b(?:a|an) (?:large )?language model\b/i,
  /\bi(?:'| a)m (?:just )?an? (?:ai|artificial intelligence|assistant|chatbot)\b/i,
  /\bi (?:cannot|can't|am not able to) (?:role-?play|pretend)\b/i,
  /\bopenai\b|\banthropic\b/i,
];

const TERMINAL = /[.!?…"'”’)\]*~>]$|[\p{Extended_Pictographic}]$/u;

/** The writing system most letters of a text belong to (a cheap language check). */
export function dominantScript(text: string): string | null {
  const counts = new Map<string, number>();
  const scripts: [string, RegExp][] = [
    ["latin", /\p{Script=Latin}/u],
    ["cyrillic", /\p{Script=Cyrillic}/u],
    ["greek", /\p{Script=Greek}/u],
    ["han", /\p{Script=Han}/u],
    ["kana", /[\p{Script=Hiragana}\p{Script=Katakana}]/u],
    ["hangul", /\p{Script=Hangul}/u],
    ["arabic", /\p{Script=Arabic}/u],
    ["hebrew", /\p{Script=Hebrew}/u],
    ["devanagari", /\p{Script=Devanagari}/u],
    ["thai", /\p{Script=Thai}/u],
  ];
  for (const char of text) {
    for (const [name, pattern] of scripts) {
      if (pattern.test(char)) {
        counts.set(name, (counts.get(name) ?? 0) + 1);
        break;
      }
    }
  }
  let best: string | null = null;
  let bestCount = 0;
  for (const [name, count] of counts) {
    if (count > bestCount) [best, bestCount] = [name, count];
  }
  return best;
}

/** The scripts a language is written in (languages not listed are not checked). */
const LANGUAGE_SCRIPTS: Record<string, string[]> = {
  en: ["latin"],
  de: ["latin"],
  fr: ["latin"],
  es: ["latin"],
  pt: ["latin"],
  it: ["latin"],
  nl: ["latin"],
  pl: ["latin"],
  ru: ["cyrillic"],
  uk: ["cyrillic"],
  el: ["greek"],
  zh: ["han"],
  ja: ["kana", "han"],
  ko: ["hangul"],
  ar: ["arabic"],
  he: ["hebrew"],
  hi: ["devanagari"],
  th: ["thai"],
};

export function checkSample(
  turns: readonly Turn[],
  options: { language?: string; characterName?: string; maxAnswerWords?: number } = {},
): Flag[] {
  const flags: Flag[] = [];
  const answers = turns.filter((turn) => turn.role === "assistant");
  turns.forEach((turn, index) => {
    if (turn.role !== "system" && !turn.content.trim()) {
      flags.push({ code: "empty_turn", detail: `turn ${index + 1} (${turn.role}) is empty` });
    }
  });
  const last = answers.at(-1)?.content.trim() ?? "";
  if (last && !TERMINAL.test(last)) flags.push({ code: "truncated", detail: "the last answer stops mid-sentence" });
  for (const answer of answers) {
    const hit = OUT_OF_ROLE.find((pattern) => pattern.test(answer.content));
    if (hit) {
      flags.push({ code: "breaks_role", detail: `“${answer.content.match(hit)?.[0]}” steps out of the character` });
      break;
    }
  }
  const name = options.characterName?.trim();
  if (name) {
    const prefixed = answers.filter((answer) =>
      answer.content.trimStart().toLowerCase().startsWith(`${name.toLowerCase()}:`),
    );
    if (prefixed.length > 0) {
      flags.push({ code: "repeated_name", detail: `${prefixed.length} answer(s) start with “${name}:”` });
    }
  }
  const expected = options.language ? LANGUAGE_SCRIPTS[options.language.split("-")[0]?.toLowerCase() ?? ""] : undefined;
  if (expected) {
    const script = dominantScript(answers.map((answer) => answer.content).join(" "));
    if (script && !expected.includes(script)) {
      flags.push({ code: "wrong_language", detail: `answers are in ${script} script, expected ${options.language}` });
    }
  }
  const words = (text: string) => text.split(/\s+/).filter(Boolean).length;
  const shortest = Math.min(...answers.map((answer) => words(answer.content)));
  const longest = Math.max(...answers.map((answer) => words(answer.content)));
  if (answers.length > 0 && shortest < 2)
    flags.push({ code: "too_short", detail: `an answer has ${shortest} word(s)` });
  const limit = options.maxAnswerWords ?? 1500;
  if (answers.length > 0 && longest > limit)
    flags.push({ code: "too_long", detail: `an answer has ${longest} words (limit ${limit})` });
  return flags;
}
