// Writing a stream of JSON-lines chunks to a file or standard output.
import { createWriteStream } from "node:fs";
import { rename } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/** Write the chunks to `out` (- for stdout) and return how many lines they held. */
export async function writeJsonLines(
  out: string,
  chunks: AsyncIterable<string>,
): Promise<{ lines: number; bytes: number }> {
  let lines = 0;
  let bytes = 0;
  const counted = Readable.from(
    (async function* () {
      for await (const chunk of chunks) {
        for (let index = chunk.indexOf("\n"); index !== -1; index = chunk.indexOf("\n", index + 1)) lines++;
        bytes += Buffer.byteLength(chunk);
        yield chunk;
      }
    })(),
    // Bytes, not chunks: at most about 1 MB waits for the disk, however large the chunks are.
    { objectMode: false, highWaterMark: 1 << 20 },
  );
  if (out === "-") {
    await pipeline(counted, process.stdout);
  } else {
    // Written aside and renamed, so a failed export never leaves a truncated file behind.
    const partial = `${out}.partial`;
    await pipeline(counted, createWriteStream(partial));
    await rename(partial, out);
  }
  return { lines, bytes };
}
