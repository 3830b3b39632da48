// Every format against its golden file (bytes, so key order and escaping are pinned), every line
// against its strict schema, and the masking rules spelled out: where weight 0 goes, how many rows a
// trl-sft sample becomes. Golden files are rewritten only with `vitest -u`, after reading the diff.
import { describe, expect, it } from "vitest";
import {
  DATASET_FORMATS,
  type DatasetFormat,
  type ExportSample,
  formatKinds,
  formatLines as formatSampleLines,
  type PromptTurn,
} from "./index";
import { FORMAT_SCHEMAS } from "./schemas";

// Fixtures keep their turns as arrays; the exporters take them as the JSON text the database gives.
type Fixture = Omit<ExportSample, "prompt"> & { prompt: PromptTurn[] };
const formatLines = (format: DatasetFormat, item: Fixture) =>
  formatSampleLines(format, { ...item, prompt: JSON.stringify(item.prompt) });

const sample = (fields: Partial<Fixture> & Pick<Fixture, "id" | "prompt" | "chosen">): Fixture => ({
  kind: "SFT",
  rejected: null,
  label: null,
  trainOn: "LAST",
  ...fields,
});

const SYSTEM = { role: "system", content: "You are Maren, a lighthouse keeper. Stay in character." } as const;

const singleTurn = sample({
  id: "sft-single",
  prompt: [{ role: "user", content: "Who are you?" }],
  chosen: "Maren. I keep the light on Skerry Point.",
});
const multiTurnAll = sample({
  id: "sft-all",
  trainOn: "ALL",
  prompt: [
    SYSTEM,
    { role: "user", content: "Is it lonely out here?" },
    { role: "assistant", content: "Lonely? The gulls talk more than you'd think." },
    { role: "user", content: "What do they say?" },
    { role: "assistant", content: "Mostly complaints about the fish." },
    { role: "user", content: "And the storms?" },
  ],
  chosen: "Storms are the only guests who never knock.",
});
const multiTurnLast = sample({
  id: "sft-last",
  prompt: [
    SYSTEM,
    { role: "user", content: "Light's flickering." },
    { role: "assistant", content: "That's the old lens. Sampled answer, not reviewed." },
    { role: "user", content: "Can you fix it?" },
  ],
  chosen: "Hand me the brass key; I'll have it steady by dusk.",
});
const laterSystemTurn = sample({
  id: "sft-later-system",
  prompt: [
    SYSTEM,
    { role: "user", content: "Tell me a story." },
    { role: "assistant", content: "Once, a ship came in without a crew." },
    { role: "system", content: "The user is a child; keep it gentle." },
    { role: "user", content: "Was it scary?" },
  ],
  chosen: "Not a bit. The crew had simply gone fishing.",
});
const awkwardText = sample({
  id: "sft-unicode",
  prompt: [{ role: "user", content: 'She said "hi" — ¿qué tal? 你好 🎭\nsecond line\ttab \\ backslash' }],
  chosen: "*tips cap* «Bonjour»\r\nwindows line, e\u0301 combining, \u2028 line separator, 👩‍👩‍👧 family",
});
const preference = sample({
  id: "pref",
  kind: "PREFERENCE",
  prompt: [SYSTEM, { role: "user", content: "What year is it?" }],
  chosen: "Year? Out here we count by storms.",
  rejected: "As an AI language model, I cannot know the current year.",
});
const desirable = sample({
  id: "kto-yes",
  kind: "KTO",
  prompt: [SYSTEM, { role: "user", content: "Any tea?" }],
  chosen: "Always. Kettle's been singing since noon.",
  label: true,
});
const undesirable = sample({
  id: "kto-no",
  kind: "KTO",
  prompt: [SYSTEM, { role: "user", content: "Any tea?" }],
  chosen: "I am a large language model and do not drink tea.",
  label: false,
});

const FIXTURES = [
  singleTurn,
  multiTurnAll,
  multiTurnLast,
  laterSystemTurn,
  awkwardText,
  preference,
  desirable,
  undesirable,
];

const exported = (format: DatasetFormat, samples: Fixture[] = FIXTURES) =>
  samples.map((item) => formatLines(format, item)).join("");

// biome-ignore lint/suspicious/noExplicitAny: test rows are read back as plain JSON.
const rows = (format: DatasetFormat, item: Fixture): any[] =>
  formatLines(format, item)
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));

describe.each(DATASET_FORMATS)("%s", (format) => {
  it("matches its golden file byte for byte", async () => {
    await expect(exported(format)).toMatchFileSnapshot(`./golden/${format}.jsonl`);
  });

  it("writes lines that each parse against the format's schema", () => {
    const lines = exported(format).split("\n");
    expect(lines.pop()).toBe("");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) FORMAT_SCHEMAS[format].parse(JSON.parse(line));
  });

  it("skips the kinds it does not take and keeps the ones it does", () => {
    for (const item of FIXTURES) {
      expect(formatLines(format, item) !== "").toBe(formatKinds(format).includes(item.kind));
    }
  });
});

describe("kinds per format", () => {
  it("sends SFT to the SFT formats, pairs to the DPO formats, judged answers to KTO", () => {
    expect(Object.fromEntries(DATASET_FORMATS.map((format) => [format, formatKinds(format)]))).toEqual({
      "openai-sft": ["SFT"],
      "openai-dpo": ["PREFERENCE"],
      "trl-sft": ["SFT"],
      "trl-dpo": ["PREFERENCE"],
      "trl-kto": ["KTO"],
      sharegpt: ["SFT"],
    });
  });
});

describe("assistant-only masking", () => {
  it("openai-sft: weight 0 on each assistant turn before the answer of a LAST sample, nowhere else", () => {
    const [last] = rows("openai-sft", multiTurnLast);
    expect(last.messages.map((message: { weight?: number }) => message.weight)).toEqual([
      undefined,
      undefined,
      0,
      undefined,
      undefined,
    ]);
    expect(last.messages.at(-1)).toEqual({ role: "assistant", content: multiTurnLast.chosen });
    const [all] = rows("openai-sft", multiTurnAll);
    expect(all.messages.some((message: object) => "weight" in message)).toBe(false);
    expect(all.messages).toHaveLength(multiTurnAll.prompt.length + 1);
  });

  it("sharegpt: weight 0 on the earlier gpt turns of a LAST sample only", () => {
    const [last] = rows("sharegpt", multiTurnLast);
    expect(last.conversations).toEqual([
      { from: "human", value: "Light's flickering." },
      { from: "gpt", value: "That's the old lens. Sampled answer, not reviewed.", weight: 0 },
      { from: "human", value: "Can you fix it?" },
      { from: "gpt", value: multiTurnLast.chosen },
    ]);
    const [all] = rows("sharegpt", multiTurnAll);
    expect(all.conversations.some((turn: object) => "weight" in turn)).toBe(false);
  });

  it("sharegpt: the first system turn is `system`, a later one is appended after a blank line", () => {
    const [folded] = rows("sharegpt", laterSystemTurn);
    expect(folded.system).toBe(`${SYSTEM.content}\n\nThe user is a child; keep it gentle.`);
    expect(folded.conversations.map((turn: { from: string }) => turn.from)).toEqual(["human", "gpt", "human", "gpt"]);
    expect(rows("sharegpt", singleTurn)[0].system).toBe("");
  });

  it("trl-sft: a LAST sample is one row whose completion is the answer", () => {
    expect(rows("trl-sft", multiTurnLast)).toEqual([
      { prompt: multiTurnLast.prompt, completion: [{ role: "assistant", content: multiTurnLast.chosen }] },
    ]);
  });

  it("trl-sft: an ALL sample is one row per assistant turn, each trained once after exactly its own context", () => {
    const expanded = rows("trl-sft", multiTurnAll);
    expect(expanded).toHaveLength(3);
    const answers = [
      ...multiTurnAll.prompt.filter((turn) => turn.role === "assistant").map((turn) => turn.content),
      multiTurnAll.chosen,
    ];
    expect(expanded.map((row) => row.completion[0].content)).toEqual(answers);
    expect(expanded.map((row) => row.prompt.length)).toEqual([2, 4, 6]);
    for (const row of expanded) expect(row.prompt).toEqual(multiTurnAll.prompt.slice(0, row.prompt.length));
  });

  it("preference and KTO formats keep the whole prompt as context whatever trainOn says", () => {
    const asAll = { ...preference, trainOn: "ALL" as const };
    expect(formatLines("trl-dpo", asAll)).toBe(formatLines("trl-dpo", preference));
    expect(rows("trl-kto", undesirable)[0].label).toBe(false);
    expect(rows("openai-dpo", preference)[0].input.messages).toEqual(preference.prompt);
  });
});
