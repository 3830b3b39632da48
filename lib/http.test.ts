import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AppError } from "./errors";
import { parseJsonBody, parseWith, readBodyBytes, readFormBody, route } from "./http";

/** A body sent in chunks with no Content-Length, the way a client that hides its size sends it. */
function chunked(chunks: Uint8Array[], headers: Record<string, string> = {}): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(chunk);
      controller.close();
    },
  });
  return new Request("http://127.0.0.1:3000/api/x", { method: "POST", body, headers, duplex: "half" } as RequestInit);
}

const kilobytes = (count: number) => Array.from({ length: count }, () => new Uint8Array(1024).fill(120));
const errorOf = async (promise: Promise<unknown>) =>
  promise.then(
    () => null,
    (error: unknown) => error,
  );

describe("route() refuses cross-site mutations", () => {
  let calls = 0;
  const handler = route(async () => {
    calls++;
    return Response.json({ ok: true });
  });
  const send = (method: string, headers: Record<string, string>) =>
    handler(new Request("http://127.0.0.1:3000/api/x", { method, headers }), undefined);

  it("answers 403 forbidden:origin without running the handler", async () => {
    calls = 0;
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      const response = await send(method, { host: "127.0.0.1:3000", origin: "https://evil.example" });
      expect(response.status).toBe(403);
      const body = await response.json();
      expect(body.error.code).toBe("forbidden:origin");
      expect(body.error.message).toContain("https://evil.example");
    }
    const marked = await send("POST", { host: "127.0.0.1:3000", "sec-fetch-site": "cross-site" });
    expect(marked.status).toBe(403);
    expect(calls).toBe(0);
  });

  it("lets our own pages, scripts without Origin, and every GET through", async () => {
    calls = 0;
    expect((await send("POST", { host: "127.0.0.1:3000", origin: "http://127.0.0.1:3000" })).status).toBe(200);
    expect((await send("DELETE", { host: "127.0.0.1:3000" })).status).toBe(200);
    expect((await send("GET", { host: "127.0.0.1:3000", origin: "https://evil.example" })).status).toBe(200);
    expect(calls).toBe(3);
  });
});

describe("request bodies have limits", () => {
  const tooLarge = () => new AppError("payload_too_large:test", "Too big.");

  it("refuses a declared Content-Length over the limit before reading anything", async () => {
    const request = new Request("http://x/api", {
      method: "POST",
      body: "x".repeat(10),
      headers: { "content-length": "5000" },
    });
    expect(await errorOf(readBodyBytes(request, 1024, tooLarge))).toMatchObject({
      status: 413,
      code: "payload_too_large:test",
    });
    expect(request.bodyUsed).toBe(false);
  });

  it("counts a chunked body and stops at the limit", async () => {
    expect(await readBodyBytes(chunked(kilobytes(4)), 4096, tooLarge)).toHaveLength(4096);
    expect(await errorOf(readBodyBytes(chunked(kilobytes(5)), 4096, tooLarge))).toMatchObject({ status: 413 });
  });

  it("parses JSON up to the limit; past it 413, malformed 400", async () => {
    const schema = z.object({ text: z.string() });
    const json = (text: string) => new Request("http://x/api", { method: "POST", body: text });
    expect(await parseJsonBody(json('{"text":"ünïcode"}'), schema, 64)).toEqual({ text: "ünïcode" });
    const big = JSON.stringify({ text: "x".repeat(100) });
    expect(await errorOf(parseJsonBody(chunked([new TextEncoder().encode(big)]), schema, 64))).toMatchObject({
      status: 413,
      code: "payload_too_large:body",
    });
    expect(await errorOf(parseJsonBody(json("{nope"), schema, 64))).toMatchObject({ code: "bad_request:json" });
  });

  it("reads a multipart form up to the limit; past it 413, a broken form 400", async () => {
    const form = new FormData();
    form.append("name", "suite");
    form.append("file", new File(["x".repeat(3000)], "suite.jsonl"));
    const encoded = new Request("http://x/api", { method: "POST", body: form });
    const contentType = encoded.headers.get("content-type") ?? "";
    const bytes = new Uint8Array(await encoded.arrayBuffer());
    const read = await readFormBody(chunked([bytes], { "content-type": contentType }), 8192, tooLarge);
    expect(read.get("name")).toBe("suite");
    expect(
      await errorOf(readFormBody(chunked([bytes], { "content-type": contentType }), 2048, tooLarge)),
    ).toMatchObject({
      status: 413,
      code: "payload_too_large:test",
    });
    const broken = chunked([new TextEncoder().encode("not a form")], { "content-type": contentType });
    expect(await errorOf(readFormBody(broken, 8192, tooLarge))).toMatchObject({ code: "bad_request:form" });
  });
});

const schema = z.object({ name: z.string(), extensions: z.record(z.string(), z.unknown()).optional() });

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

// Found by the API fuzz: each of these reached PostgreSQL or Prisma and came back as a 500.
describe("parseWith refuses input nothing downstream can take", () => {
  it("text with a NUL or an unpaired surrogate, in a value or a key, naming where", () => {
    expect(refusal(() => parseWith(schema, { name: "A\u0000" })).toJSON()).toEqual({
      error: {
        code: "bad_request:text",
        message: "Text with a NUL character or broken Unicode (an unpaired surrogate) cannot be stored.",
        fields: { name: ["Text with a NUL character or broken Unicode (an unpaired surrogate) cannot be stored."] },
      },
    });
    expect(refusal(() => parseWith(schema, { name: "x", extensions: { "k\ud800": 1 } })).details.fields).toHaveProperty(
      ["extensions.k\ud800"],
    );
    expect(refusal(() => parseWith(z.string(), "\udc00")).status).toBe(400);
  });

  it("keeps whole surrogate pairs and everything else", () => {
    expect(parseWith(schema, { name: "😀 \u200b\ufeff é\t" })).toEqual({ name: "😀 \u200b\ufeff é\t" });
  });

  it("nesting past 128 levels, without overflowing the stack itself", () => {
    const deep = JSON.parse(`{"name": "x", "extensions": {"a": ${"[".repeat(100_000)}${"]".repeat(100_000)}}}`);
    expect(refusal(() => parseWith(schema, deep)).code).toBe("bad_request:depth");
    const fine = JSON.parse(`{"name": "x", "extensions": {"a": ${"[".repeat(120)}${"]".repeat(120)}}}`);
    expect(parseWith(schema, fine).name).toBe("x");
  });

  it("in JSON bodies too", async () => {
    const request = new Request("http://troupe.test", { method: "POST", body: '{"name": "\\u0000"}' });
    await expect(parseJsonBody(request, schema)).rejects.toMatchObject({ code: "bad_request:text" });
  });
});
