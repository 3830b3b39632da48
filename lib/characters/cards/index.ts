// Character Card import and export (V1/V2/V3 JSON, PNG, CHARX, lorebooks): lenient in, strict out.
// See README.md for the formats, the repairs made on import and the limits.
export { exportCharx, exportJson, exportPng, toCardV2, toCardV3 } from "./export";
export { parseCardFile } from "./import";
export { type CardLimits, DEFAULT_CARD_LIMITS } from "./limits";
export { placeholderAvatarPng } from "./placeholder-avatar";
export { CARD_ERROR_CODES, type CardErrorCode } from "./report";
export {
  type AvatarInput,
  type AvatarMime,
  type CardAsset,
  type CardAvatar,
  type CardFileInput,
  type CardImportFailure,
  type CardImportResult,
  type CardSourceFormat,
  type CardV2,
  type CardV3,
  type CharacterBookV2,
  type CharacterBookV3,
  type CharacterImport,
  cardV2Schema,
  cardV3Schema,
  type LorebookImport,
} from "./types";
