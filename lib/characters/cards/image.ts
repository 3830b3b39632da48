// Avatar images: what kind they are (magic bytes) and how large (the header only, via image-size;
// an image is never decoded here, so a small file that claims a huge canvas costs nothing).
import { imageSize } from "image-size";
import { type CardLimits, formatCount } from "./limits";
import { CardImportError } from "./report";
import type { AvatarMime } from "./types";

export interface ImageInfo {
  mime: AvatarMime;
  width: number;
  height: number;
}

export function sniffImageMime(bytes: Uint8Array): AvatarMime | undefined {
  const ascii = (start: number, end: number) => String.fromCharCode(...bytes.subarray(start, end));
  if (ascii(1, 4) === "PNG" && bytes[0] === 0x89) return "image/png";
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return "image/jpeg";
  if (ascii(0, 4) === "RIFF" && ascii(8, 12) === "WEBP") return "image/webp";
  if (ascii(0, 4) === "GIF8") return "image/gif";
  return undefined;
}

/** The image's type and size from its header, or undefined when it is not a readable avatar. */
export function describeImage(bytes: Uint8Array): ImageInfo | undefined {
  const mime = sniffImageMime(bytes);
  if (!mime) return undefined;
  try {
    const { width, height } = imageSize(bytes);
    return width > 0 && height > 0 ? { mime, width, height } : undefined;
  } catch {
    return undefined;
  }
}

export function checkImageSize(image: ImageInfo, limits: CardLimits, what: string): void {
  const { width, height } = image;
  if (width > limits.maxImageSide || height > limits.maxImageSide || width * height > limits.maxImagePixels) {
    throw new CardImportError(
      "payload_too_large:card_image",
      `${what} is ${formatCount(width)}×${formatCount(height)} px; the limit is ${formatCount(limits.maxImageSide)} px a side and ${formatCount(limits.maxImagePixels)} pixels`,
    );
  }
}
