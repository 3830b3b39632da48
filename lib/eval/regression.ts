// Regression suites: does a new model version still play this character? The questions come from
// the character's own example dialogues (the user's line, with the character's reply kept as a
// sample of voice for the judge) and from its profile. The model under test gets the character's
// prompt block as chat renders it, but without the example dialogues, so it cannot copy the replies
// it is compared with.
import { displayName, renderCharacterBlock, resolveMacros, splitExamples } from "@/lib/characters/prompt";
import type { Profile } from "@/lib/characters/schema";
import { normalizeForId, truncateClean } from "@/lib/synthesis/inputs/text";
import { EVAL_LIMITS, type EvalCharacter, type RegressionItem, type SuiteHeader } from "./schema";

export type RegressionOptions = {
  /** The language of the character's dialogues (default "en"). Profile questions are English, so only English characters get them. */
  language?: string;
  /** What {{user}} becomes in the prompt block and the example lines (default "User"). */
  userName?: string;
  /** Named in the suite description, for lineage. */
  characterVersion?: number;
  /** At most this many example-dialogue items (default 20). */
  maxExamples?: number;
};

export type ExampleExchange = { question: string; reference: string };

type Turn = { speaker: "user" | "char"; text: string };

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * The first exchange of each `<START>` block: a user line answered by a character line. Speakers
 * are written `{{user}}:` / `<USER>:` and `{{char}}:` / `<BOT>:` / the character's name or nickname,
 * as SillyTavern writes them; lines without a speaker continue the line before. Later exchanges of
 * a block are left out because they depend on the turns before them, which an item does not carry.
 */
export function exampleExchanges(exampleDialogues: string, names: readonly string[]): ExampleExchange[] {
  const charNames = names
    .map((name) => name.trim())
    .filter(Boolean)
    .map(escapeRegExp);
  const speaker = new RegExp(
    `^\\s*(\\{\\{user\\}\\}|<user>|\\{\\{char\\}\\}|<bot>${charNames.map((name) => `|${name}`).join("")})\\s*:\\s?(.*)$`,
    "i",
  );
  const exchanges: ExampleExchange[] = [];
  for (const block of splitExamples(exampleDialogues)) {
    const turns: Turn[] = [];
    for (const line of block.split(/\r?\n/)) {
      const match = speaker.exec(line);
      if (match) {
        const who = /^(\{\{user\}\}|<user>)$/i.test(match[1] as string) ? "user" : "char";
        turns.push({ speaker: who, text: match[2] as string });
      } else if (turns.length > 0) {
        (turns.at(-1) as Turn).text += `\n${line}`;
      }
    }
    const index = turns.findIndex(
      (turn, at) => turn.speaker === "user" && turn.text.trim() !== "" && turns[at + 1]?.speaker === "char",
    );
    const question = turns[index]?.text.trim();
    const reference = turns[index + 1]?.text.trim();
    if (index !== -1 && question && reference) exchanges.push({ question, reference });
  }
  return exchanges;
}

/** Questions any profile supports, each only when the profile has the field it draws on. */
function profileQuestions(profile: Profile): string[] {
  const questions = ["Hello! Who are you, and what do you do with your days?"];
  if (profile.occupation.trim()) questions.push("What is the hardest part of your work?");
  if (profile.background.trim()) questions.push("What from your past still stays with you?");
  if (profile.personality.trim()) questions.push("How would someone who knows you well describe you?");
  const facts = profile.facts.filter((fact) => fact.property.trim() && fact.property.length <= 40).slice(0, 2);
  for (const fact of facts) questions.push(`Tell me about your ${fact.property.trim()}.`);
  return questions;
}

/** A regression suite for one character version: example-dialogue items first, then profile questions. */
export function regressionSuiteFor(
  profile: Profile,
  options: RegressionOptions = {},
): { header: SuiteHeader; items: RegressionItem[] } {
  const language = options.language ?? "en";
  const userName = options.userName ?? "User";
  const name = displayName(profile);
  const character: EvalCharacter = {
    name,
    intro: truncateClean(renderCharacterBlock({ ...profile, exampleDialogues: "" }, { userName }), EVAL_LIMITS.intro),
    summary: "",
  };

  const items: RegressionItem[] = [];
  const seen = new Set<string>();
  const add = (question: string, reference?: string) => {
    const key = normalizeForId(question);
    if (question.length > EVAL_LIMITS.question || seen.has(key)) return;
    seen.add(key);
    items.push({ kind: "regression", character, question, ...(reference ? { reference } : {}), language });
  };

  const exchanges = exampleExchanges(profile.exampleDialogues, [profile.name, profile.nickname]);
  for (const { question, reference } of exchanges.slice(0, options.maxExamples ?? 20)) {
    add(
      resolveMacros(question, name, userName),
      truncateClean(resolveMacros(reference, name, userName), EVAL_LIMITS.reference),
    );
  }
  if (/^en\b/i.test(language)) for (const question of profileQuestions(profile)) add(question);

  const version = options.characterVersion === undefined ? "" : ` (character version ${options.characterVersion})`;
  return {
    header: {
      name: truncateClean(`Regression: ${name}`, EVAL_LIMITS.suiteName),
      kind: "regression",
      description: `Generated from the example dialogues and profile of ${name}${version}.`,
      version: 1,
    },
    items,
  };
}
