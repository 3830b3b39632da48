import { describe, expect, it } from "vitest";
import {
  type Battle,
  type BattleOutcome,
  bootstrapBradleyTerry,
  createRng,
  fitBradleyTerry,
  rankWithIntervals,
} from "./bradley-terry";

const POINTS_PER_LN = 400 / Math.LN10;

function repeat(a: string, b: string, outcome: BattleOutcome, times: number): Battle[] {
  return Array.from({ length: times }, () => ({ a, b, outcome }));
}

function scoresOf(ratings: readonly { model: string; score: number }[]): Record<string, number> {
  return Object.fromEntries(ratings.map((rating) => [rating.model, rating.score]));
}

/**
 * Battles drawn from the Bradley–Terry model itself: uniform random pairs, P(i beats j) from the true
 * scores, and ties with probability τ = 0.3·min(p, 1 − p) taken half from each side's win chance, so the
 * expected points (win 1, tie ½) stay exactly p and the half-win convention is unbiased.
 */
function simulate(trueScores: Record<string, number>, count: number, seed: number): Battle[] {
  const models = Object.keys(trueScores);
  const random = createRng(seed);
  const battles: Battle[] = [];
  while (battles.length < count) {
    const a = models[Math.floor(random() * models.length)]!;
    const b = models[Math.floor(random() * models.length)]!;
    if (a === b) continue;
    const p = 1 / (1 + 10 ** ((trueScores[b]! - trueScores[a]!) / 400));
    const tie = 0.3 * Math.min(p, 1 - p);
    const u = random();
    battles.push({ a, b, outcome: u < tie ? "tie" : u < p + tie / 2 ? "a" : "b" });
  }
  return battles;
}

describe("fitBradleyTerry, hand-worked", () => {
  it("two models, 3–1: strength ratio 3, i.e. 400·log10(3) ≈ 190.8 points apart", () => {
    // With d = θA − θB, the log-likelihood is 3·log σ(d) + 1·log σ(−d); its derivative 3(1 − σ(d)) − σ(d)
    // = 3 − 4σ(d) vanishes at σ(d) = 3/4, so e^d = 3 and the gap is (400/ln 10)·ln 3 = 400·log10 3.
    // The default prior λ = 1e-3 adds −λθA = −λd/2 to A's equation; linearizing (σ'(ln 3) = 3/16) moves d
    // by −λ·ln 3 / 2 / (4·3/16) ≈ −7e-4, about 0.13 points.
    const battles = [...repeat("A", "B", "a", 3), ...repeat("A", "B", "b", 1)];
    const { ratings } = fitBradleyTerry(battles);
    const score = scoresOf(ratings);
    expect(400 * Math.log10(3)).toBeCloseTo(190.85, 2);
    expect(score.A! - score.B!).toBeGreaterThan(190.85 - 1);
    expect(score.A! - score.B!).toBeLessThan(190.85);
    expect((score.A! + score.B!) / 2).toBeCloseTo(1000, 9);
    expect(ratings.map((rating) => rating.model)).toEqual(["A", "B"]);
    expect(ratings[0]).toMatchObject({ wins: 3, losses: 1, ties: 0, battles: 4 });
    expect(ratings[1]).toMatchObject({ wins: 1, losses: 3, ties: 0, battles: 4 });

    // As the prior vanishes the fit is the exact MLE.
    const exact = scoresOf(fitBradleyTerry(battles, { prior: 1e-12 }).ratings);
    expect(exact.A! - exact.B!).toBeCloseTo(400 * Math.log10(3), 6);
  });

  it("three models whose results fit strengths 4 : 2 : 1 exactly (Zermelo's equations), ties as half wins", () => {
    // The MLE solves Σ_j N_ij·p_i/(p_i + p_j) = W_i for every i (W = points, tie = ½). With p = (4, 2, 1):
    // A–B, 3 games, A expected 3·4/6 = 2 points: one win and two ties (2 points to A, 1 to B).
    // B–C, 3 games, B expected 3·2/3 = 2: two wins, one loss.
    // A–C, 5 games, A expected 5·4/5 = 4: four wins, one loss.
    // Every pair's equation holds, so p = (4, 2, 1) up to scale: A − B = B − C = 400·log10 2 ≈ 120.4.
    const battles = [
      ...repeat("A", "B", "a", 1),
      ...repeat("B", "A", "tie", 2),
      ...repeat("B", "C", "a", 2),
      ...repeat("C", "B", "a", 1),
      ...repeat("A", "C", "a", 4),
      ...repeat("A", "C", "b", 1),
    ];
    const gap = 400 * Math.log10(2);
    const exact = scoresOf(fitBradleyTerry(battles, { prior: 1e-12 }).ratings);
    expect(exact.A).toBeCloseTo(1000 + gap, 6);
    expect(exact.B).toBeCloseTo(1000, 6);
    expect(exact.C).toBeCloseTo(1000 - gap, 6);

    const withPrior = scoresOf(fitBradleyTerry(battles).ratings);
    for (const model of ["A", "B", "C"]) expect(Math.abs(withPrior[model]! - exact[model]!)).toBeLessThan(1);

    const anchored = scoresOf(fitBradleyTerry(battles, { prior: 1e-12, anchor: "C" }).ratings);
    expect(anchored.C).toBeCloseTo(1000, 9);
    expect(anchored.A).toBeCloseTo(1000 + 2 * gap, 6);

    const b = fitBradleyTerry(battles).ratings.find((rating) => rating.model === "B");
    expect(b).toMatchObject({ wins: 2, losses: 2, ties: 2, battles: 6 });
  });

  it("a chain with no direct A–C games multiplies the odds: 2 × 3 = 6", () => {
    // The likelihood splits into the A–B and B–C terms: e^(θA − θB) = 2/1 and e^(θB − θC) = 3/1.
    const battles = [
      ...repeat("A", "B", "a", 2),
      ...repeat("A", "B", "b", 1),
      ...repeat("B", "C", "a", 3),
      ...repeat("B", "C", "b", 1),
    ];
    const score = scoresOf(fitBradleyTerry(battles, { prior: 1e-12 }).ratings);
    expect(score.A! - score.C!).toBeCloseTo(400 * Math.log10(6), 6);
    // Mean anchoring: θ = (ln 2, 0, −ln 3) shifted by their mean.
    const mean = (Math.log(2) - Math.log(3)) / 3;
    expect(score.B).toBeCloseTo(1000 - POINTS_PER_LN * mean, 6);
  });
});

describe("fitBradleyTerry, edge cases", () => {
  it("keeps a model with only wins (or only losses) finite and in order", () => {
    const battles = [
      ...repeat("champ", "mid", "a", 20),
      ...repeat("mid", "low", "a", 15),
      ...repeat("mid", "low", "b", 5),
    ];
    const { ratings } = fitBradleyTerry(battles);
    expect(ratings.map((rating) => rating.model)).toEqual(["champ", "mid", "low"]);
    for (const rating of ratings) expect(Number.isFinite(rating.score)).toBe(true);
    const score = scoresOf(ratings);
    expect(score.champ! - score.mid!).toBeGreaterThan(500);
  });

  it("gives all-tie models equal scores of 1000", () => {
    const { ratings } = fitBradleyTerry([...repeat("x", "y", "tie", 5), ...repeat("y", "z", "tie", 3)]);
    for (const rating of ratings) expect(rating.score).toBeCloseTo(1000, 9);
    expect(ratings.map((rating) => rating.model)).toEqual(["x", "y", "z"]);
  });

  it("stays finite on a disconnected comparison graph", () => {
    const battles = [...repeat("a1", "a2", "a", 3), ...repeat("b1", "b2", "a", 1), ...repeat("b1", "b2", "b", 1)];
    const score = scoresOf(fitBradleyTerry(battles).ratings);
    expect(Object.values(score).every(Number.isFinite)).toBe(true);
    expect(score.b1).toBeCloseTo(score.b2!, 6);
    expect(score.a1).toBeGreaterThan(score.a2!);
  });

  it("returns nothing for no battles, or self-battles only (a single model)", () => {
    expect(fitBradleyTerry([]).ratings).toEqual([]);
    expect(fitBradleyTerry(repeat("solo", "solo", "a", 3)).ratings).toEqual([]);
    expect(bootstrapBradleyTerry([]).ratings).toEqual([]);
  });

  it("rejects bad options", () => {
    const battles = repeat("A", "B", "a", 1);
    expect(() => fitBradleyTerry(battles, { anchor: "missing" })).toThrow(RangeError);
    expect(() => fitBradleyTerry(battles, { prior: 0 })).toThrow(RangeError);
    expect(() => bootstrapBradleyTerry(battles, { confidence: 1 })).toThrow(RangeError);
    expect(() => bootstrapBradleyTerry(battles, { rounds: 0 })).toThrow(RangeError);
  });
});

describe("bootstrapBradleyTerry", () => {
  const trueScores = { m0: 0, m1: 100, m2: 200, m3: 300, m4: 400, m5: 500 };
  const battles = simulate(trueScores, 3000, 7);

  it("recovers a simulated population: order, and 95% intervals that cover the true scores", () => {
    const result = bootstrapBradleyTerry(battles, { seed: 42 });
    expect(result.rounds).toBe(200);
    expect(result.ratings.map((rating) => rating.model)).toEqual(["m5", "m4", "m3", "m2", "m1", "m0"]);
    expect(battles.some((battle) => battle.outcome === "tie")).toBe(true);

    // True scores anchored the same way as the fit: mean 1000.
    const covered = result.ratings.filter((rating) => {
      const truth = 1000 - 250 + trueScores[rating.model as keyof typeof trueScores];
      return rating.lower <= truth && truth <= rating.upper;
    });
    expect(covered.length).toBeGreaterThanOrEqual(5);

    for (const rating of result.ratings) {
      expect(rating.lower).toBeLessThanOrEqual(rating.score);
      expect(rating.upper).toBeGreaterThanOrEqual(rating.score);
      expect(rating.upper - rating.lower).toBeLessThan(100);
      expect(rating.battles).toBe(
        battles.filter((battle) => battle.a === rating.model || battle.b === rating.model).length,
      );
    }
    // Scores equal the plain fit on all battles.
    expect(scoresOf(result.ratings)).toEqual(scoresOf(fitBradleyTerry(battles).ratings));
  });

  it("is deterministic for a seed and varies with it", () => {
    const small = battles.slice(0, 300);
    const first = bootstrapBradleyTerry(small, { seed: 1, rounds: 50 });
    expect(bootstrapBradleyTerry(small, { seed: 1, rounds: 50 })).toEqual(first);
    expect(bootstrapBradleyTerry(small, { seed: 2, rounds: 50 })).not.toEqual(first);
    expect(bootstrapBradleyTerry(small, { rounds: 50 })).toEqual(bootstrapBradleyTerry(small, { rounds: 50 }));
  });

  it("keeps an all-wins model's interval finite", () => {
    const result = bootstrapBradleyTerry(
      [...repeat("A", "B", "a", 10), ...repeat("B", "C", "a", 5), ...repeat("B", "C", "b", 5)],
      {
        rounds: 50,
      },
    );
    for (const rating of result.ratings) {
      expect(Number.isFinite(rating.lower) && Number.isFinite(rating.upper)).toBe(true);
    }
  });

  it("fits 10,000 battles × 200 rounds quickly", () => {
    const big = simulate({ a: 0, b: 50, c: 100, d: 150, e: 200, f: 250, g: 300, h: 350 }, 10_000, 3);
    const started = performance.now();
    const result = bootstrapBradleyTerry(big, { seed: 5 });
    const elapsed = performance.now() - started;
    expect(result.ratings).toHaveLength(8);
    // Typically ~0.1–0.3 s; the bound only catches an accidental per-battle fit.
    expect(elapsed).toBeLessThan(5000);
  });
});

describe("rankWithIntervals", () => {
  it("ranks by how many intervals lie entirely above, so overlapping models share a rank", () => {
    const ranked = rankWithIntervals([
      { model: "top", lower: 1100, upper: 1200 },
      { model: "close", lower: 1050, upper: 1150 },
      { model: "low", lower: 900, upper: 1000 },
      { model: "lowest", lower: 850, upper: 1060 },
    ]);
    expect(ranked.map((item) => [item.model, item.rank])).toEqual([
      ["top", 1],
      ["close", 1],
      ["low", 3],
      ["lowest", 2],
    ]);
  });
});

describe("createRng", () => {
  it("is reproducible and uniform-ish in [0, 1)", () => {
    const a = createRng(123);
    const b = createRng(123);
    const values = Array.from({ length: 10_000 }, () => a());
    expect(values.slice(0, 5)).toEqual(Array.from({ length: 5 }, () => b()));
    expect(values.every((value) => value >= 0 && value < 1)).toBe(true);
    const mean = values.reduce((sum, value) => sum + value, 0) / values.length;
    expect(mean).toBeGreaterThan(0.49);
    expect(mean).toBeLessThan(0.51);
  });
});
