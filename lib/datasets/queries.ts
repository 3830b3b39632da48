import "server-only";
// Dataset versions: snapshots of approved samples, assigned and counted in the database (a version
// may hold a million rows), and exported as a stream of JSON lines in keyset-paged batches.
import { randomBytes } from "node:crypto";
import type { Prisma } from "@/generated/prisma/client";
import { filterConditions, SqlParams } from "@/lib/curation/filter-sql";
import { db, pool } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { datasetCard } from "./card";
import { type DatasetFormat, type ExportSample, formatKinds, formatLines } from "./formats";
import { compactJsonbText } from "./jsonb";
import type { CreateDatasetInput, DatasetFilter } from "./schema";
import { createDatasetSchema } from "./schema";
import { splitSql } from "./split";

export type CountRow = { key: string | null; count: number };

export type MixReport = {
  total: number;
  split: { TRAIN: number; VALIDATION: number };
  bySource: CountRow[];
  byKind: CountRow[];
  byPipeline: CountRow[];
  byLanguage: CountRow[];
  byCharacter: (CountRow & { name: string | null })[];
  /** Token-count histograms: bucket b holds counts in [2^b, 2^(b+1)); the first and last are open. */
  promptTokens: CountRow[];
  answerTokens: CountRow[];
  contributors: number;
  feedbackRows: number;
  templates: string[];
  generators: string[];
  judges: string[];
  inputs: { id: string; name: string; kind: string; license: string | null }[];
};

const MIN_BUCKET = 4;
const MAX_BUCKET = 13;

async function grouped(tx: Prisma.TransactionClient, versionId: string, expression: string): Promise<CountRow[]> {
  const rows = await tx.$queryRawUnsafe<{ key: string | null; count: bigint }[]>(
    `SELECT ${expression} AS key, count(*) AS count
       FROM "DatasetItem" i JOIN "TrainingSample" s ON s.id = i."sampleId"
      WHERE i."datasetVersionId" = $1 GROUP BY 1 ORDER BY count DESC, key`,
    versionId,
  );
  return rows.map((row) => ({ key: row.key, count: Number(row.count) }));
}

const bucket = (column: string) =>
  `least(greatest(floor(log(2, greatest(coalesce(${column}, 1), 1)::numeric))::int, ${MIN_BUCKET}), ${MAX_BUCKET})::text`;

async function mixReport(tx: Prisma.TransactionClient, versionId: string): Promise<MixReport> {
  const [bySplit, bySource, byKind, byPipeline, byLanguage, characters, promptTokens, answerTokens] = await Promise.all(
    [
      grouped(tx, versionId, "i.split::text"),
      grouped(tx, versionId, "s.source::text"),
      grouped(tx, versionId, "s.kind::text"),
      grouped(tx, versionId, "s.pipeline"),
      grouped(tx, versionId, "s.language"),
      grouped(tx, versionId, `s."characterId"`),
      grouped(tx, versionId, bucket(`s."promptTokens"`)),
      grouped(tx, versionId, bucket(`s."answerTokens"`)),
    ],
  );
  const [facts] = await tx.$queryRawUnsafe<
    {
      contributors: bigint;
      feedback: bigint;
      templates: string[] | null;
      generators: string[] | null;
      judges: string[] | null;
      jobs: string[] | null;
    }[]
  >(
    `SELECT count(DISTINCT s."userId") FILTER (WHERE s.source <> 'SYNTHETIC') AS contributors,
            count(*) FILTER (WHERE s.source <> 'SYNTHETIC') AS feedback,
            array_remove(array_agg(DISTINCT coalesce(s.lineage->>'template', 'chat prompt ' || (s.lineage->>'templateVersion'))), NULL) AS templates,
            array_remove(array_agg(DISTINCT s."modelId"), NULL) AS generators,
            array_remove(array_agg(DISTINCT s.judgement->>'model'), NULL) AS judges,
            array_remove(array_agg(DISTINCT s."jobId"), NULL) AS jobs
       FROM "DatasetItem" i JOIN "TrainingSample" s ON s.id = i."sampleId"
      WHERE i."datasetVersionId" = $1`,
    versionId,
  );
  const jobIds = facts?.jobs ?? [];
  const jobs = jobIds.length
    ? await tx.synthesisJob.findMany({ where: { id: { in: jobIds } }, select: { template: true, params: true } })
    : [];
  const inputIds = [
    ...new Set(jobs.map((job) => (job.params as { inputId?: string }).inputId).filter(Boolean)),
  ] as string[];
  const inputs = inputIds.length
    ? await tx.synthesisInput.findMany({
        where: { id: { in: inputIds } },
        select: { id: true, name: true, kind: true, license: true },
      })
    : [];
  const names = await tx.character.findMany({
    where: { id: { in: characters.flatMap((row) => (row.key ? [row.key] : [])).slice(0, 100) } },
    select: { id: true, name: true },
  });
  const nameOf = new Map(names.map((character) => [character.id, character.name]));
  const split = { TRAIN: 0, VALIDATION: 0 };
  for (const row of bySplit) split[row.key as keyof typeof split] = row.count;
  return {
    total: split.TRAIN + split.VALIDATION,
    split,
    bySource,
    byKind,
    byPipeline,
    byLanguage,
    byCharacter: characters
      .slice(0, 100)
      .map((row) => ({ ...row, name: row.key ? (nameOf.get(row.key) ?? null) : null })),
    promptTokens,
    answerTokens,
    contributors: Number(facts?.contributors ?? 0),
    feedbackRows: Number(facts?.feedback ?? 0),
    templates: [...new Set([...(facts?.templates ?? []), ...jobs.map((job) => job.template)])].sort(),
    generators: facts?.generators ?? [],
    judges: facts?.judges ?? [],
    inputs,
  };
}

/**
 * Snapshot the approved samples a filter matches into a new version of `name` (one per
 * near-duplicate group), split by conversation with the seed, with its mix report and card.
 */
export async function createDatasetVersion(createdById: string | null, raw: CreateDatasetInput) {
  const input = createDatasetSchema.parse(raw);
  const seed = input.seed ?? randomBytes(6).toString("hex");
  const filter: DatasetFilter = input.filter;
  return db.$transaction(
    async (tx) => {
      // Two creations of one name must not both take the same version number.
      await tx.$executeRawUnsafe(`SELECT pg_advisory_xact_lock(hashtext('dataset:' || $1))`, input.name);
      const [{ next } = { next: 1 }] = await tx.$queryRawUnsafe<{ next: number }[]>(
        `SELECT coalesce(max(version), 0) + 1 AS next FROM "DatasetVersion" WHERE name = $1`,
        input.name,
      );
      const version = await tx.datasetVersion.create({
        data: {
          name: input.name,
          version: Number(next),
          description: input.description,
          filter: filter as Prisma.InputJsonValue,
          seed,
          validationShare: input.validationShare,
          sampleCount: 0,
          trainCount: 0,
          validationCount: 0,
          mix: {},
          card: "",
          createdById,
        },
      });
      const params = new SqlParams();
      const conditions = filterConditions(filter, params);
      conditions.push(`s.state = 'APPROVED'`);
      const versionParam = params.add(version.id);
      const split = splitSql(
        params.add(seed),
        `coalesce(picked."splitKey", picked.id)`,
        `${params.add(input.validationShare)}::float8`,
      );
      await tx.$executeRawUnsafe(
        `INSERT INTO "DatasetItem" ("datasetVersionId", "sampleId", split)
         SELECT ${versionParam}, picked.id, ${split}
           FROM (SELECT DISTINCT ON (coalesce(s."duplicateOf", s.id)) s.id, s."splitKey"
                   FROM "TrainingSample" s WHERE ${conditions.join(" AND ")}
                  ORDER BY coalesce(s."duplicateOf", s.id), s."createdAt", s.id) picked`,
        ...params.values,
      );
      // Fresh statistics, or the planner treats a million new rows as a handful.
      await tx.$executeRawUnsafe(`ANALYZE "DatasetItem"`);
      const mix = await mixReport(tx, version.id);
      if (mix.total === 0) {
        throw new AppError("bad_request:empty_dataset", "No approved samples match that filter: approve some first.");
      }
      const card = datasetCard({ ...version, sampleCount: mix.total }, mix);
      return tx.datasetVersion.update({
        where: { id: version.id },
        data: {
          sampleCount: mix.total,
          trainCount: mix.split.TRAIN,
          validationCount: mix.split.VALIDATION,
          mix: mix as unknown as Prisma.InputJsonValue,
          card,
        },
      });
    },
    { timeout: 600_000 },
  );
}

/** How many members of each version were erased since (consent withdrawn); exports leave them out. */
async function redactions(versionIds: string[]): Promise<Map<string, number>> {
  if (versionIds.length === 0) return new Map();
  const rows = await db.$queryRawUnsafe<{ id: string; count: bigint }[]>(
    `SELECT i."datasetVersionId" AS id, count(*) AS count
       FROM "TrainingSample" s JOIN "DatasetItem" i ON i."sampleId" = s.id
      WHERE s.state = 'ERASED' AND i."datasetVersionId" = ANY($1::text[])
      GROUP BY 1`,
    versionIds,
  );
  return new Map(rows.map((row) => [row.id, Number(row.count)]));
}

export async function listDatasetVersions(limit = 200) {
  const versions = await db.datasetVersion.findMany({
    orderBy: [{ createdAt: "desc" }],
    take: limit,
    omit: { mix: true, card: true },
  });
  const erased = await redactions(versions.map((version) => version.id));
  return versions.map((version) => ({ ...version, redacted: erased.get(version.id) ?? 0 }));
}

export async function getDatasetVersion(id: string) {
  const version = await db.datasetVersion.findUnique({ where: { id } });
  if (!version) throw new AppError("not_found:dataset", "That dataset version does not exist.");
  const [erased, models, creator] = await Promise.all([
    redactions([id]),
    db.modelVersion.findMany({
      where: { datasetVersionId: id },
      select: { id: true, name: true, servedModelId: true, status: true },
    }),
    version.createdById
      ? db.user.findUnique({ where: { id: version.createdById }, select: { name: true, email: true } })
      : null,
  ]);
  return {
    ...version,
    mix: version.mix as unknown as MixReport,
    redacted: erased.get(id) ?? 0,
    models,
    createdBy: creator ? (creator.name ?? creator.email) : null,
  };
}

const EXPORT_BATCH = 1000;
const EXPORT_READS_IN_FLIGHT = 3;

/** The version's rows in `format`, as JSON-lines chunks; erased samples and kinds the format does not take are skipped. */
export async function* exportDatasetVersion(
  id: string,
  format: DatasetFormat,
  split: "train" | "validation" | "all" = "all",
): AsyncGenerator<string> {
  const { rowCount } = await pool.query(`SELECT 1 FROM "DatasetVersion" WHERE id = $1`, [id]);
  if (!rowCount) throw new AppError("not_found:dataset", "That dataset version does not exist.");
  const splitCondition = split === "all" ? "" : `AND split = '${split === "train" ? "TRAIN" : "VALIDATION"}'`;
  const kinds = formatKinds(format);
  // Two steps per batch: the next ids from the version's own index (in order, cheap), then those
  // samples by primary key. One join would leave the order to the planner, which may sort the rest
  // of the version for every batch. Several batches are read at once (PostgreSQL works on them in
  // parallel) while this process turns the oldest into lines.
  let after = "";
  let more = true;
  const nextIds = async (): Promise<string[]> => {
    const { rows } = await pool.query<{ sampleId: string }>(
      `SELECT "sampleId" FROM "DatasetItem" WHERE "datasetVersionId" = $1 AND "sampleId" > $2 ${splitCondition}
        ORDER BY "sampleId" LIMIT ${EXPORT_BATCH}`,
      [id, after],
    );
    more = rows.length === EXPORT_BATCH;
    after = rows.at(-1)?.sampleId ?? after;
    return rows.map((row) => row.sampleId);
  };
  const samples = async (ids: string[]): Promise<ExportSample[]> => {
    const { rows } = await pool.query<ExportSample>(
      `SELECT id, kind, prompt::text AS prompt, chosen, rejected, label, "trainOn" FROM "TrainingSample"
        WHERE id = ANY($1::text[]) AND state <> 'ERASED' AND kind = ANY($2::"SampleKind"[])`,
      [ids, kinds],
    );
    for (const row of rows) row.prompt = compactJsonbText(row.prompt);
    return rows.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  };
  const reading: Promise<ExportSample[]>[] = [];
  try {
    for (;;) {
      while (more && reading.length < EXPORT_READS_IN_FLIGHT) {
        const ids = await nextIds();
        if (ids.length > 0) reading.push(samples(ids));
      }
      const batch = reading.shift();
      if (!batch) return;
      let chunk = "";
      for (const row of await batch) chunk += formatLines(format, row);
      if (chunk) yield chunk;
    }
  } finally {
    // A download cancelled mid-way leaves reads in flight; their failure must not crash the process.
    for (const pending of reading) pending.catch(() => undefined);
  }
}
