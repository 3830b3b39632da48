import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { chunks, collect, errors, jsonLines, linesOf, values } from "./fixtures/build";
import { readLines } from "./lines";
import { parsePersonas, personaFormatFor } from "./personas";
import { personaSchema } from "./schema";

const sha16 = (text: string) => createHash("sha256").update(text).digest("hex").slice(0, 16);

describe("persona lines", () => {
  it("reads Persona Hub objects, `text` objects and bare strings, with ids", async () => {
    const results = await collect(
      parsePersonas(
        jsonLines(
          { persona: "A beekeeper who names her queens after opera singers.", id: 7 },
          { text: "  A ferry captain on the Bosphorus.  ", uuid: "3f2a" },
          "A luthier in Cremona.",
          { "input persona": "A night-shift nurse.", "synthesized text": "…" },
        ),
        { format: "jsonl" },
      ),
    );
    expect(values(results)).toEqual([
      {
        text: "A beekeeper who names her queens after opera singers.",
        sourceId: "7",
        seedId: `persona:${sha16("a beekeeper who names her queens after opera singers.")}`,
      },
      { text: "A ferry captain on the Bosphorus.", sourceId: "3f2a", seedId: expect.stringMatching(/^persona:/) },
      { text: "A luthier in Cremona.", seedId: expect.stringMatching(/^persona:[0-9a-f]{16}$/) },
      { text: "A night-shift nurse.", seedId: expect.stringMatching(/^persona:/) },
    ]);
    expect(results.map((result) => result.lineNumber)).toEqual([1, 2, 3, 4]);
    for (const value of values(results)) expect(personaSchema.parse(value)).toEqual(value);
  });

  it("reads plain text, one persona per line, skipping blank lines silently", async () => {
    const results = await collect(
      parsePersonas(linesOf("A clockmaker in Prague.", "", "   ", "A tea farmer."), { format: "text" }),
    );
    expect(results).toEqual([
      { ok: true, lineNumber: 1, value: { text: "A clockmaker in Prague.", seedId: expect.any(String) } },
      { ok: true, lineNumber: 4, value: { text: "A tea farmer.", seedId: expect.any(String) } },
    ]);
  });

  it("reads a text line that looks like JSON as text when told the format", async () => {
    const [result] = await collect(parsePersonas(linesOf('{"persona": "x"}'), { format: "text" }));
    expect(result).toMatchObject({ ok: true, value: { text: '{"persona": "x"}' } });
  });

  it("takes the format from the file name, or else from the first non-blank line", async () => {
    expect(personaFormatFor("personas.JSONL")).toBe("jsonl");
    expect(personaFormatFor("dump.ndjson")).toBe("jsonl");
    expect(personaFormatFor("list.json")).toBe("jsonl");
    expect(personaFormatFor("people.txt")).toBe("text");
    expect(personaFormatFor("people.csv")).toBeUndefined();
    const json = await collect(parsePersonas(linesOf("", '{"persona": "A potter."}', '"A weaver."')));
    expect(values(json).map((value) => value.text)).toEqual(["A potter.", "A weaver."]);
    const text = await collect(parsePersonas(linesOf("A potter.", '{"persona": "kept as text"}')));
    expect(values(text).map((value) => value.text)).toEqual(["A potter.", '{"persona": "kept as text"}']);
  });

  it("gives the same seed id to texts that differ only in case, spacing or Unicode form", async () => {
    const results = values(
      await collect(
        parsePersonas(
          jsonLines("A Retired  Postman\twho waves.", "a retired postman who waves.", "Ａ retired postman who waves."),
          {
            format: "jsonl",
          },
        ),
      ),
    );
    expect(new Set(results.map((value) => value.seedId)).size).toBe(1);
    const other = values(
      await collect(parsePersonas(jsonLines("A retired postwoman who waves."), { format: "jsonl" })),
    );
    expect(other[0]?.seedId).not.toBe(results[0]?.seedId);
  });

  it("removes control characters", async () => {
    const [value] = values(
      await collect(parsePersonas(jsonLines("A baker\u0000 who\u0007 sings."), { format: "jsonl" })),
    );
    expect(value?.text).toBe("A baker who sings.");
  });

  it("reports each bad line precisely and goes on", async () => {
    const results = await collect(
      parsePersonas(
        linesOf(
          '{"persona": ""}',
          '{"persona": 42}',
          '{"name": "Odile", "age": 61}',
          '{"persona": "A tailor.", "id": true}',
          '{"persona": "A tailor who',
          "[1, 2]",
          "12",
          '"   "',
          JSON.stringify({ persona: "x".repeat(4_001) }),
          '{"persona": "A glassblower."}',
          "{",
        ),
        { format: "jsonl" },
      ),
    );
    expect(errors(results)).toEqual([
      "line 1: `persona` must be a non-empty string",
      "line 2: `persona` must be a string, not a number",
      "line 3: expected `persona` or `text` (the persona as a string); found keys name, age",
      "line 4: `id` must be a string or a number, not a boolean",
      expect.stringMatching(/^line 5: not JSON \(.+\)$/),
      "line 6: expected an object with `persona` or `text`, or a JSON string; got a list",
      "line 7: expected an object with `persona` or `text`, or a JSON string; got a number",
      "line 8: the persona must be a non-empty string",
      "line 9: `persona` is 4,001 characters long; the limit is 4,000",
      expect.stringMatching(/^line 11: not JSON \(.+\); expected one complete JSON value per line \(JSON Lines\)$/),
    ]);
    expect(results.filter((result) => result.ok).map((result) => result.lineNumber)).toEqual([10]);
  });

  it("reports an over-long text line and reads on", async () => {
    const results = await collect(
      parsePersonas(readLines(chunks(`A potter.\n${"y".repeat(2_000)}\nA weaver.\n`), { maxLineBytes: 1_000 }), {
        format: "text",
      }),
    );
    expect(results.map((result) => (result.ok ? result.value.text : result.error))).toEqual([
      "A potter.",
      "line 2: too long (2 KB; the limit is 1000 bytes per line)",
      "A weaver.",
    ]);
  });
});
