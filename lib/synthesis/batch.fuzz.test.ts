// Fuzzing `troupe batch import` with generated result files against a real job: answers that
// finish an item, failures that fail one, lines for items already done, ids no item has, unreadable
// lines (junk, not JSON, wrong fields, NUL ids, too deep, too long), mutations and blank lines, CRLF,
// a byte-order mark and chunk cuts anywhere. The summary must count each known line where it
// belongs, name every unreadable line, leave no item claimed and throw nothing; a big file must be
// read with flat memory. Seed and counts: lib/testing/fuzz.ts.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/lib/db";
import { assertTestDatabase } from "@/lib/testing/db";
import {
  blankLine,
  CASE_TIME_LIMIT_MS,
  CaseTimer,
  deepJsonText,
  FUZZ_RUNS,
  type FuzzLine,
  fuzzOptions,
  heapAfterGcMb,
  hostileText,
  junkLine,
  line,
  mutated,
  streamOf,
  tooLongLine,
} from "@/lib/testing/fuzz";
import { pipelineProfile } from "@/lib/testing/profiles";
import { createUser } from "@/lib/users/queries";
import { importBatch } from "./batch";
import { DEFAULT_MAX_LINE_BYTES } from "./inputs";
import { cleanText } from "./inputs/text";
import { createJob } from "./jobs";

assertTestDatabase();

/** Items in the job: every fuzz case uses fresh ones, so what a line does to its item is known. */
const ITEMS = 8000;
let jobId = "";
let nextItem = 0;
const processed: string[] = [];

beforeAll(async () => {
  const admin = await createUser({
    email: `batch-fuzz-${Date.now()}@unit.troupe`,
    name: "Batch Fuzz",
    password: "pass-word-1",
    role: "ADMIN",
  });
  const job = await createJob({
    pipeline: "profiles",
    template: "persona-to-profile@1",
    params: {},
    createdById: admin.id,
    items: Array.from({ length: ITEMS }, (_, index) => ({
      key: `profiles:fuzz-${index}`,
      input: { seedId: `fuzz-${index}`, persona: `A generated persona, number ${index}.` },
    })),
  });
  jobId = job.id;
}, 120_000);

const answer = (content: string | null, status = 200) => ({
  status_code: status,
  request_id: "q",
  body: {
    model: "troupe-sim/base-7b",
    choices: [{ message: { content } }],
    usage: { prompt_tokens: 9, completion_tokens: 7 },
  },
});

/** What a line will do, decided when the line is written: `expect` is the summary counter it must land in. */
type Planned = FuzzLine & { outcome?: "done" | "failed" | "skipped" | "unknown" | "invalid" | "either"; key?: string };
type Plan = () => Planned;

function fresh(): string {
  if (nextItem >= ITEMS) throw new Error("the fuzz job ran out of fresh items; raise ITEMS");
  return `profiles:fuzz-${nextItem++}`;
}
const resultLine = (value: unknown, outcome: Planned["outcome"], key?: string): Planned => ({
  ...line(JSON.stringify(value), outcome === "invalid" ? "bad" : outcome === "either" ? "either" : "good"),
  outcome,
  key,
});

const done = fc.constant((): Planned => {
  const key = fresh();
  return resultLine(
    { id: "r", custom_id: key, response: answer(JSON.stringify(pipelineProfile(`Fuzz ${key}`))), error: null },
    "done",
    key,
  );
});

const failure = fc
  .oneof(
    hostileText.map((message) => ({ response: null, error: { code: "server_error", message } })),
    fc.constant({ response: null, error: null }),
    fc.constantFrom(400, 429, 500, 503).map((status) => ({ response: answer(null, status), error: null })),
    fc
      .constantFrom("not json", "", "{}", '{"name": 5}', "[]")
      .map((content) => ({ response: answer(content), error: null })),
    fc.constant({ response: { status_code: 200, body: { choices: [] } }, error: null }),
    fc.constant({ response: { status_code: 200, body: "plain text" }, error: null }),
  )
  .map(
    (fields): Plan =>
      () => {
        const key = fresh();
        return resultLine({ id: "r", custom_id: key, ...fields }, "failed", key);
      },
  );

const skipped = fc.nat().map(
  (pick): Plan =>
    () => {
      const key = processed[pick % Math.max(processed.length, 1)];
      if (key === undefined) return resultLine({ custom_id: `nope:${pick}` }, "unknown");
      return resultLine({ custom_id: key, response: answer(JSON.stringify(pipelineProfile("Again"))) }, "skipped", key);
    },
);

// Ids with control characters or lone surrogates are unreadable lines, not unknown ids.
const unknown = hostileText.map(cleanText).map(
  (text): Plan =>
    () =>
      resultLine({ custom_id: `nope:${text}`, response: answer("{}") }, "unknown"),
);

const invalid = fc
  .oneof(
    fc.constantFrom(
      "not json",
      "[]",
      "{}",
      '"text"',
      '{"custom_id": 5}',
      '{"custom_id": null}',
      '{"custom_id": "profiles:fuzz-0", "response": {"status_code": "200"}}',
      '{"custom_id": "profiles:fuzz-0", "response": {"status_code": 200.5}}',
      '{"custom_id": "profiles:fuzz-0", "response": []}',
      '{"custom_id": "profiles:\\u0000"}',
      '{"custom_id": {"toString": 1}}',
      `{"custom_id": "profiles:fuzz-1", "error": ${deepJsonText(50_000, "array")}}`,
      `{"custom_id": "profiles:fuzz-2", "response": {"status_code": 200, "body": ${deepJsonText(20_000, "object")}}}`,
    ),
    // The "?" keeps these from ever being JSON, whatever follows.
    fc
      .tuple(fc.constantFrom("{?", '{"custom_id": ?', "nope "), hostileText)
      .map(([start, rest]) => `${start}${rest.replace(/[\r\n]/g, " ")}`),
  )
  .map(
    (text): Plan =>
      () => ({ ...line(text, "bad"), outcome: "invalid" }),
  );

const either = mutated(
  { id: "r", custom_id: "KEY", response: answer(JSON.stringify(pipelineProfile("Mutant"))), error: null },
  ["id", "custom_id", "response", "status_code", "body", "choices", "message", "content", "usage", "error", "model"],
).map(
  (value): Plan =>
    () => {
      const key = fresh();
      return resultLine(JSON.parse(JSON.stringify(value).replaceAll('"KEY"', JSON.stringify(key))), "either", key);
    },
);

const plans = fc.array(
  fc.oneof(
    { weight: 1, arbitrary: done },
    { weight: 2, arbitrary: failure },
    { weight: 1, arbitrary: skipped },
    { weight: 2, arbitrary: unknown },
    { weight: 4, arbitrary: invalid },
    { weight: 2, arbitrary: either },
    {
      weight: 1,
      arbitrary: blankLine.map(
        (blank): Plan =>
          () =>
            blank,
      ),
    },
    {
      weight: 1,
      arbitrary: junkLine.map(
        (junk): Plan =>
          () => ({ ...junk, outcome: "invalid" }),
      ),
    },
  ),
  { maxLength: 12 },
);
// Rarely, a line over the 1 MiB limit.
const longLine = fc.oneof(
  { weight: 39, arbitrary: fc.constant(undefined) },
  {
    weight: 1,
    arbitrary: tooLongLine(DEFAULT_MAX_LINE_BYTES).map(
      (tooLong): Plan =>
        () => ({ ...tooLong, outcome: "invalid" }),
    ),
  },
);

/** Plans become lines only when the case runs, in order, so keys are fresh and "already done" is true. */
const resultFile = fc
  .tuple(
    plans,
    longLine,
    fc.record({ size: fc.integer({ min: 1, max: 64 * 1024 }), crlf: fc.boolean(), bom: fc.boolean() }),
  )
  .map(([steps, tooLong, layout]) => ({ steps: tooLong ? [...steps, tooLong] : steps, layout }));

const timer = new CaseTimer();
const totals = { files: 0, lines: 0, done: 0, failed: 0, skipped: 0, unknown: 0, invalid: 0 };

afterAll(() => {
  console.info(
    `[fuzz] batch import: ${totals.files} files, ${totals.lines} lines → ${totals.done} done, ${totals.failed} failed, ` +
      `${totals.skipped} already done, ${totals.unknown} unknown, ${totals.invalid} unreadable; slowest file ${timer.slowestMs.toFixed(0)} ms`,
  );
  // A file here writes to the database for most of its lines, so it gets twice a parser's allowance.
  expect(timer.slowestMs).toBeLessThan(CASE_TIME_LIMIT_MS * 2);
});

describe("fuzzing batch result files", () => {
  it(`result files against a real job (${FUZZ_RUNS} files)`, async () => {
    await fc.assert(
      fc.asyncProperty(resultFile, async ({ steps, layout }) => {
        const planned = steps.map((plan) => plan());
        const chunks = fileOf(planned, layout);
        const summary = await timer.timeAsync(() => importBatch(jobId, streamOf(chunks)));

        const count = (outcome: Planned["outcome"]) => planned.filter((entry) => entry.outcome === outcome).length;
        const eitherLines = count("either");
        for (const outcome of ["done", "failed", "skipped", "unknown", "invalid"] as const) {
          expect(summary[outcome]).toBeGreaterThanOrEqual(count(outcome));
          expect(summary[outcome]).toBeLessThanOrEqual(count(outcome) + eitherLines);
        }
        const lines = planned.filter((entry) => entry.expect !== "blank").length;
        expect(summary.done + summary.failed + summary.skipped + summary.unknown + summary.invalid).toBe(lines);

        // Unreadable lines are named by number: every known one, and otherwise only mutated ones.
        const numbered = planned.map((entry, index) => ({ ...entry, lineNumber: index + 1 }));
        const mustName = numbered.filter((entry) => entry.outcome === "invalid").map((entry) => entry.lineNumber);
        const mayName = new Set(
          numbered.filter((entry) => entry.outcome === "either").map((entry) => entry.lineNumber),
        );
        const named = summary.errors.map((error) => error.lineNumber);
        expect(named).toHaveLength(summary.invalid);
        expect(named.filter((lineNumber) => !mayName.has(lineNumber))).toEqual(mustName);
        for (const error of summary.errors) expect(error.error.startsWith(`line ${error.lineNumber}: `)).toBe(true);

        // The items: answered ones done, failed ones failed, and none left claimed by the import.
        const keyed = planned.filter((entry) => entry.key !== undefined);
        const items = await db.synthesisItem.findMany({
          where: { jobId, key: { in: keyed.map((entry) => entry.key ?? "") } },
          select: { key: true, status: true },
        });
        const status = new Map(items.map((item) => [item.key, item.status]));
        for (const entry of keyed) {
          if (entry.outcome === "done") expect(status.get(entry.key ?? "")).toBe("DONE");
          if (entry.outcome === "failed") expect(status.get(entry.key ?? "")).toBe("FAILED");
          if (entry.outcome === "either") expect(status.get(entry.key ?? "")).not.toBe("RUNNING");
          if (status.get(entry.key ?? "") !== "PENDING" && entry.key) processed.push(entry.key);
        }
        expect(await db.synthesisItem.count({ where: { jobId, status: "RUNNING" } })).toBe(0);

        totals.files++;
        totals.lines += planned.length;
        for (const outcome of ["done", "failed", "skipped", "unknown", "invalid"] as const)
          totals[outcome] += summary[outcome];
      }),
      fuzzOptions("batch import"),
    );
    expect(nextItem).toBeLessThanOrEqual(ITEMS);
  }, 600_000);
});

/** The planned lines as one file, cut into chunks of `size` bytes (inside characters and CRLFs too). */
function fileOf(planned: Planned[], layout: { size: number; crlf: boolean; bom: boolean }): Uint8Array[] {
  const ending = new Uint8Array(layout.crlf ? [0x0d, 0x0a] : [0x0a]);
  const bom = layout.bom ? [new Uint8Array([0xef, 0xbb, 0xbf])] : [];
  const bytes = Buffer.concat([...bom, ...planned.flatMap((entry) => [entry.bytes, ending])]);
  const chunks: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += layout.size) {
    chunks.push(new Uint8Array(bytes.subarray(offset, offset + layout.size)));
  }
  return chunks;
}

describe("streaming", () => {
  it("a 64 MB result file of unreadable and blank lines is read with flat memory", async () => {
    const MB = 1024 * 1024;
    const block = new TextEncoder().encode(
      `${Array.from({ length: 1000 }, (_, index) => (index % 3 === 0 ? "" : `{"custom_id": ${index}}`)).join("\r\n")}\r\n`,
    );
    const longLine = new Uint8Array(3 * MB).fill(0x7b);
    const checkpoints = new Map<number, number>();
    async function* big(): AsyncGenerator<Uint8Array> {
      let sent = 0;
      let mark = 1;
      while (sent < 64 * MB) {
        yield block;
        sent += block.length;
        if (sent < mark * MB) continue;
        if (mark % 8 === 0) checkpoints.set(mark, heapAfterGcMb());
        if (mark % 4 === 0) {
          yield longLine;
          yield new Uint8Array([0x0a]);
          sent += longLine.length + 1;
        }
        mark = Math.floor(sent / MB) + 1;
      }
    }
    const summary = await importBatch(jobId, big());
    const first = checkpoints.get(8) ?? Number.NaN;
    const last = Math.max(...[...checkpoints].filter(([mb]) => mb >= 56).map(([, heap]) => heap));
    console.info(
      `[fuzz] batch import streaming: ${summary.invalid} unreadable lines; heap after GC ${[...checkpoints].map(([mb, heap]) => `${mb} MB: ${heap.toFixed(1)}`).join(", ")} MB`,
    );
    expect(summary).toMatchObject({ done: 0, failed: 0, skipped: 0, unknown: 0 });
    expect(summary.errors).toHaveLength(50);
    expect(last - first).toBeLessThan(8);
  }, 300_000);
});
