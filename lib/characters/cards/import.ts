// The single entry point for reading a card file: checks the limits, detects the format by
// content, reads leniently, validates strictly. Bad input never throws; it becomes a failed
// result with a message a person can act on, so a bulk import can report it and go on.
import { LIMITS, type Lorebook, type Profile } from "../schema";
import { readCharx } from "./charx";
import { type CardVersion, classifyCardJson, detectContainer, warnOnMisleadingName } from "./detect";
import { type CardLimits, formatBytes, resolveLimits } from "./limits";
import { readLorebook } from "./lorebook";
import { mapCharacter } from "./map";
import { type CardChunk, decodeCardChunk, readPngCard } from "./png-card";
import { CardImportError, ImportReport } from "./report";
import { parseJsonObject } from "./text";
import type { CardAvatar, CardFileInput, CardImportResult, CardSourceFormat } from "./types";
import { validateLorebook, validateProfile } from "./validate";

type Imported =
  | { kind: "character"; profile: Profile; tags: string[]; version: CardVersion }
  | { kind: "lorebook"; lorebook: Lorebook };

export function parseCardFile(input: CardFileInput, limits?: Partial<CardLimits>): CardImportResult {
  const report = new ImportReport();
  try {
    return importFile(input, resolveLimits(limits), report);
  } catch (error) {
    if (!(error instanceof CardImportError)) throw error;
    return { ok: false, fileName: input.fileName, error: { code: error.code, message: error.message } };
  }
}

function importFile({ fileName, bytes }: CardFileInput, limits: CardLimits, report: ImportReport): CardImportResult {
  if (bytes.length > limits.maxFileBytes) {
    throw new CardImportError(
      "payload_too_large:card_file",
      `file is ${formatBytes(bytes.length)}; the limit is ${formatBytes(limits.maxFileBytes)}`,
    );
  }
  if (bytes.length === 0) throw new CardImportError("unprocessable:card_format", "the file is empty");
  const container = detectContainer(bytes);
  warnOnMisleadingName(fileName, container, report);
  switch (container) {
    case "json": {
      const json = parseJsonObject(bytes, "the card JSON", limits.maxJsonBytes, report);
      return finish(fileName, importJson(json, fileName, limits, report), "json", report);
    }
    case "png":
      return importPng(fileName, bytes, limits, report);
    case "zip": {
      const { card, avatar } = readCharx(bytes, limits, report);
      return finish(fileName, importJson(card, fileName, limits, report), "zip", report, avatar);
    }
    case "jpeg":
    case "gif":
    case "webp":
      throw new CardImportError(
        "unprocessable:card_format",
        `this is a ${container.toUpperCase()} image, not a character card; cards come as PNG, JSON or CHARX files`,
      );
    case "unknown":
      throw new CardImportError(
        "unprocessable:card_format",
        "this file is not a character card: it is not a PNG, a CHARX (zip) archive or JSON",
      );
  }
}

/** Tries ccv3, then chara. A broken chunk (not base64, not JSON, not a card) falls back to the next. */
function importPng(fileName: string, bytes: Uint8Array, limits: CardLimits, report: ImportReport): CardImportResult {
  const png = readPngCard(bytes, limits, report);
  let broken: { chunk: CardChunk; error: CardImportError } | undefined;
  for (const chunk of png.chunks) {
    const attempt = new ImportReport();
    try {
      const json = parseJsonObject(
        decodeCardChunk(chunk, limits.maxJsonBytes, attempt),
        `the ${chunk.keyword} chunk`,
        limits.maxJsonBytes,
        attempt,
      );
      const imported = importJson(json, fileName, limits, attempt);
      if (broken) {
        report.warn(
          `The ${broken.chunk.keyword} chunk is broken (${broken.error.message}); used the ${chunk.keyword} chunk instead`,
        );
      }
      report.absorb(attempt);
      return finish(fileName, imported, "png", report, png.avatar);
    } catch (error) {
      if (!(error instanceof CardImportError) || !isBrokenChunk(error)) throw error;
      if (broken) throw new CardImportError(broken.error.code, `${broken.error.message}, and ${error.message}`);
      broken = { chunk, error };
    }
  }
  // Only reached when the one card chunk present is broken.
  throw broken?.error ?? new CardImportError("unprocessable:card_missing", "this PNG has no character card in it");
}

/** Limits and field errors would fail the other chunk the same way; only broken encodings fall back. */
function isBrokenChunk(error: CardImportError): boolean {
  return error.code === "unprocessable:card_json" || error.code === "unprocessable:card_format";
}

function importJson(
  json: Record<string, unknown>,
  fileName: string,
  limits: CardLimits,
  report: ImportReport,
): Imported {
  const shape = classifyCardJson(json, report);
  if (shape.kind === "lorebook") {
    const lorebook = readLorebook(shape.book, "lorebook", limits, report);
    if (lorebook.name.trim() === "") {
      lorebook.name = fileName.replace(/\.[^.]*$/, "").slice(0, LIMITS.shortText);
      report.repair("The lorebook had no name; named it after the file");
    }
    return { kind: "lorebook", lorebook: validateLorebook(lorebook) };
  }
  const { profile, tags } = mapCharacter(shape.data, shape.version, limits, report);
  return { kind: "character", profile: validateProfile(profile), tags, version: shape.version };
}

function finish(
  fileName: string,
  imported: Imported,
  container: "json" | "png" | "zip",
  report: ImportReport,
  avatar?: CardAvatar,
): CardImportResult {
  const { repairs, warnings } = report;
  if (imported.kind === "lorebook") {
    return { ok: true, kind: "lorebook", fileName, lorebook: imported.lorebook, repairs, warnings };
  }
  const { profile, tags, version } = imported;
  const sourceFormat = sourceFormatOf(container, version);
  return {
    ok: true,
    kind: "character",
    fileName,
    profile,
    tags,
    sourceFormat,
    repairs,
    warnings,
    ...(avatar ? { avatar } : {}),
  };
}

function sourceFormatOf(container: "json" | "png" | "zip", version: CardVersion): CardSourceFormat {
  if (container === "zip") return "charx";
  if (container === "png") return version === "v3" ? "png-v3" : "png-v2";
  return version;
}
