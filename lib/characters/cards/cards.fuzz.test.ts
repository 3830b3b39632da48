// Fuzzing the card importer with files a stranger could upload: arbitrary and mutated JSON cards,
// PNGs with random or broken card chunks, CHARX archives with hostile names and lying sizes, and
// standalone lorebooks. Every case must end in either a card that exports strictly and comes back
// the same, or a typed failure (an error code whose HTTP status is 4xx) — never an exception, a
// slow case or a heap that keeps what it read. Seed and counts: lib/testing/fuzz.ts.
import fc from "fast-check";
import { zipSync } from "fflate";
import encodeChunks from "png-chunks-encode";
import extractChunks from "png-chunks-extract";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { AppError } from "@/lib/errors";
import {
  anyJson,
  anyText,
  CASE_TIME_LIMIT_MS,
  CaseTimer,
  deepJsonText,
  FUZZ_RUNS,
  fuzzOptions,
  heapAfterGcMb,
  mutated,
  objectOf,
  unstorablePath,
} from "@/lib/testing/fuzz";
import { emptyProfile, lorebookSchema, LIMITS as PROFILE_LIMITS, profileSchema } from "../schema";
import { fixtureJson, fullProfile, gifHeader, plainPng, withDeclaredSize } from "./fixtures/build";
import {
  CARD_ERROR_CODES,
  type CardImportResult,
  type CardLimits,
  cardV2Schema,
  cardV3Schema,
  exportCharx,
  exportJson,
  exportPng,
  parseCardFile,
  toCardV2,
  toCardV3,
} from "./index";
import { readPngChunks } from "./png";

// Each inflation's output limit, to see that a CHARX entry is never inflated past its declared size.
const { inflations } = vi.hoisted(() => ({ inflations: [] as number[] }));
vi.mock("node:zlib", async (importOriginal) => {
  const zlib = await importOriginal<typeof import("node:zlib")>();
  const inflateRawSync: typeof zlib.inflateRawSync = (buffer, options) => {
    inflations.push(options?.maxOutputLength ?? Number.POSITIVE_INFINITY);
    return zlib.inflateRawSync(buffer, options);
  };
  return { ...zlib, inflateRawSync };
});

/** Every name a card, a lorebook or SillyTavern's variants use, so generated objects look like cards. */
const CARD_KEYS = [
  "spec",
  "spec_version",
  "data",
  "name",
  "nickname",
  "description",
  "personality",
  "scenario",
  "first_mes",
  "mes_example",
  "creator_notes",
  "creator_notes_multilingual",
  "system_prompt",
  "post_history_instructions",
  "alternate_greetings",
  "group_only_greetings",
  "character_book",
  "tags",
  "creator",
  "character_version",
  "extensions",
  "troupe",
  "unknownCardFields",
  "aliases",
  "facts",
  "property",
  "value",
  "age",
  "source",
  "creation_date",
  "modification_date",
  "assets",
  "type",
  "uri",
  "ext",
  "entries",
  "keys",
  "secondary_keys",
  "content",
  "enabled",
  "insertion_order",
  "position",
  "constant",
  "selective",
  "case_sensitive",
  "use_regex",
  "priority",
  "id",
  "comment",
  "scan_depth",
  "token_budget",
  "recursive_scanning",
  "char_name",
  "char_persona",
  "char_greeting",
  "key",
  "keysecondary",
  "order",
  "disable",
  "uid",
  "originalData",
];

const SPECS = ["chara_card_v2", "chara_card_v3", "lorebook_v3"];

/** Limits as shipped, and small ones so the over-the-limit paths are reached with small inputs. */
const SMALL_LIMITS: Partial<CardLimits> = {
  maxFileBytes: 64 * 1024,
  maxJsonBytes: 16 * 1024,
  maxImageSide: 16,
  maxImagePixels: 200,
  maxLorebookEntries: 3,
  maxPngChunks: 6,
  maxArchiveEntries: 3,
  maxArchiveBytes: 32 * 1024,
};
const anyLimits = fc.oneof(
  { weight: 3, arbitrary: fc.constant({}) },
  { weight: 1, arbitrary: fc.constant(SMALL_LIMITS) },
);

const encoder = new TextEncoder();
const utf8 = (text: string) => encoder.encode(text);
/** JSON round trip: what the value is as card JSON (-0 is 0, undefined fields are absent). */
const asJson = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

const VALID_CARDS = {
  v1: fixtureJson("v1.json"),
  pygmalion: fixtureJson("pygmalion.json"),
  v2: fixtureJson("v2-full.json"),
  v2Wild: fixtureJson("v2-wild.json"),
  v3: fixtureJson("v3-full.json"),
  troupe: toCardV3(fullProfile(), ["mystery", "Nautical"]) as unknown as Record<string, unknown>,
};
const VALID_LOREBOOKS = {
  v3: fixtureJson("lorebook-v3.json"),
  worldInfo: fixtureJson("world-info.json"),
  characterBook: toCardV3(fullProfile(), []).data.character_book as unknown as Record<string, unknown>,
};

const anyValidCard = fc.constantFrom(...Object.values(VALID_CARDS));
const mutatedCard = fc.oneof(...Object.values(VALID_CARDS).map((card) => mutated(card, CARD_KEYS)));
const cardFields = fc
  .array(fc.tuple(fc.constantFrom(...CARD_KEYS), anyJson(CARD_KEYS)), { maxLength: 12 })
  .map(objectOf);
/** Arbitrary JSON that is often an object with a known spec, so it gets past the first checks. */
const arbitraryCard = fc.oneof(
  anyJson(CARD_KEYS),
  fc
    .tuple(
      fc.constantFrom(...SPECS),
      fc.oneof(anyJson(CARD_KEYS), cardFields),
      fc.array(fc.tuple(fc.constantFrom(...CARD_KEYS), anyJson(CARD_KEYS)), { maxLength: 8 }),
    )
    .map(([spec, data, fields]) => objectOf([["spec", spec], ["data", data], ...fields])),
);

/** The ways a card's JSON reaches the importer as bytes, broken encodings included. */
function cardBytes(json: fc.Arbitrary<unknown>): fc.Arbitrary<Uint8Array> {
  const text = json.map((value) => JSON.stringify(value) ?? "null");
  return fc.oneof(
    { weight: 6, arbitrary: text.map(utf8) },
    { weight: 1, arbitrary: text.map((body) => utf8(`\ufeff${body}`)) },
    {
      weight: 1,
      arbitrary: text.map(
        (body) => new Uint8Array(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(body, "utf16le")])),
      ),
    },
    { weight: 1, arbitrary: text.map((body) => new Uint8Array(Buffer.from(body, "latin1"))) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(text, fc.uint8Array({ minLength: 1, maxLength: 8 }), fc.nat())
        .map(([body, junk, at]) => splice(utf8(body), at, junk)),
    },
    { weight: 1, arbitrary: fc.tuple(text, anyText).map(([body, tail]) => utf8(`${body}${tail}`)) },
    { weight: 1, arbitrary: fc.tuple(text, fc.nat()).map(([body, at]) => utf8(body).slice(0, at % (body.length + 1))) },
    {
      weight: 1,
      arbitrary: fc
        .tuple(fc.integer({ min: 90, max: 20_000 }), fc.constantFrom("array" as const, "object" as const))
        .map(([depth, kind]) =>
          utf8(`{"spec":"chara_card_v2","data":{"name":"Deep","extensions":${deepJsonText(depth, kind)}}}`),
        ),
    },
  );
}

/** `bytes` with `insert` put at `at` (modulo its length). */
function splice(bytes: Uint8Array, at: number, insert: Uint8Array): Uint8Array {
  const index = at % (bytes.length + 1);
  return new Uint8Array(Buffer.concat([bytes.subarray(0, index), insert, bytes.subarray(index)]));
}

// Checking one outcome

/** Outcomes per property ("characters 412, lorebooks 3, refused 585"), so a run shows what it reached. */
const outcomes = new Map<string, Map<string, number>>();

function count(label: string, outcome: string): void {
  const counts = outcomes.get(label) ?? new Map<string, number>();
  counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  outcomes.set(label, counts);
}

/** The importer's promise: a strict, lossless card or lorebook, or a typed 4xx failure. */
function checkOutcome(result: CardImportResult, fileName: string): void {
  if (!result.ok) {
    expect(CARD_ERROR_CODES).toContain(result.error.code);
    const status = new AppError(result.error.code).status;
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(result.error.message.length).toBeGreaterThan(0);
    return;
  }
  // What is stored must fit PostgreSQL text and jsonb (repairs and warnings are only shown).
  const stored = result.kind === "lorebook" ? result.lorebook : { profile: result.profile, tags: result.tags };
  expect(unstorablePath(stored)).toBeUndefined();
  if (result.kind === "lorebook") {
    expect(lorebookSchema.parse(result.lorebook)).toEqual(result.lorebook);
    const book = toCardV3({ ...emptyProfile("Holder"), lorebook: result.lorebook }, []).data.character_book;
    const again = parseCardFile({ fileName, bytes: utf8(JSON.stringify({ spec: "lorebook_v3", data: book })) });
    expect(again.ok && again.kind === "lorebook" && asJson(again.lorebook)).toEqual(asJson(result.lorebook));
    return;
  }
  const { profile, tags } = result;
  expect(profileSchema.parse(profile)).toEqual(profile);
  const keys = tags.map((tag) => tag.toLowerCase());
  expect(new Set(keys).size).toBe(tags.length);
  expect(tags.length).toBeLessThanOrEqual(PROFILE_LIMITS.tags);
  for (const tag of tags) {
    expect(tag.trim()).toBe(tag);
    expect(tag.length).toBeGreaterThan(0);
    expect(tag.length).toBeLessThanOrEqual(PROFILE_LIMITS.tagLength);
  }
  cardV2Schema.parse(toCardV2(profile, tags));
  cardV3Schema.parse(toCardV3(profile, tags));
  // V3 JSON holds everything Troupe keeps, so exporting and importing again changes nothing.
  const again = parseCardFile({ fileName: "again.json", bytes: utf8(exportJson(profile, tags, "v3")) });
  if (!again.ok || again.kind !== "character") throw new Error(`re-import failed: ${JSON.stringify(again)}`);
  expect(asJson(again.profile)).toEqual(asJson(profile));
  expect(again.tags).toEqual(tags);
}

const timer = new CaseTimer();

function importAndCheck(
  label: string,
  fileName: string,
  bytes: Uint8Array,
  limits: Partial<CardLimits>,
): CardImportResult {
  const result = timer.time(() => parseCardFile({ fileName, bytes }, limits));
  count(label, result.ok ? result.kind : result.error.code);
  checkOutcome(result, fileName);
  return result;
}

let heapBeforeMb = 0;
beforeAll(() => {
  heapBeforeMb = heapAfterGcMb();
});

afterAll(() => {
  const growthMb = heapAfterGcMb() - heapBeforeMb;
  for (const [label, counts] of outcomes) {
    const total = [...counts.values()].reduce((sum, n) => sum + n, 0);
    console.info(`[fuzz] ${label}: ${total} cases → ${JSON.stringify(Object.fromEntries(counts))}`);
  }
  console.info(
    `[fuzz] cards: ${timer.cases} imports in all, slowest ${timer.slowestMs.toFixed(0)} ms, ` +
      `heap after a full GC ${growthMb >= 0 ? "+" : ""}${growthMb.toFixed(1)} MB from the start`,
  );
  expect(timer.slowestMs).toBeLessThan(CASE_TIME_LIMIT_MS);
  // Nothing a case read may stay reachable; the allowance covers fast-check's and Vitest's own state.
  expect(growthMb).toBeLessThan(32);
});

describe("fuzzing JSON cards", () => {
  it(`arbitrary JSON (${FUZZ_RUNS} cases)`, () => {
    fc.assert(
      fc.property(cardBytes(arbitraryCard), anyLimits, (bytes, limits) => {
        importAndCheck("cards: arbitrary JSON", "fuzz.json", bytes, limits);
      }),
      fuzzOptions("cards: arbitrary JSON"),
    );
  }, 300_000);

  it(`mutations of valid V1/V2/V3 cards (${FUZZ_RUNS} cases)`, () => {
    fc.assert(
      fc.property(cardBytes(mutatedCard), anyLimits, (bytes, limits) => {
        importAndCheck("cards: mutated cards", "fuzz.json", bytes, limits);
      }),
      fuzzOptions("cards: mutated cards"),
    );
  }, 300_000);
});

describe("fuzzing lorebooks", () => {
  const entry = fc.record(
    {
      keys: fc.oneof(fc.array(anyText, { maxLength: 3 }), anyText),
      content: anyText,
      enabled: fc.oneof(fc.boolean(), anyText),
      insertion_order: fc.oneof(fc.integer(), anyText),
      position: fc.oneof(fc.constantFrom("before_char", "after_char", 0, 1, 4), anyText),
      use_regex: fc.boolean(),
    },
    { requiredKeys: [] },
  );
  const generated = fc
    .tuple(
      fc.constantFrom("lorebook_v3", undefined),
      fc.oneof(fc.array(entry, { maxLength: 6 }), fc.dictionary(fc.string({ maxLength: 3 }), entry, { maxKeys: 4 })),
      fc.integer({ min: 0, max: 1_100 }),
    )
    .map(([spec, entries, padding]) => {
      // Now and then past the entry limit (1,000), with entries that cost nothing to read.
      const list =
        Array.isArray(entries) && padding > 990
          ? [...entries, ...Array.from({ length: padding }, () => ({}))]
          : entries;
      return spec ? { spec, data: { name: "Book", entries: list } } : { entries: list };
    });
  const lorebooks = fc.oneof(
    generated,
    ...Object.values(VALID_LOREBOOKS).map((book) => mutated(book, CARD_KEYS)),
    mutated({ spec: "lorebook_v3", data: VALID_LOREBOOKS.characterBook }, CARD_KEYS),
  );

  it(`standalone lorebooks and world info (${FUZZ_RUNS} cases)`, () => {
    fc.assert(
      fc.property(
        cardBytes(lorebooks),
        anyLimits,
        fc.constantFrom("world.json", "", "x".repeat(300)),
        (bytes, limits, name) => {
          importAndCheck("cards: lorebooks", name, bytes, limits);
        },
      ),
      fuzzOptions("cards: lorebooks"),
    );
  }, 300_000);
});

// PNG

type Chunk = { name: string; data: Uint8Array };

const BASE_PNG = plainPng(8, 8);
const BASE_CHUNKS: Chunk[] = extractChunks(BASE_PNG);

const base64Payload = fc.oneof(
  { weight: 4, arbitrary: anyValidCard.map((card) => Buffer.from(JSON.stringify(card)).toString("base64")) },
  { weight: 4, arbitrary: cardBytes(mutatedCard).map((bytes) => Buffer.from(bytes).toString("base64")) },
  { weight: 2, arbitrary: cardBytes(arbitraryCard).map((bytes) => Buffer.from(bytes).toString("base64")) },
  { weight: 1, arbitrary: anyValidCard.map((card) => JSON.stringify(card)) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString("base64")) },
  {
    weight: 2,
    arbitrary: fc.oneof(
      fc.base64String({ maxLength: 40 }).map((text) => `${text}A`),
      fc.tuple(fc.base64String({ maxLength: 40 }), anyText).map(([text, junk]) => `${text}${junk}`),
      fc.base64String({ maxLength: 200 }).map((text) => text.replace(/(.{7})/g, "$1\n ")),
      anyText,
    ),
  },
);

/** A tEXt chunk's data from any keyword and text (Latin-1, as the format says; other code units are cut). */
function textChunkData(keyword: string, text: string): Uint8Array {
  return new Uint8Array(Buffer.concat([Buffer.from(keyword, "latin1"), Buffer.from([0]), Buffer.from(text, "latin1")]));
}

const cardChunk: fc.Arbitrary<Chunk> = fc
  .tuple(
    fc.oneof({ weight: 8, arbitrary: fc.constant("tEXt") }, { weight: 1, arbitrary: fc.constantFrom("zTXt", "iTXt") }),
    fc.oneof(
      { weight: 6, arbitrary: fc.constantFrom("chara", "ccv3") },
      { weight: 1, arbitrary: fc.constantFrom("Chara", "CCV3", "") },
      { weight: 1, arbitrary: fc.string({ maxLength: 6 }) },
    ),
    base64Payload,
  )
  .map(([name, keyword, text]) => ({ name, data: textChunkData(keyword, text) }));

const strayChunk: fc.Arbitrary<Chunk> = fc.record({
  name: fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom("IHDR", "IDAT", "IEND", "PLTE", "tIME", "zzzz") },
    { weight: 1, arbitrary: fc.string({ minLength: 4, maxLength: 4 }) },
  ),
  data: fc.uint8Array({ maxLength: 32 }),
});

/** An IHDR claiming other dimensions (the header is all the size check reads). */
const ihdr = fc
  .tuple(
    fc.constantFrom(0, 1, 8, 16, 17, 4096, 4097, 100_000, 2 ** 31 - 1),
    fc.constantFrom(0, 1, 8, 4096, 4097, 2 ** 31 - 1),
  )
  .map(([width, height]): Chunk => {
    const data = new Uint8Array(BASE_CHUNKS[0]?.data ?? []);
    new DataView(data.buffer).setUint32(0, width);
    new DataView(data.buffer).setUint32(4, height);
    return { name: "IHDR", data };
  });

type Damage =
  | { kind: "none" }
  | { kind: "truncate"; at: number }
  | { kind: "flip"; at: number[]; value: number }
  | { kind: "length"; at: number; value: number };

const damage: fc.Arbitrary<Damage> = fc.oneof(
  { weight: 12, arbitrary: fc.constant({ kind: "none" as const }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant("truncate" as const), at: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant("flip" as const),
      at: fc.array(fc.nat(), { minLength: 1, maxLength: 6 }),
      value: fc.nat(255),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant("length" as const),
      at: fc.nat(),
      value: fc.constantFrom(0, 13, 0x7fffffff, 0xffffffff),
    }),
  },
);

function damaged(bytes: Uint8Array, change: Damage): Uint8Array {
  const copy = bytes.slice();
  switch (change.kind) {
    case "none":
      return copy;
    case "truncate":
      return copy.subarray(0, change.at % copy.length);
    case "flip":
      for (const at of change.at) copy[at % copy.length] = change.value;
      return copy;
    case "length": {
      // Chunk lengths sit at 8, 33, …; any 4-byte-aligned offset past the signature is close enough.
      const offset = 8 + ((change.at * 4) % Math.max(copy.length - 12, 1));
      new DataView(copy.buffer).setUint32(offset, change.value);
      return copy;
    }
  }
}

/** Where an added chunk goes: before IEND mostly; anywhere (before IHDR, after IEND) now and then. */
const position = fc.oneof(
  { weight: 8, arbitrary: fc.constant("beforeEnd" as const) },
  { weight: 1, arbitrary: fc.nat() },
);

const png = fc
  .tuple(
    fc.array(fc.tuple(cardChunk, position), { minLength: 1, maxLength: 3 }),
    fc.array(fc.tuple(strayChunk, position), { maxLength: 2 }),
    fc.oneof({ weight: 6, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: ihdr }),
    damage,
  )
  .map(([cards, strays, header, change]) => {
    const chunks = [...BASE_CHUNKS];
    if (header) chunks[0] = header;
    for (const [chunk, at] of [...cards, ...strays]) {
      chunks.splice(at === "beforeEnd" ? chunks.length - 1 : at % (chunks.length + 1), 0, chunk);
    }
    return damaged(new Uint8Array(encodeChunks(chunks)), change);
  });

describe("fuzzing PNG cards", () => {
  it(`PNGs with random, broken or missing card chunks (${FUZZ_RUNS} cases)`, () => {
    fc.assert(
      fc.property(png, anyLimits, (bytes, limits) => {
        const result = importAndCheck("cards: PNG", "fuzz.png", bytes, limits);
        if (result.ok && result.kind === "character" && result.avatar) {
          // The PNG export keeps the card and the image it came in.
          const again = parseCardFile({
            fileName: "again.png",
            bytes: exportPng(result.profile, result.tags, { bytes: result.avatar.bytes, mime: result.avatar.mime }),
          });
          expect(again.ok && again.kind === "character" && asJson(again.profile)).toEqual(asJson(result.profile));
          // The same image: its chunks, with IDAT runs joined (the format allows any split).
          const chunks = (bytes?: Uint8Array) => bytes && readPngChunks(bytes, Number.POSITIVE_INFINITY).chunks;
          expect(chunks(again.ok && again.kind === "character" ? again.avatar?.bytes : undefined)).toEqual(
            chunks(result.avatar.bytes),
          );
        }
      }),
      fuzzOptions("cards: PNG"),
    );
  }, 300_000);
});

// CHARX

const ICON = "assets/icon/images/main.png";
const HOSTILE_NAMES = [
  "../card.json",
  "/card.json",
  "assets/../../etc/passwd",
  "assets\\icon.png",
  "C:card.json",
  "assets/\u0000.png",
  "assets/",
  "card.json/",
  "CARD.JSON",
  "assets/icon/images/main.png.",
];

const charxCard = fc
  .tuple(
    fc.oneof(anyValidCard, mutatedCard),
    fc.array(
      fc.record({
        type: fc.constantFrom("icon", "emotion", "background", "x_custom"),
        uri: fc.oneof(
          fc.constant(`embeded://${ICON}`),
          fc.constant("embedded://assets/icon/images/main.gif"),
          fc.constantFrom(...HOSTILE_NAMES).map((name) => `embeded://${name}`),
          fc.constantFrom("ccdefault:", "https://example.com/a.png", "data:image/png;base64,AAAA"),
        ),
        name: fc.constantFrom("main", "other", ""),
        ext: fc.constantFrom("png", "gif", ""),
      }),
      { maxLength: 3 },
    ),
  )
  .map(([card, assets]) => {
    const root = card as Record<string, unknown>;
    const data = typeof root.data === "object" && root.data !== null ? (root.data as Record<string, unknown>) : root;
    return JSON.stringify(root === data ? { ...data, assets } : { ...root, data: { ...data, assets } }) ?? "null";
  });

const entryBytes = fc.oneof(
  fc.constant(BASE_PNG),
  fc.constant(gifHeader(32, 16)),
  fc.constant(plainPng(20, 20)),
  fc.uint8Array({ maxLength: 64 }),
);

const entryName = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_NAMES) },
  { weight: 2, arbitrary: fc.constantFrom("assets/emotion/happy.png", "assets/other/notes.bin", "readme.txt") },
  { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
);

const archiveFiles = fc
  .tuple(
    fc.oneof(
      { weight: 5, arbitrary: charxCard.map(utf8) },
      { weight: 1, arbitrary: cardBytes(arbitraryCard) },
      { weight: 1, arbitrary: fc.constant(undefined) },
    ),
    fc.option(entryBytes, { freq: 4 }),
    fc.array(fc.tuple(entryName, entryBytes), {
      maxLength: 3,
    }),
    fc.boolean(),
  )
  .map(([card, icon, others, store]) => {
    const files: Record<string, Uint8Array> = {};
    for (const [name, bytes] of others) if (name !== "") files[name] = bytes;
    if (icon) files[ICON] = icon;
    if (card) files["card.json"] = card;
    return zipSync(files, { level: store ? 0 : 6 });
  });

type ZipChange =
  | { kind: "size"; name: string; size: number }
  | { kind: "method"; value: number }
  | { kind: "encrypt" }
  | { kind: "count"; value: number }
  | { kind: "damage"; damage: Damage };

const zipChange: fc.Arbitrary<ZipChange> = fc.oneof(
  fc.record({
    kind: fc.constant("size" as const),
    name: fc.constantFrom("card.json", ICON),
    size: fc.constantFrom(0, 1, 100, 5 * 1024 * 1024 + 1, 60 * 1024 * 1024, 0xffffffff),
  }),
  fc.record({ kind: fc.constant("method" as const), value: fc.constantFrom(1, 9, 12, 99) }),
  fc.record({ kind: fc.constant("encrypt" as const) }),
  fc.record({ kind: fc.constant("count" as const), value: fc.constantFrom(0, 2, 1001, 0xffff) }),
  fc.record({ kind: fc.constant("damage" as const), damage }),
);

/** Offsets of every central directory record (PK\x01\x02) and the end record (PK\x05\x06). */
function zipRecords(bytes: Uint8Array, signature: number): number[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found: number[] = [];
  for (let offset = 0; offset + 4 <= bytes.length; offset++)
    if (view.getUint32(offset, true) === signature) found.push(offset);
  return found;
}

function changeZip(zip: Uint8Array, change: ZipChange): Uint8Array {
  if (change.kind === "size") return withDeclaredSize(zip, change.name, change.size);
  if (change.kind === "damage") return damaged(zip, change.damage);
  const bytes = zip.slice();
  const view = new DataView(bytes.buffer);
  if (change.kind === "count") {
    for (const end of zipRecords(bytes, 0x06054b50)) view.setUint16(end + 10, change.value, true);
    return bytes;
  }
  for (const entry of [...zipRecords(bytes, 0x02014b50), ...zipRecords(bytes, 0x04034b50)]) {
    const central = view.getUint32(entry, true) === 0x02014b50;
    if (change.kind === "method") view.setUint16(entry + (central ? 10 : 8), change.value, true);
    else view.setUint16(entry + (central ? 8 : 6), view.getUint16(entry + (central ? 8 : 6), true) | 1, true);
  }
  return bytes;
}

const charx = fc
  .tuple(archiveFiles, fc.array(zipChange, { maxLength: 2 }))
  .map(([zip, changes]) => changes.reduce(changeZip, zip));

describe("fuzzing CHARX archives", () => {
  it(`archives with random cards, hostile names, lying sizes and damage (${FUZZ_RUNS} cases)`, () => {
    fc.assert(
      fc.property(charx, anyLimits, (bytes, limits) => {
        const result = importAndCheck("cards: CHARX", "fuzz.charx", bytes, limits);
        if (result.ok && result.kind === "character") {
          const again = parseCardFile({
            fileName: "again.charx",
            bytes: exportCharx(
              result.profile,
              result.tags,
              result.avatar && { bytes: result.avatar.bytes, mime: result.avatar.mime },
            ),
          });
          // In a CHARX the main icon is the archive's image, so an icon asset named main gives way to it.
          const { profile } = result;
          const assets = profile.card.assets.filter((asset) => !(asset.type === "icon" && asset.name === "main"));
          expect(again.ok && again.kind === "character" && asJson(again.profile)).toEqual(
            asJson({ ...profile, card: { ...profile.card, assets } }),
          );
        }
      }),
      fuzzOptions("cards: CHARX"),
    );
  }, 300_000);

  // 64 MB of zeros deflates to 64 KB. Whatever size the archive declares, nothing is inflated past
  // it, and a size over the limits is refused before anything is inflated at all.
  const BOMB = new Uint8Array(64 * 1024 * 1024);
  const CARD = utf8(
    JSON.stringify({
      spec: "chara_card_v3",
      spec_version: "3.0",
      data: { name: "Bomb", assets: [{ type: "icon", uri: `embeded://${ICON}`, name: "main", ext: "png" }] },
    }),
  );
  const MB = 1024 * 1024;

  it("decompression bombs: refused by declared size, or inflated no further than declared", () => {
    const archives = {
      "card.json": zipSync({ "card.json": BOMB }),
      icon: zipSync({ "card.json": CARD, [ICON]: BOMB }),
    };
    expect(archives.icon.length).toBeLessThan(MB);
    const declared = fc.constantFrom(
      0,
      1,
      1024,
      5 * MB,
      5 * MB + 1,
      50 * MB - CARD.length,
      50 * MB,
      64 * MB,
      0xffffffff,
    );
    fc.assert(
      fc.property(fc.constantFrom("card.json" as const, "icon" as const), declared, (which, size) => {
        const bytes = withDeclaredSize(archives[which], which === "card.json" ? "card.json" : ICON, size);
        inflations.length = 0;
        const result = importAndCheck("cards: CHARX bombs", "bomb.charx", bytes, {});
        const refusedUnread = which === "card.json" ? size > 5 * MB : size + CARD.length > 50 * MB;
        expect(result.ok).toBe(false);
        if (!result.ok) {
          expect(result.error.code).toBe(
            which === "card.json" && refusedUnread && size <= 50 * MB
              ? "payload_too_large:card_json"
              : "payload_too_large:card_archive",
          );
        }
        const bombInflations = inflations.filter((limit) => limit !== CARD.length);
        expect(bombInflations).toEqual(refusedUnread ? [] : [Math.max(size, 1)]);
      }),
      fuzzOptions("cards: CHARX bombs", 100),
    );
  }, 300_000);
});
