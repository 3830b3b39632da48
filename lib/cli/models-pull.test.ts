// `troupe models pull` against a local HTTP server: full download, resume with Range, a server
// that ignores Range, checksum failure, and no network.
import { createHash, randomBytes } from "node:crypto";
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import os from "node:os";
import path from "node:path";
import { Command } from "commander";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { pullModel, registerPullCommand } from "./models-pull";
import { CliError } from "./output";

const BODY = randomBytes(300_000);
const SHA = createHash("sha256").update(BODY).digest("hex");

type Mode = { cutAfter?: number; ignoreRange?: boolean; status?: number };
let mode: Mode = {};
let requests: { range: string | undefined; sent: number }[] = [];
let server: Server;
let base: string;
let dir: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    const record = { range: request.headers.range, sent: 0 };
    requests.push(record);
    if (mode.status) {
      response.writeHead(mode.status).end("nope");
      return;
    }
    const match = /^bytes=(\d+)-$/.exec(request.headers.range ?? "");
    const start = match && !mode.ignoreRange ? Number(match[1]) : 0;
    if (start >= BODY.length) {
      response.writeHead(416, { "Content-Range": `bytes */${BODY.length}` }).end();
      return;
    }
    const slice = BODY.subarray(start);
    response.writeHead(
      start > 0 ? 206 : 200,
      start > 0
        ? { "Content-Length": slice.length, "Content-Range": `bytes ${start}-${BODY.length - 1}/${BODY.length}` }
        : { "Content-Length": slice.length },
    );
    if (mode.cutAfter !== undefined) {
      // Send part of the body, then drop the connection mid-download.
      const cut = slice.subarray(0, mode.cutAfter);
      record.sent = cut.length;
      response.write(cut, () => setTimeout(() => request.socket.destroy(), 20));
      return;
    }
    record.sent = slice.length;
    response.end(slice);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(async () => {
  mode = {};
  requests = [];
  dir = await mkdtemp(path.join(os.tmpdir(), "troupe-pull-"));
  return async () => {
    await rm(dir, { recursive: true, force: true });
  };
});

describe("pullModel", () => {
  it("downloads, verifies the checksum and leaves no .part behind", async () => {
    const out = path.join(dir, "models", "tiny.gguf");
    const seen: number[] = [];
    const result = await pullModel({
      url: `${base}/tiny.gguf`,
      out,
      sha256: SHA,
      onProgress: (received) => seen.push(received),
    });
    expect(result).toMatchObject({ path: out, bytes: BODY.length, sha256: SHA, verified: true, resumedFrom: 0 });
    expect((await readFile(out)).equals(BODY)).toBe(true);
    expect(await readdir(path.dirname(out))).toEqual(["tiny.gguf"]);
    expect(seen.at(-1)).toBe(BODY.length);
    expect(requests[0]?.range).toBeUndefined();
  });

  it("resumes an interrupted download from the .part file with a Range request", async () => {
    const out = path.join(dir, "tiny.gguf");
    mode = { cutAfter: 120_000 };
    const failure = await pullModel({ url: `${base}/tiny.gguf`, out, sha256: SHA }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(CliError);
    expect((failure as CliError).message).toMatch(/Run the same command again to resume/);
    const partial = (await stat(`${out}.part`)).size;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThanOrEqual(120_000);

    mode = {};
    const result = await pullModel({ url: `${base}/tiny.gguf`, out, sha256: SHA });
    expect(result).toMatchObject({ verified: true, resumedFrom: partial, bytes: BODY.length });
    expect(requests[1]).toEqual({ range: `bytes=${partial}-`, sent: BODY.length - partial });
    expect((await readFile(out)).equals(BODY)).toBe(true);
  });

  it("starts over when the server ignores the Range header", async () => {
    const out = path.join(dir, "tiny.gguf");
    await writeFile(`${out}.part`, BODY.subarray(0, 50_000));
    mode = { ignoreRange: true };
    const result = await pullModel({ url: `${base}/tiny.gguf`, out, sha256: SHA });
    expect(result).toMatchObject({ verified: true, resumedFrom: 0 });
    expect((await readFile(out)).equals(BODY)).toBe(true);
  });

  it("finishes a .part that already holds every byte (HTTP 416)", async () => {
    const out = path.join(dir, "tiny.gguf");
    await writeFile(`${out}.part`, BODY);
    const result = await pullModel({ url: `${base}/tiny.gguf`, out, sha256: SHA });
    expect(result).toMatchObject({ verified: true, resumedFrom: BODY.length });
    expect((await readFile(out)).equals(BODY)).toBe(true);
  });

  it("rejects a checksum mismatch and deletes the download", async () => {
    const out = path.join(dir, "tiny.gguf");
    const wrong = "0".repeat(64);
    const failure = await pullModel({ url: `${base}/tiny.gguf`, out, sha256: wrong }).catch((error: unknown) => error);
    expect((failure as CliError).message).toMatch(/Checksum mismatch: expected sha256 0{64}, got [0-9a-f]{64}/);
    expect(await readdir(dir)).toEqual([]);
  });

  it("reports the checksum without verifying when none is known", async () => {
    const result = await pullModel({ url: `${base}/tiny.gguf`, out: path.join(dir, "tiny.gguf") });
    expect(result).toMatchObject({ sha256: SHA, verified: false });
  });

  it("says the host answered an HTTP error", async () => {
    mode = { status: 404 };
    const failure = await pullModel({ url: `${base}/missing.gguf`, out: path.join(dir, "x.gguf") }).catch(
      (error: unknown) => error,
    );
    expect((failure as CliError).message).toBe(`The download host answered HTTP 404 for ${base}/missing.gguf.`);
  });

  it("gives up on a host that accepts the connection but never answers", async () => {
    const silent = createServer(() => {});
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/x.gguf`;
    try {
      const failure = await pullModel({ url, out: path.join(dir, "x.gguf"), stallMs: 200 }).catch(
        (error: unknown) => error,
      );
      expect((failure as CliError).message).toMatch(/unreachable \(no answer for 0.2 s\)/);
    } finally {
      silent.closeAllConnections();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});

describe("troupe models pull", () => {
  it("fails offline with one line naming the host and LOCAL_MODEL_PATH", async () => {
    // A port nobody listens on: connection refused, as with no network.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));

    const program = new Command().exitOverride();
    registerPullCommand(program.command("models"));
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const failure = await program
        .parseAsync([
          "node",
          "troupe",
          "models",
          "pull",
          `http://127.0.0.1:${port}/m.gguf`,
          "--out",
          path.join(dir, "m.gguf"),
        ])
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(CliError);
      const message = (failure as CliError).message;
      expect(message).not.toContain("\n");
      expect(message).toMatch(new RegExp(`download host 127\\.0\\.0\\.1:${port} is unreachable`));
      expect(message).toMatch(/LOCAL_MODEL_PATH=\.data\/models\/<file>\.gguf/);
    } finally {
      vi.restoreAllMocks();
    }
  });

  it("validates its input before downloading", async () => {
    const program = new Command().exitOverride();
    registerPullCommand(program.command("models"));
    vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    try {
      const failure = await program
        .parseAsync(["node", "troupe", "models", "pull", `${base}/m.gguf`, "--sha256", "abc"])
        .catch((error: unknown) => error);
      expect((failure as CliError).message).toMatch(/sha256: must be 64 hexadecimal characters/);
      expect(requests).toEqual([]);
    } finally {
      vi.restoreAllMocks();
    }
  });
});
