import "server-only";
// Streaming exports of feedback: raw events, and the derived pairs and KTO rows in the formats
// trainers read (see method.md). Rows come from the database in keyset-paged batches, so memory
// stays flat however many there are. Only consenting users' signals are exported, raw events included.
import type { Prisma } from "@/generated/prisma/client";
import { db } from "@/lib/db";
import type { PromptTurn } from "./lineage";
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

const assistant = (content: string) => [{ role: "assistant", content }];

/** One training row in `format`, from a sample. */
export function formatSample(
  format: Exclude<ExportFormat, "events">,
  sample: { prompt: unknown; chosen: string; rejected: string | null; label: boolean | null },
): Record<string, unknown> {
  const prompt = sample.prompt as PromptTurn[];
  switch (format) {
    case "trl-dpo":
      return { prompt, chosen: assistant(sample.chosen), rejected: assistant(sample.rejected ?? "") };
    case "openai-dpo":
      return {
        input: { messages: prompt },
        preferred_output: assistant(sample.chosen),
        non_preferred_output: assistant(sample.rejected ?? ""),
      };
    case "trl-kto":
      return { prompt, completion: assistant(sample.chosen), label: sample.label === true };
  }
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
      select: { id: true, createdAt: true, prompt: true, chosen: true, rejected: true, label: true },
    }),
  )) {
    yield rows.map((row) => `${JSON.stringify(formatSample(format, row))}\n`).join("");
  }
}
