import { describe, expect, it } from "vitest";
import { LIMITS } from "../schema";
import { fixtureBytes, jsonBytes } from "./fixtures/build";
import { parseCardFile } from "./index";
import type { CardImportResult, CharacterImport, LorebookImport } from "./types";

function parse(value: unknown, fileName = "card.json"): CardImportResult {
  return parseCardFile({ fileName, bytes: jsonBytes(value) });
}

function character(result: CardImportResult): CharacterImport {
  if (!result.ok || result.kind !== "character") throw new Error(`expected a character, got ${JSON.stringify(result)}`);
  return result;
}

function lorebook(result: CardImportResult): LorebookImport {
  if (!result.ok || result.kind !== "lorebook") throw new Error(`expected a lorebook, got ${JSON.stringify(result)}`);
  return result;
}

function failure(result: CardImportResult) {
  if (result.ok) throw new Error("expected a failure");
  return result.error;
}

const v2 = (data: Record<string, unknown>) => ({
  spec: "chara_card_v2",
  spec_version: "2.0",
  data: { name: "Test", ...data },
});

describe("formats", () => {
  it("reads a V1 card and names the fields it ignores", () => {
    const result = character(parseCardFile({ fileName: "tom.json", bytes: fixtureBytes("v1.json") }));
    expect(result.sourceFormat).toBe("v1");
    expect(result.profile).toMatchObject({ name: "Old Tom", greeting: "Shut the door!", personality: "Gruff" });
    expect(result.warnings.join()).toContain("avatar, chat, create_date");
    expect(result.repairs).toEqual([]);
  });

  it("reads old Pygmalion field names", () => {
    const result = character(parseCardFile({ fileName: "pyg.json", bytes: fixtureBytes("pygmalion.json") }));
    expect(result.profile).toMatchObject({
      name: "Pyg",
      description: "An old-format character.",
      scenario: "A notepad.",
      greeting: "Hello from the old days.",
      exampleDialogues: "<START>\nPyg: Hi.",
    });
    expect(result.repairs.join()).toContain("char_name");
  });

  it("reads V2 and V3 cards into the profile fields", () => {
    const v2Result = character(parseCardFile({ fileName: "aria.json", bytes: fixtureBytes("v2-full.json") }));
    expect(v2Result.sourceFormat).toBe("v2");
    expect(v2Result.repairs).toEqual([]);
    expect(v2Result.warnings).toEqual([]);
    expect(v2Result.tags).toEqual(["Fantasy", "cartographer"]);
    expect(v2Result.profile.lorebook?.entries[0]).toMatchObject({ keys: ["harbour", "docks"], insertionOrder: 10 });

    const v3Result = character(parseCardFile({ fileName: "oswin.json", bytes: fixtureBytes("v3-full.json") }));
    expect(v3Result.sourceFormat).toBe("v3");
    expect(v3Result.profile).toMatchObject({
      nickname: "Oz",
      groupOnlyGreetings: ['"Everyone sit. Yes, you too, Brother Alric."'],
      card: { creationDate: 1700000000, source: ["https://example.com/oswin"] },
    });
    expect(v3Result.profile.lorebook?.entries[0]?.useRegex).toBe(true);
  });

  it("reads a standalone lorebook_v3, a bare character_book and SillyTavern world info", () => {
    const v3Book = lorebook(parseCardFile({ fileName: "coast.json", bytes: fixtureBytes("lorebook-v3.json") }));
    expect(v3Book.lorebook).toMatchObject({ name: "Coastal Towns", scanDepth: 3, recursiveScanning: true });
    expect(v3Book.repairs).toEqual([]);

    const bare = lorebook(
      parse({
        name: "Bare",
        extensions: {},
        entries: [{ keys: ["a"], content: "A", extensions: {}, enabled: true, insertion_order: 1 }],
      }),
    );
    expect(bare.lorebook.entries).toHaveLength(1);

    const world = lorebook(parseCardFile({ fileName: "dragons.json", bytes: fixtureBytes("world-info.json") }));
    expect(world.lorebook.name).toBe("dragons");
    expect(world.lorebook.entries).toEqual([
      expect.objectContaining({
        id: 0,
        keys: ["dragon", "wyrm"],
        comment: "Dragons",
        enabled: true,
        insertionOrder: 100,
        position: "after_char",
        selective: true,
        extensions: { probability: 100, depth: 4, group: "", position: 4 },
      }),
      expect.objectContaining({
        id: 1,
        secondaryKeys: ["storm"],
        enabled: false,
        position: "before_char",
        constant: true,
      }),
    ]);
    expect(world.repairs.join("\n")).toMatch(/object keyed by id/);
    expect(world.repairs.join("\n")).toMatch(/SillyTavern world-info entry fields/);
    expect(world.warnings.join()).toContain("originalData");
  });

  it("reads Troupe-only fields from extensions.troupe and removes them from card.extensions", () => {
    const result = character(
      parse(
        v2({
          extensions: {
            other: 1,
            troupe: { age: "40", aliases: ["Al"], facts: [{ property: "p", value: "v" }], future: "kept" },
          },
        }),
      ),
    );
    expect(result.profile).toMatchObject({ age: "40", aliases: ["Al"], facts: [{ property: "p", value: "v" }] });
    expect(result.profile.card.extensions).toEqual({ other: 1, troupe: { future: "kept" } });
  });

  it("detects the format by content, whatever the file is called", () => {
    const result = character(parseCardFile({ fileName: "card.png", bytes: jsonBytes(v2({})) }));
    expect(result.sourceFormat).toBe("v2");
    expect(result.warnings.join()).toContain("named .png but contains JSON");
  });
});

describe("repairs", () => {
  it("repairs a card that breaks the spec in the usual ways, and lists each repair", () => {
    const result = character(parseCardFile({ fileName: "wren.json", bytes: fixtureBytes("v2-wild.json") }));
    const { profile, tags, repairs } = result;
    expect(profile).toMatchObject({
      description: "",
      personality: "42",
      alternateGreetings: ["Hello there, traveler, welcome."],
    });
    expect(tags).toEqual(["fantasy", "Elf"]);
    expect(profile.lorebook?.entries).toEqual([
      expect.objectContaining({ keys: ["sword", "blade"], insertionOrder: 5, enabled: true, position: "before_char" }),
      expect.objectContaining({
        enabled: true,
        insertionOrder: 100,
        position: "after_char",
        constant: false,
        extensions: { probability: 50 },
      }),
    ]);
    const text = repairs.join("\n");
    for (const expected of [
      "description was null",
      "personality was a number",
      "alternate_greetings was one text instead of a list; made it a one-item list",
      "tags was one text instead of a list; split it at commas",
      "Removed empty and duplicate tags",
      "keys was one text instead of a list; split it at commas",
      "insertion_order was a number written as text",
      "enabled was true/false written as text",
      "constant was true/false written as text",
      "position was a number",
      "Filled in missing lorebook entry fields: extensions",
      "Filled in missing lorebook entry fields: enabled, insertion_order, extensions",
      "Moved lorebook entry fields the spec does not define into their extensions: probability",
      "Filled in missing fields: scenario, mes_example, system_prompt, post_history_instructions, creator, character_version, extensions",
      "Filled in the missing extensions of character_book",
    ]) {
      expect(text).toContain(expected);
    }
  });

  it("reads character_book: null as no lorebook", () => {
    const result = character(parse(v2({ character_book: null })));
    expect(result.profile.lorebook).toBeNull();
    expect(result.repairs).toContain("character_book was null; read it as no lorebook");
  });

  it("reads V2/V3 cards with their fields at the top level (no data object)", () => {
    const result = character(parse({ spec: "chara_card_v3", spec_version: "3.0", name: "Flat", first_mes: "Hi" }));
    expect(result.sourceFormat).toBe("v3");
    expect(result.profile.greeting).toBe("Hi");
    expect(result.repairs[0]).toBe("The card had no data object; read its fields from the top level");
  });

  it("reads a card without spec but with data as V2", () => {
    const result = character(parse({ data: { name: "NoSpec" } }));
    expect(result.sourceFormat).toBe("v2");
    expect(result.repairs).toContain("The card had no spec field; read it as a V2 card");
  });

  it("splits source at line breaks and converts millisecond dates", () => {
    const result = character(
      parse({
        spec: "chara_card_v3",
        data: { name: "S", source: "https://a.example/x,y\nhttps://b.example", creation_date: 1700000000123 },
      }),
    );
    expect(result.profile.card.source).toEqual(["https://a.example/x,y", "https://b.example"]);
    expect(result.profile.card.creationDate).toBe(1700000000);
    expect(result.repairs.join()).toContain("creation_date was in milliseconds");
  });

  it("strips a UTF-8 byte-order mark", () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...jsonBytes(v2({}))]);
    const result = character(parseCardFile({ fileName: "bom.json", bytes }));
    expect(result.repairs).toContain("Removed the byte-order mark at the start of the card JSON");
  });

  it("reads UTF-16 text", () => {
    const text = `\ufeff${JSON.stringify(v2({ description: "naïve ☕" }))}`;
    const bytes = new Uint8Array(Buffer.from(text, "utf16le"));
    const result = character(parseCardFile({ fileName: "utf16.json", bytes }));
    expect(result.profile.description).toBe("naïve ☕");
    expect(result.repairs.join()).toContain("UTF-16");
  });

  it("decodes Windows-1252 text when the file is not UTF-8", () => {
    const text = JSON.stringify(v2({ description: "\u201cCaf\u00e9\u201d \u2013 ok" }));
    const bytes = new Uint8Array(
      [...text].map(
        (char) => ({ "\u201c": 0x93, "\u201d": 0x94, "\u2013": 0x96, "\u00e9": 0xe9 })[char] ?? char.charCodeAt(0),
      ),
    );
    const result = character(parseCardFile({ fileName: "latin.json", bytes }));
    expect(result.profile.description).toBe("\u201cCaf\u00e9\u201d \u2013 ok");
    expect(result.repairs.join()).toContain("decoded it as Windows-1252");
  });

  it("replaces damaged bytes in otherwise UTF-8 text", () => {
    const good = jsonBytes(v2({ description: "☕ X" }));
    const index = good.indexOf(0x58); // the X
    good[index] = 0xff;
    const result = character(parseCardFile({ fileName: "damaged.json", bytes: good }));
    expect(result.profile.description).toBe("☕ \ufffd");
    expect(result.repairs.join()).toContain("replaced them with �");
  });

  it("ignores trailing data after the JSON", () => {
    const bytes = new TextEncoder().encode(
      `${JSON.stringify(v2({ description: 'a } tricky " string' }))}\u0000\u0000garbage{`,
    );
    const result = character(parseCardFile({ fileName: "trail.json", bytes }));
    expect(result.profile.description).toBe('a } tricky " string');
    expect(result.repairs.join()).toMatch(/Ignored 10 characters of extra data after the JSON/);
  });

  it("strips NUL and other control characters but keeps tabs, new lines and HTML", () => {
    const result = character(
      parse(v2({ description: "a\u0000b\u0007c\td\ne\r\n<script>x</script>", scenario: "\u001b[31mred" })),
    );
    expect(result.profile.description).toBe("abc\td\ne\r\n<script>x</script>");
    expect(result.profile.scenario).toBe("[31mred");
    expect(result.repairs).toContain("Removed control characters (such as NUL) from description, scenario");
  });

  it("repairs booleans and numbers written every which way", () => {
    const result = character(
      parse(
        v2({
          character_book: {
            extensions: {},
            scan_depth: "5000",
            entries: [
              {
                keys: ["k"],
                content: "c",
                extensions: {},
                enabled: 0,
                insertion_order: 2.6,
                selective: "yes",
                position: "BEFORE",
              },
            ],
          },
        }),
      ),
    );
    expect(result.profile.lorebook).toMatchObject({
      scanDepth: 1000,
      entries: [{ enabled: false, insertionOrder: 3, selective: true, position: "before_char" }],
    });
    expect(result.repairs.join("\n")).toMatch(/scan_depth was 5000, outside 0–1,000; used 1,000/);
  });
});

describe("failures", () => {
  it("never throws on garbage and says what the file is not", () => {
    const garbage = new Uint8Array(256).map((_, index) => (index * 97 + 13) % 256);
    expect(failure(parseCardFile({ fileName: "x.bin", bytes: garbage }))).toEqual({
      code: "unprocessable:card_format",
      message: "this file is not a character card: it is not a PNG, a CHARX (zip) archive or JSON",
    });
    expect(failure(parseCardFile({ fileName: "empty.json", bytes: new Uint8Array() })).message).toBe(
      "the file is empty",
    );
    expect(
      failure(parseCardFile({ fileName: "a.jpg", bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0]) })).message,
    ).toMatch(/JPEG image, not a character card/);
  });

  it("reports invalid JSON, JSON that is not a card, and unknown specs", () => {
    const broken = failure(parseCardFile({ fileName: "b.json", bytes: new TextEncoder().encode('{"name": ') }));
    expect(broken.code).toBe("unprocessable:card_json");
    expect(broken.message).toMatch(/^the card JSON is not valid JSON \(/);
    expect(failure(parse([1, 2])).message).toBe("the card JSON is JSON but not an object");
    expect(failure(parse({ hello: "world" })).message).toMatch(/neither a character card nor a lorebook/);
    expect(failure(parse({ spec: "chara_card_v9", data: {} })).message).toMatch(/spec "chara_card_v9"/);
  });

  it("names a spec that is not text without turning it into text (found by the fuzzer)", () => {
    // String() on an object whose own toString is not a function throws a TypeError.
    const bytes = new TextEncoder().encode('{"spec": {"toString": false}, "data": {"name": "Coastal Towns"}}');
    expect(failure(parseCardFile({ fileName: "spec.json", bytes }))).toEqual({
      code: "unprocessable:card_format",
      message:
        "the JSON has spec an object, which Troupe does not read (it reads chara_card_v2, chara_card_v3 and lorebook_v3)",
    });
    expect(failure(parse({ spec: [1], data: {} })).message).toMatch(/^the JSON has spec a list,/);
    expect(failure(parse({ spec: 2, data: {} })).message).toMatch(/^the JSON has spec 2,/);
  });

  it("fails on a field over Troupe's limit, naming the card field and the limit", () => {
    const error = failure(parse(v2({ first_mes: "x".repeat(40_000) })));
    expect(error).toEqual({
      code: "unprocessable:card_field",
      message: "first_mes is 40,000 characters long; the limit is 32,000",
    });
    const entry = failure(
      parse(v2({ character_book: { entries: [{ keys: ["k"], content: "y".repeat(LIMITS.lorebookEntryText + 1) }] } })),
    );
    expect(entry.message).toBe("character_book.entries[0].content is 16,001 characters long; the limit is 16,000");
    const greetings = failure(parse(v2({ alternate_greetings: Array.from({ length: 101 }, () => "hi") })));
    expect(greetings.message).toBe("alternate_greetings has 101 items; the limit is 100");
    const troupe = failure(parse(v2({ extensions: { troupe: { age: "9".repeat(300) } } })));
    expect(troupe.message).toBe("extensions.troupe.age is 300 characters long; the limit is 200");
    expect(failure(parse(v2({ name: " " }))).message).toBe("the card has no name");
  });

  it("enforces the file, JSON and lorebook limits", () => {
    const big = parseCardFile({ fileName: "big.json", bytes: new Uint8Array(26_528_000) });
    expect(failure(big)).toEqual({
      code: "payload_too_large:card_file",
      message: "file is 25.3 MB; the limit is 20 MB",
    });
    const json = parseCardFile(
      { fileName: "j.json", bytes: jsonBytes(v2({ description: "x".repeat(2000) })) },
      { maxJsonBytes: 1024 },
    );
    expect(failure(json)).toEqual({
      code: "payload_too_large:card_json",
      message: "the card JSON is 2 KB; the limit is 1 KB",
    });
    const entries = Array.from({ length: LIMITS.lorebookEntries + 1 }, () => ({ keys: ["k"], content: "c" }));
    expect(failure(parse(v2({ character_book: { entries } })))).toEqual({
      code: "payload_too_large:card_lorebook",
      message: "the lorebook has 1,001 entries; the limit is 1,000",
    });
  });

  it("rejects absurdly deep nesting instead of overflowing the stack", () => {
    const deep = `{"spec":"chara_card_v2","data":{"name":"D","extensions":{"x":${"[".repeat(5000)}${"]".repeat(5000)}}}}`;
    const error = failure(parseCardFile({ fileName: "deep.json", bytes: new TextEncoder().encode(deep) }));
    expect(error.message).toBe("the JSON is nested more than 100 levels deep");
  });

  it("keeps the file name on failures so a bulk import can report it", () => {
    const result = parseCardFile({ fileName: "folder/bad.json", bytes: new TextEncoder().encode("{") });
    expect(result).toMatchObject({ ok: false, fileName: "folder/bad.json" });
  });
});
