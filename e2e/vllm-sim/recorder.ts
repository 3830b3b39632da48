/**
 * Every request the simulator receives (except its own /sim control API), so tests can assert
 * exactly what Troupe sent: headers, parsed body, order. Bearer tokens are redacted but their
 * presence is kept. Sequence numbers survive clearing, so `?since=SEQ` stays meaningful.
 */

import type { IncomingMessage } from "node:http";

export interface RecordedRequest {
  seq: number;
  /** ISO timestamp of arrival. */
  time: string;
  method: string;
  /** Path without the query string. */
  path: string;
  headers: Record<string, string>;
  /** Parsed JSON body; the raw text when it was not JSON; null when empty. */
  body: unknown;
}

export class RequestLog {
  /** Live list, oldest first; cleared in place so references held by tests stay valid. */
  readonly entries: RecordedRequest[] = [];
  private seq = 0;

  constructor(private readonly capacity: number) {}

  record(req: IncomingMessage, path: string, body: unknown): void {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined) continue;
      headers[name] = Array.isArray(value) ? value.join(", ") : value;
    }
    if (headers.authorization !== undefined) {
      headers.authorization = /^bearer\s/i.test(headers.authorization) ? "Bearer ***" : "***";
    }
    this.seq += 1;
    this.entries.push({
      seq: this.seq,
      time: new Date().toISOString(),
      method: req.method ?? "GET",
      path,
      headers,
      body,
    });
    // Drop a batch at a time so a long benchmark does not pay a shift per request.
    if (this.entries.length > this.capacity) this.entries.splice(0, Math.ceil(this.capacity / 10));
  }

  since(seq: number): RecordedRequest[] {
    return this.entries.filter((entry) => entry.seq > seq);
  }

  clear(): void {
    this.entries.length = 0;
  }
}
