// The one recipe for route handlers: parse → identify → authorize → call the domain → respond.
// `route()` refuses cross-site mutations and turns AppError, validation errors and surprises into
// `{error: {code, message}}`; bodies are read with explicit size limits.
import "server-only";
import { NextResponse } from "next/server";
import { type ZodType, z } from "zod";
import { AppError, type FieldErrors } from "./errors";
import { crossSiteRefusal } from "./security/origin";
import { storableText } from "./text";

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

/** Deeper than a character saved back after import needs (cards keep 100 levels); bounds recursive code downstream. */
const MAX_INPUT_DEPTH = 128;

/** Input no schema should see: text the database cannot store, or nesting deep enough to overflow the stack. */
function checkInputText(value: unknown): void {
  const pending: [unknown, string, number][] = [[value, "_", 0]];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const [item, path, depth] = next;
    if (typeof item === "string") {
      if (!storableText(item)) throw unstorableText(path);
      continue;
    }
    const plain = Array.isArray(item) || (typeof item === "object" && item !== null && isPlainObject(item));
    if (!plain) continue;
    if (depth >= MAX_INPUT_DEPTH) {
      throw new AppError("bad_request:depth", `The input is nested more than ${MAX_INPUT_DEPTH} levels deep.`);
    }
    for (const [key, child] of Object.entries(item)) {
      const childPath = path === "_" ? key : `${path}.${key}`;
      if (!storableText(key)) throw unstorableText(childPath);
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

/** A row id in a path or a form: opaque, bounded. */
export const recordIdSchema = z.string().min(1).max(64);

export function parseWith<T extends ZodType>(schema: T, value: unknown): z.infer<T> {
  checkInputText(value);
  const result = schema.safeParse(value);
  if (!result.success) throw validationError(result.error);
  return result.data;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

/**
 * The request body as a stream that fails with `tooLarge()` past `maxBytes`. Content-Length is
 * checked first, but a chunked body has none and a client may lie, so the bytes are counted too:
 * nothing past the limit is ever buffered.
 */
export function limitedBody(request: Request, maxBytes: number, tooLarge: () => AppError): ReadableStream<Uint8Array> {
  if (Number(request.headers.get("content-length") ?? 0) > maxBytes) throw tooLarge();
  if (!request.body) return new ReadableStream({ start: (controller) => controller.close() });
  let received = 0;
  return request.body.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        received += chunk.byteLength;
        if (received > maxBytes) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
}

/** The whole body, at most `maxBytes` of it. */
export async function readBodyBytes(
  request: Request,
  maxBytes: number,
  tooLarge: () => AppError,
): Promise<Uint8Array<ArrayBuffer>> {
  let exceeded: AppError | null = null;
  const body = limitedBody(request, maxBytes, () => (exceeded = tooLarge()));
  try {
    return new Uint8Array(await new Response(body).arrayBuffer());
  } catch {
    throw exceeded ?? new AppError("bad_request:body", "The request body could not be read.");
  }
}

/** A multipart form of at most `maxBytes`. */
export async function readFormBody(request: Request, maxBytes: number, tooLarge: () => AppError): Promise<FormData> {
  let exceeded: AppError | null = null;
  const body = limitedBody(request, maxBytes, () => (exceeded = tooLarge()));
  const headers = { "Content-Type": request.headers.get("content-type") ?? "" };
  try {
    return await new Response(body, { headers }).formData();
  } catch {
    // The form parser reports a failed stream as its own TypeError; the limit is the real reason.
    throw exceeded ?? new AppError("bad_request:form", "The upload could not be read as a form.");
  }
}

const tooLargeBody = (maxBytes: number) => () =>
  new AppError("payload_too_large:body", `The request body is over ${maxBytes} bytes.`);

/** Read and validate a JSON body, refusing oversized or malformed input with a precise 4xx. */
export async function parseJsonBody<T extends ZodType>(
  request: Request,
  schema: T,
  maxBytes = DEFAULT_MAX_BODY_BYTES,
): Promise<z.infer<T>> {
  const text = new TextDecoder().decode(await readBodyBytes(request, maxBytes, tooLargeBody(maxBytes)));
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

const MUTATING_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Refuse a state-changing request another site made the browser send (cross-site request
 * forgery): the same check Next applies to server actions, and Auth.js's CSRF token to its own.
 */
function assertSameOrigin(request: Request): void {
  if (!MUTATING_METHODS.has(request.method)) return;
  const refusal = crossSiteRefusal(request);
  if (refusal) {
    throw new AppError(
      "forbidden:origin",
      `This request was refused because ${refusal}; changes can only be made from Troupe's own pages.`,
    );
  }
}

/**
 * Wrap a route handler: mutations from other sites are refused, and every failure leaves as the
 * shared JSON error shape.
 */
export function route<C = unknown>(handler: Handler<C>): Handler<C> {
  return async (request, context) => {
    try {
      assertSameOrigin(request);
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
