/**
 * Scripted replies: fixed outputs for deterministic tests (a judge that always answers
 * "final score is 4", a synthesis step that returns broken JSON once). The first matching rule
 * wins and its reply is returned verbatim — also for structured-output requests, which is how tests
 * exercise Troupe's parse-and-retry paths. Limits (max_tokens, stop) still apply, as they would to a
 * real model's output.
 */

import { z } from "zod";

const REGEX_FORM = /^\/(.+)\/([dgimsuvy]*)$/s;

function compile(match: string): (text: string) => boolean {
  const regex = REGEX_FORM.exec(match);
  if (!regex) return (text) => text.includes(match);
  // Drop the stateful flags: a rule is tested against many texts.
  const compiled = new RegExp(regex[1] ?? "", (regex[2] ?? "").replace(/[gy]/g, ""));
  return (text) => compiled.test(text);
}

export const scriptRuleSchema = z.strictObject({
  /** A substring of the last user message or the system message, or `/regex/flags`. */
  match: z
    .string()
    .min(1)
    .refine(
      (match) => {
        try {
          compile(match);
          return true;
        } catch {
          return false;
        }
      },
      { message: "invalid regular expression" },
    ),
  reply: z.string(),
  /** Applies to the next N matching requests; unlimited when absent. */
  times: z.number().int().min(1).optional(),
});
export type ScriptRule = z.infer<typeof scriptRuleSchema>;

interface Armed {
  rule: ScriptRule;
  test: (text: string) => boolean;
  remaining: number;
}

/** The texts a rule is matched against: for completions both are the prompt. */
export interface ScriptTarget {
  lastUser: string;
  system: string;
}

export class ScriptBook {
  private armed: Armed[] = [];

  set(rules: readonly ScriptRule[]): void {
    this.armed = rules.map((rule) => ({
      rule,
      test: compile(rule.match),
      remaining: rule.times ?? Number.POSITIVE_INFINITY,
    }));
  }

  list(): { rule: ScriptRule; remaining: number | null }[] {
    return this.armed.map(({ rule, remaining }) => ({
      rule,
      remaining: Number.isFinite(remaining) ? remaining : null,
    }));
  }

  /** The reply of the first matching rule, consuming one of its `times`. */
  take(target: ScriptTarget): string | null {
    const index = this.armed.findIndex(({ test }) => test(target.lastUser) || test(target.system));
    const entry = this.armed[index];
    if (!entry) return null;
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.armed.splice(index, 1);
    return entry.rule.reply;
  }
}
