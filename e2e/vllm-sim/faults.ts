/**
 * Failures on demand, so tests see what a real vLLM deployment does on a bad day: HTTP errors,
 * an error event inside a 200 stream, a connection reset or a hang mid-stream, a slow drip, a dead
 * engine. Rules are process-wide (set by flag or the control API); a `[sim:KIND@N]` directive in the
 * last user message applies a fault to that one request, which keeps parallel tests independent.
 *
 * Rule string grammar (CLI `--fault`, `PUT /sim/faults`): `kind[:times][@afterTokens]`, e.g.
 * `http_500`, `http_503:2`, `stream_error@5`, `reset:1@3`. For `slow`, `@N` is the inter-token
 * latency in ms. A JSON object is accepted too, for `path`/`model` filters.
 */

import { z } from "zod";

export const FAULT_KINDS = ["http_500", "http_503", "stream_error", "reset", "hang", "slow", "dead"] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const COMPLETION_PATHS: ReadonlySet<string> = new Set(["/v1/chat/completions", "/v1/completions"]);
const DEFAULT_AFTER_TOKENS = 3;
const DEFAULT_SLOW_ITL_MS = 250;

export const faultRuleSchema = z.strictObject({
  kind: z.enum(FAULT_KINDS),
  /** Applies to the next N matching requests; unlimited when absent. */
  times: z.number().int().min(1).optional(),
  /** For stream_error/reset/hang: how many tokens are sent before the fault. */
  afterTokens: z.number().int().min(0).optional(),
  /** Only requests to this path; without it, only the two completion endpoints. */
  path: z.string().startsWith("/").optional(),
  /** Only requests for this model id (base or LoRA). */
  model: z.string().optional(),
  /** For slow: the inter-token latency to drip at. */
  itlMs: z.number().min(0).optional(),
});
export type FaultRule = z.infer<typeof faultRuleSchema>;

/** What one request suffers. */
export interface ActiveFault {
  kind: FaultKind;
  afterTokens: number;
  itlMs: number;
}

const RULE_TEXT = /^([a-z_0-9]+)(?::(\d+))?(?:@(\d+))?$/;

/** Parses `kind[:times][@afterTokens]` or a JSON rule object. */
export function parseFaultRule(text: string): FaultRule {
  const trimmed = text.trim();
  if (trimmed.startsWith("{")) return faultRuleSchema.parse(JSON.parse(trimmed));
  const match = RULE_TEXT.exec(trimmed);
  if (!match) throw new Error(`Invalid fault "${text}": expected kind[:times][@afterTokens]`);
  const [, kind, times, at] = match;
  const rule: Record<string, unknown> = { kind };
  if (times !== undefined) rule.times = Number(times);
  if (at !== undefined) rule[kind === "slow" ? "itlMs" : "afterTokens"] = Number(at);
  return faultRuleSchema.parse(rule);
}

export const faultInputSchema = z.union([
  faultRuleSchema,
  z.string().transform((text, ctx) => {
    try {
      return parseFaultRule(text);
    } catch (error) {
      ctx.addIssue({ code: "custom", message: error instanceof Error ? error.message : String(error) });
      return z.NEVER;
    }
  }),
]);

function activate(kind: FaultKind, afterTokens: number | undefined, itlMs: number | undefined): ActiveFault {
  return { kind, afterTokens: afterTokens ?? DEFAULT_AFTER_TOKENS, itlMs: itlMs ?? DEFAULT_SLOW_ITL_MS };
}

const DIRECTIVE = new RegExp(`\\[sim:(${FAULT_KINDS.join("|")})(?:@(\\d+))?\\]`);

/** A `[sim:KIND]` / `[sim:KIND@N]` directive in a message, if any. */
export function parseDirective(text: string): ActiveFault | null {
  const match = DIRECTIVE.exec(text);
  if (!match) return null;
  const kind = match[1] as FaultKind;
  const n = match[2] === undefined ? undefined : Number(match[2]);
  return kind === "slow" ? activate(kind, undefined, n) : activate(kind, n, undefined);
}

interface Armed {
  rule: FaultRule;
  remaining: number;
}

export class FaultBook {
  private armed: Armed[] = [];

  set(rules: readonly FaultRule[]): void {
    this.armed = rules.map((rule) => ({ rule, remaining: rule.times ?? Number.POSITIVE_INFINITY }));
  }

  list(): { rule: FaultRule; remaining: number | null }[] {
    return this.armed.map(({ rule, remaining }) => ({
      rule,
      remaining: Number.isFinite(remaining) ? remaining : null,
    }));
  }

  /** True while a `dead` rule is armed: /health answers 503. */
  get dead(): boolean {
    return this.armed.some(({ rule }) => rule.kind === "dead");
  }

  /** The first armed rule matching this request, consuming one of its `times`. */
  take(path: string, model: string | null): ActiveFault | null {
    const index = this.armed.findIndex(
      ({ rule }) =>
        (rule.path === undefined ? COMPLETION_PATHS.has(path) : rule.path === path) &&
        (rule.model === undefined || rule.model === model),
    );
    const entry = this.armed[index];
    if (!entry) return null;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.armed.splice(index, 1);
    return activate(entry.rule.kind, entry.rule.afterTokens, entry.rule.itlMs);
  }
}
