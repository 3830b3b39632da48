import "server-only";
// Bringing cards in and sending them out: many files per import, each one reported on its own,
// a bad file never stopping the rest.
import type { Actor } from "@/lib/auth/permissions";
import { AppError } from "@/lib/errors";
import { hitRateLimit, peekRateLimit, RATE_LIMITS } from "@/lib/rate-limit";
import { exportCharx, exportJson, exportPng, parseCardFile } from "./cards";
import { createCharacter, getAvatarForViewer, getCharacterForViewer, saveCharacterVersion } from "./queries";
import type { ExportFormat } from "./schema";

export const IMPORT_LIMITS = {
  filesPerRequest: 50,
  requestBytes: 100 * 1024 * 1024,
} as const;

export type ImportOutcome =
  | {
      fileName: string;
      ok: true;
      kind: "character";
      id: string;
      name: string;
      format: string;
      repairs: string[];
      warnings: string[];
    }
  | {
      fileName: string;
      ok: true;
      kind: "lorebook";
      characterId: string;
      entries: number;
      repairs: string[];
      warnings: string[];
    }
  | { fileName: string; ok: false; error: { code: string; message: string } };

async function importOne(
  actor: Actor,
  file: { fileName: string; bytes: Uint8Array },
  lorebookTarget?: string,
): Promise<ImportOutcome> {
  const parsed = parseCardFile(file);
  if (!parsed.ok) return { fileName: file.fileName, ok: false, error: parsed.error };
  if (parsed.kind === "lorebook") {
    if (!lorebookTarget) {
      return {
        fileName: file.fileName,
        ok: false,
        error: { code: "lorebook_needs_character", message: "This is a lorebook; choose a character to attach it to." },
      };
    }
    const target = await getCharacterForViewer(actor, lorebookTarget);
    const existing = target.profile.lorebook;
    const lorebook = existing
      ? { ...existing, entries: [...existing.entries, ...parsed.lorebook.entries] }
      : parsed.lorebook;
    await saveCharacterVersion(actor, lorebookTarget, {
      profile: { ...target.profile, lorebook },
      tags: target.tags,
      note: `Imported lorebook ${file.fileName}`,
    });
    return {
      fileName: file.fileName,
      ok: true,
      kind: "lorebook",
      characterId: lorebookTarget,
      entries: parsed.lorebook.entries.length,
      repairs: parsed.repairs,
      warnings: parsed.warnings,
    };
  }
  const created = await createCharacter({
    ownerId: actor.id,
    profile: parsed.profile,
    tags: parsed.tags,
    origin: "IMPORTED",
    importFormat: parsed.sourceFormat,
    note: `Imported from ${file.fileName}`,
    ...(parsed.avatar ? { avatar: parsed.avatar } : {}),
  });
  return {
    fileName: file.fileName,
    ok: true,
    kind: "character",
    id: created.id,
    name: parsed.profile.name,
    format: parsed.sourceFormat,
    repairs: parsed.repairs,
    warnings: parsed.warnings,
  };
}

const importKey = (actor: Actor) => `import:${actor.id}`;

function importRefusal(retryAfterSeconds: number): AppError {
  return new AppError("rate_limited:import", "Too many imports in the last hour. Try again later.", {
    retryAfterSeconds,
  });
}

/**
 * The import limit, checked without counting before an upload is read: a throttled user's request
 * is refused before the server buffers up to IMPORT_LIMITS.requestBytes of it. `importCardFiles`
 * counts the import.
 */
export async function assertImportAllowed(actor: Actor): Promise<void> {
  const limit = await peekRateLimit(importKey(actor), RATE_LIMITS.imports);
  if (!limit.allowed) throw importRefusal(limit.retryAfterSeconds);
}

/** Import each file on its own; one failure (even an unexpected one) never stops the rest. */
export async function importCardFiles(
  actor: Actor,
  files: { fileName: string; bytes: Uint8Array }[],
  options: { lorebookTarget?: string } = {},
): Promise<ImportOutcome[]> {
  if (files.length === 0) throw new AppError("bad_request:no_files", "Choose at least one file to import.");
  if (files.length > IMPORT_LIMITS.filesPerRequest) {
    throw new AppError("payload_too_large:files", `Import at most ${IMPORT_LIMITS.filesPerRequest} files at a time.`);
  }
  const limit = await hitRateLimit(importKey(actor), RATE_LIMITS.imports);
  if (!limit.allowed) throw importRefusal(limit.retryAfterSeconds);
  const outcomes: ImportOutcome[] = [];
  for (const file of files) {
    try {
      outcomes.push(await importOne(actor, file, options.lorebookTarget));
    } catch (error) {
      const known = error instanceof AppError;
      if (!known) console.error(`[import] ${file.fileName} failed unexpectedly`, error);
      outcomes.push({
        fileName: file.fileName,
        ok: false,
        error: known
          ? { code: error.code, message: error.message }
          : { code: "internal", message: "This file could not be imported." },
      });
    }
  }
  return outcomes;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
  v2: "application/json",
  v3: "application/json",
  png: "image/png",
  charx: "application/zip",
};

const EXTENSIONS: Record<ExportFormat, string> = { v2: "v2.json", v3: "v3.json", png: "png", charx: "charx" };

/** A character as a card file: strict V2/V3 JSON, PNG with both chunks, or CHARX. */
export async function exportCharacter(actor: Actor, id: string, format: ExportFormat) {
  const character = await getCharacterForViewer(actor, id);
  const avatar = character.avatarId ? await getAvatarForViewer(actor, id) : null;
  const avatarInput = avatar ? { bytes: new Uint8Array(avatar.bytes), mime: avatar.mime } : undefined;
  const body =
    format === "v2" || format === "v3"
      ? new TextEncoder().encode(exportJson(character.profile, character.tags, format))
      : format === "png"
        ? exportPng(character.profile, character.tags, avatarInput)
        : exportCharx(character.profile, character.tags, avatarInput);
  const safeName =
    character.name
      .replace(/[^\p{L}\p{N} _-]+/gu, "")
      .trim()
      .slice(0, 80) || "character";
  return { body, contentType: CONTENT_TYPES[format], fileName: `${safeName}.${EXTENSIONS[format]}` };
}
