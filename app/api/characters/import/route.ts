import { z } from "zod";
import { requireUser } from "@/lib/auth/session";
import { characterIdSchema } from "@/lib/characters/schema";
import { assertImportAllowed, IMPORT_LIMITS, importCardFiles } from "@/lib/characters/transfer";
import { AppError } from "@/lib/errors";
import { json, parseWith, readFormBody, route } from "@/lib/http";

const fieldsSchema = z.object({ lorebookTarget: characterIdSchema.optional() });

/** Bulk import: multipart `files` (many), optional `lorebookTarget`; one result per file. */
export const POST = route(async (request) => {
  const user = await requireUser();
  if (!request.headers.get("content-type")?.includes("multipart/form-data")) {
    throw new AppError("bad_request:content_type", "Send the files as multipart/form-data in the `files` field.");
  }
  await assertImportAllowed(user);
  const form = await readFormBody(
    request,
    IMPORT_LIMITS.requestBytes,
    () =>
      new AppError("payload_too_large:import", `The upload is over ${IMPORT_LIMITS.requestBytes / 1024 / 1024} MB.`),
  );
  const target = form.get("lorebookTarget");
  const fields = parseWith(fieldsSchema, { lorebookTarget: typeof target === "string" && target ? target : undefined });
  const files = await Promise.all(
    form
      .getAll("files")
      .filter((entry): entry is File => typeof entry !== "string")
      .map(async (file) => ({ fileName: file.name || "unnamed", bytes: new Uint8Array(await file.arrayBuffer()) })),
  );
  const results = await importCardFiles(user, files, fields);
  const imported = results.filter((result) => result.ok).length;
  const summary = { imported, failed: results.length - imported, results };
  if (imported > 0) return json(summary);
  // Every file failed: a 422 that scripts can tell, in the usual error shape, with the reason per file beside it.
  const error = new AppError("unprocessable:import", "None of the files could be imported; each result says why.");
  return json({ ...error.toJSON(), ...summary }, { status: error.status });
});
