import { describe, expect, it } from "vitest";
import { canMoveSample, SAMPLE_STATES, SAMPLE_TRANSITIONS, sampleMoveProblem } from "./states";

describe("sample states", () => {
  it("matches the documented table", () => {
    expect(SAMPLE_TRANSITIONS).toEqual({
      NEW: ["AUTO_CHECKED", "NEEDS_REVIEW", "ERASED"],
      AUTO_CHECKED: ["NEEDS_REVIEW", "APPROVED", "REJECTED", "NEW", "ERASED"],
      NEEDS_REVIEW: ["APPROVED", "REJECTED", "NEW", "ERASED"],
      APPROVED: ["REJECTED", "NEEDS_REVIEW", "AUTO_CHECKED", "ERASED"],
      REJECTED: ["APPROVED", "NEEDS_REVIEW", "AUTO_CHECKED", "ERASED"],
      ERASED: [],
    });
  });

  it("makes erased terminal and reachable from everywhere else", () => {
    for (const state of SAMPLE_STATES) {
      expect(canMoveSample("ERASED", state)).toBe(false);
      if (state !== "ERASED") expect(canMoveSample(state, "ERASED")).toBe(true);
    }
    expect(sampleMoveProblem("ERASED", "APPROVED")).toMatch(/withdrew/);
  });

  it("never skips the checks or review, and wants a reason for a rejection", () => {
    expect(canMoveSample("NEW", "APPROVED")).toBe(false);
    expect(sampleMoveProblem("NEEDS_REVIEW", "REJECTED")).toMatch(/why/);
    expect(sampleMoveProblem("NEEDS_REVIEW", "REJECTED", "breaks character")).toBeNull();
    expect(sampleMoveProblem("NEEDS_REVIEW", "APPROVED")).toBeNull();
  });
});
