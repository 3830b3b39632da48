// Arena leaderboard maths: Bradley–Terry strengths from pairwise battles, fitted the way LMSYS
// Chatbot Arena does (maximum likelihood on the logistic model, Elo-like 400·log10 scale, percentile
// bootstrap over battles for confidence intervals). Pure: no I/O, no server imports.
//
// Model: P(i beats j) = 1 / (1 + 10^((s_j − s_i) / 400)), i.e. natural-log strengths θ with
// s = 1000 + (400 / ln 10)·θ. We maximize the log-likelihood minus a tiny L2 prior (λ/2)·Σθ², solved
// with Newton's method on the aggregated win matrix. The prior is what keeps every score finite when a
// model has only wins or only losses, or the comparison graph falls apart into several components;
// it also centres the θs at 0 (at the optimum Σθ = 0), which is exactly the mean anchoring.

/** Who won a battle. "Both bad" votes should be passed as "tie"; a tie counts as half a win for each side. */
export type BattleOutcome = "a" | "b" | "tie";

/**
 * One arena vote between two models (by id). Ties, including "both bad" votes, count as half a win each
 * (as in LMSYS). Battles of a model against itself carry no information and are ignored everywhere,
 * so a model appears in the results only if it took part in at least one battle against another model.
 */
export interface Battle {
  a: string;
  b: string;
  outcome: BattleOutcome;
}

export interface FitOptions {
  /** Pin this model's score to 1000 instead of making the mean score 1000. Must appear in the battles. */
  anchor?: string;
  /**
   * L2 prior strength λ on natural-log strengths. Larger shrinks scores towards the mean. The default
   * moves a 3–1 head-to-head by about 0.13 points while keeping all-win models finite.
   */
  prior?: number;
  /** Stop when no strength moves by more than this (natural-log units; 1e-8 ≈ 2e-6 points). */
  tolerance?: number;
  maxIterations?: number;
}

export interface Rating {
  model: string;
  score: number;
  wins: number;
  losses: number;
  ties: number;
  battles: number;
}

export interface FitResult {
  /** Sorted by score, best first (ties broken by model id). */
  ratings: Rating[];
}

export interface BootstrapOptions extends FitOptions {
  /** Bootstrap resamples; 200 is enough for stable 95% percentile intervals on a leaderboard. */
  rounds?: number;
  /** The results are a pure function of battles, options and seed; a fixed default keeps pages stable on reload. */
  seed?: number;
  confidence?: number;
}

export interface RatingWithInterval extends Rating {
  /** Percentile-bootstrap bounds of the score. */
  lower: number;
  upper: number;
  /** 1 + the number of models whose lower bound is above this model's upper bound (LMSYS convention). */
  rank: number;
}

export interface BootstrapResult {
  /** Sorted by score, best first (ties broken by model id). */
  ratings: RatingWithInterval[];
  rounds: number;
  confidence: number;
}

const BASE_SCORE = 1000;
const SCALE = 400 / Math.LN10;
const DEFAULT_PRIOR = 1e-3;
const DEFAULT_TOLERANCE = 1e-8;
const DEFAULT_MAX_ITERATIONS = 100;
const DEFAULT_SEED = 20_240_101;

/** mulberry32: a tiny seeded PRNG with uniform output in [0, 1); good enough for resampling, not for secrets. */
export function createRng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/**
 * Battles reduced to what the likelihood needs: for each pair of models that met, the points each side
 * scored (win 1, tie ½). Every bootstrap round re-aggregates into these arrays instead of fitting on battles.
 */
interface Compiled {
  models: string[];
  /** Pair p joins models pairLo[p] < pairHi[p]. */
  pairLo: Int32Array;
  pairHi: Int32Array;
  /** Per battle: its pair and the points the lower-index model scored (0, 0.5 or 1). */
  battlePair: Int32Array;
  battleLoPoints: Float64Array;
  counts: { wins: number; losses: number; ties: number; battles: number }[];
}

function compile(battles: readonly Battle[]): Compiled {
  const valid = battles.filter((battle) => battle.a !== battle.b);
  const models = [...new Set(valid.flatMap((battle) => [battle.a, battle.b]))].sort(compareIds);
  const index = new Map(models.map((model, i) => [model, i]));
  const counts = models.map(() => ({ wins: 0, losses: 0, ties: 0, battles: 0 }));
  const pairIndex = new Map<number, number>();
  const pairLo: number[] = [];
  const pairHi: number[] = [];
  const battlePair = new Int32Array(valid.length);
  const battleLoPoints = new Float64Array(valid.length);

  valid.forEach((battle, k) => {
    const a = index.get(battle.a)!;
    const b = index.get(battle.b)!;
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    const key = lo * models.length + hi;
    let pair = pairIndex.get(key);
    if (pair === undefined) {
      pair = pairLo.length;
      pairIndex.set(key, pair);
      pairLo.push(lo);
      pairHi.push(hi);
    }
    const aPoints = battle.outcome === "a" ? 1 : battle.outcome === "tie" ? 0.5 : 0;
    battlePair[k] = pair;
    battleLoPoints[k] = lo === a ? aPoints : 1 - aPoints;

    const countA = counts[a]!;
    const countB = counts[b]!;
    countA.battles++;
    countB.battles++;
    if (battle.outcome === "tie") {
      countA.ties++;
      countB.ties++;
    } else if (battle.outcome === "a") {
      countA.wins++;
      countB.losses++;
    } else {
      countB.wins++;
      countA.losses++;
    }
  });

  return {
    models,
    pairLo: Int32Array.from(pairLo),
    pairHi: Int32Array.from(pairHi),
    battlePair,
    battleLoPoints,
    counts,
  };
}

// Plain code-unit order: locale-independent, so the same input sorts the same everywhere.
function compareIds(x: string, y: string): number {
  return x < y ? -1 : x > y ? 1 : 0;
}

/** log σ(x) = −log(1 + e^(−x)), without overflow for large |x|. */
function logSigmoid(x: number): number {
  return x >= 0 ? -Math.log1p(Math.exp(-x)) : x - Math.log1p(Math.exp(x));
}

function sigmoid(x: number): number {
  if (x >= 0) return 1 / (1 + Math.exp(-x));
  const e = Math.exp(x);
  return e / (1 + e);
}

interface Solver {
  n: number;
  pairLo: Int32Array;
  pairHi: Int32Array;
  prior: number;
  tolerance: number;
  maxIterations: number;
  // Scratch buffers, reused across bootstrap rounds.
  gradient: Float64Array;
  hessian: Float64Array;
  step: Float64Array;
  trial: Float64Array;
}

function createSolver(compiled: Compiled, options: FitOptions): Solver {
  const prior = options.prior ?? DEFAULT_PRIOR;
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  const maxIterations = options.maxIterations ?? DEFAULT_MAX_ITERATIONS;
  if (!(prior > 0 && Number.isFinite(prior))) throw new RangeError("prior must be a positive finite number");
  if (!(tolerance > 0)) throw new RangeError("tolerance must be positive");
  if (!(Number.isInteger(maxIterations) && maxIterations >= 1)) {
    throw new RangeError("maxIterations must be a positive integer");
  }
  const n = compiled.models.length;
  return {
    n,
    pairLo: compiled.pairLo,
    pairHi: compiled.pairHi,
    prior,
    tolerance,
    maxIterations,
    gradient: new Float64Array(n),
    hessian: new Float64Array(n * n),
    step: new Float64Array(n),
    trial: new Float64Array(n),
  };
}

function objective(solver: Solver, loPoints: Float64Array, hiPoints: Float64Array, theta: Float64Array): number {
  let value = 0;
  for (let p = 0; p < solver.pairLo.length; p++) {
    const d = theta[solver.pairLo[p]!]! - theta[solver.pairHi[p]!]!;
    value += loPoints[p]! * logSigmoid(d) + hiPoints[p]! * logSigmoid(-d);
  }
  let squares = 0;
  for (let i = 0; i < solver.n; i++) squares += theta[i]! * theta[i]!;
  return value - 0.5 * solver.prior * squares;
}

/**
 * Newton's method with backtracking on the penalized log-likelihood, from `theta` (updated in place).
 * The objective is strictly concave (λ > 0), so this converges from any start; warm starts make bootstrap
 * rounds take a handful of iterations. Cost per iteration: O(pairs + n³), fine for arena-sized rosters.
 */
function solve(solver: Solver, loPoints: Float64Array, hiPoints: Float64Array, theta: Float64Array): void {
  const { n, pairLo, pairHi, prior, gradient: g, hessian: h, step, trial } = solver;
  let current = objective(solver, loPoints, hiPoints, theta);
  for (let iteration = 0; iteration < solver.maxIterations; iteration++) {
    h.fill(0);
    for (let i = 0; i < n; i++) {
      g[i] = -prior * theta[i]!;
      h[i * n + i] = prior;
    }
    for (let p = 0; p < pairLo.length; p++) {
      const i = pairLo[p]!;
      const j = pairHi[p]!;
      const total = loPoints[p]! + hiPoints[p]!;
      const probability = sigmoid(theta[i]! - theta[j]!);
      const residual = loPoints[p]! - total * probability;
      const weight = total * probability * (1 - probability);
      g[i] = g[i]! + residual;
      g[j] = g[j]! - residual;
      h[i * n + i] = h[i * n + i]! + weight;
      h[j * n + j] = h[j * n + j]! + weight;
      h[i * n + j] = h[i * n + j]! - weight;
      h[j * n + i] = h[j * n + i]! - weight;
    }
    choleskySolve(h, g, step, n);

    let slope = 0;
    for (let i = 0; i < n; i++) slope += g[i]! * step[i]!;
    let t = 1;
    let next = current;
    for (let halvings = 0; halvings < 60; halvings++) {
      for (let i = 0; i < n; i++) trial[i] = theta[i]! + t * step[i]!;
      next = objective(solver, loPoints, hiPoints, trial);
      if (next >= current + 1e-4 * t * slope) break;
      t /= 2;
    }
    let largestMove = 0;
    for (let i = 0; i < n; i++) {
      largestMove = Math.max(largestMove, Math.abs(trial[i]! - theta[i]!));
      theta[i] = trial[i]!;
    }
    current = next;
    if (largestMove < solver.tolerance) return;
  }
}

/** Solves H·x = b for symmetric positive definite H (n×n, row-major), overwriting H with its Cholesky factor. */
function choleskySolve(h: Float64Array, b: Float64Array, x: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    let diagonal = h[j * n + j]!;
    for (let k = 0; k < j; k++) diagonal -= h[j * n + k]! * h[j * n + k]!;
    const root = Math.sqrt(diagonal);
    h[j * n + j] = root;
    for (let i = j + 1; i < n; i++) {
      let sum = h[i * n + j]!;
      for (let k = 0; k < j; k++) sum -= h[i * n + k]! * h[j * n + k]!;
      h[i * n + j] = sum / root;
    }
  }
  for (let i = 0; i < n; i++) {
    let sum = b[i]!;
    for (let k = 0; k < i; k++) sum -= h[i * n + k]! * x[k]!;
    x[i] = sum / h[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let sum = x[i]!;
    for (let k = i + 1; k < n; k++) sum -= h[k * n + i]! * x[k]!;
    x[i] = sum / h[i * n + i]!;
  }
}

function anchorIndex(models: readonly string[], anchor: string | undefined): number | undefined {
  if (anchor === undefined) return undefined;
  const index = models.indexOf(anchor);
  if (index < 0) throw new RangeError(`anchor model "${anchor}" has no battles`);
  return index;
}

/** Elo-like scores: the anchor model (or else the mean) at 1000. */
function toScores(theta: Float64Array, anchor: number | undefined, out: Float64Array): Float64Array {
  let reference = 0;
  if (anchor === undefined) {
    for (const value of theta) reference += value;
    reference /= theta.length || 1;
  } else {
    reference = theta[anchor]!;
  }
  for (let i = 0; i < theta.length; i++) out[i] = BASE_SCORE + SCALE * (theta[i]! - reference);
  return out;
}

/** Sums points per pair over all battles, or over as many battles drawn by `pick` (a bootstrap resample). */
function aggregate(compiled: Compiled, loPoints: Float64Array, hiPoints: Float64Array, pick?: () => number): void {
  loPoints.fill(0);
  hiPoints.fill(0);
  for (let k = 0; k < compiled.battlePair.length; k++) {
    const battle = pick ? pick() : k;
    const pair = compiled.battlePair[battle]!;
    const points = compiled.battleLoPoints[battle]!;
    loPoints[pair] = loPoints[pair]! + points;
    hiPoints[pair] = hiPoints[pair]! + 1 - points;
  }
}

function fitCompiled(compiled: Compiled, options: FitOptions) {
  const solver = createSolver(compiled, options);
  const anchor = anchorIndex(compiled.models, options.anchor);
  const pairs = compiled.pairLo.length;
  const loPoints = new Float64Array(pairs);
  const hiPoints = new Float64Array(pairs);
  aggregate(compiled, loPoints, hiPoints);
  const theta = new Float64Array(solver.n);
  solve(solver, loPoints, hiPoints, theta);
  const scores = toScores(theta, anchor, new Float64Array(solver.n));
  return { solver, anchor, theta, scores };
}

function byScore<T extends { model: string; score: number }>(x: T, y: T): number {
  return y.score - x.score || compareIds(x.model, y.model);
}

/** Maximum-likelihood Bradley–Terry scores on the Elo-like scale. Zero battles give zero ratings. */
export function fitBradleyTerry(battles: readonly Battle[], options: FitOptions = {}): FitResult {
  const compiled = compile(battles);
  const { scores } = fitCompiled(compiled, options);
  const ratings = compiled.models.map((model, i) => ({ model, score: scores[i]!, ...compiled.counts[i]! }));
  return { ratings: ratings.sort(byScore) };
}

/**
 * The fit on all battles plus percentile-bootstrap intervals: each round resamples the battles with
 * replacement, re-aggregates the win matrix and refits (warm-started from the full fit). Deterministic
 * for a given seed.
 */
export function bootstrapBradleyTerry(battles: readonly Battle[], options: BootstrapOptions = {}): BootstrapResult {
  const rounds = options.rounds ?? 200;
  const confidence = options.confidence ?? 0.95;
  if (!(Number.isInteger(rounds) && rounds >= 1)) throw new RangeError("rounds must be a positive integer");
  if (!(confidence > 0 && confidence < 1)) throw new RangeError("confidence must be between 0 and 1");

  const compiled = compile(battles);
  const { solver, anchor, theta, scores } = fitCompiled(compiled, options);
  const n = solver.n;
  const m = compiled.battlePair.length;
  const pairs = compiled.pairLo.length;
  const random = createRng(options.seed ?? DEFAULT_SEED);
  const pick = () => Math.floor(random() * m);
  const loPoints = new Float64Array(pairs);
  const hiPoints = new Float64Array(pairs);
  const roundTheta = new Float64Array(n);
  const roundScores = new Float64Array(n);
  // samples[i * rounds + r]: model i's score in round r.
  const samples = new Float64Array(n * rounds);

  for (let r = 0; r < rounds; r++) {
    aggregate(compiled, loPoints, hiPoints, pick);
    roundTheta.set(theta);
    solve(solver, loPoints, hiPoints, roundTheta);
    toScores(roundTheta, anchor, roundScores);
    for (let i = 0; i < n; i++) samples[i * rounds + r] = roundScores[i]!;
  }

  const tail = (1 - confidence) / 2;
  const withIntervals = compiled.models.map((model, i) => {
    const sorted = samples.subarray(i * rounds, (i + 1) * rounds).sort();
    return {
      model,
      score: scores[i]!,
      lower: quantile(sorted, tail),
      upper: quantile(sorted, 1 - tail),
      ...compiled.counts[i]!,
    };
  });
  return { ratings: rankWithIntervals(withIntervals).sort(byScore), rounds, confidence };
}

/** Linear-interpolation quantile of sorted values (numpy's default). */
function quantile(sorted: Float64Array, q: number): number {
  const position = (sorted.length - 1) * q;
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const low = sorted[below]!;
  return low + (sorted[above]! - low) * (position - below);
}

/**
 * Adds the LMSYS rank: 1 + the number of items whose lower bound exceeds this item's upper bound, so
 * models whose intervals overlap share a rank. Keeps the input order.
 */
export function rankWithIntervals<T extends { lower: number; upper: number }>(
  items: readonly T[],
): (T & { rank: number })[] {
  return items.map((item) => ({
    ...item,
    rank: 1 + items.filter((other) => other.lower > item.upper).length,
  }));
}
