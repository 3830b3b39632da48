import { buildPrompt, type HistoryMessage } from "@/lib/chat/prompt-builder";
import { LORE_MENTIONS, lorebookProfile, randomProse, seededRandom } from "@/lib/chat/prompt-builder.fixtures";
import { countTokens } from "./e2e/vllm-sim/tokenizer";
const random = seededRandom(1);
const profile = lorebookProfile();
const history: HistoryMessage[] = [{ id: "g", role: "assistant", content: profile.greeting }];
for (let t = 0; t < 200; t++) {
  history.push({ id: `u${t}`, role: "user", content: randomProse(random, { minWords: 20, maxWords: 120, mentions: LORE_MENTIONS, mentionChance: 0.04 }) });
  history.push({ id: `a${t}`, role: "assistant", content: randomProse(random, { minWords: 20, maxWords: 120 }) });
}
history.pop();
const text = history.map((m) => m.content).join("\n");
for (const [label, count] of [["sim", countTokens], ["estimate", undefined]] as const) {
  const t0 = performance.now();
  for (let i = 0; i < 50; i++) buildPrompt({ profile, persona: { name: "Sam", description: "x" }, history, budget: { maxModelLen: 4096, maxOutputTokens: 512 }, countTokens: count });
  console.log(label, ((performance.now() - t0) / 50).toFixed(2), "ms per build (400 msgs)");
}
let t0 = performance.now(); for (let i = 0; i < 50; i++) countTokens(text); console.log("tokenize all history", ((performance.now() - t0) / 50).toFixed(2));
