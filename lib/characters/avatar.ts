// Avatar uploads: raw image bytes, checked by magic bytes and header dimensions before storing.
// SVG and anything else that is not a plain raster image is refused (it could carry script).
import { AppError } from "@/lib/errors";
import { readBodyBytes } from "@/lib/http";
import { checkImageSize, describeImage } from "./cards/image";
import { DEFAULT_CARD_LIMITS } from "./cards/limits";
import { CardImportError } from "./cards/report";
import type { AvatarInput } from "./queries";

export const MAX_AVATAR_BYTES = 5 * 1024 * 1024;

const tooLarge = () =>
  new AppError("payload_too_large:avatar", `The image is over ${MAX_AVATAR_BYTES / 1024 / 1024} MB.`);

export function validateAvatar(bytes: Uint8Array): AvatarInput {
  if (bytes.byteLength > MAX_AVATAR_BYTES) throw tooLarge();
  const image = describeImage(bytes);
  if (!image) throw new AppError("bad_request:avatar", "Upload a PNG, JPEG, WebP or GIF image.");
  // The same size rule as avatars inside imported cards.
  try {
    checkImageSize(image, DEFAULT_CARD_LIMITS, "The image");
  } catch (error) {
    if (error instanceof CardImportError) throw new AppError("payload_too_large:avatar", error.message);
    throw error;
  }
  return { bytes, ...image };
}

export async function readAvatarUpload(request: Request): Promise<AvatarInput> {
  return validateAvatar(await readBodyBytes(request, MAX_AVATAR_BYTES, tooLarge));
}
