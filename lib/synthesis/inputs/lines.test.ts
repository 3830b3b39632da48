import { describe, expect, it } from "vitest";
import { byteChunks, chunks, collect } from "./fixtures/build";
import { type InputSource, readLines } from "./lines";

const read = (source: InputSource, maxLineBytes?: number) => collect(readLines(source, { maxLineBytes }));

describe("readLines", () => {
  it("numbers lines from 1, keeps empty lines and reads a last line without a newline", async () => {
    expect(await read(chunks("one\n\nthree\nfour"))).toEqual([
      { lineNumber: 1, text: "one" },
      { lineNumber: 2, text: "" },
      { lineNumber: 3, text: "three" },
      { lineNumber: 4, text: "four" },
    ]);
  });

  it("adds no line after a final newline, and none for an empty source", async () => {
    expect(await read(chunks("a\nb\n"))).toHaveLength(2);
    expect(await read(chunks())).toEqual([]);
    expect(await read(chunks("", new Uint8Array(0)))).toEqual([]);
  });

  it("joins multi-byte characters split across chunks, at every possible cut", async () => {
    const text = "Zürich → 東京 🐝\nnaïve façade\n";
    const expected = ["Zürich → 東京 🐝", "naïve façade"];
    const bytes = new TextEncoder().encode(text);
    for (let cut = 1; cut < bytes.length; cut++) {
      const lines = await read(chunks(bytes.slice(0, cut), bytes.slice(cut)));
      expect(lines.map((line) => line.text)).toEqual(expected);
    }
    const oneByteAtATime = await read(byteChunks(text, 1));
    expect(oneByteAtATime.map((line) => line.text)).toEqual(expected);
  });

  it("accepts string chunks and mixed chunks", async () => {
    const lines = await read(chunks("héllo\nwo", new TextEncoder().encode("rld\n"), "!"));
    expect(lines.map((line) => line.text)).toEqual(["héllo", "world", "!"]);
  });

  it("removes CR before LF and a byte-order mark on the first line only", async () => {
    const bom = [0xef, 0xbb, 0xbf];
    const lines = await read(chunks(bom, "first\r\nsecond\r", "\n", bom, "third\r\n"));
    expect(lines.map((line) => line.text)).toEqual(["first", "second", "\ufeffthird"]);
  });

  it("handles a BOM split across chunks and a CRLF split across chunks", async () => {
    const lines = await read(chunks([0xef], [0xbb], [0xbf, 0x61, 0x0d], [0x0a, 0x62]));
    expect(lines.map((line) => line.text)).toEqual(["a", "b"]);
  });

  it("does not reuse a chunk buffer the producer overwrites", async () => {
    async function* reusing(): InputSource {
      const buffer = new Uint8Array(4);
      for (const part of ["abcd", "ef\ngh", "ij\n"]) {
        const bytes = new TextEncoder().encode(part);
        const view = bytes.length <= buffer.length ? buffer.subarray(0, bytes.length) : bytes;
        view.set(bytes);
        yield view;
      }
    }
    expect((await read(reusing())).map((line) => line.text)).toEqual(["abcdef", "ghij"]);
  });

  it("reports a line that is not UTF-8 and goes on", async () => {
    const lines = await read(chunks("ok\n", [0x63, 0x61, 0x66, 0xe9, 0x0a], "fine\n"));
    expect(lines).toEqual([
      { lineNumber: 1, text: "ok" },
      { lineNumber: 2, error: "not valid UTF-8 text (is the file saved in another encoding?)" },
      { lineNumber: 3, text: "fine" },
    ]);
  });

  it("accepts a line of exactly the limit, with or without CR", async () => {
    const lines = await read(chunks("12345\n12345\r\n123456\n"), 5);
    expect(lines).toEqual([
      { lineNumber: 1, text: "12345" },
      { lineNumber: 2, text: "12345" },
      { lineNumber: 3, error: "too long (6 bytes; the limit is 5 bytes per line)" },
    ]);
  });

  it("skips an over-long line, whether it arrives in one chunk or many, and resyncs at the next newline", async () => {
    const long = "x".repeat(50);
    const whole = await read(chunks(`a\n${long}\nb\n`), 10);
    const pieces = await read(byteChunks(`a\n${long}\nb\n`, 3), 10);
    for (const lines of [whole, pieces]) {
      expect(lines).toEqual([
        { lineNumber: 1, text: "a" },
        { lineNumber: 2, error: "too long (50 bytes; the limit is 10 bytes per line)" },
        { lineNumber: 3, text: "b" },
      ]);
    }
    expect(await read(byteChunks(`a\n${long}`, 7), 10)).toEqual([
      { lineNumber: 1, text: "a" },
      { lineNumber: 2, error: "too long (50 bytes; the limit is 10 bytes per line)" },
    ]);
  });

  it("reads past a 64 MB line without holding it", async () => {
    const chunk = new Uint8Array(1024 * 1024).fill(0x78);
    async function* huge(): InputSource {
      yield "first\n";
      for (let index = 0; index < 64; index++) yield chunk;
      yield "\nlast\n";
    }
    const before = process.memoryUsage().rss;
    let peak = before;
    const lines = [];
    for await (const line of readLines(huge())) {
      lines.push(line);
      peak = Math.max(peak, process.memoryUsage().rss);
    }
    expect(lines).toEqual([
      { lineNumber: 1, text: "first" },
      { lineNumber: 2, error: "too long (64 MB; the limit is 1 MB per line)" },
      { lineNumber: 3, text: "last" },
    ]);
    // The line itself would be 64 MB; only the 1 MB limit (plus the shared chunk) may be held.
    expect((peak - before) / 1024 / 1024).toBeLessThan(32);
  });
});
