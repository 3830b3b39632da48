// A sample filter as SQL conditions over "TrainingSample" (aliased `s`), with numbered parameters.
// One translation for the queue, bulk actions and dataset snapshots, so they always agree on which
// rows a filter means.
import type { SampleFilter } from "./schema";

export class SqlParams {
  readonly values: unknown[] = [];
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

export function filterConditions(filter: SampleFilter, params: SqlParams): string[] {
  const where: string[] = [];
  if (filter.state?.length) where.push(`s.state = ANY(${params.add(filter.state)}::"SampleState"[])`);
  if (filter.source) where.push(`s.source = ${params.add(filter.source)}::"SampleSource"`);
  if (filter.kind) where.push(`s.kind = ${params.add(filter.kind)}::"SampleKind"`);
  if (filter.pipeline) where.push(`s.pipeline = ${params.add(filter.pipeline)}`);
  if (filter.jobId) where.push(`s."jobId" = ${params.add(filter.jobId)}`);
  if (filter.characterId) where.push(`s."characterId" = ${params.add(filter.characterId)}`);
  if (filter.modelId) where.push(`s."modelId" = ${params.add(filter.modelId)}`);
  if (filter.minScore !== undefined) where.push(`s.score >= ${params.add(filter.minScore)}`);
  if (filter.maxScore !== undefined) where.push(`s.score <= ${params.add(filter.maxScore)}`);
  if (filter.flag === "any") where.push(`cardinality(s.flags) > 0`);
  else if (filter.flag === "none") where.push(`cardinality(s.flags) = 0`);
  else if (filter.flag) where.push(`s.flags @> ARRAY[${params.add(filter.flag)}]::text[]`);
  if (filter.language) where.push(`s.language = ${params.add(filter.language)}`);
  if (filter.q) where.push(`s."searchVector" @@ websearch_to_tsquery('simple', ${params.add(filter.q)})`);
  if (filter.duplicates === "exclude") where.push(`s."duplicateOf" IS NULL`);
  else if (filter.duplicates === "only") where.push(`s."duplicateOf" IS NOT NULL`);
  return where;
}

export function whereClause(conditions: string[]): string {
  return conditions.length > 0 ? `WHERE ${conditions.join(" AND ")}` : "";
}
