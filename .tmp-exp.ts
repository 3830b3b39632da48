import { buildPrompt, type HistoryMessage, prefixStability } from "@/lib/chat/prompt-builder";
import { LORE_MENTIONS, lorebookProfile, randomProse, seededRandom } from "@/lib/chat/prompt-builder.fixtures";
import { PrefixCache } from "./e2e/vllm-sim/prefix-cache";
import { countTokens, renderChatMl, tokenIds, tokenize } from "./e2e/vllm-sim/tokenizer";
const [minW, maxW] = process.argv.slice(2).map(Number) as [number, number];
const random = seededRandom(20261121);
const profile = lorebookProfile();
const persona = { name: "Sam", description: "A writer." };
const history: HistoryMessage[] = [{ id: "g", role: "assistant", content: profile.greeting }];
const cache = new PrefixCache(16, 4096);
const rendered: string[] = []; let cuts = 0, prev = 0, maxTok = 0, kept = 0, overEst = 0, total=0;
for (let t = 0; t < 200; t++) {
  history.push({ id: `u${t}`, role: "user", content: randomProse(random, { minWords: minW, maxWords: maxW, mentions: LORE_MENTIONS, mentionChance: 0.04 }) });
  const p = buildPrompt({ profile, persona, history, budget: { maxModelLen: 4096, maxOutputTokens: 512 }, countTokens });
  if (p.stats.droppedMessages > prev) cuts++; prev = p.stats.droppedMessages;
  rendered.push(p.rendered);
  const pieces = tokenize(renderChatMl([{ role: "system", content: p.system }, ...p.messages]));
  maxTok = Math.max(maxTok, pieces.length); overEst = Math.max(overEst, pieces.length - p.stats.estimatedTokens);
  if (t >= 50) { kept += p.stats.estimatedTokens; total++; }
  cache.lookup("b", tokenIds(pieces));
  history.push({ id: `a${t}`, role: "assistant", content: randomProse(random, { minWords: minW, maxWords: maxW, mentions: LORE_MENTIONS, mentionChance: 0.04 }) });
}
console.log(JSON.stringify({ minW, maxW, stability: prefixStability(rendered).toFixed(3), cuts, maxTok, realMinusEstimate: overEst, avgPromptTokens: Math.round(kept/total), hit: (cache.hits/cache.queries).toFixed(3) }));
