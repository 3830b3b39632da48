import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { requireRole } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { SUITE_UPLOAD_MAX_BYTES, suiteUploadSchema } from "@/lib/eval/forms";
import { importSuite } from "@/lib/eval/queries";
import { json, parseWith, route } from "@/lib/http";

const tooLarge = () =>
  new AppError("payload_too_large:suite", `Suite files are limited to ${SUITE_UPLOAD_MAX_BYTES / 1024 / 1024} MB.`);

/** The multipart form, refusing more than the limit even when Content-Length is missing or wrong. */
async function readForm(request: Request, contentType: string): Promise<FormData> {
  if (!request.body) throw new AppError("bad_request:empty", "The upload is empty.");
  let received = 0;
  const counted = request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > SUITE_UPLOAD_MAX_BYTES) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  try {
    return await new Response(counted, { headers: { "Content-Type": contentType } }).formData();
  } catch {
    if (received > SUITE_UPLOAD_MAX_BYTES) throw tooLarge();
    throw new AppError("bad_request:form", "The upload could not be read as a form.");
  }
}

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
  if (Number(request.headers.get("content-length") ?? 0) > SUITE_UPLOAD_MAX_BYTES) throw tooLarge();
  const admin = await requireRole("ADMIN");
  const form = await readForm(request, contentType);
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
