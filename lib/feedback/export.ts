import "server-only";
// Streaming exports of feedback: raw events, and the derived pairs and KTO rows in the formats
// trainers read (see method.md). Rows come from the database in keyset-paged batches, so memory
// stays flat however many there are. Only consenting users' signals are exported, raw events included.
import type { Prisma } from "@/generated/prisma/client";
import { type ExportSample, formatLines } from "@/lib/datasets/formats";
import { db } from "@/lib/db";
import type { ExportFormat } from "./schema";

const BATCH = 500;

type Cursor = { createdAt: Date; id: string } | null;

function after(cursor: Cursor) {
  return cursor
    ? { OR: [{ createdAt: { gt: cursor.createdAt } }, { createdAt: cursor.createdAt, id: { gt: cursor.id } }] }
    : {};
}

async function* pages<T extends { createdAt: Date; id: string }>(fetch: (cursor: Cursor) => Promise<T[]>) {
  let cursor: Cursor = null;
  for (;;) {
    const rows = await fetch(cursor);
    if (rows.length === 0) return;
    yield rows;
    const last = rows.at(-1) as T;
    cursor = { createdAt: last.createdAt, id: last.id };
    if (rows.length < BATCH) return;
  }
}

/** The training line of a sample in `format`: the dataset exporters' output for the same format. */
export function formatSample(
  format: Exclude<ExportFormat, "events">,
  sample: Omit<ExportSample, "prompt"> & { prompt: unknown },
): string {
  return formatLines(format, { ...sample, prompt: JSON.stringify(sample.prompt) });
}

/** JSON lines of the export, batch by batch (each chunk ends with a newline). */
export async function* exportFeedback(format: ExportFormat, options: { since?: Date } = {}): AsyncGenerator<string> {
  const since = options.since ? { createdAt: { gte: options.since } } : {};
  if (format === "events") {
    for await (const rows of pages((cursor) =>
      db.feedbackEvent.findMany({
        where: { consented: true, ...since, ...after(cursor) },
        orderBy: [{ createdAt: "asc" }, { id: "asc" }],
        take: BATCH,
      }),
    )) {
      yield rows.map((row) => `${JSON.stringify(row)}\n`).join("");
    }
    return;
  }
  const where: Prisma.TrainingSampleWhereInput = {
    kind: format === "trl-kto" ? "KTO" : "PREFERENCE",
    source: { in: ["SWIPE", "EDIT", "ARENA", "RATING"] },
    state: { not: "ERASED" },
    ...since,
  };
  for await (const rows of pages((cursor) =>
    db.trainingSample.findMany({
      where: { ...where, ...after(cursor) },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: BATCH,
      select: {
        id: true,
        createdAt: true,
        kind: true,
        prompt: true,
        chosen: true,
        rejected: true,
        label: true,
        trainOn: true,
      },
    }),
  )) {
    yield rows.map((row) => formatSample(format, row)).join("");
  }
}
