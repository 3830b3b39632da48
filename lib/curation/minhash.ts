// Near-duplicate detection for training text: MinHash signatures over word shingles, grouped with
// locality-sensitive hashing (bands of rows), then confirmed by the estimated Jaccard similarity.
// Pure and deterministic: the same texts always give the same groups.

export type MinHashOptions = {
  /** Words per shingle. */
  shingle?: number;
  /** Hash functions per signature; must equal bands × rows. */
  permutations?: number;
  bands?: number;
  /** Estimated Jaccard similarity at or above which two texts are duplicates. */
  threshold?: number;
};

const DEFAULTS = { shingle: 3, permutations: 128, bands: 32, threshold: 0.8 } as const;

/** 32-bit FNV-1a of a string. */
function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

/** A fixed family of hash functions: (a·x + b) mod p over 32-bit values, a and b from a seeded PRNG. */
function family(size: number): { a: number[]; b: number[] } {
  let state = 0x9e3779b9;
  const next = () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return state >>> 0;
  };
  return {
    a: Array.from({ length: size }, () => next() | 1),
    b: Array.from({ length: size }, () => next()),
  };
}

const families = new Map<number, { a: number[]; b: number[] }>();

export function normalize(text: string): string {
  return text
    .toLowerCase()
    .normalize("NFKC")
    .replace(/[^\p{L}\p{N}\s]+/gu, " ")
    .replace(/\s+/g, " ")
    .trim();
}

export function shingles(text: string, size: number = DEFAULTS.shingle): Set<number> {
  const words = normalize(text).split(" ").filter(Boolean);
  const result = new Set<number>();
  if (words.length === 0) return result;
  if (words.length < size) {
    result.add(fnv1a(words.join(" ")));
    return result;
  }
  for (let index = 0; index + size <= words.length; index++)
    result.add(fnv1a(words.slice(index, index + size).join(" ")));
  return result;
}

export function signature(text: string, options: MinHashOptions = {}): Uint32Array {
  const permutations = options.permutations ?? DEFAULTS.permutations;
  let hashes = families.get(permutations);
  if (!hashes) {
    hashes = family(permutations);
    families.set(permutations, hashes);
  }
  const result = new Uint32Array(permutations).fill(0xffffffff);
  for (const value of shingles(text, options.shingle ?? DEFAULTS.shingle)) {
    for (let index = 0; index < permutations; index++) {
      const hashed = (Math.imul(hashes.a[index] ?? 1, value) + (hashes.b[index] ?? 0)) >>> 0;
      if (hashed < (result[index] ?? 0xffffffff)) result[index] = hashed;
    }
  }
  return result;
}

/** The share of signature positions two signatures agree on: an estimate of their Jaccard similarity. */
export function similarity(left: Uint32Array, right: Uint32Array): number {
  let same = 0;
  for (let index = 0; index < left.length; index++) if (left[index] === right[index]) same++;
  return left.length === 0 ? 0 : same / left.length;
}

/**
 * Groups of near-duplicate items (each group has at least two ids, in input order). Candidates come
 * from LSH buckets; a pair joins a group only when its estimated similarity reaches the threshold.
 */
export function duplicateGroups(
  items: readonly { id: string; text: string }[],
  options: MinHashOptions = {},
): string[][] {
  const permutations = options.permutations ?? DEFAULTS.permutations;
  const bands = options.bands ?? DEFAULTS.bands;
  const threshold = options.threshold ?? DEFAULTS.threshold;
  if (permutations % bands !== 0) throw new RangeError("permutations must be a multiple of bands");
  const rows = permutations / bands;
  const signatures = items.map((item) => signature(item.text, options));
  const parent = items.map((_, index) => index);
  const find = (index: number): number => {
    let root = index;
    while (parent[root] !== root) root = parent[root] ?? root;
    while (parent[index] !== root) {
      const next = parent[index] ?? root;
      parent[index] = root;
      index = next;
    }
    return root;
  };
  for (let band = 0; band < bands; band++) {
    const buckets = new Map<string, number[]>();
    signatures.forEach((sig, index) => {
      const key = Array.from(sig.subarray(band * rows, (band + 1) * rows)).join(",");
      const bucket = buckets.get(key);
      if (bucket) bucket.push(index);
      else buckets.set(key, [index]);
    });
    for (const bucket of buckets.values()) {
      const [first, ...rest] = bucket;
      if (first === undefined) continue;
      for (const other of rest) {
        const [a, b] = [find(first), find(other)];
        if (a === b) continue;
        if (similarity(signatures[first] as Uint32Array, signatures[other] as Uint32Array) >= threshold) {
          parent[Math.max(a, b)] = Math.min(a, b);
        }
      }
    }
  }
  const groups = new Map<number, string[]>();
  items.forEach((item, index) => {
    const root = find(index);
    const group = groups.get(root) ?? [];
    group.push(item.id);
    groups.set(root, group);
  });
  return [...groups.values()].filter((group) => group.length > 1);
}
