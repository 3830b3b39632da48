/**
 * The subset of vLLM's Prometheus metrics Troupe reads, in the text format vLLM's
 * prometheus_client emits: counters carry the `_total` suffix, values print as floats, histograms
 * list cumulative `_bucket{le=…}` lines then `_count` and `_sum`. Bucket bounds are vLLM's.
 */

export const TTFT_BUCKETS = [
  0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80, 160, 640, 2560,
];
export const ITL_BUCKETS = [
  0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 20, 40, 80,
];
export const E2E_BUCKETS = [
  0.3, 0.5, 0.8, 1, 1.5, 2, 2.5, 5, 10, 15, 20, 30, 40, 50, 60, 120, 240, 480, 960, 1920, 7680,
];

export class Histogram {
  /** Per-bucket (not cumulative) counts; the last slot is +Inf. */
  readonly counts: number[];
  sum = 0;
  count = 0;

  constructor(readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }

  observe(seconds: number): void {
    let i = 0;
    while (i < this.bounds.length && seconds > (this.bounds[i] ?? Number.POSITIVE_INFINITY)) i++;
    this.counts[i] = (this.counts[i] ?? 0) + 1;
    this.sum += seconds;
    this.count += 1;
  }
}

export interface MetricsView {
  modelName: string;
  running: number;
  waiting: number;
  kvCacheUsage: number;
  prefixCacheQueries: number;
  prefixCacheHits: number;
  promptTokens: number;
  generationTokens: number;
  timeToFirstToken: Histogram;
  e2eLatency: Histogram;
  interTokenLatency: Histogram;
  runningLoras: readonly string[];
  waitingLoras: readonly string[];
  maxLoras: number;
}

/** Python's float repr for the values we emit: integers keep a trailing `.0`. */
function num(value: number): string {
  return Number.isInteger(value) ? value.toFixed(1) : String(value);
}

function labels(pairs: Record<string, string>): string {
  const body = Object.entries(pairs)
    .map(([k, v]) => `${k}="${v.replaceAll("\\", "\\\\").replaceAll('"', '\\"').replaceAll("\n", "\\n")}"`)
    .join(",");
  return `{${body}}`;
}

export function renderMetrics(view: MetricsView): string {
  // prometheus_client's label order: as declared by vLLM, then `le`.
  const base = { model_name: view.modelName, engine: "0" };
  const lines: string[] = [];
  const scalar = (name: string, type: "gauge" | "counter", help: string, value: number) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`, `${name}${labels(base)} ${num(value)}`);
  };
  const histogram = (name: string, help: string, h: Histogram) => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} histogram`);
    let cumulative = 0;
    h.bounds.forEach((bound, i) => {
      cumulative += h.counts[i] ?? 0;
      lines.push(`${name}_bucket${labels({ ...base, le: num(bound) })} ${num(cumulative)}`);
    });
    lines.push(`${name}_bucket${labels({ ...base, le: "+Inf" })} ${num(h.count)}`);
    lines.push(`${name}_count${labels(base)} ${num(h.count)}`, `${name}_sum${labels(base)} ${num(h.sum)}`);
  };

  scalar("vllm:num_requests_running", "gauge", "Number of requests in model execution batches.", view.running);
  scalar("vllm:num_requests_waiting", "gauge", "Number of requests waiting to be processed.", view.waiting);
  scalar("vllm:kv_cache_usage_perc", "gauge", "KV-cache usage. 1 means 100 percent usage.", view.kvCacheUsage);
  scalar(
    "vllm:prefix_cache_queries_total",
    "counter",
    "Prefix cache queries, in terms of number of queried tokens.",
    view.prefixCacheQueries,
  );
  scalar(
    "vllm:prefix_cache_hits_total",
    "counter",
    "Prefix cache hits, in terms of number of cached tokens.",
    view.prefixCacheHits,
  );
  scalar("vllm:prompt_tokens_total", "counter", "Number of prefill tokens processed.", view.promptTokens);
  scalar("vllm:generation_tokens_total", "counter", "Number of generation tokens processed.", view.generationTokens);
  histogram("vllm:time_to_first_token_seconds", "Histogram of time to first token in seconds.", view.timeToFirstToken);
  histogram("vllm:e2e_request_latency_seconds", "Histogram of e2e request latency in seconds.", view.e2eLatency);
  histogram("vllm:inter_token_latency_seconds", "Histogram of inter-token latency in seconds.", view.interTokenLatency);

  const lora = labels({
    max_lora: String(view.maxLoras),
    model_name: view.modelName,
    running_lora_adapters: view.runningLoras.join(","),
    waiting_lora_adapters: view.waitingLoras.join(","),
  });
  // vLLM reports this info gauge's value as the time of the last update.
  lines.push(
    "# HELP vllm:lora_requests_info Running stats on lora requests.",
    "# TYPE vllm:lora_requests_info gauge",
    `vllm:lora_requests_info${lora} ${num(Date.now() / 1000)}`,
  );
  return `${lines.join("\n")}\n`;
}
