// What changed between two versions of a character, field by field, with line diffs for text.
import { diffLines } from "diff";
import type { Profile } from "./schema";

export type FieldChange = {
  field: string;
  parts: { value: string; added: boolean; removed: boolean }[];
};

function asText(value: unknown): string {
  if (typeof value === "string") return value;
  if (Array.isArray(value) && value.every((item) => typeof item === "string")) return value.join("\n");
  return JSON.stringify(value, null, 2) ?? "";
}

export function diffProfiles(
  before: { profile: Profile; tags: string[] },
  after: { profile: Profile; tags: string[] },
): FieldChange[] {
  const changes: FieldChange[] = [];
  const fields = Object.keys(after.profile) as (keyof Profile)[];
  const pairs: [string, unknown, unknown][] = [
    ...fields.map((field): [string, unknown, unknown] => [field, before.profile[field], after.profile[field]]),
    ["tags", before.tags, after.tags],
  ];
  for (const [field, a, b] of pairs) {
    const left = asText(a);
    const right = asText(b);
    if (left === right) continue;
    changes.push({
      field,
      parts: diffLines(left, right).map((part) => ({
        value: part.value,
        added: Boolean(part.added),
        removed: Boolean(part.removed),
      })),
    });
  }
  return changes;
}
