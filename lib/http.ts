// The one recipe for route handlers: parse → identify → authorize → call the domain → respond.
// `route()` turns AppError, validation errors and surprises into `{error: {code, message}}`.
import "server-only";
import { NextResponse } from "next/server";
import type { ZodType, z } from "zod";
import { AppError, type FieldErrors } from "./errors";

export function json<T>(data: T, init?: ResponseInit): NextResponse<T> {
  return NextResponse.json(data, init);
}

export function fieldErrorsOf(error: z.ZodError): FieldErrors {
  const fields: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_";
    fields[key] = [...(fields[key] ?? []), issue.message];
  }
  return fields;
}

export function validationError(error: z.ZodError): AppError {
  return new AppError("bad_request:validation", "Some fields are not valid.", { fields: fieldErrorsOf(error) });
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
/** PostgreSQL's text refuses NUL, and Prisma's query protocol an unpaired surrogate. */
const storable = (text: string) => !text.includes("\u0000") && !LONE_SURROGATE.test(text);
/** Deeper than a character saved back after import needs (cards keep 100 levels); bounds recursive code downstream. */
const MAX_INPUT_DEPTH = 128;

/** Input no schema should see: text the database cannot store, or nesting deep enough to overflow the stack. */
function checkInputText(value: unknown): void {
  const pending: [unknown, string, number][] = [[value, "_", 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, path, depth] = next;
    if (typeof item === "string") {
      if (!storable(item)) throw unstorableText(path);
      continue;
    }
    const plain = Array.isArray(item) || (typeof item === "object" && item !== null && isPlainObject(item));
    if (!plain) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      throw new AppError("bad_request:depth", `The input is nested more than ${MAX_INPUT_DEPTH} levels deep.`);
    }
    for (const [key, child] of Object.entries(item)) {
      const childPath = path === "_" ? key : `${path}.${key}`;
      if (!storable(key)) throw unstorableText(childPath);
      pending.push([child, childPath, depth + 1]);
    }
  }
}

function isPlainObject(value: object): boolean {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function unstorableText(path: string): AppError {
  const message = "Text with a NUL character or broken Unicode (an unpaired surrogate) cannot be stored.";
  return new AppError("bad_request:text", message, { fields: { [path]: [message] } });
}

export function parseWith<T extends ZodType>(schema: T, value: unknown): z.infer<T> {
  checkInputText(value);
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/** Read and validate a JSON body, refusing oversized or malformed input with a precise 4xx. */
export async function parseJsonBody<T extends ZodType>(
  request: Request,
  schema: T,
  maxBytes = DEFAULT_MAX_BODY_BYTES,
): Promise<z.infer<T>> {
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) throw new AppError("payload_too_large:body", `The request body is over ${maxBytes} bytes.`);
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) {
    throw new AppError("payload_too_large:body", `The request body is over ${maxBytes} bytes.`);
  }
  let value: unknown;
  try {
    value = text === "" ? {} : JSON.parse(text);
  } catch {
    throw new AppError("bad_request:json", "The request body is not valid JSON.");
  }
  return parseWith(schema, value);
}

export function errorResponse(error: unknown): NextResponse {
  if (error instanceof AppError) {
    const headers: Record<string, string> = {};
    if (error.details.retryAfterSeconds) headers["Retry-After"] = String(error.details.retryAfterSeconds);
    return NextResponse.json(error.toJSON(), { status: error.status, headers });
  }
  console.error("[api] unexpected error", error);
  return NextResponse.json(new AppError("internal:server").toJSON(), { status: 500 });
}

type Handler<C> = (request: Request, context: C) => Promise<Response>;

/** Wrap a route handler so every failure leaves as the shared JSON error shape. */
export function route<C = unknown>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (error) {
      return errorResponse(error);
    }
  };
}

/** A download streamed from an async generator; cancelling the request stops the generator. */
export function streamDownload(
  chunks: AsyncGenerator<string | Uint8Array>,
  options: { contentType: string; filename: string },
): Response {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const next = await chunks.next();
      if (next.done) controller.close();
      else controller.enqueue(typeof next.value === "string" ? encoder.encode(next.value) : next.value);
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return new Response(body, { headers: downloadHeaders(options) });
}

/** Headers of a file download: its type, a filename safe in the header, never cached. */
export function downloadHeaders(options: { contentType: string; filename: string }): HeadersInit {
  return {
    "Content-Type": options.contentType,
    "Content-Disposition": `attachment; filename="${options.filename.replace(/[^\w.-]+/g, "_")}"`,
    "Cache-Control": "no-store",
  };
}
