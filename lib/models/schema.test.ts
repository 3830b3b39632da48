import { describe, expect, it } from "vitest";
import { canTransition, MODEL_STATUSES, STATUS_TRANSITIONS } from "./schema";

describe("model version life cycle", () => {
  it("follows registered → loaded → serving → retired", () => {
    expect(canTransition("REGISTERED", "LOADED")).toBe(true);
    expect(canTransition("LOADED", "SERVING")).toBe(true);
    expect(canTransition("SERVING", "RETIRED")).toBe(true);
  });

  it("lets serving step back to loaded, and never leaves retired", () => {
    expect(canTransition("SERVING", "LOADED")).toBe(true);
    for (const to of MODEL_STATUSES) expect(canTransition("RETIRED", to)).toBe(false);
  });

  it("has no self-transitions and names only known states", () => {
    for (const from of MODEL_STATUSES) {
      expect(STATUS_TRANSITIONS[from]).not.toContain(from);
      for (const to of STATUS_TRANSITIONS[from]) expect(MODEL_STATUSES).toContain(to);
    }
  });
});
