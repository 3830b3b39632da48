import { describe, expect, it } from "vitest";
import { unstorablePath } from "@/lib/testing/fuzz";
import { collect, errors, jsonLines, linesOf, values } from "./fixtures/build";
import { parseInstructions } from "./instructions";
import { type InstructionSeed, instructionSeedSchema } from "./schema";

async function parse(...rows: unknown[]): Promise<InstructionSeed[]> {
  const seeds = values(await collect(parseInstructions(jsonLines(...rows))));
  for (const seed of seeds) expect(instructionSeedSchema.parse(seed)).toEqual(seed);
  return seeds;
}

async function problems(...rows: unknown[]): Promise<string[]> {
  return errors(await collect(parseInstructions(jsonLines(...rows))));
}

const user = (content: string) => ({ role: "user", content });
const assistant = (content: string) => ({ role: "assistant", content });

describe("Alpaca rows", () => {
  it("joins instruction and input into the user turn and takes output as the reference", async () => {
    const [withInput, withoutInput] = await parse(
      {
        instruction: "Translate into Spanish.",
        input: "The library closes at eight.",
        output: "La biblioteca cierra a las ocho.",
      },
      { instruction: "  Name three rivers.  ", input: "", output: "The Nile, the Amazon and the Danube.", id: 12 },
    );
    expect(withInput).toEqual({
      turns: [
        { role: "user", content: "Translate into Spanish.\n\nThe library closes at eight." },
        { role: "assistant", content: "La biblioteca cierra a las ocho." },
      ],
      hasReferences: true,
      seedId: expect.stringMatching(/^instruction:[0-9a-f]{16}$/),
    });
    expect(withoutInput).toMatchObject({
      turns: [
        { role: "user", content: "Name three rivers." },
        { role: "assistant", content: "The Nile, the Amazon and the Danube." },
      ],
      sourceId: "12",
    });
  });

  it("treats a missing or empty output as a seed without a reference, and keeps a system prompt", async () => {
    const seeds = await parse(
      { instruction: "Write a limerick about a cat." },
      { instruction: "Write a limerick.", input: null, output: "   ", system: "Be funny." },
    );
    expect(seeds.map((seed) => [seed.turns.length, seed.hasReferences, seed.system])).toEqual([
      [1, false, undefined],
      [1, false, "Be funny."],
    ]);
  });
});

describe("ShareGPT rows", () => {
  it("maps human/gpt turns, a top-level system prompt and a leading system turn", async () => {
    const [top, leading] = await parse(
      {
        system: "You are a tutor.",
        conversations: [
          { from: "human", value: "Solve 3x + 5 = 20." },
          { from: "gpt", value: "x = 5." },
          { from: "human", value: "And 2x = 10?" },
          { from: "gpt", value: "x = 5 again." },
        ],
      },
      {
        conversations: [
          { from: "system", value: "Answer briefly." },
          { from: "human", value: "What does a VPN do?" },
          { from: "gpt", value: "It encrypts your traffic to a server." },
        ],
      },
    );
    expect(top).toMatchObject({ system: "You are a tutor.", hasReferences: true });
    expect(top?.turns.map((turn) => turn.role)).toEqual(["user", "assistant", "user", "assistant"]);
    expect(leading).toMatchObject({
      system: "Answer briefly.",
      turns: [
        { role: "user", content: "What does a VPN do?" },
        { role: "assistant", content: "It encrypts your traffic to a server." },
      ],
    });
  });

  it("reads LIMA-like {role, content} turns and user/assistant as `from` values", async () => {
    const seeds = await parse(
      { conversations: [user("Tuple or list?"), assistant("A tuple is immutable.")] },
      {
        conversations: [
          { from: "user", value: "Hi" },
          { from: "assistant", value: "Hello!" },
        ],
      },
    );
    expect(seeds.map((seed) => seed.turns.map((turn) => turn.role))).toEqual([
      ["user", "assistant"],
      ["user", "assistant"],
    ]);
  });
});

describe("OpenAI rows", () => {
  it("reads messages with a system turn, multi-turn, and a conversation ending with a user turn", async () => {
    const [single, open] = await parse(
      { messages: [{ role: "system", content: "Reply in French." }, user("Say hello."), assistant("Bonjour !")] },
      { messages: [user("I have rice and eggs."), assistant("Make fried rice."), user("And if the rice is fresh?")] },
    );
    expect(single).toMatchObject({ system: "Reply in French.", hasReferences: true });
    expect(open).toMatchObject({ hasReferences: false });
    expect(open?.turns.at(-1)).toEqual({ role: "user", content: "And if the rice is fresh?" });
  });

  it("joins text content parts", async () => {
    const [seed] = await parse({
      messages: [
        {
          role: "user",
          content: [
            { type: "text", text: "Part one. " },
            { type: "text", text: "Part two." },
          ],
        },
      ],
    });
    expect(seed?.turns).toEqual([{ role: "user", content: "Part one. Part two." }]);
  });

  it("gives the same seed id to the same conversation in any shape, and a different one otherwise", async () => {
    const [alpaca, sharegpt, openai, other] = await parse(
      { instruction: "What is 2 + 2?", output: "4" },
      {
        conversations: [
          { from: "human", value: "What is 2 + 2?" },
          { from: "gpt", value: "4" },
        ],
      },
      { messages: [user("what is 2 +  2?"), assistant("4")] },
      { messages: [user("What is 2 + 2?"), assistant("Four")] },
    );
    expect(sharegpt?.seedId).toBe(alpaca?.seedId);
    expect(openai?.seedId).toBe(alpaca?.seedId);
    expect(other?.seedId).not.toBe(alpaca?.seedId);
  });
});

describe("bad lines", () => {
  it("names the field and the problem for every class, and goes on", async () => {
    const results = await collect(
      parseInstructions(
        linesOf(
          '{"instruction": "", "output": "x"}',
          '{"instruction": "Name a river.", "input": 7}',
          '{"instruction": "ok", "output": "fine"}',
          "not json",
          '"just a string"',
          '{"prompt": "Write a haiku", "completion": "…"}',
        ),
      ),
    );
    expect(errors(results)).toEqual([
      "line 1: `instruction` must be a non-empty string",
      "line 2: `input` must be a string, not a number",
      expect.stringMatching(/^line 4: not JSON \(.+\)$/),
      "line 5: expected a JSON object, got a string",
      "line 6: not an instruction seed: expected `instruction` (Alpaca), `conversations` (ShareGPT) or `messages` (OpenAI); found keys prompt, completion",
    ]);
    expect(results.find((result) => result.ok)?.lineNumber).toBe(3);
  });

  it("rejects conversations that start with an assistant turn or do not alternate", async () => {
    expect(
      await problems(
        { messages: [assistant("Hello!"), user("Hi")] },
        { messages: [{ role: "system", content: "Be kind." }, assistant("Hello!")] },
        { messages: [user("One"), user("Two")] },
        { messages: [user("One"), assistant("A"), assistant("B")] },
        { messages: [user("Hi"), { role: "system", content: "Late." }] },
        { messages: [{ role: "system", content: "Only a system prompt." }] },
      ),
    ).toEqual([
      "line 1: `messages[0]` is an assistant turn; the conversation must start with a user turn",
      "line 2: `messages[1]` is an assistant turn; the conversation must start with a user turn",
      "line 3: `messages[1]` is a user turn after a user turn; user and assistant turns must alternate",
      "line 4: `messages[2]` is an assistant turn after an assistant turn; user and assistant turns must alternate",
      "line 5: `messages[1]` is a system turn; only the first turn may be a system turn",
      "line 6: `messages` has no user turn",
    ]);
  });

  it("rejects empty turns, unknown roles and malformed turns", async () => {
    expect(
      await problems(
        { messages: [user("What is 2 + 2?"), assistant("   ")] },
        { conversations: [{ from: "human", value: "" }] },
        { messages: [{ role: "tool", content: "{}" }] },
        { conversations: [{ from: "bot", value: "Hello" }] },
        { messages: [{ role: "user" }] },
        { messages: [{ role: "user", content: [{ type: "image_url", image_url: { url: "x" } }] }] },
        { messages: ["hello"] },
        { messages: [{ speaker: "me", says: "hi" }] },
        { messages: [] },
        { messages: "hello" },
        { conversations: [{ from: "human", value: 5 }] },
      ),
    ).toEqual([
      "line 1: `messages[1].content` must be a non-empty string",
      "line 2: `conversations[0].value` must be a non-empty string",
      'line 3: `messages[0].role` is "tool"; expected "system", "user", "assistant"',
      'line 4: `conversations[0].from` is "bot"; expected "human", "gpt", "system", "user", "assistant"',
      "line 5: `messages[0].content` must be a string or a list of text parts",
      'line 6: `messages[0].content[0].type` is "image_url"; expected "text"; `messages[0].content[0].text` is missing',
      "line 7: `messages[0]` must be an object, not a string",
      "line 8: `messages[0]` must have `from` and `value` (ShareGPT) or `role` and `content`; found keys speaker, says",
      "line 9: `messages` must not be empty",
      "line 10: `messages` must be a list, not a string",
      "line 11: `conversations[0].value` must be a string, not a number",
    ]);
  });

  it("rejects a system prompt given twice, and turns over the limits", async () => {
    expect(
      await problems(
        {
          system: "A",
          conversations: [
            { from: "system", value: "B" },
            { from: "human", value: "Hi" },
          ],
        },
        { messages: [user("x".repeat(32_001))] },
        { instruction: "x".repeat(20_000), input: "y".repeat(20_000) },
        { messages: Array.from({ length: 102 }, (_, index) => (index % 2 === 0 ? user("q") : assistant("a"))) },
        { messages: Array.from({ length: 101 }, (_, index) => (index % 2 === 0 ? user("q") : assistant("a"))) },
      ),
    ).toEqual([
      "line 1: both `system` and a system turn in `conversations[0]`; give the system prompt once",
      "line 2: `messages[0].content` is 32,001 characters long; the limit is 32,000",
      "line 3: `instruction` and `input` together are 40,002 characters long; the limit is 32,000",
      "line 4: `messages` has 102 items; the limit is 101",
      "line 5: `messages` has 101 user and assistant turns; the limit is 100",
    ]);
  });

  it("rejects a bad id", async () => {
    expect(await problems({ id: "", instruction: "Hi" }, { id: { a: 1 }, instruction: "Hi" })).toEqual([
      "line 1: `id` must be a non-empty string",
      "line 2: `id` must be a string or a number, not an object",
    ]);
  });

  // Found by the fuzzer: quoting the value with String() threw a TypeError and stopped the import.
  it("names a role that is a list or an object with its own toString instead of throwing", async () => {
    expect(
      await problems(
        { conversations: [{ from: { toString: 1 }, value: "x" }] },
        { messages: [{ role: [[["user"]]], content: "x" }] },
      ),
    ).toEqual([
      'line 1: `conversations[0].from` is an object; expected "human", "gpt", "system", "user", "assistant"',
      'line 2: `messages[0].role` is a list; expected "system", "user", "assistant"',
    ]);
  });

  // Found by the fuzzer: errors are stored as jsonb, which takes neither NUL nor a lone surrogate.
  it("keeps NUL and lone surrogates out of error messages that quote the line", async () => {
    const found = await collect(parseInstructions(linesOf('{"\\u0000a": 1, "b\\ud800": 2}', "[\u0000")));
    expect(errors(found)).toEqual([
      "line 1: not an instruction seed: expected `instruction` (Alpaca), `conversations` (ShareGPT) or `messages` (OpenAI); found keys a, b\ufffd",
      expect.stringMatching(/^line 2: not JSON \(/),
    ]);
    expect(unstorablePath(errors(found))).toBeUndefined();
  });
});
