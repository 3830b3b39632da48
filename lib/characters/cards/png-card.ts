// Character cards inside PNG files: tEXt chunks holding base64 of UTF-8 JSON, `ccv3` for the V3
// card and `chara` for V1/V2. Readers try ccv3 first; writers replace both, so every app finds
// the newest card it understands.
import { checkImageSize, describeImage } from "./image";
import { type CardLimits, formatBytes } from "./limits";
import { readPngChunks, readTextChunk, replaceTextChunks } from "./png";
import { CardImportError, type ImportReport } from "./report";
import type { CardAvatar } from "./types";

const CARD_KEYWORDS = ["ccv3", "chara"] as const;
export type CardKeyword = (typeof CARD_KEYWORDS)[number];

export interface CardChunk {
  keyword: CardKeyword;
  text: string;
}

export interface PngCard {
  /** The card chunks present, in the order to try them (ccv3 first). */
  chunks: CardChunk[];
  /** The image itself, without the card chunks. */
  avatar: CardAvatar;
}

function isCardKeyword(keyword: string): keyword is CardKeyword {
  return (CARD_KEYWORDS as readonly string[]).includes(keyword);
}

export function readPngCard(bytes: Uint8Array, limits: CardLimits, report: ImportReport): PngCard {
  const { chunks, badChecksums } = readPngChunks(bytes, limits.maxPngChunks);
  if (badChecksums.length > 0) {
    report.warn(`The PNG has chunks with wrong checksums (${badChecksums.join(", ")}); the file may be damaged`);
  }
  const image = describeImage(bytes);
  if (image?.mime !== "image/png")
    throw new CardImportError("unprocessable:card_png", "the PNG's header is not readable");
  checkImageSize(image, limits, "the card image");

  const found: CardChunk[] = [];
  for (const chunk of chunks) {
    const text = readTextChunk(chunk);
    if (text && isCardKeyword(text.keyword)) found.push({ keyword: text.keyword, text: text.text });
  }
  const cardChunks: CardChunk[] = [];
  for (const keyword of CARD_KEYWORDS) {
    const same = found.filter((chunk) => chunk.keyword === keyword);
    if (same.length > 1) report.warn(`The PNG has ${same.length} ${keyword} chunks; used the first`);
    if (same[0]) cardChunks.push(same[0]);
  }
  if (cardChunks.length === 0) {
    throw new CardImportError(
      "unprocessable:card_missing",
      "this PNG has no character card in it (it has no chara or ccv3 text chunk)",
    );
  }
  const avatarBytes = replaceTextChunks(chunks, new Set(CARD_KEYWORDS), []);
  return { chunks: cardChunks, avatar: { ...image, bytes: avatarBytes } };
}

/** The JSON bytes inside a card chunk. */
export function decodeCardChunk(chunk: CardChunk, maxJsonBytes: number, report: ImportReport): Uint8Array {
  const text = chunk.text.trim();
  // tEXt is Latin-1, so the original bytes come back from the Latin-1 string.
  if (text.startsWith("{")) {
    report.repair(`The ${chunk.keyword} chunk held plain JSON instead of base64`);
    return Buffer.from(text, "latin1");
  }
  const base64 = text.replace(/\s+/g, "");
  const size = Math.floor((base64.length * 3) / 4);
  if (size > maxJsonBytes) {
    throw new CardImportError(
      "payload_too_large:card_json",
      `the ${chunk.keyword} chunk holds ${formatBytes(size)} of JSON; the limit is ${formatBytes(maxJsonBytes)}`,
    );
  }
  if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(base64) || base64.length % 4 === 1) {
    throw new CardImportError("unprocessable:card_json", `the ${chunk.keyword} chunk is not valid base64`);
  }
  return Buffer.from(base64, "base64");
}

/** `png` with its card chunks replaced by `chara` (V2 JSON) and `ccv3` (V3 JSON), before IEND. */
export function writePngCard(png: Uint8Array, cardV2Json: string, cardV3Json: string): Uint8Array {
  const { chunks } = readPngChunks(png, Number.POSITIVE_INFINITY);
  const base64 = (json: string) => Buffer.from(json, "utf8").toString("base64");
  return replaceTextChunks(chunks, new Set(CARD_KEYWORDS), [
    { keyword: "chara", text: base64(cardV2Json) },
    { keyword: "ccv3", text: base64(cardV3Json) },
  ]);
}
