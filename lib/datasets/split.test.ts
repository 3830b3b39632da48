import { describe, expect, it } from "vitest";
import { splitOf, splitPoint } from "./split";

describe("dataset split", () => {
  it("is a function of seed and key: same inputs, same side", () => {
    for (let index = 0; index < 200; index++) {
      expect(splitOf("s1", `conv-${index}`, 0.1)).toBe(splitOf("s1", `conv-${index}`, 0.1));
    }
  });

  it("puts about the asked share in validation, and another seed moves rows", () => {
    const keys = Array.from({ length: 20_000 }, (_, index) => `conv-${index}`);
    const validation = keys.filter((key) => splitOf("seed-a", key, 0.1) === "VALIDATION");
    // 20,000 draws at p = 0.1: sd ≈ 42, so ±250 is about six sd.
    expect(Math.abs(validation.length - 2000)).toBeLessThan(250);
    const moved = keys.filter((key) => splitOf("seed-a", key, 0.1) !== splitOf("seed-b", key, 0.1));
    expect(moved.length).toBeGreaterThan(2000);
  });

  it("keeps a growing share monotone: a row in validation at 5% stays there at 10%", () => {
    for (let index = 0; index < 2000; index++) {
      const key = `k${index}`;
      if (splitOf("x", key, 0.05) === "VALIDATION") expect(splitOf("x", key, 0.1)).toBe("VALIDATION");
    }
    expect(splitPoint("x", "k1")).toBeGreaterThanOrEqual(0);
    expect(splitPoint("x", "k1")).toBeLessThan(1);
  });

  it("takes nothing at share 0 and everything at share 1", () => {
    expect(splitOf("x", "k", 0)).toBe("TRAIN");
    expect(splitOf("x", "k", 1)).toBe("VALIDATION");
  });
});
