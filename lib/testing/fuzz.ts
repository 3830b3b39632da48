// Shared pieces of the fuzz suites (`*.fuzz.test.ts`): one fixed seed so a failure reproduces, the
// run count, heap measured after a full collection, and generators of the hostile values strangers'
// files contain — wrong types, prototype keys, control characters, lone surrogates, huge and deep.
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import fc from "fast-check";
import { storableText } from "@/lib/text";

/** `FUZZ_SEED=… npm test -- unit FILE` replays a run; the default keeps every run identical. */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20_260_301);
/** Cases per property; the Proof issue asks for at least 1,000. */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 1000);
/** A case slower than this counts as a hang (generous: the test machine is shared). */
export const CASE_TIME_LIMIT_MS = 5_000;

/** fast-check options for one property; the seed and count are printed so the report can cite them. */
export function fuzzOptions(label: string, numRuns = FUZZ_RUNS): fc.Parameters<unknown> {
  console.info(`[fuzz] ${label}: seed ${FUZZ_SEED}, ${numRuns} runs`);
  return { seed: FUZZ_SEED, numRuns };
}

/** Times each case of a synchronous property and keeps the slowest. */
export class CaseTimer {
  cases = 0;
  slowestMs = 0;

  time<T>(run: () => T): T {
    const started = performance.now();
    try {
      return run();
    } finally {
      this.record(performance.now() - started);
    }
  }

  async timeAsync<T>(run: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await run();
    } finally {
      this.record(performance.now() - started);
    }
  }

  private record(ms: number): void {
    this.cases++;
    this.slowestMs = Math.max(this.slowestMs, ms);
  }
}

let gc: (() => void) | undefined;

/**
 * Heap in use after a full collection, in MB. Vitest's workers start without --expose-gc, so the
 * flag is set at run time and the collector taken from a fresh context, where V8 then defines it.
 */
export function heapAfterGcMb(): number {
  if (!gc) {
    setFlagsFromString("--expose-gc");
    gc = runInNewContext("gc") as () => void;
  }
  gc();
  gc();
  return process.memoryUsage().heapUsed / 1024 / 1024;
}

/**
 * Where `value` holds text PostgreSQL cannot store (a NUL, a lone surrogate) — in a string or a key —
 * as a path like `profile.name`; undefined when everything can be stored.
 */
export function unstorablePath(value: unknown, path = "$"): string | undefined {
  if (typeof value === "string") return storableText(value) ? undefined : path;
  if (typeof value !== "object" || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const where = `${path}.${key}`;
    const found = unstorablePath(key, `${where} (the key)`) ?? unstorablePath(item, where);
    if (found) return found;
  }
  return undefined;
}

/** Sets an own property, even `__proto__` (plain assignment would change the prototype instead). */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Keys that break code which assigns by key or turns values into text. */
export const PROTOTYPE_KEYS = ["__proto__", "constructor", "prototype", "toString", "valueOf", "hasOwnProperty"];

const controlCharacter = fc.integer({ min: 0, max: 0x1f }).map((code) => String.fromCharCode(code));
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code));
const oddCharacter = fc.constantFrom(
  "\u200b", // zero-width space
  "\u202e", // right-to-left override
  "\ufeff", // byte-order mark
  "\ufffd",
  "\uffff",
  "\u0085",
  "é",
  "ß",
  "\u0301", // combining accent
  "日本",
  "👩‍👩‍👧",
  "𝕏",
  "\r\n",
  "\\",
  '"',
  "<",
);

/** Short text with control characters, lone surrogates, odd Unicode and markup mixed in. */
export const hostileText = fc
  .array(
    fc.oneof(
      { weight: 4, arbitrary: fc.string({ maxLength: 12 }) },
      { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 6 }) },
      { weight: 1, arbitrary: controlCharacter },
      { weight: 1, arbitrary: loneSurrogate },
      { weight: 2, arbitrary: oddCharacter },
      {
        weight: 1,
        arbitrary: fc.constantFrom("<script>alert(1)</script>", "{{char}}", "<START>", "%s%n", "\u0000"),
      },
    ),
    { maxLength: 8 },
  )
  .map((parts) => parts.join(""));

/** Text that looks like another type, or like a value a lenient reader converts. */
const textLikeOtherTypes = fc.constantFrom(
  "",
  " ",
  "true",
  "false",
  "yes",
  "0",
  "1",
  "100",
  "-5",
  "1e400",
  "NaN",
  "2024-02-30T25:00:00Z",
  "2024-01-01",
  "null",
  "[]",
  "{}",
  "a, b, ,c,,",
  "line one\nline two",
);

/** Text over the profile limits (4,000 and 32,000 characters), made of repeats so it costs little to generate. */
const hugeText = fc
  .tuple(fc.constantFrom(4_001, 16_001, 32_001, 200_000), fc.constantFrom("a", "é", "😀", " ", "x\u0000"))
  .map(([length, unit]) => unit.repeat(Math.ceil(length / unit.length)));

export const anyText = fc.oneof(
  { weight: 5, arbitrary: hostileText },
  { weight: 2, arbitrary: textLikeOtherTypes },
  { weight: 1, arbitrary: hugeText },
);

export const anyNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 1, -1, 0.5, 1e21, -1e21, 2 ** 53, 1e11, 1.7e308, 1_700_000_000_000),
);

/**
 * Keys for generated objects: the names the parser looks for (so objects resemble real input),
 * prototype keys, and arbitrary text.
 */
export function anyKey(knownKeys: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.constantFrom(...knownKeys) },
    { weight: 2, arbitrary: fc.constantFrom(...PROTOTYPE_KEYS) },
    { weight: 2, arbitrary: hostileText },
  );
}

/** Arbitrary JSON values (as `JSON.parse` would build them) with keys drawn from `knownKeys`. */
export function anyJson(knownKeys: readonly string[], maxDepth = 4): fc.Arbitrary<unknown> {
  const key = anyKey(knownKeys);
  return fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: "small", maxDepth, withCrossShrink: true },
      anyText,
      anyNumber,
      fc.boolean(),
      fc.constant(null),
      fc.array(tie("value"), { maxLength: 5 }),
      fc.array(fc.tuple(key, tie("value")), { maxLength: 6 }).map(objectOf),
    ),
  })).value;
}

/** An object with these own properties, `__proto__` included (as JSON.parse would make it). */
export function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (const [key, value] of entries) setOwn(object, key, value);
  return object;
}

/** A value nested `depth` levels deep, as JSON text (too deep to build as a value and stringify). */
export function deepJsonText(depth: number, kind: "array" | "object"): string {
  return kind === "array"
    ? `${"[".repeat(depth)}${"]".repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
}

type Mutation =
  | { op: "replace"; at: number; value: unknown }
  | { op: "delete"; at: number }
  | { op: "add"; at: number; key: string; value: unknown }
  | { op: "wrap"; at: number };

/**
 * Mutations of a JSON value: each picks one of its containers or fields (by index, modulo their
 * number) and replaces it with a wrong-typed value, deletes it, adds a key, or wraps it in a list.
 */
export function mutated<T>(base: T, knownKeys: readonly string[], maxMutations = 4): fc.Arbitrary<T> {
  const value = anyJson(knownKeys, 3);
  const mutation: fc.Arbitrary<Mutation> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ op: fc.constant("replace" as const), at: fc.nat(), value }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant("delete" as const), at: fc.nat() }) },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant("add" as const), at: fc.nat(), key: anyKey(knownKeys), value }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant("wrap" as const), at: fc.nat() }) },
  );
  // Generated values are cloned on the way in: fast-check hands the same objects to every shrink.
  return fc.array(mutation, { minLength: 1, maxLength: maxMutations }).map((mutations) => {
    const copy = structuredClone(base) as unknown;
    for (const change of mutations) apply(copy, change);
    return copy as T;
  });
}

type Slot = { parent: Record<string, unknown> | unknown[]; key: string | number };

function slots(value: unknown, found: Slot[] = []): Slot[] {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      found.push({ parent: value, key: index });
      slots(item, found);
    });
  } else if (typeof value === "object" && value !== null) {
    for (const [key, item] of Object.entries(value)) {
      found.push({ parent: value as Record<string, unknown>, key });
      slots(item, found);
    }
  }
  return found;
}

function apply(root: unknown, mutation: Mutation): void {
  const all = slots(root);
  const slot = all[mutation.at % Math.max(all.length, 1)];
  if (!slot) return;
  const { parent, key } = slot;
  const current = (parent as Record<string | number, unknown>)[key];
  switch (mutation.op) {
    case "replace":
      setSlot(parent, key, structuredClone(mutation.value));
      break;
    case "delete":
      if (Array.isArray(parent)) parent.splice(Number(key), 1);
      else delete parent[key];
      break;
    case "add":
      if (typeof current === "object" && current !== null && !Array.isArray(current)) {
        setOwn(current as Record<string, unknown>, mutation.key, structuredClone(mutation.value));
      } else if (!Array.isArray(parent)) setOwn(parent, mutation.key, structuredClone(mutation.value));
      break;
    case "wrap":
      setSlot(parent, key, [current]);
      break;
  }
}

function setSlot(parent: Record<string, unknown> | unknown[], key: string | number, value: unknown): void {
  if (Array.isArray(parent)) parent[Number(key)] = value;
  else setOwn(parent, String(key), value);
}

// JSON Lines files

/**
 * One generated line and what reading it must give: `good` a value, `bad` an error naming its line,
 * `blank` nothing at all, `either` a value or an error (a mutation may or may not break a line).
 */
export type FuzzLine = { bytes: Uint8Array; expect: "good" | "bad" | "blank" | "either"; text?: string };

export interface FuzzFile {
  lines: FuzzLine[];
  /** The file as a reader receives it: cut at random places, inside characters and line endings too. */
  chunks: Uint8Array[];
  bytes: number;
}

const utf8 = new TextEncoder();

export function line(text: string, expect: FuzzLine["expect"]): FuzzLine {
  return { bytes: utf8.encode(text), expect, text };
}

export const blankLine = fc.constantFrom("", " ", "\t", "   ", "\u00a0", "\u3000").map((text) => line(text, "blank"));

/** Bytes that are not UTF-8 (0xFF never is) and hold no line feed. */
export const junkLine = fc.tuple(fc.uint8Array({ maxLength: 40 }), fc.nat()).map(([bytes, at]): FuzzLine => {
  const junk = bytes.filter((byte) => byte !== 0x0a);
  const index = at % (junk.length + 1);
  return { bytes: new Uint8Array([...junk.subarray(0, index), 0xff, ...junk.subarray(index)]), expect: "bad" };
});

/** A line longer than `maxLineBytes`: an error, and never held in memory whole. */
export function tooLongLine(maxLineBytes: number): fc.Arbitrary<FuzzLine> {
  return fc
    .nat(64)
    .map((extra): FuzzLine => ({ bytes: new Uint8Array(maxLineBytes + 1 + extra).fill(0x78), expect: "bad" }));
}

/**
 * A file of these lines: LF or CRLF endings, a byte-order mark now and then, with or without a last
 * line ending, delivered in chunks of random sizes.
 */
export function jsonlFile(lines: fc.Arbitrary<FuzzLine[]>): fc.Arbitrary<FuzzFile> {
  return fc
    .tuple(
      lines,
      fc.array(fc.boolean(), { maxLength: 64 }),
      fc.boolean(),
      fc.boolean(),
      fc.array(fc.integer({ min: 1, max: 64 * 1024 }), { maxLength: 16 }),
    )
    .map(([fileLines, crlf, bom, finalNewline, cuts]) => {
      const parts: Uint8Array[] = bom ? [new Uint8Array([0xef, 0xbb, 0xbf])] : [];
      fileLines.forEach((fileLine, index) => {
        parts.push(fileLine.bytes);
        const last = index === fileLines.length - 1;
        if (!last || finalNewline) parts.push(crlf[index % Math.max(crlf.length, 1)] ? CRLF : LF);
      });
      const bytes = Buffer.concat(parts);
      const chunks: Uint8Array[] = [];
      let offset = 0;
      for (const cut of cuts) {
        if (offset >= bytes.length) break;
        chunks.push(new Uint8Array(bytes.subarray(offset, offset + cut)));
        offset += cut;
      }
      if (offset < bytes.length) chunks.push(new Uint8Array(bytes.subarray(offset)));
      return { lines: fileLines, chunks, bytes: bytes.length };
    });
}

const LF = new Uint8Array([0x0a]);
const CRLF = new Uint8Array([0x0d, 0x0a]);

export async function* streamOf(chunks: Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const chunk of chunks) yield chunk;
}

type LineResult = { ok: true; lineNumber: number } | { ok: false; lineNumber: number; error: string };

/**
 * Reading `file` gave `results`: one per line that is not blank, in order, each at its line number;
 * known-good lines read, known-bad lines refused with `line N: …`. Returns the good values' count.
 */
export function checkLineResults(file: FuzzFile, results: LineResult[]): { ok: number; failed: number } {
  const expected = file.lines.flatMap((fileLine, index) =>
    fileLine.expect === "blank" ? [] : [{ lineNumber: index + 1, expect: fileLine.expect }],
  );
  if (results.map((result) => result.lineNumber).join() !== expected.map((entry) => entry.lineNumber).join()) {
    throw new Error(
      `results for lines ${results.map((result) => result.lineNumber).join(", ")}; expected ${expected.map((entry) => entry.lineNumber).join(", ")}`,
    );
  }
  results.forEach((result, index) => {
    const wanted = expected[index]?.expect;
    if (wanted === "good" && !result.ok) throw new Error(`a good line was refused: ${result.error}`);
    if (wanted === "bad" && result.ok) throw new Error(`a bad line was read: line ${result.lineNumber}`);
    if (!result.ok && !result.error.startsWith(`line ${result.lineNumber}: `)) {
      throw new Error(`an error that does not name its line: ${result.error}`);
    }
  });
  const ok = results.filter((result) => result.ok).length;
  return { ok, failed: results.length - ok };
}
