import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Simulator, startSimulator } from "@/e2e/vllm-sim/server";
import { AppError } from "@/lib/errors";
import { endpointFromBaseUrl } from "@/lib/llm/endpoint";
import { fetchMetrics, parsePrometheusText, parseVllmMetrics } from "./metrics";

// Two engines, as a data-parallel vLLM reports them; counters and histogram buckets add up.
const SAMPLE = `# HELP vllm:num_requests_running Number of requests in model execution batches.
# TYPE vllm:num_requests_running gauge
vllm:num_requests_running{engine="0",model_name="base"} 2.0
vllm:num_requests_running{engine="1",model_name="base"} 1.0
vllm:num_requests_waiting{engine="0",model_name="base"} 4.0
vllm:kv_cache_usage_perc{engine="0",model_name="base"} 0.25
vllm:kv_cache_usage_perc{engine="1",model_name="base"} 0.5
vllm:prefix_cache_queries_total{engine="0",model_name="base"} 200.0
vllm:prefix_cache_queries_total{engine="1",model_name="base"} 200.0
vllm:prefix_cache_queries_created{engine="0",model_name="base"} 1.7e+09
vllm:prefix_cache_hits_total{engine="0",model_name="base"} 100.0
vllm:prefix_cache_hits_total{engine="1",model_name="base"} 50.0
vllm:prompt_tokens_total{engine="0",model_name="base"} 1000.0
vllm:generation_tokens_total{engine="0",model_name="base"} 250.0 1700000000000
this line is not prometheus
vllm:num_requests_waiting{engine="2" 9.0
vllm:num_requests_waiting{engine="3"} not-a-number

# TYPE vllm:time_to_first_token_seconds histogram
vllm:time_to_first_token_seconds_bucket{engine="0",le="0.1",model_name="base"} 5.0
vllm:time_to_first_token_seconds_bucket{engine="0",le="0.5",model_name="base"} 30.0
vllm:time_to_first_token_seconds_bucket{engine="0",le="1.0",model_name="base"} 45.0
vllm:time_to_first_token_seconds_bucket{engine="0",le="2.5",model_name="base"} 50.0
vllm:time_to_first_token_seconds_bucket{engine="0",le="+Inf",model_name="base"} 50.0
vllm:time_to_first_token_seconds_bucket{engine="1",le="0.1",model_name="base"} 5.0
vllm:time_to_first_token_seconds_bucket{engine="1",le="0.5",model_name="base"} 30.0
vllm:time_to_first_token_seconds_bucket{engine="1",le="1.0",model_name="base"} 45.0
vllm:time_to_first_token_seconds_bucket{engine="1",le="2.5",model_name="base"} 50.0
vllm:time_to_first_token_seconds_bucket{engine="1",le="+Inf",model_name="base"} 50.0
vllm:time_to_first_token_seconds_count{engine="0",model_name="base"} 50.0
vllm:time_to_first_token_seconds_sum{engine="0",model_name="base"} 31.5
vllm:e2e_request_latency_seconds_bucket{engine="0",le="1.0",model_name="base"} 0.0
vllm:e2e_request_latency_seconds_bucket{engine="0",le="5.0",model_name="base"} 8.0
vllm:e2e_request_latency_seconds_bucket{engine="0",le="10.0",model_name="base"} 9.0
vllm:e2e_request_latency_seconds_bucket{engine="0",le="+Inf",model_name="base"} 10.0
# HELP vllm:lora_requests_info Running stats on lora requests.
# TYPE vllm:lora_requests_info gauge
vllm:lora_requests_info{max_lora="4",model_name="base",running_lora_adapters="char-aria-v1,char-bram-v2",waiting_lora_adapters=""} 1.700000002e+09
vllm:lora_requests_info{max_lora="4",model_name="base",running_lora_adapters="",waiting_lora_adapters="char-old-v1"} 1.700000001e+09
`;

describe("parseVllmMetrics on a hand-written exposition", () => {
  const summary = parseVllmMetrics(SAMPLE);

  it("sums gauges and counters across engines and skips malformed lines", () => {
    expect(summary.requestsRunning).toBe(3);
    expect(summary.requestsWaiting).toBe(4);
    expect(summary.kvCacheUsage).toBe(0.5);
    expect(summary.prefixCacheHitRate).toBe(0.375);
    expect(summary.promptTokensTotal).toBe(1000);
    expect(summary.generationTokensTotal).toBe(250);
  });

  it("interpolates quantiles inside buckets summed per le", () => {
    expect(summary.ttft?.p50).toBeCloseTo(0.42, 10);
    expect(summary.ttft?.p90).toBeCloseTo(1.0, 10);
    expect(summary.ttft?.p99).toBeCloseTo(2.35, 10);
  });

  it("caps a quantile that falls in +Inf at the highest finite bound", () => {
    expect(summary.e2eLatency?.p50).toBeCloseTo(3.5, 10);
    expect(summary.e2eLatency?.p90).toBeCloseTo(10, 10);
    expect(summary.e2eLatency?.p99).toBe(10);
  });

  it("reads the newest LoRA info sample and leaves absent histograms null", () => {
    expect(summary.loras).toEqual({ running: ["char-aria-v1", "char-bram-v2"], waiting: [], maxLora: 4 });
    expect(summary.interTokenLatency).toBeNull();
  });

  it("accepts counters without the _total suffix", () => {
    const text = 'vllm:prefix_cache_queries{a="1"} 10\nvllm:prefix_cache_hits{a="1"} 4\n';
    expect(parseVllmMetrics(text).prefixCacheHitRate).toBe(0.4);
  });

  it("reads nothing as zeros and nulls", () => {
    expect(parseVllmMetrics("")).toEqual({
      requestsRunning: 0,
      requestsWaiting: 0,
      kvCacheUsage: 0,
      prefixCacheHitRate: null,
      promptTokensTotal: 0,
      generationTokensTotal: 0,
      ttft: null,
      e2eLatency: null,
      interTokenLatency: null,
      loras: { running: [], waiting: [], maxLora: null },
    });
  });
});

describe("parsePrometheusText", () => {
  it("unescapes label values and reads special numbers", () => {
    const samples = parsePrometheusText('m{path="a\\\\b",msg="say \\"hi\\"\\n",} +Inf\nn NaN\nk -1.5e-3 123\n');
    expect(samples[0]).toEqual({ name: "m", labels: { path: "a\\b", msg: 'say "hi"\n' }, value: Infinity });
    expect(samples[1]?.value).toBeNaN();
    expect(samples[2]).toEqual({ name: "k", labels: {}, value: -0.0015 });
  });
});

describe("metrics from the vLLM simulator", () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({
      port: 0,
      servedModelName: ["base"],
      enableLora: true,
      loraModules: [{ name: "char-aria-v1", path: "/adapters/aria-v1" }],
      maxLoras: 2,
      ttftMs: 5,
      itlMs: 1,
    });
  });
  afterAll(() => sim.close());

  it("counts the tokens of a few completions and estimates latency quantiles", async () => {
    let promptTokens = 0;
    let completionTokens = 0;
    for (const model of ["base", "char-aria-v1", "base"]) {
      const response = await fetch(`${sim.url}/v1/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ model, messages: [{ role: "user", content: `Hello from ${model}` }] }),
      });
      const body = (await response.json()) as { usage: { prompt_tokens: number; completion_tokens: number } };
      promptTokens += body.usage.prompt_tokens;
      completionTokens += body.usage.completion_tokens;
    }

    const summary = parseVllmMetrics(await fetchMetrics(endpointFromBaseUrl(sim.url)));
    expect(summary.requestsRunning).toBe(0);
    expect(summary.requestsWaiting).toBe(0);
    expect(summary.promptTokensTotal).toBe(promptTokens);
    expect(summary.generationTokensTotal).toBe(completionTokens);
    expect(summary.loras.maxLora).toBe(2);
    for (const quantiles of [summary.ttft, summary.e2eLatency]) {
      expect(quantiles).not.toBeNull();
      expect(quantiles?.p50).toBeGreaterThan(0);
      expect(quantiles?.p50).toBeLessThanOrEqual(quantiles?.p90 ?? 0);
      expect(quantiles?.p90).toBeLessThanOrEqual(quantiles?.p99 ?? 0);
    }
    expect(summary.interTokenLatency).not.toBeNull();
  });

  it("throws upstream_unavailable when the server is gone", async () => {
    const gone = await startSimulator({ port: 0 });
    const endpoint = endpointFromBaseUrl(gone.url);
    await gone.close();
    const failure = await fetchMetrics(endpoint).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AppError);
    expect((failure as AppError).code).toBe("upstream_unavailable:model");
  });
});
