import "server-only";
// Reading an imported input's rows back, in file order, a page at a time.
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";

const PAGE = 1000;

export async function* seedsOf<T>(inputId: string, kind: string, limit = Number.POSITIVE_INFINITY) {
  const input = await db.synthesisInput.findUnique({ where: { id: inputId }, select: { kind: true, name: true } });
  if (!input) throw new AppError("not_found:input", "That input file does not exist.");
  if (input.kind !== kind) {
    throw new AppError("bad_request:input_kind", `"${input.name}" holds ${input.kind}, not ${kind}.`);
  }
  let after = -1;
  let yielded = 0;
  while (yielded < limit) {
    const rows = await db.synthesisSeed.findMany({
      where: { inputId, line: { gt: after } },
      orderBy: { line: "asc" },
      take: PAGE,
    });
    for (const row of rows) {
      if (yielded >= limit) return;
      yielded++;
      yield { seedId: row.seedId, data: row.data as T };
    }
    if (rows.length < PAGE) return;
    after = rows.at(-1)?.line ?? after;
  }
}
