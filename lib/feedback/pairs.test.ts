import { describe, expect, it } from "vitest";
import { derivePairs, type TreeMessage } from "./pairs";

let clock = 0;
function msg(id: string, parentId: string | null, role: "USER" | "ASSISTANT", extra: Partial<TreeMessage> = {}) {
  clock += 1000;
  return {
    id,
    parentId,
    role,
    status: "COMPLETE",
    isGreeting: false,
    editedFromId: null,
    createdAt: new Date(clock),
    ...extra,
  } satisfies TreeMessage;
}

describe("derivePairs", () => {
  it("prefers the continued reply over each sibling shown before it", () => {
    const tree = [
      msg("g", null, "ASSISTANT", { isGreeting: true }),
      msg("u1", "g", "USER"),
      msg("r1", "u1", "ASSISTANT"),
      msg("r2", "u1", "ASSISTANT"),
      msg("r3", "u1", "ASSISTANT"),
      // The user swiped back to r2 and continued from it.
      msg("u2", "r2", "USER"),
    ];
    expect(derivePairs(tree)).toEqual([
      { source: "swipe", parentId: "u1", chosenId: "r2", rejectedId: "r1" },
      { source: "swipe", parentId: "u1", chosenId: "r2", rejectedId: "r3" },
    ]);
  });

  it("ignores siblings created after the continuation, failed replies and a reply nobody continued", () => {
    const tree = [
      msg("u1", null, "USER"),
      msg("r1", "u1", "ASSISTANT"),
      msg("f", "u1", "ASSISTANT", { status: "FAILED" }),
      msg("s", "u1", "ASSISTANT", { status: "STREAMING" }),
      msg("u2", "r1", "USER"),
      msg("late", "u1", "ASSISTANT"),
    ];
    expect(derivePairs(tree)).toEqual([]);
  });

  it("prefers an edited reply over its original, once, even when the chat continues from the edit", () => {
    const tree = [
      msg("u1", null, "USER"),
      msg("r1", "u1", "ASSISTANT"),
      msg("r2", "u1", "ASSISTANT"),
      msg("e1", "u1", "ASSISTANT", { editedFromId: "r2" }),
      msg("u2", "e1", "USER"),
    ];
    expect(derivePairs(tree)).toEqual([
      { source: "edit", parentId: "u1", chosenId: "e1", rejectedId: "r2" },
      { source: "swipe", parentId: "u1", chosenId: "e1", rejectedId: "r1" },
    ]);
  });

  it("derives nothing from greetings or from branches of user messages", () => {
    const tree = [
      msg("g1", null, "ASSISTANT", { isGreeting: true }),
      msg("g2", null, "ASSISTANT", { isGreeting: true }),
      msg("u1", "g2", "USER"),
      msg("u1b", "g2", "USER", { editedFromId: null }),
      msg("r1", "u1", "ASSISTANT"),
      msg("r1b", "u1b", "ASSISTANT"),
      msg("u2", "r1b", "USER"),
    ];
    expect(derivePairs(tree)).toEqual([]);
  });

  it("handles swipes at several depths of one branch", () => {
    const tree = [
      msg("u1", null, "USER"),
      msg("a1", "u1", "ASSISTANT"),
      msg("a2", "u1", "ASSISTANT"),
      msg("u2", "a2", "USER"),
      msg("b1", "u2", "ASSISTANT"),
      msg("b2", "u2", "ASSISTANT"),
      msg("u3", "b1", "USER"),
    ];
    expect(derivePairs(tree).map((pair) => `${pair.chosenId}>${pair.rejectedId}`)).toEqual(["a2>a1", "b1>b2"]);
  });
});
