/**
 * Runs planned generations in time: queueing under `--max-num-seqs`, time to first token, one
 * token per inter-token interval per choice, faults mid-stream, client aborts, and the counters
 * behind /metrics and /sim/stats. Each request has at most one timer pending; per-token work is
 * string concatenation and one socket write.
 */

import type { ServerResponse } from "node:http";
import type { ActiveFault } from "./faults";
import {
  completionBody,
  DONE_FRAME,
  type Endpoint,
  errorFrame,
  type FinishedChoice,
  type ResponseIdentity,
  StreamFrames,
  type Usage,
  usage,
} from "./frames";
import { type DecodedChoice, mulberry32, type Rng, tokenLogprob } from "./generate";
import { ApiError, sendError, sendJson } from "./http";
import { E2E_BUCKETS, Histogram, ITL_BUCKETS, type MetricsView, TTFT_BUCKETS } from "./metrics";
import type { RuntimeConfig } from "./options";
import { cacheNamespace, PrefixCache } from "./prefix-cache";
import { type Job, Scheduler } from "./scheduler";
import { SseWriter } from "./sse";
import { tokenIds } from "./tokenizer";

export interface PlannedChoice {
  /** The choice's `index` in the response. */
  index: number;
  decoded: DecodedChoice;
  /** The choice's generation seed; logprobs derive from it. */
  seed: number;
}

export interface PlannedPrompt {
  tokens: number[];
  choices: PlannedChoice[];
}

/** Everything about a request's output, decided before it is queued. */
export interface GenerationPlan {
  endpoint: Endpoint;
  identity: ResponseIdentity;
  /** Canonical model id (prefix-cache key). */
  modelId: string;
  lora: string | null;
  cacheSalt: string | null;
  priority: number;
  prompts: PlannedPrompt[];
  stream: boolean;
  includeUsage: boolean;
  /** Alternatives per token when logprobs were requested, else null. */
  topLogprobs: number | null;
  fault: ActiveFault | null;
}

export interface EngineStats {
  /** Generation requests accepted (after validation). */
  accepted: number;
  completed: number;
  /** Client disconnected before the end, queued or generating (includes hung requests). */
  aborted: number;
  /** Ended by an injected fault (stream_error, reset). */
  faulted: number;
  running: number;
  waiting: number;
  peakRunning: number;
  peakWaiting: number;
  promptTokens: number;
  generationTokens: number;
  prefixCacheQueries: number;
  prefixCacheHits: number;
}

const MID_STREAM_FAULTS = new Set(["stream_error", "reset", "hang"]);

export class Engine {
  readonly scheduler: Scheduler<Run>;
  readonly prefixCache: PrefixCache;
  readonly timeToFirstToken = new Histogram(TTFT_BUCKETS);
  readonly e2eLatency = new Histogram(E2E_BUCKETS);
  readonly interTokenLatency = new Histogram(ITL_BUCKETS);
  promptTokens = 0;
  generationTokens = 0;
  accepted = 0;
  completed = 0;
  aborted = 0;
  faulted = 0;
  private peakRunning = 0;
  private peakWaiting = 0;
  private sequence = 0;
  private readonly live = new Set<Run>();

  constructor(
    /** Mutable: changes apply to requests admitted afterwards. */
    readonly config: RuntimeConfig,
    private readonly seed: number,
    scheduling: { maxNumSeqs: number; maxLoras: number; byPriority: boolean },
    blockSize: number,
    cacheBlocks: number,
  ) {
    this.scheduler = new Scheduler(scheduling.maxNumSeqs, scheduling.maxLoras, scheduling.byPriority);
    this.prefixCache = new PrefixCache(blockSize, cacheBlocks);
  }

  /** Queues a planned request; a stream gets its 200 and headers now, as with vLLM. */
  submit(plan: GenerationPlan, res: ServerResponse): void {
    this.accepted += 1;
    this.sequence += 1;
    const run = new Run(this, plan, res, mulberry32(this.seed ^ Math.imul(this.sequence, 0x9e3779b1)));
    this.live.add(run);
    if (plan.stream) {
      res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
      res.flushHeaders();
    }
    this.scheduler.submit(run);
    this.notePeaks();
  }

  notePeaks(): void {
    this.peakRunning = Math.max(this.peakRunning, this.scheduler.runningSeqCount);
    this.peakWaiting = Math.max(this.peakWaiting, this.scheduler.waitingSeqCount);
  }

  forget(run: Run): void {
    this.live.delete(run);
    this.scheduler.remove(run);
    this.notePeaks();
  }

  /** Stops every timer (the HTTP server then drops the connections). */
  shutdown(): void {
    for (const run of this.live) run.cancel();
    this.live.clear();
  }

  stats(): EngineStats {
    return {
      accepted: this.accepted,
      completed: this.completed,
      aborted: this.aborted,
      faulted: this.faulted,
      running: this.scheduler.runningSeqCount,
      waiting: this.scheduler.waitingSeqCount,
      peakRunning: this.peakRunning,
      peakWaiting: this.peakWaiting,
      promptTokens: this.promptTokens,
      generationTokens: this.generationTokens,
      prefixCacheQueries: this.prefixCache.queries,
      prefixCacheHits: this.prefixCache.hits,
    };
  }

  metricsView(modelName: string, maxLoras: number): MetricsView {
    const usedBlocks = [...this.scheduler.running].reduce((sum, run) => sum + run.kvBlocks(), 0);
    const loras = (runs: Iterable<Run>) => [...new Set([...runs].flatMap((run) => (run.lora ? [run.lora] : [])))];
    return {
      modelName,
      running: this.scheduler.runningSeqCount,
      waiting: this.scheduler.waitingSeqCount,
      kvCacheUsage: Math.min(1, usedBlocks / this.prefixCache.capacity),
      prefixCacheQueries: this.prefixCache.queries,
      prefixCacheHits: this.prefixCache.hits,
      promptTokens: this.promptTokens,
      generationTokens: this.generationTokens,
      timeToFirstToken: this.timeToFirstToken,
      e2eLatency: this.e2eLatency,
      interTokenLatency: this.interTokenLatency,
      runningLoras: loras(this.scheduler.running),
      waitingLoras: loras(this.scheduler.waiting),
      maxLoras,
    };
  }
}

type RunState = "waiting" | "running" | "done";

/** One request in flight. */
class Run implements Job {
  readonly lora: string | null;
  readonly seqs: number;
  readonly priority: number;
  private readonly choices: PlannedChoice[];
  private readonly totalSteps: number;
  /** The step at which a mid-stream fault fires (clamped so it always fires before the end). */
  private readonly faultStep: number | null;
  private readonly promptTokens: number;
  private readonly arrival = performance.now();
  private state: RunState = "waiting";
  private timer: NodeJS.Timeout | undefined;
  private step = 0;
  private emitted = 0;
  private cached = 0;
  private lastTokenAt = 0;
  private nextAt = 0;
  private itlMs = 0;
  private jitterMs = 0;
  private writer: SseWriter | null = null;
  private frames: StreamFrames | null = null;
  private readonly textOffsets: number[];

  constructor(
    private readonly engine: Engine,
    private readonly plan: GenerationPlan,
    private readonly res: ServerResponse,
    private readonly rng: Rng,
  ) {
    this.lora = plan.lora;
    this.priority = plan.priority;
    this.choices = plan.prompts.flatMap((p) => p.choices).sort((a, b) => a.index - b.index);
    this.seqs = this.choices.length;
    this.totalSteps = Math.max(1, ...this.choices.map((c) => c.decoded.pieces.length));
    this.promptTokens = plan.prompts.reduce((sum, p) => sum + p.tokens.length, 0);
    this.textOffsets = this.choices.map(() => 0);
    const fault = plan.fault;
    this.faultStep =
      fault && MID_STREAM_FAULTS.has(fault.kind) ? Math.min(fault.afterTokens, this.totalSteps - 1) : null;
    res.on("close", () => {
      if (this.state !== "done") this.abort();
    });
  }

  start(): void {
    this.state = "running";
    for (const prompt of this.plan.prompts) {
      this.cached += this.engine.prefixCache.lookup(
        cacheNamespace(this.plan.modelId, this.plan.cacheSalt),
        prompt.tokens,
      );
    }
    this.engine.promptTokens += this.promptTokens;
    const { config } = this.engine;
    this.itlMs = this.plan.fault?.kind === "slow" ? this.plan.fault.itlMs : config.itlMs;
    this.jitterMs = config.jitterMs;
    const now = performance.now();
    this.nextAt = now + this.jittered(config.ttftMs);
    if (this.plan.stream) {
      this.writer = new SseWriter(this.res, config.splitFrames ? this.rng : null);
      this.frames = new StreamFrames(this.plan.endpoint, this.plan.identity, this.plan.includeUsage);
      this.timer = setTimeout(this.tick, this.nextAt - now);
    } else {
      this.timer = setTimeout(this.respond, this.nonStreamDelay(now) - now);
    }
  }

  /** KV blocks this request holds (prompt + generated so far), for kv_cache_usage_perc. */
  kvBlocks(): number {
    const perChoice = this.promptTokens / Math.max(1, this.plan.prompts.length) + this.step;
    return Math.ceil(perChoice / this.engine.prefixCache.blockSize) * this.seqs;
  }

  cancel(): void {
    this.state = "done";
    clearTimeout(this.timer);
  }

  private jittered(ms: number): number {
    return this.jitterMs === 0 ? ms : Math.max(0, ms + (this.rng() * 2 - 1) * this.jitterMs);
  }

  /**
   * Emits every step that is due. Normally that is one; when the event loop falls behind, the
   * overdue tokens go out in one write (still one frame per token), as vLLM hands a lagging client
   * several tokens at once. That keeps the average ITL on target under heavy load.
   */
  private readonly tick = (): void => {
    this.timer = undefined;
    const writer = this.writer;
    const frames = this.frames;
    if (!writer || !frames) return;
    const now = performance.now();
    let due = this.itlMs > 0 ? 1 + Math.floor(Math.max(0, now - this.nextAt) / this.itlMs) : 1;
    let out = "";
    for (;;) {
      if (this.step === this.faultStep) {
        this.streamFault(writer, out);
        return;
      }
      out += this.emitStep(frames, now);
      if (this.step >= this.totalSteps) {
        writer.send(out + frames.usage(this.usage()) + DONE_FRAME, true);
        this.finish();
        return;
      }
      this.nextAt += this.jittered(this.itlMs);
      due -= 1;
      if (due <= 0) break;
    }
    writer.send(out);
    this.timer = setTimeout(this.tick, Math.max(0, this.nextAt - performance.now()));
  };

  /** One token for every choice still generating (choices interleave by index). */
  private emitStep(frames: StreamFrames, now: number): string {
    if (this.step === 0) this.engine.timeToFirstToken.observe((now - this.arrival) / 1000);
    else this.engine.interTokenLatency.observe((now - this.lastTokenAt) / 1000);
    this.lastTokenAt = now;
    const step = this.step;
    let out = "";
    if (step === 0) for (const choice of this.choices) out += frames.opening(choice.index);
    this.choices.forEach((choice, i) => {
      const { pieces, deltas } = choice.decoded;
      if (step >= pieces.length) return;
      const delta = deltas[step] ?? "";
      // A token swallowed by a stop string still counts, but sends nothing.
      if (delta !== "") {
        const piece = pieces[step] ?? "";
        const logprob =
          this.plan.topLogprobs === null ? null : tokenLogprob(choice.seed, step, piece, this.plan.topLogprobs);
        out += frames.token(choice.index, delta, logprob, this.textOffsets[i] ?? 0);
        this.textOffsets[i] = (this.textOffsets[i] ?? 0) + delta.length;
      }
      this.emitted += 1;
      this.engine.generationTokens += 1;
      if (step === pieces.length - 1) out += frames.finish(choice.index, choice.decoded);
    });
    this.step += 1;
    return out;
  }

  /** Sends what was generated before the fault, then fails the way the fault says. */
  private streamFault(writer: SseWriter, before: string): void {
    const kind = this.plan.fault?.kind;
    const error =
      kind === "stream_error"
        ? errorFrame("Simulated engine failure mid-stream (vllm-sim stream_error).", 500, "InternalServerError")
        : "";
    writer.send(before + error, kind === "stream_error");
    if (kind === "hang") return; // keep the slot and the socket until the client gives up
    this.state = "done";
    this.engine.faulted += 1;
    this.engine.forget(this);
    if (kind === "reset") this.res.destroy();
  }

  /** When a non-streamed reply (or its fault) is due: the same timeline a stream would follow. */
  private nonStreamDelay(now: number): number {
    const steps = this.faultStep ?? this.totalSteps - 1;
    let at = this.nextAt;
    for (let i = 0; i < steps; i++) {
      const gap = this.jittered(this.itlMs);
      this.engine.interTokenLatency.observe(gap / 1000);
      at += gap;
    }
    this.engine.timeToFirstToken.observe((this.nextAt - this.arrival) / 1000);
    return Math.max(at, now);
  }

  private readonly respond = (): void => {
    this.timer = undefined;
    const kind = this.faultStep === null ? null : this.plan.fault?.kind;
    if (kind === "hang") return;
    if (kind === "reset" || kind === "stream_error") {
      this.state = "done";
      this.engine.faulted += 1;
      this.engine.forget(this);
      if (kind === "reset") this.res.destroy();
      else sendError(this.res, new ApiError(500, "Simulated engine failure (vllm-sim stream_error)."));
      return;
    }
    this.emitted = this.choices.reduce((sum, c) => sum + c.decoded.pieces.length, 0);
    this.step = this.totalSteps;
    this.engine.generationTokens += this.emitted;
    const finished: FinishedChoice[] = this.choices.map((choice) => ({
      index: choice.index,
      decoded: choice.decoded,
      logprobs:
        this.plan.topLogprobs === null
          ? null
          : choice.decoded.pieces.map((piece, position) =>
              tokenLogprob(choice.seed, position, piece, this.plan.topLogprobs ?? 0),
            ),
    }));
    sendJson(this.res, 200, completionBody(this.plan.endpoint, this.plan.identity, finished, this.usage()));
    this.finish();
  };

  private usage(): Usage {
    return usage(this.promptTokens, this.emitted, this.cached);
  }

  private finish(): void {
    this.state = "done";
    this.engine.completed += 1;
    this.engine.e2eLatency.observe((performance.now() - this.arrival) / 1000);
    // vLLM caches generated tokens' blocks too, so the next turn of a chat can hit them.
    const namespace = cacheNamespace(this.plan.modelId, this.plan.cacheSalt);
    for (const prompt of this.plan.prompts) {
      for (const choice of prompt.choices) {
        this.engine.prefixCache.insert(namespace, [...prompt.tokens, ...tokenIds(choice.decoded.pieces)]);
      }
    }
    this.engine.forget(this);
  }

  private abort(): void {
    this.cancel();
    this.engine.aborted += 1;
    this.engine.forget(this);
  }
}
