import { describe, expect, it } from "vitest";
import { applyLimits, mulberry32, rolePlayPieces } from "./generate";
import { IM_END, IM_START, renderChatMl, tokenIds, tokenize } from "./tokenizer";

describe("tokenize", () => {
  it("splits into pieces that concatenate back to the input", () => {
    const text = `${IM_START}user\nCafé — naïve?  Yes… 12345 🌙 extraordinarily${IM_END}\n`;
    const pieces = tokenize(text);
    expect(pieces.join("")).toBe(text);
    expect(pieces).toEqual([
      IM_START,
      "user",
      "\n",
      "Café",
      " —",
      " naïv",
      "e",
      "?",
      "  ",
      "Yes",
      "…",
      " 123",
      "45",
      " 🌙",
      " extr",
      "aord",
      "inar",
      "ily",
      IM_END,
      "\n",
    ]);
  });

  it("is about four characters per token on English prose", () => {
    const prose = "The keeper climbed the stairs slowly, counting every step as the storm gathered outside.";
    const ratio = prose.length / tokenize(prose).length;
    expect(ratio).toBeGreaterThan(3);
    expect(ratio).toBeLessThan(6);
  });

  it("gives stable ids, with the ChatML markers as special tokens", () => {
    expect(tokenIds(["hello", IM_START, IM_END])).toEqual(tokenIds(["hello", IM_START, IM_END]));
    expect(tokenIds([IM_START, IM_END])).toEqual([32000, 32001]);
    expect(tokenIds(tokenize("some words here")).every((id) => id >= 0 && id < 32000)).toBe(true);
  });
});

describe("renderChatMl", () => {
  it("renders ChatML with the generation prompt, or continues the final message", () => {
    const messages = [
      { role: "system", content: "Be kind." },
      { role: "user", content: "Hi" },
    ];
    expect(renderChatMl(messages)).toBe(
      "<|im_start|>system\nBe kind.<|im_end|>\n<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n",
    );
    expect(
      renderChatMl([...messages, { role: "assistant", content: "Hel" }], {
        addGenerationPrompt: false,
        continueFinalMessage: true,
      }),
    ).toMatch(/<\|im_start\|>assistant\nHel$/);
  });
});

describe("generation", () => {
  it("produces exactly the requested number of tokens when the length is fixed", () => {
    expect(rolePlayPieces(mulberry32(1), 37)).toHaveLength(37);
  });

  it("ends early at a sentence boundary when allowed", () => {
    const pieces = rolePlayPieces(mulberry32(5), 60, 12);
    expect(pieces.length).toBeGreaterThanOrEqual(12);
    expect(pieces.length).toBeLessThanOrEqual(60);
    expect(pieces.join("")).toMatch(/[.!?…"*✨🌙]$/u);
  });

  it("applies stop strings only after min_tokens, and max_tokens", () => {
    const pieces = ["a", "b", "c", "d", "e"];
    const base = { maxTokens: 10, minTokens: 0, stop: [] as string[], includeStopStrInOutput: false };
    expect(applyLimits(pieces, { ...base, stop: ["cd"] })).toMatchObject({
      text: "ab",
      finishReason: "stop",
      stopReason: "cd",
      deltas: ["a", "b", "", ""],
    });
    expect(applyLimits(pieces, { ...base, stop: ["b"], minTokens: 3 }).text).toBe("abcde");
    expect(applyLimits(pieces, { ...base, stop: ["cd"], includeStopStrInOutput: true }).text).toBe("abcd");
    expect(applyLimits(pieces, { ...base, maxTokens: 3 })).toMatchObject({ text: "abc", finishReason: "length" });
    expect(applyLimits(pieces, { ...base, maxTokens: 5 }).finishReason).toBe("length");
    expect(applyLimits(pieces, base)).toMatchObject({ text: "abcde", finishReason: "stop", stopReason: null });
  });
});
