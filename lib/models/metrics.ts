// vLLM's Prometheus /metrics: fetching the text and boiling it down to the numbers the admin
// models page shows (load, KV cache, prefix-cache hit rate, token counters, latency quantiles,
// active LoRA adapters). The parser is pure and lenient: odd lines are skipped, missing series
// read as 0 or null.
import { AppError } from "@/lib/errors";
import type { Endpoint } from "@/lib/llm/endpoint";

const METRICS_TIMEOUT_MS = 5_000;

export type LatencyQuantiles = { p50: number; p90: number; p99: number };

export type VllmMetricsSummary = {
  requestsRunning: number;
  requestsWaiting: number;
  /** 0–1; the fullest engine when several report. */
  kvCacheUsage: number;
  /** Cached tokens / queried tokens, null before any query. */
  prefixCacheHitRate: number | null;
  promptTokensTotal: number;
  generationTokensTotal: number;
  /** Seconds, estimated from histogram buckets; null when nothing was observed. */
  ttft: LatencyQuantiles | null;
  e2eLatency: LatencyQuantiles | null;
  interTokenLatency: { p50: number; p99: number } | null;
  loras: { running: string[]; waiting: string[]; maxLora: number | null };
};

export async function fetchMetrics(endpoint: Endpoint): Promise<string> {
  let response: Response;
  try {
    response = await fetch(`${endpoint.rootUrl}/metrics`, {
      headers: endpoint.apiKey ? { Authorization: `Bearer ${endpoint.apiKey}` } : {},
      signal: AbortSignal.timeout(METRICS_TIMEOUT_MS),
      cache: "no-store",
    });
  } catch (error) {
    if (error instanceof Error && error.name === "TimeoutError") throw new AppError("upstream_timeout:model");
    throw new AppError("upstream_unavailable:model");
  }
  if (!response.ok) {
    await response.body?.cancel();
    throw new AppError("upstream_error:model", `The model server's /metrics answered HTTP ${response.status}.`);
  }
  return response.text();
}

export type PrometheusSample = { name: string; labels: Record<string, string>; value: number };

/** Samples of the Prometheus text exposition format, in order; comments and malformed lines are skipped. */
export function parsePrometheusText(text: string): PrometheusSample[] {
  const samples: PrometheusSample[] = [];
  for (const line of text.split("\n")) {
    const sample = parseSampleLine(line.trim());
    if (sample) samples.push(sample);
  }
  return samples;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;

function parseSampleLine(line: string): PrometheusSample | null {
  if (line === "" || line.startsWith("#")) return null;
  const name = METRIC_NAME.exec(line)?.[0];
  if (!name) return null;
  let rest = line.slice(name.length);
  const labels: Record<string, string> = {};
  if (rest.startsWith("{")) {
    const parsed = parseLabels(rest);
    if (!parsed) return null;
    Object.assign(labels, parsed.labels);
    rest = rest.slice(parsed.length);
  }
  // The value, then an optional timestamp we do not need.
  const valueText = rest.trim().split(/\s+/)[0];
  if (valueText === undefined || valueText === "") return null;
  const value = parsePrometheusNumber(valueText);
  return value === null ? null : { name, labels, value };
}

/** Parses `{a="x",b="y\"z"}` from the start of `text`; returns the labels and the characters consumed. */
function parseLabels(text: string): { labels: Record<string, string>; length: number } | null {
  const labels: Record<string, string> = {};
  let i = 1;
  for (;;) {
    while (text[i] === " " || text[i] === ",") i++;
    if (text[i] === "}") return { labels, length: i + 1 };
    const labelName = LABEL_NAME.exec(text.slice(i))?.[0];
    if (!labelName) return null;
    i += labelName.length;
    while (text[i] === " ") i++;
    if (text[i] !== "=") return null;
    i++;
    while (text[i] === " ") i++;
    if (text[i] !== '"') return null;
    i++;
    let value = "";
    for (;;) {
      const char = text[i];
      if (char === undefined) return null;
      if (char === '"') break;
      if (char === "\\") {
        const escaped = text[i + 1];
        value += escaped === "n" ? "\n" : (escaped ?? "");
        i += 2;
      } else {
        value += char;
        i++;
      }
    }
    labels[labelName] = value;
    i++;
  }
}

function parsePrometheusNumber(text: string): number | null {
  if (text === "+Inf" || text === "Inf") return Number.POSITIVE_INFINITY;
  if (text === "-Inf") return Number.NEGATIVE_INFINITY;
  if (text === "NaN") return Number.NaN;
  const value = Number(text);
  return Number.isNaN(value) ? null : value;
}

export function parseVllmMetrics(text: string): VllmMetricsSummary {
  const samples = parsePrometheusText(text);
  const byName = new Map<string, PrometheusSample[]>();
  for (const sample of samples) {
    const list = byName.get(sample.name);
    if (list) list.push(sample);
    else byName.set(sample.name, [sample]);
  }
  const series = (...names: string[]): PrometheusSample[] => {
    for (const name of names) {
      const found = byName.get(name);
      if (found) return found;
    }
    return [];
  };
  const sum = (...names: string[]) =>
    series(...names).reduce((total, s) => (Number.isFinite(s.value) ? total + s.value : total), 0);

  const prefixQueries = sum("vllm:prefix_cache_queries_total", "vllm:prefix_cache_queries");
  const prefixHits = sum("vllm:prefix_cache_hits_total", "vllm:prefix_cache_hits");
  const kvUsages = series("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc")
    .map((s) => s.value)
    .filter(Number.isFinite);

  const ttft = histogramQuantiles(series("vllm:time_to_first_token_seconds_bucket"), [0.5, 0.9, 0.99]);
  const e2e = histogramQuantiles(series("vllm:e2e_request_latency_seconds_bucket"), [0.5, 0.9, 0.99]);
  // Releases before the rename call inter-token latency "time per output token".
  const itl = histogramQuantiles(
    series("vllm:inter_token_latency_seconds_bucket", "vllm:time_per_output_token_seconds_bucket"),
    [0.5, 0.99],
  );

  return {
    requestsRunning: sum("vllm:num_requests_running"),
    requestsWaiting: sum("vllm:num_requests_waiting"),
    kvCacheUsage: kvUsages.length === 0 ? 0 : Math.min(1, Math.max(0, ...kvUsages)),
    prefixCacheHitRate: prefixQueries > 0 ? prefixHits / prefixQueries : null,
    promptTokensTotal: sum("vllm:prompt_tokens_total"),
    generationTokensTotal: sum("vllm:generation_tokens_total"),
    ttft: ttft && { p50: ttft[0], p90: ttft[1], p99: ttft[2] },
    e2eLatency: e2e && { p50: e2e[0], p90: e2e[1], p99: e2e[2] },
    interTokenLatency: itl && { p50: itl[0], p99: itl[1] },
    loras: loraInfo(series("vllm:lora_requests_info")),
  };
}

/**
 * Quantiles of a cumulative Prometheus histogram, the way `histogram_quantile` estimates them:
 * linear interpolation inside the bucket holding the rank, the highest finite bound when the rank
 * falls in +Inf. Buckets of several label sets (engines, models) are summed per `le` first.
 */
function histogramQuantiles<const Q extends readonly number[]>(
  buckets: PrometheusSample[],
  quantiles: Q,
): { [K in keyof Q]: number } | null {
  const countsByBound = new Map<number, number>();
  for (const bucket of buckets) {
    const le = bucket.labels.le;
    const bound = le === undefined ? null : parsePrometheusNumber(le);
    if (bound === null || Number.isNaN(bound) || !Number.isFinite(bucket.value)) continue;
    countsByBound.set(bound, (countsByBound.get(bound) ?? 0) + bucket.value);
  }
  const sorted = [...countsByBound.entries()].sort(([a], [b]) => a - b);
  const total = sorted.at(-1)?.[1] ?? 0;
  if (total <= 0) return null;

  const estimate = (q: number): number => {
    const rank = q * total;
    let lowerBound = 0;
    let lowerCount = 0;
    for (const [bound, count] of sorted) {
      if (count >= rank) {
        if (!Number.isFinite(bound)) return lowerBound;
        if (count === lowerCount) return bound;
        return lowerBound + ((bound - lowerBound) * (rank - lowerCount)) / (count - lowerCount);
      }
      lowerBound = bound;
      lowerCount = count;
    }
    return lowerBound;
  };
  return quantiles.map(estimate) as { [K in keyof Q]: number };
}

/** vLLM's info gauge; its value is the time of the update, so the newest sample (last on ties) wins. */
function loraInfo(samples: PrometheusSample[]): VllmMetricsSummary["loras"] {
  let latest: PrometheusSample | undefined;
  for (const sample of samples) {
    if (latest === undefined || !(sample.value < latest.value)) latest = sample;
  }
  const names = (value: string | undefined) =>
    (value ?? "")
      .split(",")
      .map((name) => name.trim())
      .filter((name) => name !== "");
  const maxLora = Number.parseInt(latest?.labels.max_lora ?? "", 10);
  return {
    running: names(latest?.labels.running_lora_adapters),
    waiting: names(latest?.labels.waiting_lora_adapters),
    maxLora: Number.isNaN(maxLora) ? null : maxLora,
  };
}
