import { describe, expect, it } from "vitest";
import { base64Json, charx, fixtureBytes, fixtureJson, plainPng, pngWithText } from "./fixtures/build";
import { parseCardFile } from "./index";

/** mulberry32: a tiny seeded generator, so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutations(source: Uint8Array, count: number, seed: number): Uint8Array[] {
  const next = random(seed);
  return Array.from({ length: count }, () => {
    const bytes = source.slice(0, 1 + Math.floor(next() * source.length));
    const flips = 1 + Math.floor(next() * 8);
    for (let flip = 0; flip < flips; flip++) bytes[Math.floor(next() * bytes.length)] = Math.floor(next() * 256);
    return bytes;
  });
}

describe("damaged files", () => {
  const sources = {
    json: fixtureBytes("v2-full.json"),
    png: pngWithText([["chara", base64Json(fixtureJson("v2-full.json"))]], plainPng(8, 8)),
    charx: charx({ "card.json": fixtureBytes("v3-full.json"), "assets/icon/images/main.png": plainPng() }),
  };

  for (const [format, source] of Object.entries(sources)) {
    it(`never throws on truncated or corrupted ${format} files`, () => {
      for (const bytes of mutations(source, 300, format.length)) {
        const result = parseCardFile({ fileName: `fuzz.${format}`, bytes });
        if (!result.ok) expect(result.error.message.length).toBeGreaterThan(0);
      }
    });
  }
});
