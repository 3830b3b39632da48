// What the model under test is sent for each item. Versioned like the judges, because the wording
// of the role-play instruction moves scores too: a run stores `ANSWER_TEMPLATES[kind]`'s ref and hash.
import { type EvalTemplate, fillSlots, templateHash, templateRef } from "./judges";
import { itemKey, type SuiteItem, type SuiteKind } from "./schema";

/** Ditto's setting: the brief intro only, so the model must recall the character itself. */
const KNOWLEDGE_ANSWER: EvalTemplate = {
  id: "eval-answer-knowledge",
  version: 1,
  system:
    "{{intro}}You are {{name}}. Answer every question as {{name}}, in the first person, from {{name}}'s own life, " +
    "time and knowledge. If a question is about something {{name}} could not know, do not answer it: say so the " +
    "way {{name}} would. Never mention being an AI, a model or a role-play.",
  user: "{{question}}",
};

const PERSONA_ANSWER: EvalTemplate = {
  id: "eval-answer-persona",
  version: 1,
  system:
    "You are the person described below. Answer every question as this person would — their knowledge, views, " +
    "manner of speaking and way of acting — in the first person, and stay in the role throughout.\n\n{{persona}}",
  user: "{{question}}",
};

/** The character's own prompt block, as in chat (see `regressionSuiteFor`); no instruction added. */
const REGRESSION_ANSWER: EvalTemplate = {
  id: "eval-answer-regression",
  version: 1,
  system: "{{intro}}",
  user: "{{question}}",
};

export const ANSWER_TEMPLATES: Record<SuiteKind, EvalTemplate> = {
  knowledge: KNOWLEDGE_ANSWER,
  persona: PERSONA_ANSWER,
  regression: REGRESSION_ANSWER,
};

/** `id@version` and hash of the answer template a run of this kind uses. */
export function answerTemplateOf(kind: SuiteKind): { template: string; templateHash: string } {
  const template = ANSWER_TEMPLATES[kind];
  return { template: templateRef(template), templateHash: templateHash(template) };
}

export type ChatMessage = { role: "user" | "assistant"; content: string };

/** An earlier turn of the same knowledge session: its question and the model's own answer. */
export type SessionTurn = { question: string; answer: string };

/**
 * The system prompt and messages for one item. For knowledge turn k, `history` holds turns 0…k−1 of
 * its session in order (the runner answers a session's turns one after another); other kinds have
 * none. A history of the wrong length throws.
 */
export function answerPrompt(
  item: SuiteItem,
  history: readonly SessionTurn[] = [],
): { system: string; messages: ChatMessage[] } {
  const earlierTurns = item.kind === "knowledge" ? item.turn : 0;
  if (history.length !== earlierTurns) {
    // A runner bug, not a user error: turns answered out of order would make the scores meaningless.
    throw new Error(`Item ${itemKey(item)} needs ${earlierTurns} earlier turns as history; got ${history.length}.`);
  }
  const template = ANSWER_TEMPLATES[item.kind];
  const system = fillSlots(template.system, systemValues(item));
  const earlier = history.flatMap((turn): ChatMessage[] => [
    { role: "user", content: turn.question },
    { role: "assistant", content: turn.answer },
  ]);
  return {
    system,
    messages: [...earlier, { role: "user", content: fillSlots(template.user, { question: item.question }) }],
  };
}

function systemValues(item: SuiteItem): Record<string, string> {
  switch (item.kind) {
    case "knowledge":
      return { intro: item.character.intro ? `${item.character.intro}\n\n` : "", name: item.character.name };
    case "persona":
      return { persona: item.persona };
    case "regression":
      return { intro: item.character.intro || `You are ${item.character.name}.` };
  }
}
