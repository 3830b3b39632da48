// How fast persona files import and how much memory it takes, on generated lines that are never
// held in memory together: the numbers behind "stream, don't load". The benchmark script and the
// streaming test both call this.
import { readLines } from "./lines";
import { parsePersonas } from "./personas";

export interface PersonaBenchResult {
  lines: number;
  seconds: number;
  linesPerSecond: number;
  /** Highest resident set size seen while importing, sampled every 10,000 lines. */
  peakRssMb: number;
}

const MB = 1024 * 1024;

export async function benchPersonaImport(lines: number): Promise<PersonaBenchResult> {
  let peakRss = process.memoryUsage.rss();
  let count = 0;
  const started = performance.now();
  for await (const result of parsePersonas(readLines(generatePersonaLines(lines)), { format: "jsonl" })) {
    if (!result.ok) throw new Error(`A generated persona did not parse: ${result.error}`);
    count++;
    if (count % 10_000 === 0) peakRss = Math.max(peakRss, process.memoryUsage.rss());
  }
  const seconds = (performance.now() - started) / 1000;
  peakRss = Math.max(peakRss, process.memoryUsage.rss());
  return {
    lines: count,
    seconds: round(seconds, 3),
    linesPerSecond: Math.round(count / seconds),
    peakRssMb: round(peakRss / MB, 1),
  };
}

const ROLES = [
  "retired ferry captain",
  "night-shift nurse",
  "beekeeper",
  "amateur astronomer",
  "luthier",
  "high-school chemistry teacher",
  "street-food vendor",
  "archivist",
  "glacier guide",
  "translator of crime novels",
  "Bäckermeisterin",
  "professora de capoeira",
];
const PLACES = ["Kraków", "São Paulo", "Tromsø", "Lagos", "Osaka (大阪)", "Valparaíso", "Tbilisi", "Halifax", "Zürich"];
const HABITS = [
  "keeps a notebook of overheard conversations",
  "argues about tide tables with anyone who will listen",
  "restores broken clocks on weekends",
  "collects recipes from every neighbour",
  "explains everything with football metaphors",
  "writes letters to the city council about potholes",
  "teaches chess to children at the library",
];

/**
 * `lines` Persona Hub-style JSON lines in 64 KB chunks, made on demand. Chunk edges fall anywhere,
 * including inside multi-byte characters.
 */
export async function* generatePersonaLines(lines: number, chunkBytes = 64 * 1024): AsyncGenerator<Uint8Array> {
  const encoder = new TextEncoder();
  let batch: string[] = [];
  let batchLength = 0;
  let carry = new Uint8Array(0);
  for (let index = 0; index < lines; index++) {
    const role = ROLES[index % ROLES.length];
    const place = PLACES[Math.floor(index / ROLES.length) % PLACES.length];
    const habit = HABITS[index % HABITS.length];
    // Nothing in these strings needs JSON escaping, so a template is enough (and much faster).
    const line = `{"id":${index},"persona":"A ${role} from ${place} who ${habit} (no. ${index})."}\n`;
    batch.push(line);
    batchLength += line.length;
    if (batchLength >= chunkBytes || index === lines - 1) {
      const bytes = concat(carry, encoder.encode(batch.join("")));
      batch = [];
      batchLength = 0;
      // Cut at an exact byte count, wherever that falls.
      let offset = 0;
      while (bytes.length - offset >= chunkBytes) {
        yield bytes.subarray(offset, offset + chunkBytes);
        offset += chunkBytes;
      }
      carry = bytes.slice(offset);
    }
  }
  if (carry.length > 0) yield carry;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  if (a.length === 0) return b;
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
