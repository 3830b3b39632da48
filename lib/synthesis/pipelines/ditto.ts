import "server-only";
// Ditto: knowledge-grounded self-simulated dialogue. Characters come in pairs (A, B) drawn from
// knowledge profiles; the model writes three questions A can answer and B cannot (with reasons),
// answers them as A with A's whole knowledge profile in context, and declines them as B in
// character. The rows keep only the brief intro as the system prompt — the knowledge the answers
// were grounded in is removed, as in the paper. On request, B also answers anyway (the leak) and
// the pair "in-character refusal ≻ knowledge-leaking answer" is emitted.
import { z } from "zod";
import { briefIntro, knowledgeText } from "../inputs";
import type { KnowledgeProfile } from "../inputs/schema";
import { complete, structured } from "../llm";
import { seededRandom } from "../random";
import type { SampleDraft } from "../runner";
import { seedsOf } from "../seeds";
import {
  DITTO_ANSWER_TEMPLATE,
  DITTO_LEAK_TEMPLATE,
  DITTO_QUESTIONS_TEMPLATE,
  DITTO_REFUSAL_TEMPLATE,
  templateRef,
} from "../templates";
import type { Pipeline } from "./types";

const params = z.object({
  inputId: z.string().min(1),
  /** How many (A, B) pairs to simulate. */
  pairs: z.number().int().min(1).max(100_000).default(20),
  seed: z.number().int().default(1),
  /** Also generate B's knowledge-leaking answer and emit refusal ≻ leak pairs. */
  contrastive: z.boolean().default(false),
  /** Profiles read from the input (all by default). */
  limit: z.number().int().min(2).optional(),
});

const questionsSchema = z.object({
  questions: z.array(z.object({ question: z.string().min(1).max(600), reason: z.string().min(1).max(600) })).length(3),
});

type Pair = { a: KnowledgeProfile; b: KnowledgeProfile; contrastive: boolean };

const describe = (profile: KnowledgeProfile) =>
  [profile.label, profile.description, profile.summary].filter(Boolean).join(" — ");

export const dittoPipeline: Pipeline<typeof params> = {
  name: "ditto",
  template: templateRef(DITTO_QUESTIONS_TEMPLATE),
  description: "knowledge profiles → in-character Q&A and refusals (Ditto)",
  params,
  async *plan(input) {
    const profiles: KnowledgeProfile[] = [];
    for await (const row of seedsOf<KnowledgeProfile>(input.inputId, "knowledge", input.limit)) profiles.push(row.data);
    if (profiles.length < 2) return;
    const random = seededRandom(`ditto:${input.seed}`);
    const seen = new Set<string>();
    // Draw distinct ordered pairs; stop early when there are fewer than asked for.
    for (let tries = 0; seen.size < input.pairs && tries < input.pairs * 20; tries++) {
      const a = profiles[Math.floor(random() * profiles.length)] as KnowledgeProfile;
      const b = profiles[Math.floor(random() * profiles.length)] as KnowledgeProfile;
      const key = `ditto:${a.seedId}:${b.seedId}`;
      if (a.seedId === b.seedId || seen.has(key)) continue;
      seen.add(key);
      yield { key, input: { a, b, contrastive: input.contrastive } };
    }
  },
  async preview(raw) {
    const { a, b } = raw as Pair;
    return {
      system: DITTO_QUESTIONS_TEMPLATE.system,
      prompt: `First character: ${describe(a)}\n\nSecond character: ${describe(b)}`,
    };
  },
  async handle(raw, context) {
    const { a, b, contrastive } = raw as Pair;
    const usage = { tokensIn: 0, tokensOut: 0 };
    const add = (step: { tokensIn: number; tokensOut: number }) => {
      usage.tokensIn += step.tokensIn;
      usage.tokensOut += step.tokensOut;
    };
    const asked = await structured(context.model, {
      schema: questionsSchema,
      schemaName: "ditto_questions",
      ...(await this.preview(raw)),
      sampling: context.sampling,
      signal: context.signal,
    });
    add(asked);
    const say = async (system: string, history: { role: "user" | "assistant"; content: string }[]) => {
      const answer = await complete(context.model, {
        system,
        messages: history,
        sampling: context.sampling,
        signal: context.signal,
      });
      add(answer);
      return answer.text;
    };
    const answerSystem = `${DITTO_ANSWER_TEMPLATE.system}\n\n${knowledgeText(a)}`;
    const refusalSystem = `${DITTO_REFUSAL_TEMPLATE.system}\n\n${briefIntro(b)}`;
    const sessionA: { role: "user" | "assistant"; content: string }[] = [];
    const sessionB: { role: "user" | "assistant"; content: string }[] = [];
    const samples: SampleDraft[] = [];
    const lineage = {
      pipeline: "ditto",
      templates: [DITTO_QUESTIONS_TEMPLATE, DITTO_ANSWER_TEMPLATE, DITTO_REFUSAL_TEMPLATE].map(templateRef),
      modelId: context.modelId,
      sampling: context.sampling,
      roleA: a.seedId,
      roleB: b.seedId,
      reasons: asked.object.questions.map((question) => question.reason),
    };
    for (const { question } of asked.object.questions) {
      sessionA.push({ role: "user", content: question });
      sessionA.push({ role: "assistant", content: await say(answerSystem, sessionA) });
      sessionB.push({ role: "user", content: question });
      const refusal = await say(refusalSystem, sessionB);
      sessionB.push({ role: "assistant", content: refusal });
      if (contrastive) {
        const leak = await say(`${DITTO_LEAK_TEMPLATE.system}\n\n${briefIntro(b)}\n\n${knowledgeText(a, 4000)}`, [
          { role: "user", content: question },
        ]);
        samples.push({
          kind: "PREFERENCE",
          prompt: [
            { role: "system", content: briefIntro(b) },
            { role: "user", content: question },
          ],
          chosen: refusal,
          rejected: leak,
          lineage: { ...lineage, role: b.seedId, contrastive: templateRef(DITTO_LEAK_TEMPLATE) },
        });
      }
    }
    // The trained rows see the brief intro only: the knowledge profile stays out of the prompt.
    for (const [profile, session, kind] of [
      [a, sessionA, "answers"],
      [b, sessionB, "refusals"],
    ] as const) {
      samples.push({
        kind: "SFT",
        prompt: [{ role: "system", content: briefIntro(profile) }, ...session.slice(0, -1)],
        chosen: session.at(-1)?.content ?? "",
        trainOn: "ALL",
        lineage: { ...lineage, role: profile.seedId, session: kind },
      });
    }
    return { output: { questions: asked.object.questions }, samples, ...usage, parseFailures: asked.parseFailures };
  },
};
