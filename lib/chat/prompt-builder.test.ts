import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { type Profile, profileSchema } from "@/lib/characters/schema";
import { AppError } from "@/lib/errors";
import { estimateTokens, TOKENS_PER_MESSAGE } from "@/lib/llm/tokens";
import {
  type BuildPromptInput,
  type BuiltPrompt,
  buildPrompt,
  type HistoryMessage,
  KEEP_AFTER_CUT,
  PROMPT_TEMPLATE_VERSION,
  prefixStability,
  windowStart,
} from "./prompt-builder";
import { LORE_MENTIONS, lorebookProfile, randomInt, randomProse, seededRandom } from "./prompt-builder.fixtures";

const persona = { name: "Sam", description: "A traveller." };
const roomy = { maxModelLen: 8_192, maxOutputTokens: 512 };
/** One token per character: makes budgets exact in tests. */
const perChar = (text: string) => text.length;

const maren = profileSchema.parse({
  name: "Maren Holt",
  nickname: "Maren",
  systemPrompt: "You are {{char}}; {{user}} is your guest.",
  personality: "Patient.",
  scenario: "{{user}} knocks at the door.",
  exampleDialogues: "<START>\n{{user}}: Tea?\n{{char}}: Always.",
  postHistoryInstructions: "Stay in {{char}}'s voice.",
  creatorNotes: "Never in the prompt.",
  lorebook: { entries: [{ id: "storm", keys: ["storm"], content: "The storm of 1987 took three boats." }] },
});

/** A plain profile (no examples, lore or post-history) whose system block is easy to count. */
const plain = profileSchema.parse({ name: "Ivo", systemPrompt: "You are {{char}}." });

/** Alternating turns that end with the user's, as a reply needs. */
function messages(...contents: string[]): HistoryMessage[] {
  return contents.map((content, i) => ({
    id: `m${i}`,
    role: (contents.length - 1 - i) % 2 === 0 ? "user" : "assistant",
    content,
  }));
}

function build(overrides: Partial<BuildPromptInput> & Pick<BuildPromptInput, "history">): BuiltPrompt {
  return buildPrompt({ profile: maren, persona, budget: roomy, ...overrides });
}

/** Sum of per-message costs, the way the builder counts: what was actually sent. */
function sentTokens(prompt: BuiltPrompt, count: (text: string) => number): number {
  return [prompt.system, ...prompt.messages.map((message) => message.content)].reduce(
    (sum, text) => sum + count(text) + TOKENS_PER_MESSAGE,
    0,
  );
}

describe("buildPrompt: golden prompt", () => {
  const history: HistoryMessage[] = [
    { id: "g", role: "assistant", content: "*{{char}} opens the door* Come in, {{user}}." },
    { id: "u1", role: "user", content: "Thanks, <BOT>. Was there a storm? {{User}} is soaked." },
  ];
  const system = [
    "You are Maren; Sam is your guest.",
    "# Maren\nName: Maren Holt\nAlso known as: Maren",
    "## Personality\nPatient.",
    "## Scenario\nSam knocks at the door.",
    "## Sam\nA traveller.",
    "## Example dialogues\n<START>\nSam: Tea?\nMaren: Always.",
  ].join("\n\n");
  const userTurn =
    "[World info: The storm of 1987 took three boats.]\n\nThanks, Maren. Was there a storm? Sam is soaked.";
  const rendered = `<|system|>\n${system}\n<|assistant|>\n*Maren opens the door* Come in, Sam.\n<|user|>\n${userTurn}`;

  it("renders system, history with macros and lore, and the post-history tail exactly", () => {
    const prompt = build({ history });
    expect(prompt.system).toBe(system);
    expect(prompt.messages).toEqual([
      { role: "assistant", content: "*Maren opens the door* Come in, Sam." },
      { role: "user", content: `${userTurn}\n\nStay in Maren's voice.` },
    ]);
    expect(prompt.rendered).toBe(rendered);
    expect(prompt.promptHash).toBe(createHash("sha256").update(`${rendered}\n\nStay in Maren's voice.`).digest("hex"));
    expect(prompt.templateVersion).toBe(PROMPT_TEMPLATE_VERSION);
    expect(prompt.stats).toEqual({
      droppedMessages: 0,
      examplesKept: 1,
      examplesTotal: 1,
      loreEntryIds: ["storm"],
      estimatedTokens: sentTokens(prompt, estimateTokens),
      budgetTokens: 8_192 - 512 - 64,
    });
  });

  it("keeps the post-history tail out of `rendered` but in the hash", () => {
    const other = build({ history, profile: { ...maren, postHistoryInstructions: "Be brief." } });
    const base = build({ history });
    expect(other.rendered).toBe(base.rendered);
    expect(other.promptHash).not.toBe(base.promptHash);
    expect(other.messages.at(-1)?.content.endsWith("\n\nBe brief.")).toBe(true);
  });

  it("adds no tail when there are no post-history instructions", () => {
    const prompt = build({ history, profile: { ...maren, postHistoryInstructions: "  " } });
    expect(prompt.messages.at(-1)?.content).toBe(userTurn);
    expect(prompt.promptHash).toBe(createHash("sha256").update(rendered).digest("hex"));
  });

  it("is deterministic: the same input gives byte-identical output", () => {
    const first = build({ history });
    const second = buildPrompt(structuredClone({ profile: maren, persona, budget: roomy, history }));
    expect(second).toEqual(first);
    expect(first.promptHash).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe("buildPrompt: mode continue", () => {
  const history: HistoryMessage[] = [
    { id: "g", role: "assistant", content: "Come in, {{user}}." },
    { id: "u1", role: "user", content: "Tell me about the storm." },
    { id: "a1", role: "assistant", content: "It was 1987, and {{char}} was" },
  ];

  it("keeps the continued message last and untouched, the tail on the user message before it", () => {
    const prompt = build({ history, mode: "continue" });
    expect(prompt.messages.at(-1)).toEqual({ role: "assistant", content: "It was 1987, and Maren was" });
    expect(prompt.messages[1]?.content.endsWith("Tell me about the storm.\n\nStay in Maren's voice.")).toBe(true);
    expect(prompt.rendered).not.toContain("Stay in Maren's voice.");
  });

  it("repeats the prompt that produced the message, so that request's cache still hits", () => {
    const reply = build({ history: history.slice(0, 2) });
    const resumed = build({ history, mode: "continue" });
    expect(resumed.messages.slice(0, 2)).toEqual(reply.messages);
    expect(resumed.rendered.startsWith(reply.rendered)).toBe(true);
  });

  it("leaves the tail out when no user message precedes the continued one", () => {
    const prompt = build({ history: history.slice(0, 1), mode: "continue" });
    expect(prompt.messages).toEqual([{ role: "assistant", content: "Come in, Sam." }]);
  });

  it("rejects a history that does not end as the mode needs", () => {
    expect(() => build({ history: [] })).toThrow(AppError);
    expect(() => build({ history: history.slice(0, 1) })).toThrow(/user's message last/);
    expect(() => build({ history: history.slice(0, 2), mode: "continue" })).toThrow(/character's message/);
  });
});

describe("windowStart and prefixStability", () => {
  it("stays put while the window fits, then jumps so at most `keep` tokens remain", () => {
    expect(windowStart([3, 3, 3], 10, 4)).toBe(0);
    // The 4th message overflows 10: drop until at most 4 are left (the last message alone, 3).
    expect(windowStart([3, 3, 3, 3], 10, 4)).toBe(3);
    expect(windowStart([3, 3, 3, 3, 3, 3], 10, 4)).toBe(3);
    // The last message is always kept, even when it alone is over `keep`.
    expect(windowStart([3, 3, 3, 9], 10, 4)).toBe(3);
    expect(windowStart([], 10, 4)).toBe(0);
  });

  it("is a replay: a growing history keeps its start until the next overflow, and it only moves forward", () => {
    const random = seededRandom(7);
    const tokens = Array.from({ length: 300 }, () => randomInt(random, 5, 90));
    let previous = 0;
    let moves = 0;
    for (let length = 1; length <= tokens.length; length++) {
      const start = windowStart(tokens.slice(0, length), 1_000, 250);
      expect(start).toBeGreaterThanOrEqual(previous);
      const kept = tokens.slice(start, length).reduce((sum, count) => sum + count, 0);
      expect(kept).toBeLessThanOrEqual(1_000);
      if (start !== previous) {
        moves += 1;
        // A jump leaves at most `keep` tokens (or just the newest message).
        expect(kept <= 250 || start === length - 1).toBe(true);
      }
      previous = start;
    }
    // Each jump frees about three quarters of the budget: few jumps for a long history.
    expect(moves).toBeLessThan(tokens.reduce((sum, count) => sum + count, 0) / 600);
  });

  it("counts the turns whose rendering extends the previous one", () => {
    expect(prefixStability(["a", "ab", "x", "xy", "xyz"])).toBe(0.75);
    expect(prefixStability(["only"])).toBe(1);
  });
});

describe("buildPrompt: budget", () => {
  it("keeps the examples while everything fits, then drops all of them at once before any history", () => {
    const profile: Profile = {
      ...plain,
      exampleDialogues: "<START>\nHi\n<START>\nHello\n<START>\nHey there",
    };
    const withExamples = buildPrompt({ profile, persona, history: messages("x".repeat(10)), budget: roomy });
    const bare = buildPrompt({
      profile: { ...profile, exampleDialogues: "" },
      persona,
      history: messages("x".repeat(10)),
      budget: roomy,
    });
    const examplesCost = withExamples.system.length - bare.system.length;
    // Room for the bare system and the history, but not for the examples as well.
    const budget = {
      maxModelLen: bare.system.length + 4 + 3 * 14 + examplesCost - 1,
      maxOutputTokens: 0,
      safetyTokens: 0,
    };
    const fits = buildPrompt({
      profile,
      persona,
      history: messages("a".repeat(10), "b".repeat(10)),
      budget,
      countTokens: perChar,
    });
    expect(fits.stats).toMatchObject({ examplesKept: 3, examplesTotal: 3, droppedMessages: 0 });
    const longer = messages("a".repeat(10), "b".repeat(10), "c".repeat(10));
    const pruned = buildPrompt({ profile, persona, history: longer, budget, countTokens: perChar });
    expect(pruned.stats).toMatchObject({ examplesKept: 0, examplesTotal: 3, droppedMessages: 0 });
    expect(pruned.system).toBe(bare.system);
  });

  it("cuts where the replayed window start says, and what is kept fits", () => {
    const random = seededRandom(11);
    const history = messages(...Array.from({ length: 61 }, () => randomProse(random, { minWords: 5, maxWords: 60 })));
    const budget = { maxModelLen: 1_500, maxOutputTokens: 200 };
    const prompt = buildPrompt({ profile: plain, persona, history, budget });
    const tokens = history.map((message) => estimateTokens(message.content) + TOKENS_PER_MESSAGE);
    const historyBudget = prompt.stats.budgetTokens - estimateTokens(prompt.system) - TOKENS_PER_MESSAGE;
    const cut = prompt.stats.droppedMessages;
    const keptFrom = (start: number) => tokens.slice(start).reduce((sum, count) => sum + count, 0);

    expect(cut).toBeGreaterThan(0);
    expect(cut).toBe(windowStart(tokens, historyBudget, Math.floor(historyBudget * KEEP_AFTER_CUT)));
    expect(keptFrom(cut)).toBeLessThanOrEqual(historyBudget);
    expect(prompt.messages.map((message) => message.content)).toEqual(history.slice(cut).map((m) => m.content));
    expect(prompt.stats.estimatedTokens).toBeLessThanOrEqual(prompt.stats.budgetTokens);
  });

  it("always keeps the last message, even when it is nearly the whole budget", () => {
    const system = buildPrompt({ profile: plain, persona, history: messages("x"), budget: roomy }).system;
    // 200 tokens of history room: the last message alone is nearly all of it.
    const budget = { maxModelLen: system.length + TOKENS_PER_MESSAGE + 200, maxOutputTokens: 0, safetyTokens: 0 };
    const history = messages(..."abcd".split("").map((letter) => letter.repeat(30)), "e".repeat(190));
    const prompt = buildPrompt({ profile: plain, persona, history, budget, countTokens: perChar });
    expect(prompt.stats.droppedMessages).toBe(4);
    expect(prompt.messages).toEqual([{ role: "user", content: "e".repeat(190) }]);
  });

  it("refuses a message that cannot fit even alone", () => {
    const budget = { maxModelLen: 300, maxOutputTokens: 100, safetyTokens: 0 };
    const attempt = () =>
      buildPrompt({ profile: plain, persona, history: messages("a".repeat(400)), budget, countTokens: perChar });
    expect(attempt).toThrow(AppError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ code: "unprocessable:message_too_long", status: 422 });
      expect((error as Error).message).toMatch(/too long/);
    }
  });

  it("counts lore toward the budget", () => {
    const history = messages("a storm is coming");
    const prompt = build({ history, countTokens: perChar });
    expect(prompt.stats.estimatedTokens).toBe(sentTokens(prompt, perChar));
    expect(prompt.messages[0]?.content.startsWith("[World info:")).toBe(true);
  });
});

describe("buildPrompt: property over random growing conversations", () => {
  it("never exceeds the budget, only cuts forward, and changes the prefix only when the window moves", () => {
    const profile = lorebookProfile();
    const stabilities: number[] = [];
    let truncated = 0;
    for (let seed = 1; seed <= 12; seed++) {
      const random = seededRandom(seed);
      const budget = { maxModelLen: randomInt(random, 2_048, 8_192), maxOutputTokens: randomInt(random, 128, 512) };
      const prose = { minWords: 5, maxWords: 60, mentions: LORE_MENTIONS, mentionChance: 0.05 };
      const history: HistoryMessage[] = [{ id: "greeting", role: "assistant", content: profile.greeting }];
      const rendered: string[] = [];
      let previous: BuiltPrompt | null = null;
      for (let turn = 0; turn < 80; turn++) {
        history.push({ id: `u${turn}`, role: "user", content: randomProse(random, prose) });
        const prompt = buildPrompt({ profile, persona, history, budget });
        expect(prompt.stats.estimatedTokens).toBeLessThanOrEqual(prompt.stats.budgetTokens);
        expect(prompt.stats.estimatedTokens).toBe(sentTokens(prompt, estimateTokens));
        expect(prompt.messages.at(-1)?.content).toContain(history.at(-1)?.content);
        if (previous) {
          const windowMoved =
            prompt.stats.droppedMessages !== previous.stats.droppedMessages ||
            prompt.stats.examplesKept !== previous.stats.examplesKept;
          expect(prompt.stats.droppedMessages).toBeGreaterThanOrEqual(previous.stats.droppedMessages);
          expect(prompt.stats.examplesKept).toBeLessThanOrEqual(previous.stats.examplesKept);
          expect(prompt.rendered.startsWith(previous.rendered) || windowMoved).toBe(true);
        }
        rendered.push(prompt.rendered);
        previous = prompt;
        history.push({ id: `a${turn}`, role: "assistant", content: randomProse(random, prose) });
      }
      stabilities.push(prefixStability(rendered));
      if (previous && previous.stats.droppedMessages > 0) truncated += 1;
    }
    expect(truncated).toBeGreaterThanOrEqual(6);
    const mean = stabilities.reduce((sum, value) => sum + value, 0) / stabilities.length;
    expect(mean).toBeGreaterThan(0.85);
  });
});
