// The character block: the stable first part of every prompt, rendered from one character
// version. Pure and deterministic, so the editor's preview shows exactly what the model gets
// and consecutive chat turns share a byte-identical prefix (vLLM's prefix cache needs that).
import type { Profile } from "./schema";

/** Bumped whenever the rendered text changes for the same input; stored with every reply. */
export const CHARACTER_TEMPLATE_VERSION = "character-block@1";

export const DEFAULT_SYSTEM_PROMPT =
  "You are {{char}} in an ongoing role-play with {{user}}. Stay in character at all times: speak, think and act as " +
  "{{char}} would, in {{char}}'s own voice, with what {{char}} knows and nothing more. Write only {{char}}'s part; " +
  "never speak or act for {{user}}. Describe actions in *asterisks*.";

export type PromptContext = {
  /** The name {{user}} resolves to. */
  userName: string;
  /** The user's persona description, shown to the model as who {{user}} is. */
  userPersona?: string;
  /** How many example dialogues to keep (the first thing pruned when the context is full). */
  exampleLimit?: number;
};

/** {{char}}/<BOT> and {{user}}/<USER>, case-insensitively. */
export function resolveMacros(text: string, charName: string, userName: string): string {
  return text.replace(/\{\{char\}\}|<bot>/gi, charName).replace(/\{\{user\}\}|<user>/gi, userName);
}

export function displayName(profile: Pick<Profile, "name" | "nickname">): string {
  return profile.nickname.trim() || profile.name.trim();
}

/** The card's override when set, with {{original}} standing for the text it replaces. */
export function applyOverride(override: string, original: string): string {
  return override.trim() ? override.replaceAll("{{original}}", original) : original;
}

/** `<START>`-separated example dialogues, without empty blocks. */
export function splitExamples(exampleDialogues: string): string[] {
  return exampleDialogues
    .split(/<START>/i)
    .map((block) => block.trim())
    .filter((block) => block.length > 0);
}

function section(title: string, body: string): string | null {
  const text = body.trim();
  return text ? `## ${title}\n${text}` : null;
}

function identityLines(profile: Profile): string | null {
  const pairs: [string, string][] = [
    ["Name", profile.name],
    ["Also known as", [profile.nickname, ...profile.aliases].filter(Boolean).join(", ")],
    ["Age", profile.age],
    ["Gender", profile.gender],
    ["Species", profile.species],
    ["Birthplace", profile.birthplace],
    ["Occupation", profile.occupation],
  ];
  const lines = pairs.filter(([, value]) => value.trim()).map(([label, value]) => `${label}: ${value.trim()}`);
  return lines.length > 0 ? lines.join("\n") : null;
}

function constantLore(profile: Profile, position: "before_char" | "after_char"): string | null {
  const entries = (profile.lorebook?.entries ?? [])
    .filter((entry) => entry.enabled && entry.constant && entry.position === position && entry.content.trim())
    .sort((a, b) => a.insertionOrder - b.insertionOrder);
  return entries.length > 0 ? entries.map((entry) => entry.content.trim()).join("\n\n") : null;
}

/** The full system text for a character version, macros resolved. */
export function renderCharacterBlock(profile: Profile, context: PromptContext): string {
  const charName = displayName(profile);
  const examples = splitExamples(profile.exampleDialogues).slice(0, context.exampleLimit ?? Number.POSITIVE_INFINITY);
  const facts = profile.facts
    .filter((fact) => fact.property.trim() && fact.value.trim())
    .map((fact) => `- ${fact.property.trim()}: ${fact.value.trim()}`)
    .join("\n");
  const parts = [
    applyOverride(profile.systemPrompt, DEFAULT_SYSTEM_PROMPT),
    constantLore(profile, "before_char"),
    `# ${charName}\n${identityLines(profile) ?? ""}`.trim(),
    section("Appearance", profile.appearance),
    section("Description", profile.description),
    section("Personality", profile.personality),
    section("Background", profile.background),
    section("Speaking style", profile.speakingStyle),
    section("Facts", facts),
    section("What {{char}} knows", profile.knowledgeSummary),
    section("What {{char}} does not know", profile.knowledgeBoundary),
    constantLore(profile, "after_char"),
    section("Scenario", profile.scenario),
    section("{{user}}", context.userPersona ?? ""),
    examples.length > 0
      ? `## Example dialogues\n${examples.map((example) => `<START>\n${example}`).join("\n\n")}`
      : null,
  ];
  const text = parts.filter((part): part is string => Boolean(part?.trim())).join("\n\n");
  return resolveMacros(text, charName, context.userName);
}

/** Post-history instructions (placed after the chat history), with {{original}} = nothing. */
export function renderPostHistory(profile: Profile, context: PromptContext): string {
  return resolveMacros(
    applyOverride(profile.postHistoryInstructions, "").trim(),
    displayName(profile),
    context.userName,
  );
}
