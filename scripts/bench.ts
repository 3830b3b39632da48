// `npm run bench [-- NAME…]`: runs the benchmarks on this machine and prints one table
// (measure, figure, target, pass/fail); the results are also written to bench-results/.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chatStreamBenchmark } from "@/e2e/bench/chat-stream";
import { curationBenchmark } from "@/e2e/bench/curation";
import { firstLoadJsBenchmark } from "@/e2e/bench/first-load-js";
import { galleryBenchmark } from "@/e2e/bench/gallery";
import type { Benchmark, Measure } from "@/e2e/bench/harness";
import { prefixStabilityBenchmark } from "@/e2e/bench/prefix-stability";
import { synthesisBenchmark } from "@/e2e/bench/synthesis";
import { projectRoot } from "@/lib/paths";

const BENCHMARKS: Benchmark[] = [
  galleryBenchmark,
  prefixStabilityBenchmark,
  chatStreamBenchmark,
  synthesisBenchmark,
  curationBenchmark,
  firstLoadJsBenchmark,
];

async function main(): Promise<number> {
  const names = process.argv.slice(2);
  const unknown = names.filter((name) => !BENCHMARKS.some((bench) => bench.name === name));
  if (unknown.length > 0) {
    console.error(
      `Unknown benchmark(s): ${unknown.join(", ")}. Available: ${BENCHMARKS.map((b) => b.name).join(", ")}`,
    );
    return 2;
  }
  const selected = names.length > 0 ? BENCHMARKS.filter((bench) => names.includes(bench.name)) : BENCHMARKS;
  const rows: (Measure & { benchmark: string })[] = [];
  for (const bench of selected) {
    console.log(`running ${bench.name}: ${bench.description}…`);
    for (const measure of await bench.run()) rows.push({ benchmark: bench.name, ...measure });
  }
  const table = [
    ["benchmark", "measure", "figure", "target", "result"],
    ...rows.map((row) => [
      row.benchmark,
      row.measure,
      `${row.figure} ${row.unit}`.trim(),
      row.target,
      row.pass ? "pass" : "FAIL",
    ]),
  ];
  const widths = table[0]?.map((_, column) => Math.max(...table.map((cells) => cells[column]?.length ?? 0))) ?? [];
  console.log("");
  for (const cells of table) console.log(cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join("  "));
  const dir = path.join(projectRoot(), "bench-results");
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `bench-${new Date().toISOString().replaceAll(":", "-")}.json`);
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), rows }, null, 2));
  console.log(`\nresults written to ${path.relative(projectRoot(), file)}`);
  return rows.every((row) => row.pass) ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
