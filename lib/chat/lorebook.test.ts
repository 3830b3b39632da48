import { describe, expect, it } from "vitest";
import { type LorebookEntry, lorebookSchema } from "@/lib/characters/schema";
import { estimateTokens } from "@/lib/llm/tokens";
import { compileLorebook, findTriggers, formatLoreBlock, placeLore } from "./lorebook";

type EntryInput = Partial<LorebookEntry> & { content: string };

function book(entries: EntryInput[], tokenBudget?: number) {
  return compileLorebook(lorebookSchema.parse({ entries, tokenBudget }), {
    resolveMacros: (text) => text.replaceAll("{{char}}", "Maren"),
    countTokens: estimateTokens,
  });
}

/** Ids of the entries each text triggers. */
function triggered(entries: EntryInput[], texts: string[]): (string | number)[][] {
  const compiled = book(entries);
  return findTriggers(compiled, texts).map((indices) => indices.map((index) => compiled.entries[index]?.id ?? -1));
}

describe("lorebook triggers", () => {
  it("matches keys case-insensitively unless the entry is case-sensitive", () => {
    const entries = [
      { id: "storm", keys: ["Storm"], content: "S" },
      { id: "gull", keys: ["Gull Rock"], caseSensitive: true, content: "G" },
    ];
    expect(triggered(entries, ["A STORM is coming", "out by gull rock", "out by Gull Rock"])).toEqual([
      ["storm"],
      [],
      ["gull"],
    ]);
  });

  it("compiles regex keys, bare or /literal/flags, and skips invalid or catastrophic ones", () => {
    const entries = [
      { id: "ferry", keys: ["/\\bferr(y|ies)\\b/"], useRegex: true, content: "F" },
      { id: "bare", keys: ["^tide\\s+\\d+"], useRegex: true, content: "T" },
      { id: "broken", keys: ["(unclosed"], useRegex: true, content: "B" },
      { id: "redos", keys: ["(a+)+$"], useRegex: true, content: "R" },
    ];
    const compiled = book(entries);
    expect(compiled.entries.map((entry) => entry.id)).toEqual(["ferry", "bare"]);
    expect(triggered(entries, ["The FERRIES run", "ferryman", "Tide 12 tonight", "aaaaaaaaaaaaaaaaaaaaaaaa!"])).toEqual(
      [["ferry"], [], ["bare"], []],
    );
  });

  it("keeps a /literal/'s flags but never g or y, which would make matching stateful", () => {
    const entries = [{ id: "x", keys: ["/lens/gy"], useRegex: true, caseSensitive: true, content: "L" }];
    expect(triggered(entries, ["the lens", "the lens", "the Lens"])).toEqual([["x"], ["x"], []]);
  });

  it("needs a secondary key as well when the entry is selective", () => {
    const entries = [
      { id: "tide", keys: ["tide"], secondaryKeys: ["moon", "spring"], selective: true, content: "T" },
      { id: "loose", keys: ["harbour"], secondaryKeys: [], selective: true, content: "H" },
      { id: "unselective", keys: ["cliff"], secondaryKeys: ["never"], selective: false, content: "C" },
    ];
    expect(
      triggered(entries, ["the tide is high", "the tide and the moon", "a spring tide", "the harbour", "the cliff"]),
    ).toEqual([[], ["tide"], ["tide"], ["loose"], ["unselective"]]);
  });

  it("leaves out constant, disabled, empty and keyless entries", () => {
    const compiled = book([
      { id: "constant", keys: ["storm"], constant: true, content: "In the character block already." },
      { id: "disabled", keys: ["storm"], enabled: false, content: "Off." },
      { id: "empty", keys: ["storm"], content: "   " },
      { id: "keyless", keys: ["", "  "], content: "Never." },
      { id: "live", keys: ["storm"], content: "On." },
    ]);
    expect(compiled.entries.map((entry) => entry.id)).toEqual(["live"]);
  });

  it("falls back to the entry's position when it has no id, and resolves macros in content", () => {
    const compiled = book([{ keys: ["x"], content: "Kept by {{char}}." }]);
    expect(compiled.entries[0]?.id).toBe(0);
    expect(compiled.entries[0]?.block).toBe("[World info: Kept by Maren.]\n\n");
  });
});

describe("lore placement", () => {
  const roles = ["assistant", "user", "assistant", "user", "assistant", "user"] as const;

  function place(entries: EntryInput[], texts: string[], windowStart = 0, tokenBudget?: number) {
    const compiled = book(entries, tokenBudget);
    return placeLore(compiled, findTriggers(compiled, texts), [...roles].slice(0, texts.length), windowStart);
  }

  it("attaches an entry once, in front of the first user message at or after its first trigger", () => {
    const placement = place(
      [{ id: "storm", keys: ["storm"], content: "Storm lore." }],
      ["A storm, love.", "Hello", "Another storm.", "Yes", "storm storm", "Bye"],
    );
    expect([...placement.prefixes]).toEqual([[1, formatLoreBlock("Storm lore.")]]);
    expect(placement.entryIds).toEqual(["storm"]);
  });

  it("re-anchors an entry only when the window moves past its first trigger", () => {
    const texts = ["A storm, love.", "Hello", "Another storm.", "Yes", "Calm", "Bye"];
    const entries = [{ id: "storm", keys: ["storm"], content: "Storm lore." }];
    expect([...place(entries, texts, 1).prefixes.keys()]).toEqual([3]);
    expect([...place(entries, texts, 4).prefixes.keys()]).toEqual([]);
  });

  it("waits for a user message when the trigger is the last (continued) assistant message", () => {
    const placement = place([{ id: "lens", keys: ["lens"], content: "L" }], ["Hi", "Hello", "The lens!"]);
    expect(placement.entryIds).toEqual([]);
  });

  it("orders entries on one message by insertion order, then lorebook position", () => {
    const placement = place(
      [
        { id: "late", keys: ["storm"], insertionOrder: 200, content: "Late." },
        { id: "b", keys: ["storm"], insertionOrder: 10, content: "B." },
        { id: "a", keys: ["storm"], insertionOrder: 10, content: "A." },
      ],
      ["calm", "a storm"],
    );
    expect(placement.prefixes.get(1)).toBe(
      `${formatLoreBlock("B.")}${formatLoreBlock("A.")}${formatLoreBlock("Late.")}`,
    );
    expect(placement.entryIds).toEqual(["b", "a", "late"]);
  });

  it("skips entries past the token budget in prompt order and still fits smaller later ones", () => {
    const entries = [
      { id: "first", keys: ["storm"], content: "x".repeat(40) },
      { id: "big", keys: ["cliff"], content: "y".repeat(400) },
      { id: "small", keys: ["lens"], content: "z" },
    ];
    const texts = ["storm", "cliff", "lens", "storm cliff lens"];
    const budget = estimateTokens(formatLoreBlock("x".repeat(40))) + estimateTokens(formatLoreBlock("z"));
    expect(place(entries, texts, 0, budget).entryIds).toEqual(["first", "small"]);
    // Budgets are decided message by message from the start, so a longer history keeps them.
    expect(place(entries, [...texts, "more", "storm"], 0, budget).entryIds).toEqual(["first", "small"]);
    expect(place(entries, texts, 0, 0).entryIds).toEqual(["first", "big", "small"]);
  });
});
