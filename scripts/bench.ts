// `npm run bench [-- NAME…] [--compare FILE]`: runs the benchmarks on this machine and prints one
// table (measure, figure, target, pass/fail); the results are also written to bench-results/ with
// the commit they measured, and `--compare` puts an earlier results file's figures beside them.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Benchmark, Measure } from "@/e2e/bench/harness";
import { projectRoot } from "@/lib/paths";

/**
 * Loaded on demand: a benchmark's process holds its own code only, so a memory figure is not
 * raised by the other benchmarks' modules (the browser automation for first-load-js above all).
 */
const BENCHMARKS: Record<string, () => Promise<Benchmark>> = {
  gallery: async () => (await import("@/e2e/bench/gallery")).galleryBenchmark,
  "prefix-stability": async () => (await import("@/e2e/bench/prefix-stability")).prefixStabilityBenchmark,
  "chat-stream": async () => (await import("@/e2e/bench/chat-stream")).chatStreamBenchmark,
  synthesis: async () => (await import("@/e2e/bench/synthesis")).synthesisBenchmark,
  curation: async () => (await import("@/e2e/bench/curation")).curationBenchmark,
  "first-load-js": async () => (await import("@/e2e/bench/first-load-js")).firstLoadJsBenchmark,
};
const NAMES = Object.keys(BENCHMARKS);

type Row = Measure & { benchmark: string };

/** The checked-out commit, marked when the tree has changes. */
function commitOf(root: string): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: root, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain"], { cwd: root, encoding: "utf8" }).trim() !== "";
    return dirty ? `${head}+changes` : head;
  } catch {
    return "unknown";
  }
}

function earlierFigures(file: string): { commit: string; figures: Map<string, Row> } {
  const earlier = JSON.parse(readFileSync(file, "utf8")) as { commit?: string; rows: Row[] };
  return {
    commit: earlier.commit ?? "unknown",
    figures: new Map(earlier.rows.map((row) => [`${row.benchmark}\t${row.measure}`, row])),
  };
}

/**
 * Each benchmark runs in a process of its own: it gets a fresh database pool for its scratch
 * database, and its memory figures are not another benchmark's leftovers.
 */
async function runInChild(name: string): Promise<Row[]> {
  const resultsFile = path.join(mkdtempSync(path.join(tmpdir(), "troupe-bench-")), "rows.json");
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [...process.execArgv, fileURLToPath(import.meta.url), CHILD_FLAG, name, resultsFile],
      { stdio: "inherit" },
    );
    child.once("error", reject);
    child.once("exit", resolve);
  });
  if (code === 0 && existsSync(resultsFile)) return JSON.parse(readFileSync(resultsFile, "utf8")) as Row[];
  return [{ benchmark: name, measure: "ran to the end", figure: 0, unit: "", target: "exit 0", pass: false }];
}

const CHILD_FLAG = "--child";

/** In the child: run one benchmark and hand its rows to the parent in a file. */
async function runChild(name: string | undefined, resultsFile: string | undefined): Promise<number> {
  const load = name ? BENCHMARKS[name] : undefined;
  if (!load || !resultsFile) return 2;
  const bench = await load();
  const rows: Row[] = (await bench.run()).map((measure) => ({ benchmark: bench.name, ...measure }));
  writeFileSync(resultsFile, JSON.stringify(rows));
  return 0;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  if (args[0] === CHILD_FLAG) return runChild(args[1], args[2]);
  const compareAt = args.indexOf("--compare");
  const compareFile = compareAt >= 0 ? args[compareAt + 1] : undefined;
  if (compareAt >= 0 && !compareFile) {
    console.error("--compare needs a results file, e.g. bench-results/bench-2026-12-06T16-39-09.624Z.json");
    return 2;
  }
  const earlier = compareFile ? earlierFigures(compareFile) : null;
  const names = compareAt >= 0 ? args.filter((_, index) => index !== compareAt && index !== compareAt + 1) : args;
  const unknown = names.filter((name) => !NAMES.includes(name));
  if (unknown.length > 0) {
    console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Available: ${NAMES.join(", ")}`);
    return 2;
  }
  const selected = names.length > 0 ? NAMES.filter((name) => names.includes(name)) : NAMES;
  const rows: Row[] = [];
  for (const name of selected) {
    const bench = await BENCHMARKS[name]?.();
    console.log(`running ${name}: ${bench?.description}…`);
    rows.push(...(await runInChild(name)));
  }
  const figure = (row: Row | undefined) => (row ? `${row.figure} ${row.unit}`.trim() : "—");
  const table = [
    ["benchmark", "measure", "figure", ...(earlier ? [`at ${earlier.commit}`] : []), "target", "result"],
    ...rows.map((row) => [
      row.benchmark,
      row.measure,
      figure(row),
      ...(earlier ? [figure(earlier.figures.get(`${row.benchmark}\t${row.measure}`))] : []),
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
  const commit = commitOf(projectRoot());
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), commit, rows }, null, 2));
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
