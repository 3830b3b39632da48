// Size limits for card imports. Every number here bounds memory or work for a file a stranger
// uploaded, so each check runs before the expensive step it protects.
import { LIMITS } from "../schema";

const KB = 1024;
const MB = 1024 * KB;

export interface CardLimits {
  /** Largest file accepted at all. */
  maxFileBytes: number;
  /** Largest card JSON text (a .json file, a PNG text chunk, card.json in a CHARX). */
  maxJsonBytes: number;
  /** Largest avatar width or height, read from the image header. */
  maxImageSide: number;
  /** Largest avatar area in pixels, read from the image header. */
  maxImagePixels: number;
  maxLorebookEntries: number;
  /** PNG chunks walked (a run of IDAT chunks counts once). */
  maxPngChunks: number;
  /** Files in a CHARX archive. */
  maxArchiveEntries: number;
  /** Sum of the declared uncompressed sizes of every file in a CHARX archive. */
  maxArchiveBytes: number;
}

export const DEFAULT_CARD_LIMITS: Readonly<CardLimits> = Object.freeze({
  maxFileBytes: 20 * MB,
  maxJsonBytes: 5 * MB,
  maxImageSide: 4096,
  maxImagePixels: 4096 * 4096,
  maxLorebookEntries: LIMITS.lorebookEntries,
  maxPngChunks: 1000,
  maxArchiveEntries: 1000,
  maxArchiveBytes: 50 * MB,
});

export function resolveLimits(overrides: Partial<CardLimits> = {}): CardLimits {
  return { ...DEFAULT_CARD_LIMITS, ...overrides };
}

/** "25.3 MB", "20 MB", "512 KB", "12 bytes" — for messages people read. */
export function formatBytes(bytes: number): string {
  if (bytes >= MB) return `${trimZero((bytes / MB).toFixed(1))} MB`;
  if (bytes >= KB) return `${trimZero((bytes / KB).toFixed(1))} KB`;
  return `${bytes} ${bytes === 1 ? "byte" : "bytes"}`;
}

export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

function trimZero(fixed: string): string {
  return fixed.endsWith(".0") ? fixed.slice(0, -2) : fixed;
}
