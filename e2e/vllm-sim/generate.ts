/**
 * Deterministic "model output": the same (model id, rendered prompt, request seed, choice index)
 * always gives byte-identical text, in any process. The text looks like role-play (actions in
 * asterisks, quoted speech, narration) and carries multi-byte UTF-8 so clients that split bytes
 * carelessly garble it. Sampling parameters like temperature deliberately have no effect.
 */

import { createHash } from "node:crypto";
import { tokenize } from "./tokenizer";

export type Rng = () => number;

/** mulberry32: tiny, fast, and good enough to pick words. Returns floats in [0, 1). */
export function mulberry32(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** A 32-bit seed from a sha256 of the parts (once per choice, never per token). */
export function seedFrom(...parts: readonly (string | number)[]): number {
  return createHash("sha256").update(parts.join("\u0000")).digest().readUInt32BE(0);
}

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new Error("pick from an empty list");
  return item;
}

const ACTIONS = [
  "smiles softly",
  "tilts her head",
  "leans against the doorframe",
  "glances toward the window",
  "adjusts the clasp of his cloak",
  "sets down the chipped teacup",
  "raises an eyebrow",
  "laughs under her breath",
  "folds his arms",
  "steps a little closer",
  "traces the rim of the glass",
  "pulls the shawl tighter",
];
const SPEECH = [
  "I wasn't expecting you so soon.",
  "Tell me everything — from the very beginning.",
  "The café on the corner closes at nine…",
  "You're braver than you look, you know.",
  "Well. That changes things, doesn't it?",
  "Stay close; the road gets dark after the bridge.",
  "Naïve of me, perhaps, but I trusted him.",
  "Come, the stars are out tonight 🌙",
  "Ask me again tomorrow, and I might answer.",
  "Déjà vu — we've stood here before.",
  "Careful. Some doors don't open twice.",
  "I kept your letter. All of them, actually.",
];
const NARRATION = [
  "The candlelight flickers across the table.",
  "Rain taps gently against the glass.",
  "Somewhere below, a door creaks open.",
  "A faint scent of jasmine lingers in the air.",
  "The old clock — older than the house — chimes once.",
  "Outside, the harbour bells answer each other.",
  "The fire settles with a soft crackle ✨",
  "Snow gathers on the sill, quiet as a secret.",
];

function sentence(rng: Rng): string {
  const roll = rng();
  if (roll < 0.35) return `*${pick(rng, ACTIONS)}*`;
  if (roll < 0.8) return `"${pick(rng, SPEECH)}"`;
  return pick(rng, NARRATION);
}

/**
 * About `count` role-play tokens: the reply ends at the last sentence boundary within `count`
 * tokens if that leaves at least `floor` tokens, otherwise it is cut at exactly `count`.
 */
export function rolePlayPieces(rng: Rng, count: number, floor = count): string[] {
  const pieces: string[] = [];
  let boundary = 0;
  while (pieces.length < count) {
    boundary = pieces.length;
    const separator = pieces.length === 0 ? "" : rng() < 0.2 ? "\n\n" : " ";
    // Sentences start and end with a non-space, so tokenizing them one by one gives the same
    // pieces as tokenizing the joined text.
    pieces.push(...tokenize(separator + sentence(rng)));
  }
  pieces.length = pieces.length === count || boundary < floor ? count : boundary;
  return pieces;
}

export interface OutputLimits {
  maxTokens: number;
  minTokens: number;
  stop: readonly string[];
  includeStopStrInOutput: boolean;
}

export type FinishReason = "stop" | "length";

export interface DecodedChoice {
  /** Tokens generated (each counts in `completion_tokens`, even when trimmed by a stop string). */
  pieces: string[];
  /** Text each token contributes to the output; they concatenate to `text`. */
  deltas: string[];
  text: string;
  finishReason: FinishReason;
  stopReason: string | null;
}

/**
 * Applies max_tokens, min_tokens and stop strings to the tokens a model would produce,
 * the way vLLM's output processor does: stop strings only count from min_tokens on, and the
 * output is cut right before the stop string.
 */
export function applyLimits(candidate: readonly string[], limits: OutputLimits): DecodedChoice {
  const longestStop = limits.stop.reduce((max, s) => Math.max(max, s.length), 0);
  const pieces: string[] = [];
  const ends: number[] = [];
  let text = "";
  let finishReason: FinishReason = "stop";
  let stopReason: string | null = null;
  for (const piece of candidate) {
    if (pieces.length >= limits.maxTokens) {
      finishReason = "length";
      break;
    }
    const from = Math.max(0, text.length - longestStop + 1);
    text += piece;
    pieces.push(piece);
    ends.push(text.length);
    if (longestStop > 0 && pieces.length >= limits.minTokens) {
      const hit = firstStop(text, limits.stop, from);
      if (hit) {
        text = text.slice(0, limits.includeStopStrInOutput ? hit.at + hit.stop.length : hit.at);
        stopReason = hit.stop;
        break;
      }
    }
  }
  // A natural end needs room for the end-of-sequence token; without it the limit was hit.
  if (stopReason === null && pieces.length >= limits.maxTokens) finishReason = "length";
  let start = 0;
  const deltas = ends.map((end) => {
    const clamped = Math.min(end, text.length);
    const delta = text.slice(Math.min(start, clamped), clamped);
    start = clamped;
    return delta;
  });
  return { pieces, deltas, text, finishReason, stopReason };
}

function firstStop(text: string, stops: readonly string[], from: number): { at: number; stop: string } | null {
  let best: { at: number; stop: string } | null = null;
  for (const stop of stops) {
    if (stop === "") continue;
    const at = text.indexOf(stop, from);
    if (at >= 0 && (best === null || at < best.at)) best = { at, stop };
  }
  return best;
}

const ALTERNATIVES = [" the", " a", ",", ".", " and", " her", " his", " I", " you", " —", "…", " é"];

export interface TokenLogprob {
  token: string;
  logprob: number;
  /** Alternatives, most likely first; the sampled token leads. */
  top: { token: string; logprob: number }[];
}

/** Deterministic, plausible-looking logprobs for token `position` of a choice. */
export function tokenLogprob(choiceSeed: number, position: number, token: string, topCount: number): TokenLogprob {
  const rng = mulberry32(choiceSeed ^ Math.imul(position + 1, 0x9e3779b1));
  const logprob = -Math.round(rng() * 1500) / 1000;
  const top = [{ token, logprob }];
  for (let i = 1; i < topCount; i++) {
    top.push({ token: pick(rng, ALTERNATIVES), logprob: logprob - i * 0.75 - Math.round(rng() * 500) / 1000 });
  }
  return { token, logprob, top: top.slice(0, topCount) };
}
