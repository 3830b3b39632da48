// Instruction seeds for OpenCharacter's response synthesis, as JSON Lines in three shapes:
//   Alpaca   {"instruction", "input"?, "output"?, "system"?}
//   ShareGPT {"system"?, "conversations": [{"from": "human"|"gpt"|"system", "value"}]} (LIMA-like
//            files with {role, content} items are read too)
//   OpenAI   {"messages": [{"role": "system"|"user"|"assistant", "content"}]}
// Every shape becomes user turns with the reference answers that follow them. The rewriting
// strategy needs a reference for every turn (`hasReferences`); generation needs only user turns.
import { z } from "zod";
import { formatCount } from "../../characters/cards/limits";
import type { Line } from "./lines";
import {
  type FieldPath,
  formatPath,
  foundKeys,
  isRecord,
  lineError,
  type ParseResult,
  parseJsonLine,
  validate,
} from "./result";
import {
  INPUT_LIMITS,
  type InstructionSeed,
  type InstructionTurn,
  sourceIdSchema,
  systemPromptSchema,
  type TurnRole,
  turnContentSchema,
  turnOrderProblem,
} from "./schema";
import { cleanText, describeValue, seedId } from "./text";

export type InstructionShape = "alpaca" | "sharegpt" | "openai";

const optionalTurnText = z.string().trim().max(INPUT_LIMITS.turnContent);

export const alpacaRowSchema = z.object({
  instruction: turnContentSchema,
  input: optionalTurnText.nullish(),
  output: optionalTurnText.nullish(),
  system: systemPromptSchema.nullish(),
});

const FROM_ROLES = { human: "user", user: "user", gpt: "assistant", assistant: "assistant", system: "system" } as const;

/** A ShareGPT turn. `user`/`assistant` are accepted as `from` values because converted files use them. */
export const shareGptTurnSchema = z.object({
  from: z.enum(["human", "gpt", "system", "user", "assistant"]),
  value: z.string(),
});

export const roleTurnSchema = z.object({
  role: z.enum(["system", "user", "assistant"]),
  content: z.union([z.string(), z.array(z.unknown())], { error: "must be a string or a list of text parts" }),
});

/** OpenAI content parts; other parts (images, audio) are not instructions. */
export const textPartsSchema = z.array(z.object({ type: z.literal("text"), text: z.string() }));

const listSchema = z
  .array(z.unknown())
  .min(1)
  .max(INPUT_LIMITS.turns + 1);

type Outcome<T> = { ok: true; value: T } | { ok: false; reason: string };

/** One result per non-blank line. */
export async function* parseInstructions(lines: AsyncIterable<Line>): AsyncGenerator<ParseResult<InstructionSeed>> {
  for await (const line of lines) {
    if (line.error !== undefined) {
      yield lineError(line.lineNumber, line.error);
      continue;
    }
    if (line.text.trim() === "") continue;
    const seed = parseSeedLine(line.text);
    yield seed.ok
      ? { ok: true, lineNumber: line.lineNumber, value: seed.value }
      : lineError(line.lineNumber, seed.reason);
  }
}

/** The shape a JSON object has, by the key that marks it. */
export function instructionShapeOf(row: Record<string, unknown>): InstructionShape | undefined {
  if ("messages" in row) return "openai";
  if ("conversations" in row) return "sharegpt";
  if ("instruction" in row) return "alpaca";
  return undefined;
}

function parseSeedLine(text: string): Outcome<InstructionSeed> {
  const parsed = parseJsonLine(text);
  if (!parsed.ok) return parsed;
  const row = parsed.value;
  if (!isRecord(row)) return { ok: false, reason: `expected a JSON object, got ${describeValue(row)}` };
  const shape = instructionShapeOf(row);
  if (shape === undefined) {
    return {
      ok: false,
      reason: `not an instruction seed: expected \`instruction\` (Alpaca), \`conversations\` (ShareGPT) or \`messages\` (OpenAI); ${foundKeys(row)}`,
    };
  }
  const sourceId = readSourceId(row);
  if (!sourceId.ok) return sourceId;
  const body = shape === "alpaca" ? fromAlpaca(row) : fromList(row, shape === "openai" ? "messages" : "conversations");
  if (!body.ok) return body;
  const { system, turns } = body.value;
  const seed: InstructionSeed = {
    turns,
    hasReferences: turns.at(-1)?.role === "assistant",
    seedId: seedId("instruction", system ?? "", ...turns.map((turn) => `${turn.role}: ${turn.content}`)),
  };
  if (system !== undefined) seed.system = system;
  if (sourceId.value !== undefined) seed.sourceId = sourceId.value;
  return { ok: true, value: seed };
}

function readSourceId(row: Record<string, unknown>): Outcome<string | undefined> {
  const key = (["id", "uuid"] as const).find((candidate) => row[candidate] !== undefined && row[candidate] !== null);
  return key === undefined ? { ok: true, value: undefined } : validate(sourceIdSchema, row[key], [key]);
}

type Body = { system?: string; turns: InstructionTurn[] };

function fromAlpaca(row: Record<string, unknown>): Outcome<Body> {
  const checked = validate(alpacaRowSchema, cleanStrings(row, ["instruction", "input", "output", "system"]));
  if (!checked.ok) return checked;
  const { instruction, input, output, system } = checked.value;
  const content = input ? `${instruction}\n\n${input}` : instruction;
  if (content.length > INPUT_LIMITS.turnContent) {
    return {
      ok: false,
      reason: `\`instruction\` and \`input\` together are ${formatCount(content.length)} characters long; the limit is ${formatCount(INPUT_LIMITS.turnContent)}`,
    };
  }
  const turns: InstructionTurn[] = [{ role: "user", content }];
  // An empty output means the source has no reference answer: a seed for generation only.
  if (output) turns.push({ role: "assistant", content: output });
  return { ok: true, value: system ? { system, turns } : { turns } };
}

function fromList(row: Record<string, unknown>, key: "messages" | "conversations"): Outcome<Body> {
  const list = validate(listSchema, row[key], [key]);
  if (!list.ok) return list;
  const topSystem = validate(systemPromptSchema.nullish(), cleanIfString(row.system), ["system"]);
  if (!topSystem.ok) return topSystem;

  const roles: TurnRole[] = [];
  const contents: string[] = [];
  for (const [index, item] of list.value.entries()) {
    const turn = readTurn(item, [key, index]);
    if (!turn.ok) return turn;
    roles.push(turn.value.role);
    contents.push(turn.value.content);
  }
  const problem = turnOrderProblem(roles);
  if (problem) {
    const where = problem.index < roles.length ? formatPath([key, problem.index]) : formatPath([key]);
    return { ok: false, reason: `${where} ${problem.reason}` };
  }

  let system = topSystem.value || undefined;
  let first = 0;
  if (roles[0] === "system") {
    if (system !== undefined) {
      return {
        ok: false,
        reason: `both \`system\` and a system turn in ${formatPath([key, 0])}; give the system prompt once`,
      };
    }
    system = contents[0] || undefined;
    first = 1;
  }
  const turns: InstructionTurn[] = [];
  for (let index = first; index < roles.length; index++) {
    const role = roles[index];
    const content = contents[index];
    if (role === "system" || role === undefined || content === undefined) continue;
    turns.push({ role, content });
  }
  if (turns.length > INPUT_LIMITS.turns) {
    return {
      ok: false,
      reason: `${formatPath([key])} has ${formatCount(turns.length)} user and assistant turns; the limit is ${formatCount(INPUT_LIMITS.turns)}`,
    };
  }
  return { ok: true, value: system !== undefined ? { system, turns } : { turns } };
}

/** A turn in either vocabulary: `{from, value}` (ShareGPT) or `{role, content}` (OpenAI, LIMA-like). */
function readTurn(item: unknown, path: FieldPath): Outcome<{ role: TurnRole; content: string }> {
  if (!isRecord(item))
    return { ok: false, reason: `${formatPath(path)} must be an object, not ${describeValue(item)}` };
  let role: TurnRole;
  let text: string;
  let contentKey: string;
  if ("from" in item || "value" in item) {
    const turn = validate(shareGptTurnSchema, item, path);
    if (!turn.ok) return turn;
    role = FROM_ROLES[turn.value.from];
    text = turn.value.value;
    contentKey = "value";
  } else if ("role" in item || "content" in item) {
    const turn = validate(roleTurnSchema, item, path);
    if (!turn.ok) return turn;
    role = turn.value.role;
    const { content } = turn.value;
    contentKey = "content";
    if (typeof content === "string") text = content;
    else {
      const parts = validate(textPartsSchema, content, [...path, contentKey]);
      if (!parts.ok) return parts;
      text = parts.value.map((part) => part.text).join("");
    }
  } else {
    return {
      ok: false,
      reason: `${formatPath(path)} must have \`from\` and \`value\` (ShareGPT) or \`role\` and \`content\`; ${foundKeys(item)}`,
    };
  }
  const content = validate(role === "system" ? systemPromptSchema : turnContentSchema, cleanText(text), [
    ...path,
    contentKey,
  ]);
  return content.ok ? { ok: true, value: { role, content: content.value } } : content;
}

function cleanIfString(value: unknown): unknown {
  return typeof value === "string" ? cleanText(value) : value;
}

function cleanStrings(row: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const copy: Record<string, unknown> = {};
  for (const key of keys) copy[key] = cleanIfString(row[key]);
  return copy;
}
