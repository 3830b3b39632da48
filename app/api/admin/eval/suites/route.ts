import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { requireRole } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { SUITE_UPLOAD_MAX_BYTES, suiteUploadSchema } from "@/lib/eval/forms";
import { importSuite } from "@/lib/eval/queries";
import { json, parseWith, readFormBody, route } from "@/lib/http";

const tooLarge = () =>
  new AppError("payload_too_large:suite", `Suite files are limited to ${SUITE_UPLOAD_MAX_BYTES / 1024 / 1024} MB.`);

const text = (value: FormDataEntryValue | null) => (typeof value === "string" ? value : undefined);

/**
 * Import a suite file: multipart `file`, optional `name` (else the file header's) and `seed` (for
 * the consistency candidates). Every line must parse, or nothing is stored and the lines are named.
 */
export const POST = route(async (request) => {
  const contentType = request.headers.get("content-type") ?? "";
  if (!contentType.includes("multipart/form-data")) {
    throw new AppError("bad_request:content_type", "Send the suite as multipart/form-data in the `file` field.");
  }
  const admin = await requireRole("ADMIN");
  const form = await readFormBody(request, SUITE_UPLOAD_MAX_BYTES, tooLarge);
  const fields = parseWith(suiteUploadSchema, { name: text(form.get("name")), seed: text(form.get("seed")) });
  const file = form.get("file");
  if (!(file instanceof File) || file.size === 0) {
    throw new AppError("bad_request:file", "Attach a non-empty suite file in the `file` field.");
  }
  const suite = await importSuite(Readable.fromWeb(file.stream() as NodeReadableStream<Uint8Array>), {
    createdById: admin.id,
    ...fields,
  });
  return json(
    { id: suite.id, name: suite.name, version: suite.version, kind: suite.kind, items: suite.itemCount },
    { status: 201 },
  );
});
