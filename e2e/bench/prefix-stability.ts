// Prompt prefix stability over a long chat: 200 turns against a 4,096-token context with 512
// output tokens, counted with the vLLM simulator's tokenizer. vLLM's prefix cache only pays off
// when a turn's prompt starts with the previous one, so this measures how often that holds, how
// many times history was cut, that no prompt ever went over budget (the builder's own count, and
// the ChatML prompt the simulator would see), the simulator's prefix-cache hit rate and what
// building costs.
import { buildPrompt, type HistoryMessage, prefixStability } from "@/lib/chat/prompt-builder";
import { LORE_MENTIONS, lorebookProfile, randomProse, seededRandom } from "@/lib/chat/prompt-builder.fixtures";
import { PrefixCache } from "../vllm-sim/prefix-cache";
import { countTokens, renderChatMl, tokenIds, tokenize } from "../vllm-sim/tokenizer";
import { type Benchmark, type Measure, percentile } from "./harness";

const TURNS = 200;
const MAX_MODEL_LEN = 4_096;
const MAX_OUTPUT_TOKENS = 512;
const SEED = 20_261_121;
// Role-play proportions: short user turns, longer replies.
const USER_PROSE = { minWords: 5, maxWords: 40, mentions: LORE_MENTIONS, mentionChance: 0.04 };
const REPLY_PROSE = { minWords: 30, maxWords: 120, mentions: LORE_MENTIONS, mentionChance: 0.04 };
// The simulator's defaults, so the hit rate below is what `npm run sim` would report.
const CACHE_BLOCK_TOKENS = 16;
const CACHE_BLOCKS = 4_096;

export const prefixStabilityBenchmark: Benchmark = {
  name: "prefix-stability",
  description: `${TURNS}-turn chat prompts, ${MAX_MODEL_LEN}-token context, ${MAX_OUTPUT_TOKENS} output tokens`,
  async run(): Promise<Measure[]> {
    const random = seededRandom(SEED);
    const profile = lorebookProfile();
    const persona = { name: "Sam", description: "A writer from the city, here to finish a book." };
    const history: HistoryMessage[] = [{ id: "greeting", role: "assistant", content: profile.greeting }];
    const cache = new PrefixCache(CACHE_BLOCK_TOKENS, CACHE_BLOCKS);
    const rendered: string[] = [];
    const buildMs: number[] = [];
    let truncations = 0;
    let previousDropped = 0;
    let maxPromptTokens = 0;
    let maxEstimatedTokens = 0;
    let budgetTokens = 0;

    for (let turn = 0; turn < TURNS; turn++) {
      history.push({ id: `u${turn}`, role: "user", content: randomProse(random, USER_PROSE) });
      const started = performance.now();
      const prompt = buildPrompt({
        profile,
        persona,
        history,
        budget: { maxModelLen: MAX_MODEL_LEN, maxOutputTokens: MAX_OUTPUT_TOKENS },
        countTokens,
      });
      buildMs.push(performance.now() - started);
      if (prompt.stats.droppedMessages > previousDropped) truncations += 1;
      previousDropped = prompt.stats.droppedMessages;
      rendered.push(prompt.rendered);
      maxEstimatedTokens = Math.max(maxEstimatedTokens, prompt.stats.estimatedTokens);
      budgetTokens = prompt.stats.budgetTokens;
      // What vLLM would actually tokenize: the ChatML template around system + messages.
      const chatMl = renderChatMl([{ role: "system", content: prompt.system }, ...prompt.messages]);
      const pieces = tokenize(chatMl);
      maxPromptTokens = Math.max(maxPromptTokens, pieces.length);
      cache.lookup("bench", tokenIds(pieces));
      history.push({ id: `a${turn}`, role: "assistant", content: randomProse(random, REPLY_PROSE) });
    }

    const stability = prefixStability(rendered);
    const promptLimit = MAX_MODEL_LEN - MAX_OUTPUT_TOKENS;
    return [
      {
        measure: "prefix stability",
        figure: Number(stability.toFixed(3)),
        unit: "",
        target: "≥ 0.95",
        pass: stability >= 0.95,
      },
      { measure: "history truncations", figure: truncations, unit: "", target: "(info)", pass: true },
      {
        measure: "max prompt tokens, builder's count",
        figure: maxEstimatedTokens,
        unit: "tokens",
        target: `≤ ${budgetTokens}`,
        pass: maxEstimatedTokens <= budgetTokens,
      },
      // The chat template's markup costs more than TOKENS_PER_MESSAGE; the safety margin absorbs it.
      {
        measure: "max prompt tokens, as vLLM counts",
        figure: maxPromptTokens,
        unit: "tokens",
        target: `≤ ${promptLimit}`,
        pass: maxPromptTokens <= promptLimit,
      },
      {
        measure: "simulated prefix-cache hit rate",
        figure: Number((cache.hits / Math.max(1, cache.queries)).toFixed(3)),
        unit: "",
        target: "(info)",
        pass: true,
      },
      {
        measure: "build time p50 per turn",
        figure: Number(percentile(buildMs, 50).toFixed(3)),
        unit: "ms",
        target: "(info)",
        pass: true,
      },
    ];
  },
};
