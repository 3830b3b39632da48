import "server-only";
// Evaluation suites in the database: import (all or nothing: a suite with a bad line would score
// something other than what its file says), the built-in suites, regression suites made from a
// character, listing and export in the suite file format.
import { createReadStream } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import type { Prisma } from "@/generated/prisma/client";
import { profileSchema } from "@/lib/characters/schema";
import { db } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { projectRoot } from "@/lib/paths";
import type { InputSource } from "@/lib/synthesis/inputs";
import { assignCandidates } from "./candidates";
import { regressionSuiteFor } from "./regression";
import {
  EVAL_LIMITS,
  itemKey,
  type KnowledgeItem,
  parseSuite,
  type SuiteHeader,
  type SuiteItem,
  serializeHeader,
  serializeItem,
} from "./schema";

const SHOWN_ERRORS = 10;

type NewSuite = {
  name: string;
  header: SuiteHeader;
  items: SuiteItem[];
  origin: "builtin" | "imported" | "generated";
  createdById: string | null;
  characterId?: string | null;
};

async function storeSuite(suite: NewSuite) {
  if (suite.items.length === 0) throw new AppError("bad_request:empty_suite", "The suite has no items.");
  return db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('eval-suite:' || $1))`, suite.name);
    const latest = await tx.evalSuite.findFirst({ where: { name: suite.name }, orderBy: { version: "desc" } });
    // A built-in suite is installed once, however many pages ask for it at the same moment.
    if (latest && suite.origin === "builtin") return latest;
    const created = await tx.evalSuite.create({
      data: {
        name: suite.name,
        version: (latest?.version ?? 0) + 1,
        kind: suite.header.kind,
        description: suite.header.description,
        origin: suite.origin,
        characterId: suite.characterId ?? null,
        itemCount: suite.items.length,
        createdById: suite.createdById,
      },
    });
    const rows = suite.items.map((item, position) => ({
      suiteId: created.id,
      key: itemKey(item),
      position,
      session: item.kind === "knowledge" ? item.session : null,
      data: item as unknown as Prisma.InputJsonValue,
    }));
    for (let start = 0; start < rows.length; start += 1000) {
      await tx.evalItem.createMany({ data: rows.slice(start, start + 1000) });
    }
    return created;
  });
}

/**
 * Import a suite file. Every line must parse, kinds must not mix, and keys must be unique; knowledge
 * items without consistency candidates get them from the suite's other characters (seeded).
 */
export async function importSuite(
  source: InputSource,
  options: { name?: string; createdById: string | null; seed?: string; origin?: "builtin" | "imported" },
) {
  let header: SuiteHeader | undefined;
  const items: SuiteItem[] = [];
  const errors: string[] = [];
  let failed = 0;
  for await (const result of parseSuite(source)) {
    if (!result.ok) {
      failed++;
      if (errors.length < SHOWN_ERRORS) errors.push(result.error);
    } else if ("header" in result.value) header = result.value.header;
    else if (items.length >= EVAL_LIMITS.items) {
      throw new AppError(
        "bad_request:suite_too_large",
        `A suite holds at most ${EVAL_LIMITS.items.toLocaleString("en")} items.`,
      );
    } else items.push(result.value.item);
  }
  if (failed > 0) {
    throw new AppError(
      "bad_request:suite_lines",
      `${failed} line(s) could not be read; nothing was imported. ${errors.join(" · ")}`,
    );
  }
  const kinds = new Set(items.map((item) => item.kind));
  if (kinds.size > 1)
    throw new AppError("bad_request:suite_kinds", "A suite holds one kind of item; this file mixes them.");
  const kind = header?.kind ?? items[0]?.kind;
  if (!kind) throw new AppError("bad_request:empty_suite", "The suite has no items.");
  if (header && items.some((item) => item.kind !== header?.kind)) {
    throw new AppError(
      "bad_request:suite_kinds",
      `The header says ${header.kind} but the items are ${items[0]?.kind}.`,
    );
  }
  const keys = new Set<string>();
  for (const item of items) {
    const key = itemKey(item);
    if (keys.has(key)) throw new AppError("bad_request:suite_duplicate", `Two items share the key "${key}".`);
    keys.add(key);
  }
  const name = (options.name ?? header?.name)?.trim();
  if (!name) throw new AppError("bad_request:suite_name", "Name the suite (the file has no header with a name).");
  const ready = kind === "knowledge" ? assignCandidates(items as KnowledgeItem[], options.seed ?? name) : items;
  return storeSuite({
    name,
    header: header ?? { kind, description: "", version: 1 },
    items: ready,
    origin: options.origin ?? "imported",
    createdById: options.createdById,
  });
}

/** Install the suites shipped in samples/eval/ the first time they are needed. */
export async function ensureBuiltinSuites(): Promise<void> {
  const directory = path.join(projectRoot(), "samples", "eval");
  const files = (await readdir(directory).catch(() => [] as string[])).filter((file) => file.endsWith(".jsonl"));
  for (const file of files) {
    const name = `troupe-${path.basename(file, ".jsonl").replace(/^troupe-/, "")}`;
    if (await db.evalSuite.findFirst({ where: { name, origin: "builtin" }, select: { id: true } })) continue;
    await importSuite(createReadStream(path.join(directory, file)), { name, createdById: null, origin: "builtin" });
  }
}

/** A regression suite from a character's current version: its example dialogues and profile. */
export async function generateRegressionSuite(characterId: string, createdById: string | null) {
  const character = await db.character.findUnique({
    where: { id: characterId },
    include: { currentVersion: true },
  });
  if (!character?.currentVersion || character.deletedAt) {
    throw new AppError("not_found:character", "That character does not exist.");
  }
  const profile = profileSchema.parse(character.currentVersion.profile);
  const { header, items } = regressionSuiteFor(profile, { characterVersion: character.currentVersion.number });
  if (items.length === 0) {
    throw new AppError(
      "bad_request:no_examples",
      "The character has no example dialogues or profile questions to build a regression suite from.",
    );
  }
  return storeSuite({
    name: `regression ${character.name}`.slice(0, 120),
    header,
    items,
    origin: "generated",
    createdById,
    characterId,
  });
}

export async function listSuites() {
  const suites = await db.evalSuite.findMany({
    orderBy: [{ name: "asc" }, { version: "desc" }],
    include: { _count: { select: { runs: true } } },
  });
  return suites.map(({ _count, ...suite }) => ({ ...suite, runs: _count.runs }));
}

export async function getSuite(id: string) {
  const suite = await db.evalSuite.findUnique({ where: { id } });
  if (!suite) throw new AppError("not_found:suite", "That suite does not exist.");
  return suite;
}

/** Find a suite by id, or by name (its latest version), or `name@version`. */
export async function findSuite(reference: string) {
  const byId = await db.evalSuite.findUnique({ where: { id: reference } });
  if (byId) return byId;
  const [, name = reference, version] = /^(.*)@(\d+)$/.exec(reference) ?? [];
  const suite = await db.evalSuite.findFirst({
    where: { name, ...(version ? { version: Number(version) } : {}) },
    orderBy: { version: "desc" },
  });
  if (!suite) throw new AppError("not_found:suite", `No suite "${reference}".`);
  return suite;
}

export async function suiteItems(suiteId: string): Promise<SuiteItem[]> {
  const rows = await db.evalItem.findMany({ where: { suiteId }, orderBy: { position: "asc" }, select: { data: true } });
  return rows.map((row) => row.data as unknown as SuiteItem);
}

/** The suite as a file: a header line, then one item per line. */
export async function* exportSuite(suiteId: string): AsyncGenerator<string> {
  const suite = await getSuite(suiteId);
  yield `${serializeHeader({ name: suite.name, kind: suite.kind as SuiteHeader["kind"], description: suite.description, version: suite.version })}\n`;
  for (const item of await suiteItems(suiteId)) yield `${serializeItem(item)}\n`;
}
