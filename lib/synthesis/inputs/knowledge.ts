// Knowledge profiles for Ditto's pipeline: one character per JSON line, as Wikidata and Wikipedia
// describe it (label, description, aliases, claims, category, language, summary, article). While a
// response is simulated the model reads the whole profile (`knowledgeText`); the trained row keeps
// only a brief introduction (`briefIntro`), so the model learns to recall the rest itself.
import { formatCount } from "../../characters/cards/limits";
import type { Line } from "./lines";
import { formatPath, foundKeys, isRecord, lineError, type ParseResult, parseJsonLine, validate } from "./result";
import {
  type Claim,
  claimPropertySchema,
  claimValueSchema,
  INPUT_LIMITS,
  type KnowledgeProfile,
  knowledgeRowSchema,
  sourceIdSchema,
} from "./schema";
import { cleanText, describeValue, firstSentence, normalizeForId, seedId, truncateClean } from "./text";

const TEXT_FIELDS = ["label", "description", "category", "language", "summary", "article"] as const;

/** One result per non-blank line. */
export async function* parseKnowledge(lines: AsyncIterable<Line>): AsyncGenerator<ParseResult<KnowledgeProfile>> {
  for await (const line of lines) {
    if (line.error !== undefined) {
      yield lineError(line.lineNumber, line.error);
      continue;
    }
    if (line.text.trim() === "") continue;
    const profile = parseProfileLine(line.text);
    yield profile.ok
      ? { ok: true, lineNumber: line.lineNumber, value: profile.value }
      : lineError(line.lineNumber, profile.reason);
  }
}

type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

function parseProfileLine(text: string): Outcome<KnowledgeProfile> {
  const parsed = parseJsonLine(text);
  if (!parsed.ok) return parsed;
  const row = parsed.value;
  if (!isRecord(row)) return { ok: false, reason: `expected a JSON object, got ${describeValue(row)}` };

  // Most often a file of another kind: say what the line has instead.
  if (row.label === undefined) return { ok: false, reason: `\`label\` is missing; ${foundKeys(row)}` };
  const input: Record<string, unknown> = { aliases: row.aliases };
  for (const key of TEXT_FIELDS) input[key] = cleanIfText(row[key]);
  if (Array.isArray(row.aliases)) {
    input.aliases = row.aliases.map(cleanIfText);
  }
  const fields = validate(knowledgeRowSchema, input);
  if (!fields.ok) return fields;
  const claims = readClaims(row.claims);
  if (!claims.ok) return claims;
  const idKey = (["id", "qid", "uuid"] as const).find((key) => row[key] !== undefined && row[key] !== null);
  const sourceId = idKey === undefined ? undefined : validate(sourceIdSchema, row[idKey], [idKey]);
  if (sourceId && !sourceId.ok) return sourceId;

  const { label, description, aliases, category, language, summary, article } = fields.value;
  const lang = language || "en";
  const profile: KnowledgeProfile = {
    label,
    description: description ?? "",
    aliases: uniqueAliases(label, aliases ?? []),
    claims: claims.value,
    category: category ?? "",
    language: lang,
    summary: summary ?? "",
    article: article ?? "",
    seedId: seedId("knowledge", lang, label, description ?? ""),
  };
  if (sourceId?.ok) profile.sourceId = sourceId.value;
  return { ok: true, value: profile };
}

const cleanIfText = (value: unknown) => (typeof value === "string" ? cleanText(value) : value);

/** Non-empty aliases, each once, without the label itself. */
function uniqueAliases(label: string, aliases: (string | null)[]): string[] {
  const seen = new Set([normalizeForId(label)]);
  const unique: string[] = [];
  for (const alias of aliases) {
    if (!alias) continue;
    const key = normalizeForId(alias);
    if (seen.has(key)) continue;
    seen.add(key);
    unique.push(alias);
  }
  return unique;
}

/**
 * `claims` as `{property: value | value[]}` or `[{property, value | value[]}]`, flattened to one
 * claim per value. Empty values (and null) are left out: Wikidata exports have many.
 */
function readClaims(raw: unknown): Outcome<Claim[]> {
  if (raw === undefined || raw === null) return { ok: true, value: [] };
  const claims: Claim[] = [];
  const add = (property: string, value: unknown, path: (string | number)[]): Outcome<void> => {
    const values = Array.isArray(value) ? value : [value];
    for (const [index, item] of values.entries()) {
      if (item === null) continue;
      const checked = validate(claimValueSchema, cleanIfText(item), Array.isArray(value) ? [...path, index] : path);
      if (!checked.ok) return checked;
      if (checked.value === "") continue;
      if (claims.length === INPUT_LIMITS.claims) {
        return {
          ok: false,
          reason: `\`claims\` has over ${formatCount(INPUT_LIMITS.claims)} values; that is the limit`,
        };
      }
      claims.push({ property, value: checked.value });
    }
    return { ok: true, value: undefined };
  };

  if (Array.isArray(raw)) {
    for (const [index, item] of raw.entries()) {
      if (!isRecord(item)) {
        return { ok: false, reason: `${formatPath(["claims", index])} must be an object, not ${describeValue(item)}` };
      }
      const property = validate(claimPropertySchema, cleanIfText(item.property), ["claims", index, "property"]);
      if (!property.ok) return property;
      if (item.value === undefined) {
        return { ok: false, reason: `${formatPath(["claims", index, "value"])} is missing` };
      }
      const added = add(property.value, item.value, ["claims", index, "value"]);
      if (!added.ok) return added;
    }
    return { ok: true, value: claims };
  }
  if (isRecord(raw)) {
    for (const [name, value] of Object.entries(raw)) {
      const property = validate(claimPropertySchema, cleanText(name), [], "a property name");
      if (!property.ok) return { ok: false, reason: `in \`claims\`, ${property.reason}` };
      const added = add(property.value, value, ["claims", name]);
      if (!added.ok) return added;
    }
    return { ok: true, value: claims };
  }
  return {
    ok: false,
    reason: `\`claims\` must be an object (property → value or values) or a list of {property, value}, not ${describeValue(raw)}`,
  };
}

/** Ditto keeps the system prompt of a trained row this short, so the model must recall the rest. */
export const BRIEF_INTRO_CHARS = 400;

/**
 * Label, description and the summary's first sentence: "Ada Lovelace, English mathematician and
 * writer. Augusta Ada King, Countess of Lovelace, was …". At most `maxChars` characters.
 */
export function briefIntro(profile: KnowledgeProfile, maxChars = BRIEF_INTRO_CHARS): string {
  // Chinese and Japanese punctuation, no space between sentences.
  const cjk = /^(zh|ja)\b/i.test(profile.language);
  const description = profile.description.replace(/[\s.。]+$/, "");
  let intro = description ? `${profile.label}${cjk ? "，" : ", "}${description}` : profile.label;
  intro += cjk ? "。" : ".";
  const sentence = firstSentence(profile.summary, profile.language);
  if (sentence) intro += cjk ? sentence : ` ${sentence}`;
  return truncateClean(intro, maxChars);
}

/** Enough for a long summary, all claims and a good part of the article in one prompt. */
export const KNOWLEDGE_TEXT_CHARS = 12_000;

/** Below this, an article excerpt says too little to be worth its heading. */
const MIN_SECTION_CHARS = 200;

/**
 * The full profile for the simulation prompt, at most `maxChars` characters: identity lines, the
 * summary, the claims grouped by property, then as much of the article as fits. Whatever is cut
 * is cut at a paragraph, sentence or word boundary, or (claims) a whole line at a time.
 */
export function knowledgeText(profile: KnowledgeProfile, maxChars = KNOWLEDGE_TEXT_CHARS): string {
  const blocks: string[] = [];
  let used = 0;
  const room = () => maxChars - used - (blocks.length > 0 ? 2 : 0);
  const push = (block: string) => {
    used += block.length + (blocks.length > 0 ? 2 : 0);
    blocks.push(block);
  };

  const identity = [`Name: ${profile.label}`];
  if (profile.aliases.length > 0) identity.push(`Also known as: ${profile.aliases.join("; ")}`);
  if (profile.description) identity.push(`Description: ${profile.description}`);
  if (profile.category) identity.push(`Category: ${profile.category}`);
  push(truncateClean(identity.join("\n"), maxChars));

  if (profile.summary && room() >= MIN_SECTION_CHARS) push(truncateClean(`Summary:\n${profile.summary}`, room()));

  const facts = factLines(profile.claims);
  if (facts.length > 0 && room() >= MIN_SECTION_CHARS) {
    const heading = "Facts:";
    const kept: string[] = [];
    let length = heading.length;
    const budget = room();
    const more = (left: number) => `- … (${left} more)`;
    for (const [index, fact] of facts.entries()) {
      const left = facts.length - index - 1;
      // Keep room for the "more" line unless this is the last fact.
      const reserve = left > 0 ? more(left).length + 1 : 0;
      if (length + 1 + fact.length + reserve > budget) {
        kept.push(more(facts.length - index));
        break;
      }
      kept.push(fact);
      length += 1 + fact.length;
    }
    push([heading, ...kept].join("\n"));
  }

  if (profile.article && room() >= MIN_SECTION_CHARS) push(truncateClean(`Article:\n${profile.article}`, room()));
  return blocks.join("\n\n");
}

/** One long value (a quotation, a list of works) should not crowd out the other facts. */
const MAX_FACT_LINE_CHARS = 1_000;

/** "- occupation: mathematician; writer", one line per property in first-seen order. */
function factLines(claims: Claim[]): string[] {
  const byProperty = new Map<string, string[]>();
  for (const { property, value } of claims) {
    const values = byProperty.get(property);
    if (values) values.push(value);
    else byProperty.set(property, [value]);
  }
  return [...byProperty].map(([property, values]) =>
    truncateClean(`- ${property}: ${values.join("; ")}`.replace(/\s*\n\s*/g, " "), MAX_FACT_LINE_CHARS),
  );
}
