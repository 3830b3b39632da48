import { crc32 } from "node:zlib";
import encodeChunks from "png-chunks-encode";
import extractChunks from "png-chunks-extract";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { emptyProfile } from "../schema";
import { base64Json, fixtureJson, fullProfile, gifHeader, plainPng, pngWithText, textChunks } from "./fixtures/build";
import { exportPng, parseCardFile, toCardV2, toCardV3 } from "./index";
import { placeholderAvatarPng } from "./placeholder-avatar";
import type { CardImportResult, CharacterImport } from "./types";

const v2Card = (name: string) => ({ spec: "chara_card_v2", spec_version: "2.0", data: { name } });
const v3Card = (name: string) => ({
  spec: "chara_card_v3",
  spec_version: "3.0",
  data: { name, group_only_greetings: [] },
});

function parsePng(bytes: Uint8Array, limits = {}): CardImportResult {
  return parseCardFile({ fileName: "card.png", bytes }, limits);
}

function character(result: CardImportResult): CharacterImport {
  if (!result.ok || result.kind !== "character") throw new Error(`expected a character, got ${JSON.stringify(result)}`);
  return result;
}

function errorOf(result: CardImportResult) {
  if (result.ok) throw new Error("expected a failure");
  return result.error;
}

describe("reading PNG cards", () => {
  it("reads a chara chunk (V2) and returns the image without card chunks as the avatar", () => {
    const png = pngWithText([
      ["Comment", "made by hand"],
      ["chara", base64Json(fixtureJson("v2-full.json"))],
    ]);
    const result = character(parsePng(png));
    expect(result.sourceFormat).toBe("png-v2");
    expect(result.profile.name).toBe("Aria Vale");
    expect(result.avatar).toMatchObject({ mime: "image/png", width: 4, height: 4 });
    const avatarTexts = textChunks(result.avatar?.bytes ?? new Uint8Array());
    expect(avatarTexts.map((chunk) => chunk.keyword)).toEqual(["Comment"]);
  });

  it("prefers ccv3 over chara", () => {
    const png = pngWithText([
      ["chara", base64Json(v2Card("From chara"))],
      ["ccv3", base64Json(v3Card("From ccv3"))],
    ]);
    const result = character(parsePng(png));
    expect(result.profile.name).toBe("From ccv3");
    expect(result.sourceFormat).toBe("png-v3");
    expect(result.warnings).toEqual([]);
  });

  it("falls back to chara when ccv3 is broken, and says so", () => {
    const notBase64 = pngWithText([
      ["ccv3", "this is not base64!"],
      ["chara", base64Json(v2Card("Fallback"))],
    ]);
    const first = character(parsePng(notBase64));
    expect(first.profile.name).toBe("Fallback");
    expect(first.sourceFormat).toBe("png-v2");
    expect(first.warnings).toEqual([
      "The ccv3 chunk is broken (the ccv3 chunk is not valid base64); used the chara chunk instead",
    ]);

    const notJson = pngWithText([
      ["ccv3", Buffer.from("{ broken").toString("base64")],
      ["chara", base64Json(v2Card("Fallback"))],
    ]);
    expect(character(parsePng(notJson)).warnings[0]).toMatch(
      /^The ccv3 chunk is broken \(the ccv3 chunk is not valid JSON/,
    );
  });

  it("fails clearly when every card chunk is broken", () => {
    const both = pngWithText([
      ["ccv3", "%%%"],
      ["chara", "%%%"],
    ]);
    expect(errorOf(parsePng(both))).toEqual({
      code: "unprocessable:card_json",
      message: "the ccv3 chunk is not valid base64, and the chara chunk is not valid base64",
    });
    expect(errorOf(parsePng(pngWithText([["chara", "%%%"]]))).message).toBe("the chara chunk is not valid base64");
  });

  it("accepts plain JSON in the chunk and UTF-8 text inside base64", () => {
    const plain = pngWithText([["chara", Buffer.from(JSON.stringify(v2Card("Zoë ☕")), "utf8").toString("latin1")]]);
    const result = character(parsePng(plain));
    expect(result.profile.name).toBe("Zoë ☕");
    expect(result.repairs).toContain("The chara chunk held plain JSON instead of base64");
    expect(character(parsePng(pngWithText([["chara", base64Json(v2Card("Zoë ☕"))]]))).profile.name).toBe("Zoë ☕");
  });

  it("says a PNG without a card is not a card", () => {
    expect(errorOf(parsePng(plainPng()))).toEqual({
      code: "unprocessable:card_missing",
      message: "this PNG has no character card in it (it has no chara or ccv3 text chunk)",
    });
  });

  it("fails clearly on truncated and corrupt PNGs", () => {
    const png = pngWithText([["chara", base64Json(v2Card("T"))]]);
    expect(errorOf(parsePng(png.subarray(0, png.length - 20))).message).toMatch(
      /^the PNG is truncated: its tEXt chunk/,
    );
    expect(errorOf(parsePng(png.subarray(0, 50))).message).toMatch(
      /^the PNG is truncated: its IDAT chunk at byte 33 claims \d+ bytes but only 5 bytes remain$/,
    );
    const badLength = png.slice();
    new DataView(badLength.buffer).setUint32(33, 0xfffffff0);
    expect(errorOf(parsePng(badLength))).toMatchObject({ code: "unprocessable:card_png" });
    const noIend = png.subarray(0, png.length - 12);
    expect(errorOf(parsePng(noIend)).message).toBe("the PNG ends before its IEND chunk (the file is truncated)");
    const badSignature = png.slice();
    badSignature[1] = 0x51;
    expect(errorOf(parsePng(badSignature)).code).toBe("unprocessable:card_format");
  });

  it("warns about bad checksums but still reads the card", () => {
    const png = pngWithText([["chara", base64Json(v2Card("Crc"))]]);
    const damaged = png.slice();
    const crcByte = damaged.length - 13; // last byte of the tEXt CRC, just before IEND
    damaged[crcByte] = (damaged[crcByte] ?? 0) ^ 0xff;
    const result = character(parsePng(damaged));
    expect(result.warnings).toEqual(["The PNG has chunks with wrong checksums (tEXt); the file may be damaged"]);
  });

  it("rejects images over the size limits from the header alone", () => {
    const wide = pngWithText([["chara", base64Json(v2Card("Wide"))]], plainPng(5000, 1));
    expect(errorOf(parsePng(wide))).toEqual({
      code: "payload_too_large:card_image",
      message: "the card image is 5,000×1 px; the limit is 4,096 px a side and 16,777,216 pixels",
    });
    // A forged header: IHDR claims 60000×60000 in a tiny file (CRC fixed so only the size is wrong).
    const forged = pngWithText([["chara", base64Json(v2Card("Forged"))]]).slice();
    const view = new DataView(forged.buffer);
    view.setUint32(16, 60_000);
    view.setUint32(20, 60_000);
    view.setUint32(29, crc32(forged.subarray(12, 29)));
    expect(errorOf(parsePng(forged)).code).toBe("payload_too_large:card_image");
    const small = pngWithText([["chara", base64Json(v2Card("Pixels"))]], plainPng(20, 20));
    expect(errorOf(parsePng(small, { maxImagePixels: 100 })).code).toBe("payload_too_large:card_image");
  });

  it("limits the number of chunks it walks, counting a run of IDAT chunks once", () => {
    const many = pngWithText(Array.from({ length: 10 }, (_, index): [string, string] => [`k${index}`, "v"]));
    expect(errorOf(parsePng(many, { maxPngChunks: 8 }))).toEqual({
      code: "unprocessable:card_png",
      message: "the PNG has more than 8 chunks",
    });

    // 40 one-byte IDAT chunks still count as one chunk, and the image survives the merge.
    const source = plainPng(8, 8);
    const chunks = extractChunks(source);
    const idat = chunks.find((chunk) => chunk.name === "IDAT")?.data ?? new Uint8Array();
    const split = [...idat].map((byte) => ({ name: "IDAT", data: new Uint8Array([byte]) }));
    const rebuilt = encodeChunks([
      ...chunks.filter((chunk) => chunk.name === "IHDR"),
      { name: "tEXt", data: new Uint8Array(Buffer.from(`chara\0${base64Json(v2Card("Split"))}`, "latin1")) },
      ...split,
      { name: "IEND", data: new Uint8Array() },
    ]);
    const result = character(parsePng(rebuilt, { maxPngChunks: 4 }));
    const decoded = PNG.sync.read(Buffer.from(result.avatar?.bytes ?? new Uint8Array()));
    expect(decoded.width).toBe(8);
    expect([...decoded.data.subarray(0, 4)]).toEqual([200, 200, 200, 200]);
  });
});

describe("writing PNG cards", () => {
  it("keeps the avatar's chunks, replaces old card chunks, and writes chara then ccv3 before IEND", () => {
    const profile = fullProfile();
    const tags = ["mystery"];
    const avatar = pngWithText([
      ["chara", "old"],
      ["Comment", "keep me"],
      ["ccv3", "old"],
    ]);
    const out = exportPng(profile, tags, { bytes: avatar, mime: "image/png" });
    // png-chunks-extract throws on any CRC mismatch, so reading it back checks every CRC.
    const names = extractChunks(out).map((chunk) => chunk.name);
    expect(names.slice(-3)).toEqual(["tEXt", "tEXt", "IEND"]);
    const texts = textChunks(out);
    expect(texts.map((chunk) => chunk.keyword)).toEqual(["Comment", "chara", "ccv3"]);
    const decode = (keyword: string) =>
      JSON.parse(Buffer.from(texts.find((chunk) => chunk.keyword === keyword)?.text ?? "", "base64").toString("utf8"));
    expect(decode("chara")).toEqual(toCardV2(profile, tags));
    expect(decode("ccv3")).toEqual(toCardV3(profile, tags));
    const original = PNG.sync.read(Buffer.from(avatar));
    expect(PNG.sync.read(Buffer.from(out)).data).toEqual(original.data);
  });

  it("uses a deterministic placeholder when there is no PNG avatar", () => {
    const profile = emptyProfile("Placeholder Pat");
    const withoutAvatar = exportPng(profile, []);
    const withGif = exportPng(profile, [], { bytes: gifHeader(10, 10), mime: "image/gif" });
    const mislabelled = exportPng(profile, [], { bytes: gifHeader(10, 10), mime: "image/png" });
    expect(withGif).toEqual(withoutAvatar);
    expect(mislabelled).toEqual(withoutAvatar);
    const image = PNG.sync.read(Buffer.from(withoutAvatar));
    expect([image.width, image.height]).toEqual([512, 512]);
    expect(placeholderAvatarPng("Placeholder Pat")).toEqual(placeholderAvatarPng("Placeholder Pat"));
    expect(placeholderAvatarPng("Someone Else")).not.toEqual(placeholderAvatarPng("Placeholder Pat"));
  });
});
