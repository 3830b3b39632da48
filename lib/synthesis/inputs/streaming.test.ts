// A million persona lines through readLines and the persona parser, made on demand by a generator
// and never held together: the import must finish with flat memory. About 8 s on a 2-core machine.
import { describe, expect, it } from "vitest";
import { benchPersonaImport, generatePersonaLines } from "./bench";
import { collect } from "./fixtures/build";
import { readLines } from "./lines";

const LINES = 1_000_000;

describe("streaming a large persona file", () => {
  it("generates lines whose chunks split multi-byte characters", async () => {
    const chunks = await collect(generatePersonaLines(2_000, 1_000));
    expect(chunks.slice(0, -1).every((chunk) => chunk.length === 1_000)).toBe(true);
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const splitsInsideCharacter = chunks.some((chunk) => {
      try {
        decoder.decode(chunk);
        return false;
      } catch {
        return true;
      }
    });
    expect(splitsInsideCharacter).toBe(true);
    const lines = await collect(readLines(generatePersonaLines(2_000, 1_000)));
    expect(lines).toHaveLength(2_000);
    expect(lines.every((line) => line.error === undefined)).toBe(true);
  });

  it(`imports ${LINES.toLocaleString("en-US")} lines with resident memory growing by less than 100 MB`, async () => {
    globalThis.gc?.();
    const startRssMb = process.memoryUsage().rss / 1024 / 1024;
    const result = await benchPersonaImport(LINES);
    expect(result.lines).toBe(LINES);
    expect(result.peakRssMb - startRssMb).toBeLessThan(100);
    expect(result.linesPerSecond).toBeGreaterThan(0);
    console.info(
      `persona import: ${result.lines} lines in ${result.seconds} s (${result.linesPerSecond}/s), ` +
        `peak RSS ${result.peakRssMb} MB (start ${startRssMb.toFixed(1)} MB)`,
    );
  }, 120_000);
});
