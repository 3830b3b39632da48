// From judge samples to scores: pure arithmetic over what a run stored, so the run page, the
// leaderboard, the CLI and the tests all compute the same numbers.
//
// Item scores (one per item and dimension, from that pair's n samples):
// - consistency: the share of valid samples that named the right candidate;
// - knowledge, the persona tasks, regression: the mean of the valid samples;
// - rejection: the majority of the valid 1/0 samples, compared with the gold `shouldRefuse` → 1 when
//   they agree, else 0. A tie counts as "did not refuse": a refusal has to be seen by most samples,
//   so an undecided judge cannot turn a leak into a correct refusal.
// Parse failures are left out of every denominator; a pair whose samples all failed gets no score
// and is counted as excluded (never as 0).
//
// Run scores, per dimension: the mean over characters of each character's mean item score (so a
// character with many turns weighs as much as one with few), with the sample standard deviation
// (n − 1) across those character means (null with fewer than two characters). A persona item's
// character is its persona text. PScore = the mean of the five persona task means; it is null
// unless all five tasks have a score. Its standard deviation is across personas' own PScores
// (the mean of their five task means, for personas scored on all five).
import { DIMENSION_SCALES, type Dimension, dimensionsFor } from "./judges";
import { characterOf, itemKey, PERSONA_TASKS, questionTypeOf, type SuiteItem } from "./schema";

export const METRICS = ["consistency", "knowledge", "rejection", ...PERSONA_TASKS, "pscore", "regression"] as const;
export type Metric = (typeof METRICS)[number];

/** One stored judge sample, as the aggregation needs it. */
export type JudgementSample = {
  itemKey: string;
  dimension: Dimension;
  /** `ItemJudge.score`'s value; null when the judge's reply could not be parsed. */
  value: number | null;
  /** The judge template's `id@version` and hash, and the judge model: a change shows in comparisons. */
  template: string;
  templateHash: string;
  judgeModel: string;
};

export type ItemScore = {
  itemKey: string;
  dimension: Dimension;
  /** Null when every sample failed to parse (the pair is excluded). */
  score: number | null;
  validSamples: number;
  parseFailures: number;
};

export type MetricSummary = {
  metric: Metric;
  /** Mean over characters of per-character means; null when nothing is scored yet. */
  mean: number | null;
  /** Sample standard deviation (n − 1) across characters; null with fewer than two. */
  sd: number | null;
  characters: number;
  /** Item scores behind the mean. */
  items: number;
};

export type JudgeUsed = { dimension: Dimension; template: string; templateHash: string; judgeModel: string };

export type RunAggregate = {
  metrics: MetricSummary[];
  byLanguage: { language: string; metrics: MetricSummary[] }[];
  /** Knowledge question type, persona task, or regression "example_dialogue" / "profile". */
  byQuestionType: { questionType: string; metrics: MetricSummary[] }[];
  /** Every item × dimension that has at least one sample, in suite order. */
  items: ItemScore[];
  counts: {
    /** Suite items (for a knowledge suite: turns). */
    items: number;
    /** Knowledge sessions; every other item is a session of its own. */
    sessions: number;
    characters: number;
    /** Samples that belong to an item and dimension of the suite. */
    samples: number;
    parseFailures: number;
    /** Item × dimension pairs whose samples all failed to parse. */
    excluded: number;
    /** Item × dimension pairs with no sample yet (a run in progress). */
    missing: number;
    /** Samples for an item key or dimension the suite does not have. */
    unmatchedSamples: number;
  };
  /** Each distinct judge behind the samples. */
  judges: JudgeUsed[];
};

const mean = (values: readonly number[]) =>
  values.length === 0 ? null : values.reduce((sum, value) => sum + value, 0) / values.length;

/** Sample standard deviation (n − 1); null for fewer than two values. */
export function sampleSd(values: readonly number[]): number | null {
  const average = mean(values);
  if (average === null || values.length < 2) return null;
  const squares = values.reduce((sum, value) => sum + (value - average) ** 2, 0);
  return Math.sqrt(squares / (values.length - 1));
}

/** The item's score on one dimension from its valid sample values (null when there are none). */
export function scoreItem(item: SuiteItem, dimension: Dimension, values: readonly number[]): number | null {
  if (values.length === 0) return null;
  if (dimension !== "rejection" || item.kind !== "knowledge") return mean(values);
  const refusals = values.filter((value) => value === 1).length;
  const refused = refusals > values.length - refusals;
  return refused === item.shouldRefuse ? 1 : 0;
}

const pairKey = (key: string, dimension: Dimension) => `${dimension}\u0000${key}`;

export function aggregateRun(items: readonly SuiteItem[], samples: Iterable<JudgementSample>): RunAggregate {
  const itemsByKey = new Map(items.map((item) => [itemKey(item), item]));
  const sampled = new Map<string, { values: number[]; failures: number }>();
  const judges = new Map<string, JudgeUsed>();
  const counts = { samples: 0, parseFailures: 0, excluded: 0, missing: 0, unmatchedSamples: 0 };

  for (const sample of samples) {
    const item = itemsByKey.get(sample.itemKey);
    if (!item || !dimensionsFor(item).includes(sample.dimension)) {
      counts.unmatchedSamples++;
      continue;
    }
    counts.samples++;
    const pair = pairKey(sample.itemKey, sample.dimension);
    let entry = sampled.get(pair);
    if (!entry) {
      entry = { values: [], failures: 0 };
      sampled.set(pair, entry);
    }
    if (sample.value === null) {
      entry.failures++;
      counts.parseFailures++;
    } else {
      entry.values.push(sample.value);
    }
    const { dimension, template, templateHash, judgeModel } = sample;
    judges.set([dimension, template, templateHash, judgeModel].join("\u0000"), {
      dimension,
      template,
      templateHash,
      judgeModel,
    });
  }

  const itemScores: ItemScore[] = [];
  const scoresByItem = new Map<string, ItemScore[]>();
  for (const [key, item] of itemsByKey) {
    const scores: ItemScore[] = [];
    for (const dimension of dimensionsFor(item)) {
      const entry = sampled.get(pairKey(key, dimension));
      if (!entry) {
        counts.missing++;
        continue;
      }
      const score = scoreItem(item, dimension, entry.values);
      if (score === null) counts.excluded++;
      scores.push({
        itemKey: key,
        dimension,
        score,
        validSamples: entry.values.length,
        parseFailures: entry.failures,
      });
    }
    scoresByItem.set(key, scores);
    itemScores.push(...scores);
  }

  return {
    metrics: summarize(items, scoresByItem),
    byLanguage: groupBy(items, (item) => item.language).map(([language, group]) => ({
      language,
      metrics: summarize(group, scoresByItem),
    })),
    byQuestionType: groupBy(items, questionTypeOf).map(([questionType, group]) => ({
      questionType,
      metrics: summarize(group, scoresByItem),
    })),
    items: itemScores,
    counts: {
      items: items.length,
      sessions: new Set(
        items.map((item) => (item.kind === "knowledge" ? `session\u0000${item.session}` : itemKey(item))),
      ).size,
      characters: new Set(items.map(characterOf)).size,
      ...counts,
    },
    judges: [...judges.values()].sort(
      (a, b) =>
        METRICS.indexOf(a.dimension) - METRICS.indexOf(b.dimension) ||
        compareText(a.template, b.template) ||
        compareText(a.templateHash, b.templateHash) ||
        compareText(a.judgeModel, b.judgeModel),
    ),
  };
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** The items grouped by `keyOf`, groups sorted by key. */
function groupBy(items: readonly SuiteItem[], keyOf: (item: SuiteItem) => string): [string, SuiteItem[]][] {
  const groups = new Map<string, SuiteItem[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups].sort(([a], [b]) => compareText(a, b));
}

/** The metrics of `items`, in `METRICS` order: every dimension they are judged on, and PScore for personas. */
function summarize(items: readonly SuiteItem[], scoresByItem: Map<string, ItemScore[]>): MetricSummary[] {
  // dimension → character → that character's item scores
  const table = new Map<Dimension, Map<string, number[]>>();
  const dimensions = new Set<Dimension>();
  for (const item of items) {
    for (const dimension of dimensionsFor(item)) dimensions.add(dimension);
    for (const { dimension, score } of scoresByItem.get(itemKey(item)) ?? []) {
      if (score === null) continue;
      let byCharacter = table.get(dimension);
      if (!byCharacter) {
        byCharacter = new Map();
        table.set(dimension, byCharacter);
      }
      const character = characterOf(item);
      const scores = byCharacter.get(character);
      if (scores) scores.push(score);
      else byCharacter.set(character, [score]);
    }
  }
  const characterMeans = (dimension: Dimension) =>
    new Map([...(table.get(dimension) ?? [])].map(([character, scores]) => [character, mean(scores) as number]));
  const itemCount = (dimension: Dimension) =>
    [...(table.get(dimension)?.values() ?? [])].reduce((sum, scores) => sum + scores.length, 0);

  const summaries = new Map<Metric, MetricSummary>();
  for (const dimension of dimensions) {
    const means = [...characterMeans(dimension).values()];
    summaries.set(dimension, {
      metric: dimension,
      mean: mean(means),
      sd: sampleSd(means),
      characters: means.length,
      items: itemCount(dimension),
    });
  }
  if (items.some((item) => item.kind === "persona"))
    summaries.set("pscore", pscore(summaries, characterMeans, itemCount));
  return METRICS.filter((metric) => summaries.has(metric)).map((metric) => summaries.get(metric) as MetricSummary);
}

function pscore(
  summaries: Map<Metric, MetricSummary>,
  characterMeans: (dimension: Dimension) => Map<string, number>,
  itemCount: (dimension: Dimension) => number,
): MetricSummary {
  const taskMeans = PERSONA_TASKS.map((task) => summaries.get(task)?.mean ?? null);
  const complete = taskMeans.every((value) => value !== null);
  const perTask = PERSONA_TASKS.map(characterMeans);
  const personas = [...(perTask[0]?.keys() ?? [])].filter((persona) => perTask.every((means) => means.has(persona)));
  const personaScores = personas.map((persona) => mean(perTask.map((means) => means.get(persona) as number)) as number);
  return {
    metric: "pscore",
    mean: complete ? mean(taskMeans as number[]) : null,
    sd: complete ? sampleSd(personaScores) : null,
    characters: personas.length,
    items: PERSONA_TASKS.reduce((sum, task) => sum + itemCount(task), 0),
  };
}

// Comparing two runs of the same suite: a is the baseline, b the new run; deltas are b − a.

export type ItemDelta = {
  itemKey: string;
  dimension: Dimension;
  a: number;
  b: number;
  delta: number;
  /** delta over the width of the dimension's scale, so drops on different scales can be ranked together. */
  relativeDelta: number;
};

export type MetricDelta = { metric: Metric; a: number | null; b: number | null; delta: number | null };

export type RunComparison = {
  /** Every item × dimension scored in both runs, in a's order. */
  items: ItemDelta[];
  /** The items that got worse, the largest relative drop first (ties by item key). */
  worse: ItemDelta[];
  metrics: MetricDelta[];
  /** Item scores present in only one of the runs (unfinished, excluded or a different suite). */
  onlyInA: number;
  onlyInB: number;
  /** Dimensions whose judges (template, hash or model) differ between the runs: their deltas mix judges. */
  judgeChanges: { dimension: Dimension; a: JudgeUsed[]; b: JudgeUsed[] }[];
};

export function compareRuns(a: RunAggregate, b: RunAggregate): RunComparison {
  const scored = (run: RunAggregate) =>
    new Map(
      run.items
        .filter((score) => score.score !== null)
        .map((score) => [pairKey(score.itemKey, score.dimension), score.score as number]),
    );
  const scoresA = scored(a);
  const scoresB = scored(b);
  const items: ItemDelta[] = [];
  for (const score of a.items) {
    const pair = pairKey(score.itemKey, score.dimension);
    const before = scoresA.get(pair);
    const after = scoresB.get(pair);
    if (before === undefined || after === undefined) continue;
    const { min, max } = DIMENSION_SCALES[score.dimension];
    const delta = after - before;
    items.push({
      itemKey: score.itemKey,
      dimension: score.dimension,
      a: before,
      b: after,
      delta,
      relativeDelta: delta / (max - min),
    });
  }
  const worse = items
    .filter((item) => item.delta < 0)
    .sort(
      (x, y) =>
        x.relativeDelta - y.relativeDelta || compareText(x.itemKey, y.itemKey) || compareText(x.dimension, y.dimension),
    );

  const metricsA = new Map(a.metrics.map((summary) => [summary.metric, summary.mean]));
  const metricsB = new Map(b.metrics.map((summary) => [summary.metric, summary.mean]));
  const metrics = METRICS.filter((metric) => metricsA.has(metric) || metricsB.has(metric)).map((metric) => {
    const before = metricsA.get(metric) ?? null;
    const after = metricsB.get(metric) ?? null;
    return { metric, a: before, b: after, delta: before === null || after === null ? null : after - before };
  });

  const judgeKey = (judge: JudgeUsed) => [judge.template, judge.templateHash, judge.judgeModel].join("\u0000");
  const judgeChanges: RunComparison["judgeChanges"] = [];
  for (const dimension of new Set([...a.judges, ...b.judges].map((judge) => judge.dimension))) {
    const judgesA = a.judges.filter((judge) => judge.dimension === dimension);
    const judgesB = b.judges.filter((judge) => judge.dimension === dimension);
    const keysA = judgesA.map(judgeKey).sort().join("\n");
    const keysB = judgesB.map(judgeKey).sort().join("\n");
    if (keysA !== keysB) judgeChanges.push({ dimension, a: judgesA, b: judgesB });
  }

  return {
    items,
    worse,
    metrics,
    onlyInA: [...scoresA.keys()].filter((pair) => !scoresB.has(pair)).length,
    onlyInB: [...scoresB.keys()].filter((pair) => !scoresA.has(pair)).length,
    judgeChanges,
  };
}
