import { describe, expect, it } from "vitest";
import { emptyProfile, type Profile } from "../schema";
import { fixtureBytes, fixtureJson, fullProfile, gifHeader, jsonBytes, plainPng } from "./fixtures/build";
import {
  cardV2Schema,
  cardV3Schema,
  exportCharx,
  exportJson,
  exportPng,
  parseCardFile,
  toCardV2,
  toCardV3,
} from "./index";
import type { CardImportResult, CharacterImport } from "./types";

function character(result: CardImportResult): CharacterImport {
  if (!result.ok || result.kind !== "character") throw new Error(`expected a character, got ${JSON.stringify(result)}`);
  return result;
}

function reimport(fileName: string, bytes: Uint8Array): CharacterImport {
  return character(parseCardFile({ fileName, bytes }));
}

describe("card → Troupe → card", () => {
  it("V2: every field comes back, including unknown extension keys and entry extensions", () => {
    const input = fixtureJson("v2-full.json");
    const { profile, tags } = reimport("aria.json", fixtureBytes("v2-full.json"));
    expect(toCardV2(profile, tags)).toEqual(input);
  });

  it("V3: every field comes back, including assets, dates and multilingual notes", () => {
    const input = fixtureJson("v3-full.json");
    const { profile, tags } = reimport("oswin.json", fixtureBytes("v3-full.json"));
    expect(toCardV3(profile, tags)).toEqual(input);
  });

  it("keeps top-level card fields the spec does not define", () => {
    const input = {
      spec: "chara_card_v2",
      spec_version: "2.0",
      data: { ...(fixtureJson("v2-full.json").data as object), some_tool_field: { x: 1 } },
    };
    const result = reimport("extra.json", jsonBytes(input));
    expect(result.profile.card.extensions.troupe).toEqual({ unknownCardFields: { some_tool_field: { x: 1 } } });
    expect(toCardV2(result.profile, result.tags)).toEqual(input);
  });

  it("a minimal spec-valid card comes back with the optional fields spelled out", () => {
    const minimal = {
      spec: "chara_card_v2",
      spec_version: "2.0",
      data: {
        ...(toCardV2(emptyProfile("Min"), []).data as object),
        character_book: {
          extensions: {},
          entries: [{ keys: ["k"], content: "c", extensions: {}, enabled: true, insertion_order: 1 }],
        },
      },
    };
    const { profile, tags, repairs } = reimport("min.json", jsonBytes(minimal));
    expect(repairs).toEqual([]);
    expect(toCardV2(profile, tags).data.character_book).toEqual({
      name: "",
      description: "",
      extensions: {},
      entries: [
        {
          keys: ["k"],
          secondary_keys: [],
          content: "c",
          enabled: true,
          insertion_order: 1,
          position: "after_char",
          constant: false,
          selective: false,
          case_sensitive: false,
          name: "",
          comment: "",
          extensions: {},
        },
      ],
    });
  });
});

describe("Troupe → file → Troupe", () => {
  const profile = fullProfile();
  const tags = ["mystery", "Nautical"];

  it("V3 JSON keeps the whole profile, Troupe-only fields included", () => {
    const result = reimport("mira.json", new TextEncoder().encode(exportJson(profile, tags, "v3")));
    expect(result.profile).toEqual(profile);
    expect(result.tags).toEqual(tags);
    expect(result.repairs).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it("PNG keeps the whole profile and the avatar image", () => {
    const avatar = plainPng(16, 16);
    const result = reimport("mira.png", exportPng(profile, tags, { bytes: avatar, mime: "image/png" }));
    expect(result.sourceFormat).toBe("png-v3");
    expect(result.profile).toEqual(profile);
    expect(result.tags).toEqual(tags);
    expect(result.avatar).toEqual({ bytes: avatar, mime: "image/png", width: 16, height: 16 });
    expect(result.repairs).toEqual([]);
  });

  it("CHARX keeps the whole profile and the avatar bytes", () => {
    const avatar = gifHeader(40, 30);
    const result = reimport("mira.charx", exportCharx(profile, tags, { bytes: avatar, mime: "image/gif" }));
    expect(result.sourceFormat).toBe("charx");
    expect(result.profile).toEqual(profile);
    expect(result.avatar).toEqual({ bytes: avatar, mime: "image/gif", width: 40, height: 30 });
    expect(result.warnings).toEqual([]);
  });

  it("a profile with nothing optional set round-trips through every format", () => {
    const bare = emptyProfile("Bare");
    for (const [fileName, bytes] of [
      ["bare.json", new TextEncoder().encode(exportJson(bare, [], "v3"))],
      ["bare.png", exportPng(bare, [])],
      ["bare.charx", exportCharx(bare, [])],
    ] as const) {
      expect(reimport(fileName, bytes).profile).toEqual(bare);
    }
  });

  it("V2 JSON keeps everything V2 can hold; V3-only fields are not part of V2", () => {
    const result = reimport("mira-v2.json", new TextEncoder().encode(exportJson(profile, tags, "v2")));
    const v3Only: Partial<Profile> = {
      nickname: "",
      groupOnlyGreetings: [],
      lorebook: profile.lorebook && {
        ...profile.lorebook,
        entries: profile.lorebook.entries.map((entry) => ({ ...entry, useRegex: false })),
      },
      card: {
        ...profile.card,
        source: [],
        creatorNotesMultilingual: {},
        assets: [],
        creationDate: undefined,
        modificationDate: undefined,
      },
    };
    expect(result.profile).toEqual({ ...profile, ...v3Only });
  });
});

describe("strict output", () => {
  it("every export is spec-valid, with Troupe fields only under extensions.troupe", () => {
    const profile = fullProfile();
    const v2 = cardV2Schema.parse(toCardV2(profile, ["a"]));
    const v3 = cardV3Schema.parse(toCardV3(profile, ["a"]));
    expect(v2.data.extensions).toEqual({
      someApp: { setting: [1, 2, 3] },
      troupe: expect.objectContaining({
        age: "34",
        aliases: ["The Ledger", "Miss Thorne"],
        speakingStyle: expect.any(String),
      }),
    });
    expect(v3.data.character_book?.entries[1]).toMatchObject({ use_regex: true, insertion_order: 100 });
    expect("use_regex" in (v2.data.character_book?.entries[0] ?? {})).toBe(false);
  });

  it("writes no troupe extension for a profile without Troupe-only fields, and the default icon asset", () => {
    const v3 = toCardV3(emptyProfile("Plain"), []);
    expect(v3.data.extensions).toEqual({});
    expect(v3.data.assets).toEqual([{ type: "icon", uri: "ccdefault:", name: "main", ext: "png" }]);
    expect(v3.data).not.toHaveProperty("character_book");
    expect(v3.data).not.toHaveProperty("creation_date");
    expect(cardV3Schema.safeParse(v3).success).toBe(true);
  });

  it("exportJson is pretty-printed JSON of the chosen version", () => {
    const text = exportJson(emptyProfile("Pretty"), [], "v2");
    expect(text).toContain('\n  "spec": "chara_card_v2"');
    expect(JSON.parse(text)).toEqual(toCardV2(emptyProfile("Pretty"), []));
  });
});
