// Gallery list and search at 10,000 characters: server time of the database queries behind the
// gallery page (listGallery, the same function the page calls). Target p50 ≤ 50 ms.
import { randomUUID } from "node:crypto";
import { type Benchmark, type Measure, percentile, timeIt, WORDS, withScratchDatabase } from "./harness";

const CHARACTERS = 10_000;
const TAGS = [
  "fantasy",
  "scifi",
  "romance",
  "mystery",
  "historical",
  "comedy",
  "horror",
  "slice of life",
  "adventure",
  "drama",
];

function pick<T>(items: T[], n: number): T {
  return items[n % items.length] as T;
}

async function seedCharacters(): Promise<void> {
  const { db } = await import("@/lib/db");
  const owner = await db.user.create({ data: { email: "bench@troupe.local", name: "Bench", passwordHash: "x" } });
  const batch = 1000;
  for (let start = 0; start < CHARACTERS; start += batch) {
    const rows = Array.from({ length: batch }, (_, offset) => {
      const i = start + offset;
      const name = `${pick(WORDS, i)} ${pick(WORDS, i * 7 + 3)} ${i}`;
      const tags = [pick(TAGS, i), pick(TAGS, i * 3 + 1)];
      const tagline = `A ${pick(WORDS, i * 5)} keeper from the ${pick(WORDS, i * 11)} coast.`;
      return {
        id: randomUUID(),
        ownerId: owner.id,
        visibility: i % 10 === 0 ? ("PRIVATE" as const) : ("PUBLIC" as const),
        name,
        tagline,
        tags,
        searchText: `${name} ${tagline} ${tags.join(" ")}`.toLowerCase(),
        versionCount: 1,
      };
    });
    await db.character.createMany({ data: rows });
  }
  await db.$executeRawUnsafe('ANALYZE "Character"');
}

export const galleryBenchmark: Benchmark = {
  name: "gallery",
  description: `gallery list and search over ${CHARACTERS.toLocaleString()} characters`,
  async run(): Promise<Measure[]> {
    return withScratchDatabase("troupe_bench", async () => {
      await seedCharacters();
      const { listGallery } = await import("@/lib/characters/queries");
      const cases: [string, Parameters<typeof listGallery>[0]][] = [
        ["gallery first page", { sort: "updated", page: 1, pageSize: 24 }],
        ["gallery page 200", { sort: "updated", page: 200, pageSize: 24 }],
        ["search 'lantern'", { search: "lantern", sort: "updated", page: 1, pageSize: 24 }],
        ["search + tag filter", { search: "storm", tag: "mystery", sort: "name", page: 1, pageSize: 24 }],
      ];
      const measures: Measure[] = [];
      for (const [label, query] of cases) {
        const samples = await timeIt(() => listGallery(query), 100);
        const p50 = percentile(samples, 50);
        measures.push({
          measure: `${label} p50`,
          figure: Number(p50.toFixed(2)),
          unit: "ms",
          target: "≤ 50 ms",
          pass: p50 <= 50,
        });
        measures.push({
          measure: `${label} p99`,
          figure: Number(percentile(samples, 99).toFixed(2)),
          unit: "ms",
          target: "(info)",
          pass: true,
        });
      }
      return measures;
    });
  },
};
