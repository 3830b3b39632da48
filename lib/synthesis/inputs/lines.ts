// Bytes → lines, for files of any size. Lines are split on the LF byte before decoding: in UTF-8
// that byte never occurs inside a multi-byte character, so a character split across two chunks is
// joined with the rest of its line and each line is decoded (and checked) on its own. Only the
// line being read is held, and never more than the per-line limit of it.
import { formatBytes } from "../../characters/cards/limits";

export const DEFAULT_MAX_LINE_BYTES = 1024 * 1024;

export interface ReadLinesOptions {
  /** Longest line accepted, in bytes, without its line ending. A longer line becomes an error line. */
  maxLineBytes?: number;
}

/** What an input is read from: a file stream (`fs.createReadStream`), `Readable.fromWeb(body)`, a generator. */
export type InputSource = AsyncIterable<Uint8Array | string>;

/** A decoded line, or a line that could not be read (too long, not UTF-8); line numbers start at 1. */
export type Line =
  | { lineNumber: number; text: string; error?: undefined }
  | { lineNumber: number; text?: undefined; error: string };

const LF = 0x0a;
const CR = 0x0d;

/**
 * The lines of `source`: LF or CRLF endings, a byte-order mark on the first line removed, a last
 * line without a line ending included. A line over the limit, or one that is not valid UTF-8, is
 * yielded as `{ lineNumber, error }` and reading goes on at the next line.
 */
export async function* readLines(source: InputSource, options: ReadLinesOptions = {}): AsyncGenerator<Line> {
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });
  const encoder = new TextEncoder();
  let lineNumber = 0;
  // The start of the current line, from earlier chunks.
  let parts: Uint8Array[] = [];
  let partBytes = 0;
  // The size so far of a line that is over the limit; its bytes are not kept.
  let overLimitBytes: number | undefined;

  const finishLine = (last: Uint8Array): Line => {
    lineNumber++;
    const size = (overLimitBytes ?? partBytes) + last.length;
    if (overLimitBytes !== undefined || size > maxLineBytes + 1) {
      overLimitBytes = undefined;
      parts = [];
      partBytes = 0;
      return { lineNumber, error: tooLong(size, maxLineBytes) };
    }
    let bytes = join(parts, partBytes, last);
    parts = [];
    partBytes = 0;
    if (bytes[bytes.length - 1] === CR) bytes = bytes.subarray(0, -1);
    if (lineNumber === 1 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    if (bytes.length > maxLineBytes) return { lineNumber, error: tooLong(bytes.length, maxLineBytes) };
    try {
      return { lineNumber, text: decoder.decode(bytes) };
    } catch {
      return { lineNumber, error: "not valid UTF-8 text (is the file saved in another encoding?)" };
    }
  };

  for await (const chunk of source) {
    const bytes = typeof chunk === "string" ? encoder.encode(chunk) : chunk;
    let start = 0;
    while (start < bytes.length) {
      const newline = bytes.indexOf(LF, start);
      const segment = bytes.subarray(start, newline === -1 ? bytes.length : newline);
      if (newline !== -1) {
        yield finishLine(segment);
        start = newline + 1;
        continue;
      }
      if (overLimitBytes !== undefined) overLimitBytes += segment.length;
      // One byte of slack: a CR that turns out to end the line does not count.
      else if (partBytes + segment.length > maxLineBytes + 1) {
        overLimitBytes = partBytes + segment.length;
        parts = [];
        partBytes = 0;
      } else {
        // Copied, because a producer may reuse its chunk buffer once we ask for the next one.
        parts.push(segment.slice());
        partBytes += segment.length;
      }
      break;
    }
  }
  if (partBytes > 0 || overLimitBytes !== undefined) yield finishLine(new Uint8Array(0));
}

function join(parts: Uint8Array[], partBytes: number, last: Uint8Array): Uint8Array {
  if (parts.length === 0) return last;
  const bytes = new Uint8Array(partBytes + last.length);
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  bytes.set(last, offset);
  return bytes;
}

function tooLong(size: number, limit: number): string {
  return `too long (${formatBytes(size)}; the limit is ${formatBytes(limit)} per line)`;
}
