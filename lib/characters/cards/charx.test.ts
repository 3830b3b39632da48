import { unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { charx, fixtureJson, fullProfile, gifHeader, jsonBytes, plainPng, withDeclaredSize } from "./fixtures/build";
import { exportCharx, parseCardFile } from "./index";
import type { CardImportResult, CharacterImport } from "./types";

const iconPath = "assets/icon/images/main.png";

function cardJson(assets: unknown[]): Uint8Array {
  return jsonBytes({
    spec: "chara_card_v3",
    spec_version: "3.0",
    data: { name: "Zipped", group_only_greetings: [], assets },
  });
}

function parseCharx(bytes: Uint8Array, limits = {}): CardImportResult {
  return parseCardFile({ fileName: "card.charx", bytes }, limits);
}

function character(result: CardImportResult): CharacterImport {
  if (!result.ok || result.kind !== "character") throw new Error(`expected a character, got ${JSON.stringify(result)}`);
  return result;
}

function errorOf(result: CardImportResult) {
  if (result.ok) throw new Error("expected a failure");
  return result.error;
}

describe("reading CHARX", () => {
  it("reads card.json and turns the embedded icon into the avatar", () => {
    const icon = plainPng(6, 3);
    const archive = charx({
      "card.json": cardJson([
        { type: "icon", uri: `embeded://${iconPath}`, name: "main", ext: "png" },
        { type: "emotion", uri: "embeded://assets/emotion/happy.png", name: "happy", ext: "png" },
        { type: "background", uri: "https://example.com/bg.png", name: "bg", ext: "png" },
      ]),
      [iconPath]: icon,
      "assets/emotion/happy.png": plainPng(),
    });
    const result = character(parseCharx(archive));
    expect(result.sourceFormat).toBe("charx");
    expect(result.avatar).toEqual({ bytes: icon, mime: "image/png", width: 6, height: 3 });
    expect(result.profile.card.assets).toEqual([
      { type: "background", uri: "https://example.com/bg.png", name: "bg", ext: "png" },
    ]);
    expect(result.warnings).toEqual(["Skipped 1 embedded assets besides the icon; Troupe keeps only the avatar"]);
  });

  it("keeps non-PNG icons as they are", () => {
    const gif = gifHeader(32, 16);
    const archive = charx({
      "card.json": cardJson([{ type: "icon", uri: "embeded://assets/icon/images/main.gif", name: "main", ext: "gif" }]),
      "assets/icon/images/main.gif": gif,
    });
    expect(character(parseCharx(archive)).avatar).toEqual({ bytes: gif, mime: "image/gif", width: 32, height: 16 });
  });

  it("imports without an avatar when the icon is missing, and says so", () => {
    const archive = charx({
      "card.json": cardJson([{ type: "icon", uri: `embeded://${iconPath}`, name: "main", ext: "png" }]),
    });
    const result = character(parseCharx(archive));
    expect(result.avatar).toBeUndefined();
    expect(result.warnings).toEqual([
      `The icon points to ${iconPath}, which is not in the CHARX archive; imported without an avatar`,
    ]);
  });

  it("reports a missing card.json precisely", () => {
    expect(errorOf(parseCharx(charx({ "readme.txt": new Uint8Array([1]) })))).toEqual({
      code: "unprocessable:card_missing",
      message: "card.json is missing from the CHARX archive",
    });
  });

  it("rejects path traversal and absolute names", () => {
    for (const name of ["../evil.txt", "assets/../../evil.txt", "/etc/passwd", "C:/x.txt", "assets\\..\\x"]) {
      const archive = charx({ "card.json": cardJson([]), [name]: new Uint8Array([1]) });
      expect(errorOf(parseCharx(archive))).toEqual({
        code: "unprocessable:card_archive_path",
        message: `the CHARX archive contains an unsafe file name: ${JSON.stringify(name)}`,
      });
    }
  });

  it("checks declared sizes before inflating anything", () => {
    const archive = withDeclaredSize(
      charx({ "card.json": cardJson([]), "assets/huge.bin": new Uint8Array(10) }),
      "assets/huge.bin",
      0xf0000000,
    );
    expect(errorOf(parseCharx(archive))).toEqual({
      code: "payload_too_large:card_archive",
      message: "the CHARX archive unpacks to more than 50 MB (the limit)",
    });
    const bigCard = withDeclaredSize(charx({ "card.json": cardJson([]) }), "card.json", 6 * 1024 * 1024);
    expect(errorOf(parseCharx(bigCard))).toEqual({
      code: "payload_too_large:card_json",
      message: "card.json is 6 MB; the limit is 5 MB",
    });
  });

  it("stops inflating an entry that lies about its size (decompression bomb)", () => {
    const padded = jsonBytes({
      spec: "chara_card_v3",
      data: { name: "Bomb", description: " ".repeat(4 * 1024 * 1024) },
    });
    const archive = withDeclaredSize(zipSync({ "card.json": padded }), "card.json", 1000);
    const started = performance.now();
    expect(errorOf(parseCharx(archive))).toEqual({
      code: "payload_too_large:card_archive",
      message: "card.json in the CHARX archive unpacks to more than the 1000 bytes it declares (a decompression bomb?)",
    });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it("limits the number of files and detects damaged entries", () => {
    const files = Object.fromEntries(
      Array.from({ length: 5 }, (_, index) => [`assets/${index}.txt`, new Uint8Array([index])]),
    );
    expect(errorOf(parseCharx(charx({ "card.json": cardJson([]), ...files }), { maxArchiveEntries: 3 }))).toEqual({
      code: "payload_too_large:card_archive",
      message: "the CHARX archive has 6 files; the limit is 3",
    });
    const archive = zipSync({ "card.json": [cardJson([]), { level: 0 }] });
    const damaged = archive.slice();
    damaged[40] = (damaged[40] ?? 0) ^ 0xff; // inside the stored card.json
    expect(errorOf(parseCharx(damaged))).toEqual({
      code: "unprocessable:card_archive",
      message: "the CHARX archive is damaged: card.json fails its checksum",
    });
    expect(errorOf(parseCharx(archive.subarray(0, archive.length - 30))).message).toMatch(
      /^the CHARX archive is damaged/,
    );
  });

  it("applies the image limits to the icon", () => {
    const archive = charx({
      "card.json": cardJson([{ type: "icon", uri: "embeded://assets/icon/images/main.gif", name: "main", ext: "gif" }]),
      "assets/icon/images/main.gif": gifHeader(5000, 5000),
    });
    expect(errorOf(parseCharx(archive)).message).toMatch(/^the icon assets\/icon\/images\/main.gif is 5,000×5,000 px/);
  });
});

describe("writing CHARX", () => {
  it("writes card.json (V3) with the avatar as its embedded icon", () => {
    const avatar = plainPng(5, 5);
    const files = unzipSync(exportCharx(fullProfile(), ["tag"], { bytes: avatar, mime: "image/png" }));
    expect(Object.keys(files).sort()).toEqual(["assets/icon/images/main.png", "card.json"]);
    expect(files[iconPath]).toEqual(avatar);
    const card = JSON.parse(new TextDecoder().decode(files["card.json"]));
    expect(card.spec).toBe("chara_card_v3");
    expect(card.data.assets[0]).toEqual({ type: "icon", uri: `embeded://${iconPath}`, name: "main", ext: "png" });
  });

  it("stores other image types under their own extension and is deterministic", () => {
    const profile = fullProfile();
    const gif = gifHeader(8, 8);
    const archive = exportCharx(profile, [], { bytes: gif, mime: "image/gif" });
    expect(Object.keys(unzipSync(archive))).toContain("assets/icon/images/main.gif");
    expect(exportCharx(profile, [], { bytes: gif, mime: "image/gif" })).toEqual(archive);
    const withoutAvatar = unzipSync(exportCharx(fixtureJsonProfile(), []));
    expect(Object.keys(withoutAvatar)).toContain(iconPath);
  });
});

function fixtureJsonProfile() {
  const result = parseCardFile({ fileName: "aria.json", bytes: jsonBytes(fixtureJson("v2-full.json")) });
  return character(result).profile;
}
