import "server-only";
// Evaluation runs on the synthesis runner: a run is a job (pipeline "eval") whose items are a
// knowledge session (its turns answered in order, each answer seeing the earlier ones) or one
// persona/regression item. An item answers with the model under test, then asks every judge n
// times; the answers and every raw judge reply are the item's output, so a killed worker's item is
// simply done again and the scores are always recomputable from what was stored.
import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createJob } from "@/lib/synthesis/jobs";
import { complete, gated, jobModel, type Sampling } from "@/lib/synthesis/llm";
import type { ItemResult } from "@/lib/synthesis/runner";
import { aggregateRun, compareRuns, type JudgementSample, type RunAggregate } from "./aggregate";
import { answerPrompt, answerTemplateOf, type SessionTurn } from "./answer";
import { JUDGE_DEFAULTS, JUDGE_MAX_OUTPUT_TOKENS, judgesFor } from "./judges";
import { getSuite, suiteItems } from "./queries";
import { publishedFiguresFor } from "./reference";
import { itemKey, type SuiteItem, type SuiteKind } from "./schema";

export const EVAL_PIPELINE = "eval";

/** How the model under test answers unless the run says otherwise. */
export const DEFAULT_ANSWER_SAMPLING: Sampling = { temperature: 0.7, topP: 0.9, maxOutputTokens: 512 };

type EvalJobParams = {
  runId: string;
  judgeVersionId: string | null;
  samples: number;
  judgeTemperature: number;
  sampling: Sampling;
};

/** What a job item carries: the items it answers, in order. */
type EvalJobInput = { items: SuiteItem[] };

/** One stored judge reply. */
export type StoredJudgement = JudgementSample & { sample: number; raw: string; parseFailure: string | null };
export type EvalItemOutput = { answers: { itemKey: string; answer: string }[]; judgements: StoredJudgement[] };

export async function startEvalRun(options: {
  suiteId: string;
  modelVersionId: string | null;
  judgeVersionId: string | null;
  samples?: number;
  judgeTemperature?: number;
  sampling?: Partial<Sampling>;
  createdById: string | null;
  enqueue?: boolean;
}) {
  const suite = await getSuite(options.suiteId);
  const kind = suite.kind as SuiteKind;
  const defaults = JUDGE_DEFAULTS[kind];
  const samples = options.samples ?? defaults.samples;
  if (!Number.isInteger(samples) || samples < 1 || samples > 9) {
    throw new AppError("bad_request:samples", "Judge samples must be a whole number from 1 to 9.");
  }
  // Resolving both models first: a run against a model that is not there fails now, not per item.
  const [tested, judge] = await Promise.all([jobModel(options.modelVersionId), jobModel(options.judgeVersionId)]);
  const items = await suiteItems(suite.id);
  const units = new Map<string, SuiteItem[]>();
  for (const item of items) {
    const unit = item.kind === "knowledge" ? `session:${item.session}` : `item:${itemKey(item)}`;
    units.set(unit, [...(units.get(unit) ?? []), item]);
  }
  for (const unit of units.values())
    unit.sort((a, b) => (a.kind === "knowledge" && b.kind === "knowledge" ? a.turn - b.turn : 0));
  const answer = answerTemplateOf(kind);
  const run = await db.evalRun.create({
    data: {
      suiteId: suite.id,
      jobId: `pending:${crypto.randomUUID()}`,
      modelVersionId: options.modelVersionId,
      modelId: tested.modelId,
      judgeVersionId: options.judgeVersionId,
      judgeModelId: judge.modelId,
      samples,
      judgeTemperature: options.judgeTemperature ?? defaults.temperature,
      answerTemplate: answer.template,
      answerTemplateHash: answer.templateHash,
      createdById: options.createdById,
    },
  });
  const params: EvalJobParams = {
    runId: run.id,
    judgeVersionId: options.judgeVersionId,
    samples,
    judgeTemperature: run.judgeTemperature,
    sampling: { ...DEFAULT_ANSWER_SAMPLING, ...options.sampling },
  };
  try {
    const job = await createJob({
      pipeline: EVAL_PIPELINE,
      template: answer.template,
      params: params as unknown as Prisma.InputJsonValue,
      modelVersionId: options.modelVersionId,
      createdById: options.createdById,
      items: [...units].map(([key, unitItems]) => ({
        key,
        input: { items: unitItems } as unknown as Prisma.InputJsonValue,
      })),
    });
    const linked = await db.evalRun.update({ where: { id: run.id }, data: { jobId: job.id } });
    if (options.enqueue !== false) {
      const { enqueue } = await import("@/lib/jobs/queue");
      await enqueue("synthesis:run_job", { jobId: job.id });
    }
    return linked;
  } catch (error) {
    await db.evalRun.delete({ where: { id: run.id } });
    throw error;
  }
}

/** The item handler for an eval job: answer in order, then judge every answer n times. */
export async function evalItemHandler(job: { params: unknown }) {
  const params = job.params as EvalJobParams;
  const judge = await jobModel(params.judgeVersionId);
  const judgeModel = gated(judge.model, judge.gate);
  const judgeSampling: Sampling = {
    temperature: params.judgeTemperature,
    topP: 1,
    maxOutputTokens: JUDGE_MAX_OUTPUT_TOKENS,
  };
  return async (
    rawInput: unknown,
    context: { signal: AbortSignal; model: Parameters<typeof complete>[0] },
  ): Promise<ItemResult> => {
    const { items } = rawInput as EvalJobInput;
    const usage = { tokensIn: 0, tokensOut: 0 };
    const output: EvalItemOutput = { answers: [], judgements: [] };
    const history: SessionTurn[] = [];
    let parseFailures = 0;
    for (const item of items) {
      const prompt = answerPrompt(item, history);
      const answered = await complete(context.model, {
        ...prompt,
        sampling: params.sampling,
        signal: context.signal,
      });
      usage.tokensIn += answered.tokensIn;
      usage.tokensOut += answered.tokensOut;
      const key = itemKey(item);
      output.answers.push({ itemKey: key, answer: answered.text });
      history.push({ question: item.question, answer: answered.text });
      const asks = judgesFor(item).flatMap((itemJudge) =>
        Array.from({ length: params.samples }, (_, sample) => ({ itemJudge, sample })),
      );
      const replies = await Promise.all(
        asks.map(async ({ itemJudge, sample }) => {
          const rendered = itemJudge.render(answered.text);
          const reply = await complete(judgeModel, {
            system: rendered.system,
            messages: [{ role: "user", content: rendered.prompt }],
            sampling: judgeSampling,
            signal: context.signal,
          });
          return { itemJudge, sample, reply };
        }),
      );
      for (const { itemJudge, sample, reply } of replies) {
        usage.tokensIn += reply.tokensIn;
        usage.tokensOut += reply.tokensOut;
        const scored = itemJudge.score(reply.text);
        const failure = "parseFailure" in scored ? scored.parseFailure : null;
        if (failure) parseFailures++;
        output.judgements.push({
          itemKey: key,
          dimension: itemJudge.dimension,
          value: "value" in scored ? scored.value : null,
          template: itemJudge.template,
          templateHash: itemJudge.templateHash,
          judgeModel: judge.modelId,
          sample,
          raw: reply.text,
          parseFailure: failure,
        });
      }
    }
    return { output: output as unknown as Prisma.InputJsonValue, samples: [], ...usage, parseFailures };
  };
}

async function runOutputs(jobId: string): Promise<EvalItemOutput[]> {
  const items = await db.synthesisItem.findMany({
    where: { jobId, status: "DONE" },
    select: { output: true },
    orderBy: { key: "asc" },
  });
  return items.map((item) => item.output as unknown as EvalItemOutput);
}

/** A run with its job's progress, its scores, and per item the answer and every judge reply. */
export async function evalRunDetail(id: string) {
  const run = await db.evalRun.findUnique({ where: { id }, include: { suite: true } });
  if (!run) throw new AppError("not_found:eval_run", "That evaluation run does not exist.");
  const [job, items, outputs, failures] = await Promise.all([
    db.synthesisJob.findUnique({ where: { id: run.jobId } }),
    suiteItems(run.suiteId),
    runOutputs(run.jobId),
    db.synthesisItem.findMany({
      where: { jobId: run.jobId, status: "FAILED" },
      select: { key: true, error: true },
      take: 20,
    }),
  ]);
  let aggregate = run.aggregate as unknown as RunAggregate | null;
  if (!aggregate) {
    aggregate = aggregateRun(
      items,
      outputs.flatMap((output) => output.judgements),
    );
    // A finished run's scores never change: keep them for the leaderboard.
    // (Not a cancelled run's: it can be resumed, and items in flight at the cancel still finish.)
    if (job?.status === "COMPLETED") {
      await db.evalRun.update({ where: { id }, data: { aggregate: aggregate as unknown as Prisma.InputJsonValue } });
    }
  }
  const answers = new Map(outputs.flatMap((output) => output.answers.map((answer) => [answer.itemKey, answer.answer])));
  const judgements = new Map<string, StoredJudgement[]>();
  for (const judgement of outputs.flatMap((output) => output.judgements)) {
    judgements.set(judgement.itemKey, [...(judgements.get(judgement.itemKey) ?? []), judgement]);
  }
  return {
    run,
    job,
    aggregate,
    failures,
    items: items.map((item) => ({
      key: itemKey(item),
      item,
      answer: answers.get(itemKey(item)) ?? null,
      judgements: judgements.get(itemKey(item)) ?? [],
    })),
  };
}

export async function compareEvalRuns(aId: string, bId: string) {
  const [a, b] = await Promise.all([evalRunDetail(aId), evalRunDetail(bId)]);
  if (a.run.suiteId !== b.run.suiteId) {
    throw new AppError("bad_request:different_suites", "Compare two runs of the same suite version.");
  }
  return { a, b, comparison: compareRuns(a.aggregate, b.aggregate) };
}

/** Finished runs of a suite as leaderboard rows, with the papers' published figures beside them. */
export async function suiteLeaderboard(suiteId: string) {
  const suite = await getSuite(suiteId);
  const listed = await db.evalRun.findMany({ where: { suiteId }, orderBy: { createdAt: "desc" }, take: 100 });
  const jobs = await db.synthesisJob.findMany({
    where: { id: { in: listed.map((run) => run.jobId) } },
    select: { id: true, status: true, done: true, total: true, failed: true },
  });
  const jobById = new Map(jobs.map((job) => [job.id, job]));
  // A run that finished since anyone looked has no stored scores yet: score it once now.
  const runs = await Promise.all(
    listed.map(async (run) =>
      run.aggregate === null && jobById.get(run.jobId)?.status === "COMPLETED"
        ? { ...run, aggregate: (await evalRunDetail(run.id)).aggregate as unknown as Prisma.JsonValue }
        : run,
    ),
  );
  const versions = await db.modelVersion.findMany({
    where: { id: { in: runs.flatMap((run) => (run.modelVersionId ? [run.modelVersionId] : [])) } },
    select: { id: true, name: true },
  });
  const versionName = new Map(versions.map((version) => [version.id, version.name]));
  return {
    suite,
    runs: runs.map((run) => ({
      ...run,
      modelName: run.modelVersionId ? (versionName.get(run.modelVersionId) ?? run.modelId) : run.modelId,
      job: jobById.get(run.jobId) ?? null,
      aggregate: run.aggregate as unknown as RunAggregate | null,
    })),
    published: publishedFiguresFor(suite.kind as SuiteKind),
  };
}
