// How the evaluation pages write scores, metrics and dates, so every table reads the same.
import type { Metric } from "@/lib/eval/aggregate";

const METRIC_LABELS: Partial<Record<Metric, string>> = { pscore: "PScore" };

/** "out_of_knowledge" → "out of knowledge": question types, persona tasks, dimensions. */
export const typeLabel = (type: string) => type.replaceAll("_", " ");

export const metricLabel = (metric: Metric) => METRIC_LABELS[metric] ?? typeLabel(metric);

export const formatScore = (value: number | null) => (value === null ? "—" : value.toFixed(2));

export const formatMeanSd = (mean: number | null, sd: number | null) =>
  mean === null ? "—" : sd === null ? formatScore(mean) : `${formatScore(mean)} ± ${formatScore(sd)}`;

export const formatDelta = (delta: number | null) =>
  delta === null ? "—" : `${delta > 0 ? "+" : ""}${delta.toFixed(2)}`;

/** Enough of a template hash to tell two judges apart at a glance. */
export const shortHash = (hash: string) => hash.slice(0, 10);

export const formatWhen = (date: Date) => `${date.toISOString().slice(0, 16).replace("T", " ")} UTC`;
