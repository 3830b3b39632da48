// `troupe models pull`: download a GGUF model for the local CPU engine into .data/models/. The
// download goes to a `.part` file that a rerun resumes with an HTTP Range request; the file gets
// its final name only after its sha256 matches (when a checksum is known or given).
import { createHash, type Hash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import type { Command } from "commander";
import { z } from "zod";
import { projectRoot } from "@/lib/paths";
import { CliError, emit } from "./output";

/** Qwen2.5-0.5B-Instruct Q4_K_M from Qwen's own repository, pinned to a revision so the checksum holds. */
export const DEFAULT_GGUF = {
  url: "https://huggingface.co/Qwen/Qwen2.5-0.5B-Instruct-GGUF/resolve/9217f5db79a29953eb74d5343926648285ec7e67/qwen2.5-0.5b-instruct-q4_k_m.gguf",
  sha256: "74a4da8c9fdbcd15bd1f6d01d621410d31c6fc00986f5eb687824e7b93d7a9db",
  bytes: 491_400_032,
} as const;

/** A connection that sends nothing for this long is given up (a firewall that drops packets hangs otherwise). */
const STALL_MS = 30_000;

export const pullInputSchema = z.object({
  url: z.url({ protocol: /^https?$/, error: "must be an http(s) URL of a .gguf file" }),
  out: z.string().trim().min(1).optional(),
  sha256: z
    .string()
    .trim()
    .regex(/^[0-9a-fA-F]{64}$/, { error: "must be 64 hexadecimal characters" })
    .transform((value) => value.toLowerCase())
    .optional(),
});

export type PullProgress = (received: number, total: number | null) => void;

export type PullResult = {
  path: string;
  bytes: number;
  sha256: string;
  /** True when the file matched a known or given checksum. */
  verified: boolean;
  /** Bytes that were already in the `.part` file and were not downloaded again. */
  resumedFrom: number;
  alreadyPresent: boolean;
};

const MB = 1024 * 1024;
const megabytes = (bytes: number) => `${(bytes / MB).toFixed(1)} MB`;

async function fileSize(file: string): Promise<number | null> {
  const info = await stat(file).catch(() => null);
  return info?.isFile() ? info.size : null;
}

async function hashFile(file: string, hash: Hash = createHash("sha256")): Promise<Hash> {
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash;
}

function describeCause(error: unknown): string {
  let current: unknown = error;
  let message = error instanceof Error ? error.message : String(error);
  for (let depth = 0; current instanceof Error && depth < 5; depth++) {
    message = current.message;
    current = current.cause;
  }
  return message;
}

function unreachable(url: string, error: unknown): CliError {
  const host = new URL(url).host;
  return new CliError(
    `The download host ${host} is unreachable (${describeCause(error)}). Without network, copy a GGUF model into .data/models/ yourself and set LOCAL_MODEL_PATH=.data/models/<file>.gguf in .env.`,
  );
}

/** The total size from `Content-Range: bytes 100-199/200`, when the range starts where asked. */
function rangeTotal(header: string | null, start: number): number | null | undefined {
  const match = header ? /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(header.trim()) : null;
  if (!match || Number(match[1]) !== start) return undefined;
  return match[2] === "*" ? null : Number(match[2]);
}

/** Download `url` to `out` (resuming `out.part`), verifying `sha256` when given. */
export async function pullModel(options: {
  url: string;
  out: string;
  sha256?: string;
  onProgress?: PullProgress;
  stallMs?: number;
}): Promise<PullResult> {
  const { url, out, sha256: expected } = options;
  await mkdir(path.dirname(out), { recursive: true });

  const existing = await fileSize(out);
  if (existing !== null) {
    const actual = (await hashFile(out)).digest("hex");
    if (expected && actual !== expected) {
      throw new CliError(
        `${out} already exists but its sha256 is ${actual}, not ${expected}. Delete it to download again.`,
      );
    }
    return { path: out, bytes: existing, sha256: actual, verified: !!expected, resumedFrom: 0, alreadyPresent: true };
  }

  const part = `${out}.part`;
  let offset = (await fileSize(part)) ?? 0;
  const controller = new AbortController();
  const stallMs = options.stallMs ?? STALL_MS;
  let timer = setTimeout(() => controller.abort(new Error(`no answer for ${stallMs / 1000} s`)), stallMs);
  const touch = () => {
    clearTimeout(timer);
    timer = setTimeout(() => controller.abort(new Error(`no data for ${stallMs / 1000} s`)), stallMs);
  };

  try {
    let response: Response;
    try {
      response = await fetch(url, {
        headers: offset > 0 ? { Range: `bytes=${offset}-` } : {},
        signal: controller.signal,
      });
    } catch (error) {
      throw unreachable(url, controller.signal.aborted ? controller.signal.reason : error);
    }
    touch();

    let total: number | null;
    if (response.status === 416 && offset > 0) {
      // The previous run received every byte but stopped before the rename.
      await response.body?.cancel();
      total = offset;
    } else if (response.status === 206 && offset > 0) {
      const fromRange = rangeTotal(response.headers.get("content-range"), offset);
      if (fromRange === undefined) {
        await response.body?.cancel();
        throw new CliError(
          `The download host answered a resume request with an unexpected range; delete ${part} and retry.`,
        );
      }
      total = fromRange;
    } else if (response.ok) {
      // A 200 to a Range request means the server starts over from byte 0.
      offset = 0;
      const length = Number(response.headers.get("content-length"));
      total = Number.isFinite(length) && length > 0 ? length : null;
    } else {
      await response.body?.cancel();
      throw new CliError(`The download host answered HTTP ${response.status} for ${url}.`);
    }

    const hash = createHash("sha256");
    if (offset > 0) await hashFile(part, hash);
    let received = offset;
    options.onProgress?.(received, total);
    if (response.status !== 416 && response.body) {
      const body = Readable.fromWeb(response.body as unknown as NodeReadableStream<Uint8Array>);
      const meter = new Transform({
        transform(chunk: Buffer, _encoding, callback) {
          touch();
          hash.update(chunk);
          received += chunk.length;
          options.onProgress?.(received, total);
          callback(null, chunk);
        },
      });
      try {
        await pipeline(body, meter, createWriteStream(part, { flags: offset > 0 ? "a" : "w" }));
      } catch (error) {
        const reason = controller.signal.aborted ? controller.signal.reason : error;
        throw new CliError(
          `The download stopped at ${megabytes(received)}${total ? ` of ${megabytes(total)}` : ""} (${describeCause(reason)}). Run the same command again to resume.`,
        );
      }
    }

    const actual = hash.digest("hex");
    if (expected && actual !== expected) {
      await rm(part, { force: true });
      throw new CliError(
        `Checksum mismatch: expected sha256 ${expected}, got ${actual}. The download was deleted; run the command again.`,
      );
    }
    await rename(part, out);
    return {
      path: out,
      bytes: received,
      sha256: actual,
      verified: !!expected,
      resumedFrom: offset,
      alreadyPresent: false,
    };
  } finally {
    clearTimeout(timer);
  }
}

/** A bar redrawn in place on a terminal; a line every 10% (or 50 MB when the size is unknown) otherwise. */
export function progressReporter(stream: NodeJS.WriteStream = process.stderr): {
  update: PullProgress;
  done: () => void;
} {
  const started = Date.now();
  let startBytes: number | null = null;
  let lastDraw = 0;
  let lastStep = -1;
  let drawn = false;
  return {
    update(received, total) {
      startBytes ??= received;
      const percent = total ? Math.min(100, Math.floor((received / total) * 100)) : null;
      if (stream.isTTY) {
        const now = Date.now();
        if (now - lastDraw < 100 && received !== total) return;
        lastDraw = now;
        const seconds = Math.max(0.001, (now - started) / 1000);
        const speed = `${megabytes((received - startBytes) / seconds)}/s`;
        const width = 30;
        const filled = percent === null ? 0 : Math.round((percent / 100) * width);
        const bar =
          percent === null
            ? ""
            : `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${String(percent).padStart(3)}%  `;
        stream.write(`\r${bar}${megabytes(received)}${total ? ` / ${megabytes(total)}` : ""}  ${speed}\u001b[K`);
        drawn = true;
        return;
      }
      const step = percent === null ? Math.floor(received / (50 * MB)) : Math.floor(percent / 10);
      if (step === lastStep) return;
      lastStep = step;
      stream.write(`downloaded ${megabytes(received)}${total ? ` of ${megabytes(total)} (${percent}%)` : ""}\n`);
    },
    done() {
      if (drawn) stream.write("\n");
    },
  };
}

export function registerPullCommand(models: Command): void {
  models
    .command("pull")
    .description(
      `Download a GGUF model for the local CPU engine into .data/models/ (default: Qwen2.5-0.5B-Instruct Q4_K_M, ${Math.round(DEFAULT_GGUF.bytes / MB)} MB). Resumes an interrupted download; verifies the sha256.`,
    )
    .argument("[url]", "the .gguf file's URL", DEFAULT_GGUF.url)
    .option("--out <file>", "where to save it (default: .data/models/<file name from the URL>)")
    .option("--sha256 <hex>", "the expected sha256 (known for the default model)")
    .option("--json", "machine-readable output")
    .action(async (rawUrl: string, options: { out?: string; sha256?: string; json?: boolean }) => {
      const parsed = pullInputSchema.safeParse({ url: rawUrl, out: options.out, sha256: options.sha256 });
      if (!parsed.success) {
        throw new CliError(parsed.error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("\n"));
      }
      const { url } = parsed.data;
      const fileName = decodeURIComponent(new URL(url).pathname.split("/").pop() || "model.gguf");
      const out = path.resolve(projectRoot(), parsed.data.out ?? path.join(".data", "models", fileName));
      const sha256 = parsed.data.sha256 ?? (url === DEFAULT_GGUF.url ? DEFAULT_GGUF.sha256 : undefined);

      process.stderr.write(`Downloading ${url}\n  to ${out}\n`);
      const progress = progressReporter();
      let result: PullResult;
      try {
        result = await pullModel({ url, out, ...(sha256 ? { sha256 } : {}), onProgress: progress.update });
      } finally {
        progress.done();
      }
      const relative = path.relative(projectRoot(), result.path) || result.path;
      emit(options, result, () =>
        [
          result.alreadyPresent
            ? `${relative} is already here.`
            : `Saved ${relative} (${megabytes(result.bytes)}${result.resumedFrom ? `, resumed at ${megabytes(result.resumedFrom)}` : ""}).`,
          result.verified
            ? `sha256 ${result.sha256} (verified)`
            : `sha256 ${result.sha256} (not verified: no checksum known; pass --sha256 to check one)`,
          `To chat with it, set LOCAL_MODEL_PATH=${relative} in .env (with LLM_BASE_URL unset) and restart Troupe.`,
        ].join("\n"),
      );
    });
}
