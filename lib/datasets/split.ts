// The train/validation split: a sample's split is a function of the seed and its split key (the
// conversation or synthesized dialogue it came from) alone, so every sample of one conversation
// lands on the same side, and the same seed always gives the same split. SPLIT_SQL is the same
// function in PostgreSQL (the dataset is assigned in the database); a test checks they agree.
import { createHash } from "node:crypto";

export function splitPoint(seed: string, key: string): number {
  return Number.parseInt(createHash("md5").update(`${seed}:${key}`).digest("hex").slice(0, 8), 16) / 2 ** 32;
}

export function splitOf(seed: string, key: string, validationShare: number): "TRAIN" | "VALIDATION" {
  return splitPoint(seed, key) < validationShare ? "VALIDATION" : "TRAIN";
}

/** SQL for the split of a row, given SQL expressions for the seed, the key and the share. */
export function splitSql(seed: string, key: string, share: string): string {
  return `CASE WHEN ('x' || left(md5(${seed} || ':' || ${key}), 8))::bit(32)::bigint / 4294967296.0 < ${share}
    THEN 'VALIDATION' ELSE 'TRAIN' END::"DatasetSplit"`;
}
