// Avatar uploads: raw image bytes, checked by magic bytes and header dimensions before storing.
// SVG and anything else that is not a plain raster image is refused (it could carry script).
import { AppError } from "@/lib/errors";
import { describeImage } from "./cards/image";
import { DEFAULT_CARD_LIMITS } from "./cards/limits";
import type { AvatarInput } from "./queries";

export const MAX_AVATAR_BYTES = 5 * 1024 * 1024;

export function validateAvatar(bytes: Uint8Array): AvatarInput {
  if (bytes.byteLength > MAX_AVATAR_BYTES) {
    throw new AppError("payload_too_large:avatar", `The image is over ${MAX_AVATAR_BYTES / 1024 / 1024} MB.`);
  }
  const image = describeImage(bytes);
  if (!image) throw new AppError("bad_request:avatar", "Upload a PNG, JPEG, WebP or GIF image.");
  const { maxImageSide, maxImagePixels } = DEFAULT_CARD_LIMITS;
  if (image.width > maxImageSide || image.height > maxImageSide || image.width * image.height > maxImagePixels) {
    throw new AppError(
      "payload_too_large:avatar",
      `The image is ${image.width}×${image.height} px; the limit is ${maxImageSide} px a side.`,
    );
  }
  return { bytes, ...image };
}

export async function readAvatarUpload(request: Request): Promise<AvatarInput> {
  if (Number(request.headers.get("content-length") ?? 0) > MAX_AVATAR_BYTES) {
    throw new AppError("payload_too_large:avatar", `The image is over ${MAX_AVATAR_BYTES / 1024 / 1024} MB.`);
  }
  return validateAvatar(new Uint8Array(await request.arrayBuffer()));
}
