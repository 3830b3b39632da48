/** One simulator instance's state, shared by the vLLM routes and the /sim control API. */

import type { PlanContext } from "./completions";
import { Engine, type EngineStats } from "./engine";
import { FaultBook, type FaultRule } from "./faults";
import { renderMetrics } from "./metrics";
import { ModelRegistry } from "./models";
import { type RuntimeConfig, type RuntimeConfigPatch, runtimeConfigSchema, type SimOptions } from "./options";
import { RequestLog } from "./recorder";
import { ScriptBook } from "./script";

export interface SimStats extends EngineStats {
  /** Requests recorded so far (all routes except /sim). */
  recordedRequests: number;
  loras: string[];
}

export class SimState implements PlanContext {
  readonly config: RuntimeConfig;
  readonly models: ModelRegistry;
  readonly faults = new FaultBook();
  readonly script = new ScriptBook();
  readonly engine: Engine;
  readonly log: RequestLog;

  constructor(readonly options: SimOptions) {
    this.config = runtimeConfigSchema.parse(options);
    this.models = new ModelRegistry(options);
    this.faults.set(options.faults);
    this.engine = new Engine(
      this.config,
      options.seed,
      {
        maxNumSeqs: options.maxNumSeqs,
        maxLoras: options.enableLora ? options.maxLoras : Number.POSITIVE_INFINITY,
        byPriority: options.schedulingPolicy === "priority",
      },
      options.prefixBlockSize,
      options.prefixCacheBlocks,
    );
    this.log = new RequestLog(options.maxRecordedRequests);
  }

  setFaults(rules: readonly FaultRule[]): void {
    this.faults.set(rules);
  }

  setConfig(patch: RuntimeConfigPatch): RuntimeConfig {
    for (const [key, value] of Object.entries(patch)) {
      if (value !== undefined) Object.assign(this.config, { [key]: value });
    }
    return { ...this.config };
  }

  stats(): SimStats {
    return { ...this.engine.stats(), recordedRequests: this.log.entries.length, loras: this.models.loraNames };
  }

  metrics(): string {
    return renderMetrics(this.engine.metricsView(this.models.baseId, this.options.maxLoras));
  }
}
