// Seeded test data for the prompt builder's property test and the prefix-stability benchmark: a
// tiny PRNG (fast-check is not a dependency), prose of varied length, and a character with example
// dialogues and a lorebook whose keys come up now and then.
import { type Profile, profileSchema } from "@/lib/characters/schema";

/** mulberry32: a small PRNG that is plenty for test data; the same seed gives the same stream. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** An integer in [min, max]. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

function pick<T>(random: () => number, items: readonly T[]): T {
  const item = items[Math.floor(random() * items.length)];
  if (item === undefined) throw new Error("pick needs a non-empty list");
  return item;
}

// Common words of mixed length, so token counts per word vary the way English prose does.
const WORDS = [
  "the",
  "a",
  "and",
  "to",
  "of",
  "in",
  "it",
  "you",
  "she",
  "was",
  "that",
  "with",
  "her",
  "for",
  "not",
  "but",
  "on",
  "at",
  "we",
  "they",
  "old",
  "light",
  "water",
  "window",
  "quietly",
  "remember",
  "morning",
  "evening",
  "kettle",
  "weather",
  "wonder",
  "because",
  "perhaps",
  "together",
  "something",
  "nothing",
  "really",
  "little",
  "across",
  "beneath",
  "shoulder",
  "laughing",
  "whispered",
  "honestly",
  "afterwards",
  "understand",
  "particularly",
  "conversation",
  "cold",
  "warm",
  "door",
  "stairs",
  "rope",
  "salt",
  "boat",
  "cliff",
  "waves",
  "coat",
  "tea",
  "bread",
];
const ACTIONS = ["smiles", "looks out to sea", "pours the tea", "shrugs", "leans closer", "sighs"];

export type ProseOptions = {
  minWords: number;
  maxWords: number;
  /** Phrases that may be worked into a sentence (lorebook keys, for instance). */
  mentions?: readonly string[];
  /** Chance per sentence of working one in. */
  mentionChance?: number;
};

/** Role-play-like prose of `minWords`–`maxWords` words: sentences, now and then an *action*. */
export function randomProse(random: () => number, options: ProseOptions): string {
  const target = randomInt(random, options.minWords, options.maxWords);
  const mentions = options.mentions ?? [];
  const sentences: string[] = [];
  let words = 0;
  while (words < target) {
    if (random() < 0.15) {
      sentences.push(`*${pick(random, ACTIONS)}*`);
      words += 2;
      continue;
    }
    const length = Math.min(randomInt(random, 4, 16), Math.max(1, target - words));
    const sentence = Array.from({ length }, () => pick(random, WORDS));
    if (mentions.length > 0 && random() < (options.mentionChance ?? 0)) {
      sentence.splice(randomInt(random, 0, sentence.length), 0, pick(random, mentions));
    }
    const text = sentence.join(" ");
    sentences.push(`${text.charAt(0).toUpperCase()}${text.slice(1)}${pick(random, [".", ".", ".", "?", "!"])}`);
    words += sentence.length;
  }
  return sentences.join(" ");
}

/** Phrases that trigger `lorebookProfile()`'s key-triggered entries. */
export const LORE_MENTIONS = [
  "the lighthouse",
  "sea glass",
  "a storm",
  "Port Ailen",
  "Captain Idris",
  "the ferry",
  "the ferries",
  "the tide and the moon",
  "Gull Rock",
  "the foghorn",
  "the lens",
];

/** A lighthouse keeper with three example dialogues and a lorebook of ten key-triggered entries. */
export function lorebookProfile(): Profile {
  return profileSchema.parse({
    name: "Maren Holt",
    nickname: "Maren",
    age: "71",
    occupation: "retired lighthouse keeper",
    description: "{{char}} kept the Ailen light for forty years and still climbs its stairs every evening.",
    personality: "Patient, dry, fond of tea and of {{user}}.",
    speakingStyle: "Short sentences. Calls people 'love'.",
    scenario: "{{user}} has come to stay at the keeper's cottage for the winter.",
    exampleDialogues: [
      "<START>\n{{user}}: Is it always this windy?\n{{char}}: *laughs* This is a breeze, love. Wait for February.",
      "<START>\n{{user}}: What do you do all day?\n{{char}}: Mend nets. Watch the water. Talk to you, now.",
      "<START>\n{{user}}: Were you ever afraid up there?\n{{char}}: *pauses* Once. The night the lens cracked.",
    ].join("\n"),
    greeting: "*{{char}} opens the door against the wind* You must be {{user}}. Come in, love, the kettle's on.",
    postHistoryInstructions: "Reply as {{char}} in one to three short paragraphs.",
    lorebook: {
      entries: [
        { keys: [], content: "The Ailen light stands on the north cliff.", constant: true },
        { id: 1, keys: ["lighthouse"], content: "The lighthouse was automated in 2009; {{char}} resents it." },
        { id: 2, keys: ["sea glass"], content: "{{char}} keeps sea glass in jars sorted by colour." },
        { id: 3, keys: ["storm"], content: "The great storm of 1987 took three boats from the harbour." },
        { id: 4, keys: ["Port Ailen"], content: "Port Ailen is the village below the cliff, 400 souls." },
        { id: 5, keys: ["Idris"], content: "Captain Idris runs the mail boat and owes {{char}} money." },
        {
          id: 6,
          keys: ["/\\bferr(y|ies)\\b/"],
          useRegex: true,
          content: "The ferry to the mainland runs twice a week, weather permitting.",
        },
        {
          id: 7,
          keys: ["tide"],
          secondaryKeys: ["moon"],
          selective: true,
          content: "Spring tides flood the causeway; {{char}} reads them by the moon.",
        },
        { id: 8, keys: ["Gull Rock"], caseSensitive: true, content: "Gull Rock is where the Mary Ann went down." },
        { id: 9, keys: ["foghorn"], insertionOrder: 50, content: "The foghorn was silenced in 2012." },
        { id: 10, keys: ["lens"], content: "The Fresnel lens is kept in the village museum now." },
      ],
    },
  });
}
