// The prompts of the synthesis pipelines: Troupe's own wording, versioned. A template's id@version
// is stored with every job and every row it produces; changing the wording means a new version.
import { createHash } from "node:crypto";

export type Template = { id: string; version: number; system: string };

export const templateRef = (template: { id: string; version: number }) => `${template.id}@${template.version}`;

/** A short hash of the template text, so two runs can tell whether their prompts really matched. */
export const templateHash = (template: Template) =>
  createHash("sha256")
    .update(`${templateRef(template)}\n${template.system}`)
    .digest("hex")
    .slice(0, 16);

/** OpenCharacter-G: the character answers a seed's user turns in its own voice. */
export const GENERATE_TEMPLATE: Template = {
  id: "opencharacter-generate",
  version: 1,
  system:
    "Stay in character for the whole conversation. Answer as the character would — their knowledge, their " +
    "opinions, their way of speaking — and never mention being an AI, a model or a role. If the character " +
    "would not know something, answer the way they would when they do not know it.",
};

/** OpenCharacter-R: the reference answers are rewritten in the character's voice, facts kept. */
export const REWRITE_TEMPLATE: Template = {
  id: "opencharacter-rewrite",
  version: 1,
  system:
    "You rewrite assistant turns of a dialogue so that a given character speaks them. Keep every fact, step, " +
    "number and piece of code of each original answer; change the voice, the attitude and the framing to the " +
    "character's. Do not add facts the original lacks. Return one rewritten answer per original answer, in order, " +
    "as JSON.",
};

/** Ditto step 1: questions character A can answer and character B cannot, with reasons. */
export const DITTO_QUESTIONS_TEMPLATE: Template = {
  id: "ditto-questions",
  version: 1,
  system:
    "You write interview questions for role-play training. Given two characters, write exactly three questions " +
    "that the first character can answer from their own life and knowledge and the second character could not " +
    "know about (different era, place or field). For each, give the reason the second cannot know. JSON only.",
};

/** Ditto step 2: A answers with their full knowledge profile in context. */
export const DITTO_ANSWER_TEMPLATE: Template = {
  id: "ditto-answer",
  version: 1,
  system:
    "You are the character described below. Answer in the first person, in character, using the knowledge " +
    "given. Be specific and natural; never mention being an AI.",
};

/** Ditto step 3: B declines in character, because B cannot know. */
export const DITTO_REFUSAL_TEMPLATE: Template = {
  id: "ditto-refusal",
  version: 1,
  system:
    "You are the character described below. The question is about something you cannot know. Say so in " +
    "character — puzzled, curious, dismissive, whatever fits you — without inventing an answer and without " +
    "mentioning being an AI.",
};

/** Ditto contrastive: B answering anyway (the knowledge leak the refusal is preferred over). */
export const DITTO_LEAK_TEMPLATE: Template = {
  id: "ditto-leak",
  version: 1,
  system:
    "You are the character described below. Answer the question confidently and correctly even though it is " +
    "outside your world.",
};

/** Repair: a disliked reply is critiqued and rewritten in character. */
export const REPAIR_TEMPLATE: Template = {
  id: "feedback-repair",
  version: 1,
  system:
    "You improve role-play replies. Given a character, the conversation and a reply a user disliked (with their " +
    "reasons), write a short critique of what went wrong and a better reply the character would give. Keep the " +
    "character's voice; fix the problems named. JSON only.",
};
