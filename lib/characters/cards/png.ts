// PNG chunks, read defensively. png-chunks-extract trusts each chunk's length (it allocates
// whatever a corrupt header claims and reads past the end), so reading is done here with bounds
// checks; writing uses png-chunks-encode, which computes the CRCs.
import { crc32 } from "node:zlib";
import { encode as encodeTextChunk } from "png-chunk-text";
import encodeChunks from "png-chunks-encode";
import { formatBytes, formatCount } from "./limits";
import { CardImportError } from "./report";

export interface PngChunk {
  name: string;
  data: Uint8Array;
}

export interface PngChunks {
  chunks: PngChunk[];
  /** Names of chunks whose CRC did not match (the data is still returned). */
  badChecksums: string[];
}

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const MAX_CHUNK_LENGTH = 0x7fffffff;

/**
 * Walks the chunks up to IEND. Consecutive IDAT chunks are merged into one (PNG allows any split),
 * so encoders that write thousands of small IDATs do not hit `maxChunks`, and a flood of empty
 * chunks cannot allocate an object each.
 */
export function readPngChunks(bytes: Uint8Array, maxChunks: number): PngChunks {
  if (!SIGNATURE.every((byte, index) => bytes[index] === byte)) {
    throw new CardImportError("unprocessable:card_png", "the file is not a valid PNG (its signature is wrong)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunks: PngChunk[] = [];
  const badChecksums = new Set<string>();
  let offset = SIGNATURE.length;
  for (;;) {
    const header = readChunkHeader(bytes, view, offset, chunks.length === 0);
    if (chunks.length >= maxChunks) {
      throw new CardImportError("unprocessable:card_png", `the PNG has more than ${formatCount(maxChunks)} chunks`);
    }
    if (header.name === "IDAT") {
      const run = readIdatRun(bytes, view, offset, badChecksums);
      chunks.push({ name: "IDAT", data: run.data });
      offset = run.end;
      continue;
    }
    if (!checksumMatches(view, bytes, offset, header.length)) badChecksums.add(header.name);
    chunks.push({ name: header.name, data: bytes.subarray(offset + 8, offset + 8 + header.length) });
    offset += 12 + header.length;
    if (header.name === "IEND") return { chunks, badChecksums: [...badChecksums] };
  }
}

function readChunkHeader(
  bytes: Uint8Array,
  view: DataView,
  offset: number,
  first: boolean,
): { name: string; length: number } {
  if (offset + 12 > bytes.length) {
    throw new CardImportError("unprocessable:card_png", "the PNG ends before its IEND chunk (the file is truncated)");
  }
  const length = view.getUint32(offset);
  const name = String.fromCharCode(...bytes.subarray(offset + 4, offset + 8));
  if (!/^[A-Za-z]{4}$/.test(name)) {
    throw new CardImportError(
      "unprocessable:card_png",
      `the PNG is damaged: no valid chunk at byte ${formatCount(offset)}`,
    );
  }
  const remaining = bytes.length - offset - 12;
  if (length > MAX_CHUNK_LENGTH || length > remaining) {
    throw new CardImportError(
      "unprocessable:card_png",
      `the PNG is truncated: its ${name} chunk at byte ${formatCount(offset)} claims ${formatBytes(length)} but only ${formatBytes(Math.max(remaining, 0))} remain`,
    );
  }
  if (first && (name !== "IHDR" || length !== 13)) {
    throw new CardImportError("unprocessable:card_png", "the PNG is damaged: it does not start with an IHDR chunk");
  }
  return { name, length };
}

function checksumMatches(view: DataView, bytes: Uint8Array, offset: number, length: number): boolean {
  const typeAndData = bytes.subarray(offset + 4, offset + 8 + length);
  return crc32(typeAndData) === view.getUint32(offset + 8 + length);
}

/** Two passes over the run: one to validate and size it, one to copy into a single buffer. */
function readIdatRun(
  bytes: Uint8Array,
  view: DataView,
  start: number,
  badChecksums: Set<string>,
): { data: Uint8Array; end: number } {
  let offset = start;
  let total = 0;
  while (isIdatAt(bytes, offset)) {
    const { length } = readChunkHeader(bytes, view, offset, false);
    if (!checksumMatches(view, bytes, offset, length)) badChecksums.add("IDAT");
    total += length;
    offset += 12 + length;
  }
  const data = new Uint8Array(total);
  let written = 0;
  for (let cursor = start; cursor < offset; ) {
    const length = view.getUint32(cursor);
    data.set(bytes.subarray(cursor + 8, cursor + 8 + length), written);
    written += length;
    cursor += 12 + length;
  }
  return { data, end: offset };
}

const IDAT = [0x49, 0x44, 0x41, 0x54];

function isIdatAt(bytes: Uint8Array, offset: number): boolean {
  return IDAT.every((byte, index) => bytes[offset + 4 + index] === byte);
}

export interface PngText {
  keyword: string;
  text: string;
}

/** A tEXt chunk's keyword and Latin-1 text; undefined for other chunks or a malformed one. */
export function readTextChunk(chunk: PngChunk): PngText | undefined {
  if (chunk.name !== "tEXt") return undefined;
  const separator = chunk.data.indexOf(0);
  if (separator < 1) return undefined;
  const latin1 = (part: Uint8Array) => Buffer.from(part.buffer, part.byteOffset, part.byteLength).toString("latin1");
  return { keyword: latin1(chunk.data.subarray(0, separator)), text: latin1(chunk.data.subarray(separator + 1)) };
}

/**
 * Drops every tEXt chunk whose keyword is in `replace` and inserts `texts` (ASCII, e.g. base64)
 * just before IEND.
 */
export function replaceTextChunks(chunks: PngChunk[], replace: Set<string>, texts: PngText[]): Uint8Array {
  const kept = chunks.filter((chunk) => chunk.name !== "IEND" && !replace.has(readTextChunk(chunk)?.keyword ?? ""));
  const added = texts.map(({ keyword, text }) => encodeTextChunk(keyword, text));
  return encodeChunks([...kept, ...added, { name: "IEND", data: new Uint8Array(0) }]);
}
