import { z } from "zod";
import { requireRole } from "@/lib/auth/session";
import { AppError } from "@/lib/errors";
import { json, limitedBody, parseWith, route } from "@/lib/http";
import { INPUT_KINDS } from "@/lib/synthesis/inputs";
import { importInput } from "@/lib/synthesis/service";

const querySchema = z.object({
  kind: z.enum(INPUT_KINDS, { error: `kind must be one of ${INPUT_KINDS.join(", ")}` }),
  name: z.string().trim().min(1).max(200),
});

/** Files are read as a stream, line by line; this only bounds what one upload may hold. */
const MAX_UPLOAD_BYTES = 2 * 1024 ** 3;

/** Upload an input file (the raw file as the body): good lines become seeds, bad ones are reported. */
export const POST = route(async (request) => {
  const query = parseWith(querySchema, Object.fromEntries(new URL(request.url).searchParams));
  const admin = await requireRole("ADMIN");
  if (!request.body) throw new AppError("bad_request:empty", "The file is empty.");
  const source = limitedBody(
    request,
    MAX_UPLOAD_BYTES,
    () => new AppError("payload_too_large:input", "Input files are limited to 2 GB."),
  );
  const input = await importInput({
    kind: query.kind,
    name: query.name,
    source: source as unknown as AsyncIterable<Uint8Array>,
    createdById: admin.id,
  });
  return json(input, { status: 201 });
});
