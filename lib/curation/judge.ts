import "server-only";
// The LLM judge of the automatic checks: the configured model scores how well a sample's answer
// keeps to the character and does what was asked. Scores move when the judge changes, so every
// judgement carries the judge model, the template id@version and a hash of the template's text.
import { createHash } from "node:crypto";
import type { LanguageModelV4 } from "@ai-sdk/provider";
import { z } from "zod";
import { AppError, isAppError } from "@/lib/errors";
import { defaultModelConfig } from "@/lib/llm/config";
import { generateStructured } from "@/lib/llm/structured";
import { gated, jobModel } from "@/lib/synthesis/llm";
import { backoffMs, isTransient, sleep } from "@/lib/synthesis/retry";
import { templateRef } from "@/lib/synthesis/templates";
import type { Turn } from "./heuristics";

export const JUDGE_TEMPLATE = {
  id: "curation-judge",
  version: 1,
  system:
    "You review training samples for role-play models. A sample is a conversation: a system prompt describing a " +
    "character (and sometimes instructions), user turns, and the character's reply. Score the reply on two scales " +
    "from 1 to 5.\n" +
    "consistency: does the reply stay the character the system prompt describes — voice, personality, knowledge, " +
    "history — without stepping out of the role or contradicting the profile? 5 = fully in character, 1 = ignores " +
    "or breaks the character.\n" +
    "instruction: does the reply do what the last user turn and the system prompt's instructions ask (answer the " +
    "question, follow requested format and length), as the character would? 5 = fully, 1 = ignores the request.\n" +
    "Then give a rationale of one to three sentences naming the main strength or problem. Answer with JSON only.",
  user: "## System prompt\n{{system}}\n\n## Conversation\n{{conversation}}\n\n## Reply to judge\n{{answer}}",
} as const;

export const JUDGE_TEMPLATE_REF = templateRef(JUDGE_TEMPLATE);
export const JUDGE_TEMPLATE_HASH = createHash("sha256")
  .update(`${JUDGE_TEMPLATE.system}\n\n${JUDGE_TEMPLATE.user}`)
  .digest("hex");

/** Scores at or above this mean the judge is satisfied. */
export const PASSING_SCORE = 3.5;

const verdictSchema = z.object({
  consistency: z.number().int().min(1).max(5),
  instruction: z.number().int().min(1).max(5),
  rationale: z.string().min(1),
});

// The judge sees the recent conversation, not all of it: its prompt must fit any context window.
const LIMITS = { system: 6000, turns: 8, turn: 1500, answer: 4000, rationale: 2000 };
const PARSE_RETRIES = 2;
const ATTEMPTS = 3;
const TIMEOUT_MS = 60_000;

export type JudgeInput = { prompt: readonly Turn[]; answer: string };

export type Verdict = z.infer<typeof verdictSchema> & { score: number };

export type Judge = {
  /** The judge model's id; null when no model could be resolved. */
  model: string | null;
  judge: (input: JudgeInput, signal?: AbortSignal) => Promise<Verdict>;
};

/** What a sample stores: the verdict, or why there is none; always which judge and template. */
export type Judgement = (Verdict | { error: string }) & {
  model: string | null;
  template: string;
  templateHash: string;
};

const clip = (text: string, max: number) => (text.length <= max ? text : `${text.slice(0, max)} […]`);

export function renderJudgePrompt(input: JudgeInput): string {
  const system = input.prompt
    .filter((turn) => turn.role === "system")
    .map((turn) => turn.content)
    .join("\n\n");
  const conversation = input.prompt
    .filter((turn) => turn.role !== "system")
    .slice(-LIMITS.turns)
    .map((turn) => `${turn.role === "user" ? "USER" : "CHARACTER"}: ${clip(turn.content, LIMITS.turn)}`)
    .join("\n\n");
  const values: Record<string, string> = {
    system: clip(system, LIMITS.system) || "(none)",
    conversation: conversation || "(none)",
    answer: clip(input.answer, LIMITS.answer),
  };
  return JUDGE_TEMPLATE.user.replace(/\{\{(\w+)\}\}/g, (_, name: string) => values[name] ?? "");
}

export function createJudge(model: LanguageModelV4, modelId: string): Judge {
  return {
    model: modelId,
    async judge(input, signal) {
      const prompt = renderJudgePrompt(input);
      for (let attempt = 0; ; attempt++) {
        const timeout = AbortSignal.timeout(TIMEOUT_MS);
        try {
          const { object } = await generateStructured({
            model,
            schema: verdictSchema,
            schemaName: "judgement",
            system: JUDGE_TEMPLATE.system,
            prompt,
            retries: PARSE_RETRIES,
            temperature: 0,
            maxOutputTokens: 512,
            abortSignal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          });
          return {
            consistency: object.consistency,
            instruction: object.instruction,
            // PostgreSQL's jsonb refuses NUL characters; one would fail the whole batch's write.
            rationale: object.rationale.replaceAll("\u0000", "").slice(0, LIMITS.rationale),
            score: (object.consistency + object.instruction) / 2,
          };
        } catch (error) {
          if (signal?.aborted || !isTransient(error) || attempt + 1 >= ATTEMPTS) throw error;
          await sleep(backoffMs(attempt), signal);
        }
      }
    },
  };
}

/** A judge that cannot run (no model, or the model could not be resolved): every sample records why. */
function unavailableJudge(reason: string): Judge {
  return {
    model: null,
    judge: async () => {
      throw new AppError("upstream_unavailable:model", reason);
    },
  };
}

/**
 * The judge the environment asks for: CURATION_JUDGE=off → none; on (the default when a model is
 * configured) → the default model, its requests sharing the endpoint's gate with synthesis.
 */
export async function configuredJudge(): Promise<Judge | null> {
  const setting = process.env.CURATION_JUDGE?.trim() || (defaultModelConfig() ? "on" : "off");
  if (setting === "off") return null;
  try {
    const { model, modelId, gate } = await jobModel(null);
    return createJudge(gated(model, gate), modelId);
  } catch (error) {
    return unavailableJudge(isAppError(error) ? error.message : "The judge model could not be loaded.");
  }
}

/** Judge one sample; a failure is recorded, not thrown (only an abort is). */
export async function judgeSample(
  judge: Judge,
  input: JudgeInput,
  signal?: AbortSignal,
): Promise<{ score: number | null; judgement: Judgement }> {
  const about = { model: judge.model, template: JUDGE_TEMPLATE_REF, templateHash: JUDGE_TEMPLATE_HASH };
  try {
    const verdict = await judge.judge(input, signal);
    return { score: verdict.score, judgement: { ...verdict, ...about } };
  } catch (error) {
    if (signal?.aborted) throw error;
    if (!isAppError(error)) console.error("[curation] judge failed", error);
    const message = isAppError(error) ? error.message : "The judge failed unexpectedly.";
    return { score: null, judgement: { error: message, ...about } };
  }
}
