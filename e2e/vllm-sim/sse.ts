/**
 * Writes a stream's bytes, optionally cutting some writes at a seeded random point so one SSE
 * frame (or one multi-byte UTF-8 character) arrives in two reads. Real proxies and TCP do this; a client that
 * parses per read, or decodes each chunk without a streaming decoder, breaks here as it would in
 * production. The tail goes out on the next event-loop turn (after I/O polling), so the client
 * really can read the first part alone without the stream falling behind.
 */

import type { ServerResponse } from "node:http";
import type { Rng } from "./generate";

export class SseWriter {
  private pending: Buffer | null = null;
  private endAfterPending = false;

  /** `rng` null: write every batch whole. */
  constructor(
    private readonly res: ServerResponse,
    private readonly rng: Rng | null,
  ) {}

  /** Sends one batch of frames; `end` closes the response after it. */
  send(data: string, end = false): void {
    this.flushPending();
    if (this.res.destroyed || data === "") {
      if (end) this.res.end();
      return;
    }
    const rng = this.rng;
    // Batches carrying multi-byte characters are split more often, usually inside a character.
    const multiByte = rng !== null && NON_ASCII.test(data);
    if (rng === null || rng() >= (multiByte ? 0.5 : 0.2)) {
      if (end) this.res.end(data);
      else this.res.write(data);
      return;
    }
    const bytes = Buffer.from(data, "utf8");
    const cut = cutPoint(bytes, rng, multiByte ? 0.75 : 0);
    this.res.write(bytes.subarray(0, cut));
    this.pending = bytes.subarray(cut);
    this.endAfterPending = end;
    // A millisecond apart, like a second TCP segment: with setImmediate a busy client often read
    // both halves at once, and the split it is meant to see never happened.
    setTimeout(() => this.flushPending(), 1);
  }

  private flushPending(): void {
    const pending = this.pending;
    if (pending === null) return;
    this.pending = null;
    if (this.res.destroyed) return;
    if (this.endAfterPending) this.res.end(pending);
    else this.res.write(pending);
  }
}

const NON_ASCII = /[\u0080-\uffff]/;

/** A cut inside a multi-byte character with probability `midChar` (when there is one), else anywhere. */
function cutPoint(bytes: Buffer, rng: Rng, midChar: number): number {
  const random = 1 + Math.floor(rng() * (bytes.length - 1));
  if (rng() < midChar) {
    for (let i = 0; i < bytes.length; i++) {
      const at = (random + i) % bytes.length;
      // 10xxxxxx is a UTF-8 continuation byte: cutting before it splits a character.
      if (at > 0 && ((bytes[at] ?? 0) & 0xc0) === 0x80) return at;
    }
  }
  return random;
}
