// CHARX: a zip with the V3 card as card.json and its files under assets/, referenced from the
// card as `embeded://path` (the spec's spelling). Troupe keeps one image per character, so the icon
// becomes the avatar and other embedded assets are skipped (with a warning).
import { zipSync } from "fflate";
import { isRecord } from "./coerce";
import { checkImageSize, describeImage, sniffImageMime } from "./image";
import { type CardLimits, formatBytes } from "./limits";
import { CardImportError, type ImportReport } from "./report";
import { parseJsonObject } from "./text";
import type { AvatarMime, CardAsset, CardAvatar, CardV3 } from "./types";
import { readZipDirectory, readZipEntry, type ZipEntry } from "./zip";

// "embedded://" is the natural misspelling of the spec's "embeded://"; accept both.
const EMBEDDED_URI = /^embedd?ed:\/\//;
const EXTENSIONS: Record<AvatarMime, string> = {
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/webp": "webp",
  "image/gif": "gif",
};
// Fixed timestamps keep exports byte-identical for the same character.
const ZIP_MTIME = new Date("2000-01-01T00:00:00Z");

export interface CharxContents {
  /** card.json, with the embedded assets taken out of its asset list. */
  card: Record<string, unknown>;
  avatar?: CardAvatar;
}

export function readCharx(bytes: Uint8Array, limits: CardLimits, report: ImportReport): CharxContents {
  const entries = readZipDirectory(bytes, limits);
  const cardEntry = entries.get("card.json");
  if (!cardEntry) {
    throw new CardImportError("unprocessable:card_missing", "card.json is missing from the CHARX archive");
  }
  // Checked before inflating, so a huge card.json costs nothing.
  if (cardEntry.size > limits.maxJsonBytes) {
    throw new CardImportError(
      "payload_too_large:card_json",
      `card.json is ${formatBytes(cardEntry.size)}; the limit is ${formatBytes(limits.maxJsonBytes)}`,
    );
  }
  const card = parseJsonObject(readZipEntry(bytes, cardEntry), "card.json", limits.maxJsonBytes, report);
  const data = isRecord(card.data) ? card.data : card;
  const assets = Array.isArray(data.assets) ? data.assets : [];
  const embedded = assets.filter(
    (asset) => isRecord(asset) && typeof asset.uri === "string" && EMBEDDED_URI.test(asset.uri),
  );
  if (embedded.length === 0) return { card };

  const icons = embedded.filter((asset) => isRecord(asset) && asset.type === "icon");
  const icon = icons.find((asset) => isRecord(asset) && asset.name === "main") ?? icons[0];
  const skipped = embedded.length - (icon ? 1 : 0);
  if (skipped > 0) report.warn(`Skipped ${skipped} embedded assets besides the icon; Troupe keeps only the avatar`);
  const withoutEmbedded = { ...data, assets: assets.filter((asset) => !embedded.includes(asset)) };
  const cardWithoutEmbedded = data === card ? withoutEmbedded : { ...card, data: withoutEmbedded };
  const avatar =
    isRecord(icon) && typeof icon.uri === "string" ? readIcon(bytes, entries, icon.uri, limits, report) : undefined;
  return { card: cardWithoutEmbedded, avatar };
}

function readIcon(
  bytes: Uint8Array,
  entries: Map<string, ZipEntry>,
  uri: string,
  limits: CardLimits,
  report: ImportReport,
): CardAvatar | undefined {
  const path = uri.replace(EMBEDDED_URI, "");
  const entry = entries.get(path);
  if (!entry) {
    report.warn(`The icon points to ${path}, which is not in the CHARX archive; imported without an avatar`);
    return undefined;
  }
  const imageBytes = readZipEntry(bytes, entry);
  const image = describeImage(imageBytes);
  if (!image) {
    report.warn(`The icon ${path} is not a PNG, JPEG, WebP or GIF image; imported without an avatar`);
    return undefined;
  }
  checkImageSize(image, limits, `the icon ${path}`);
  return { ...image, bytes: imageBytes };
}

/** A CHARX archive holding `card` (its assets rewritten to point at the avatar) and the avatar. */
export function writeCharx(card: CardV3, avatar: Uint8Array): Uint8Array {
  const mime = sniffImageMime(avatar) ?? "image/png";
  const ext = EXTENSIONS[mime];
  const path = `assets/icon/images/main.${ext}`;
  const icon: CardAsset = { type: "icon", uri: `embeded://${path}`, name: "main", ext };
  const others = card.data.assets.filter((asset) => !(asset.type === "icon" && asset.name === "main"));
  const packed: CardV3 = { ...card, data: { ...card.data, assets: [icon, ...others] } };
  return zipSync(
    {
      "card.json": new TextEncoder().encode(JSON.stringify(packed, null, 2)),
      // Images are already compressed; storing them saves time and nothing else.
      [path]: [avatar, { level: 0 }],
    },
    { mtime: ZIP_MTIME },
  );
}
