/**
 * Emulates vLLM's automatic prefix caching: only full blocks count, each block's hash chains the
 * previous one from the start of the sequence, and the chain is seeded with the model (LoRA) id and
 * `cache_salt`. So a hit needs a token-identical prefix under the same adapter and salt — exactly
 * the property Troupe's prompt builder has to preserve. Eviction is least-recently-used.
 */

export class PrefixCache {
  /** Prompt tokens looked up (vLLM's `prefix_cache_queries`). */
  queries = 0;
  /** Prompt tokens found cached (vLLM's `prefix_cache_hits`). */
  hits = 0;
  // A Set iterates in insertion order, so re-inserting on use makes the first entry the LRU one.
  private readonly blocks = new Set<number>();

  constructor(
    readonly blockSize: number,
    readonly capacity: number,
  ) {}

  /**
   * Returns how many leading prompt tokens were already cached, then caches this prompt's full
   * blocks. Like vLLM, at least the last prompt token is always recomputed.
   */
  lookup(namespace: string, tokens: readonly number[]): number {
    const cacheable = Math.floor(Math.max(0, tokens.length - 1) / this.blockSize);
    let cachedBlocks = 0;
    let hash = hashNamespace(namespace);
    for (let block = 0; block < cacheable; block++) {
      hash = chainHash(hash, tokens, block * this.blockSize, this.blockSize);
      if (!this.blocks.has(hash)) break;
      cachedBlocks++;
    }
    const cached = cachedBlocks * this.blockSize;
    this.queries += tokens.length;
    this.hits += cached;
    this.insert(namespace, tokens);
    return cached;
  }

  /** Caches every full block of a sequence (prompt, or prompt + generated tokens when it ends). */
  insert(namespace: string, tokens: readonly number[]): void {
    let hash = hashNamespace(namespace);
    const full = Math.floor(tokens.length / this.blockSize);
    for (let block = 0; block < full; block++) {
      hash = chainHash(hash, tokens, block * this.blockSize, this.blockSize);
      this.blocks.delete(hash);
      this.blocks.add(hash);
    }
    for (const oldest of this.blocks) {
      if (this.blocks.size <= this.capacity) break;
      this.blocks.delete(oldest);
    }
  }

  get size(): number {
    return this.blocks.size;
  }
}

export function cacheNamespace(modelId: string, cacheSalt: string | null): string {
  return `${modelId}\u0000${cacheSalt ?? ""}`;
}

function hashNamespace(namespace: string): number {
  const ids = Array.from(namespace, (char) => char.codePointAt(0) ?? 0);
  return chainHash(0, ids, 0, ids.length);
}

/** A 53-bit hash (cyrb53-style) of `parent` and tokens[start, start+length): cheap, no crypto. */
function chainHash(parent: number, tokens: readonly number[], start: number, length: number): number {
  let h1 = 0xdeadbeef ^ (parent >>> 0);
  let h2 = 0x41c6ce57 ^ Math.floor(parent / 4_294_967_296);
  for (let i = start; i < start + length; i++) {
    const token = tokens[i] ?? 0;
    h1 = Math.imul(h1 ^ token, 2_654_435_761);
    h2 = Math.imul(h2 ^ token, 1_597_334_677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2_246_822_507) ^ Math.imul(h2 ^ (h2 >>> 13), 3_266_489_909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2_246_822_507) ^ Math.imul(h1 ^ (h1 >>> 13), 3_266_489_909);
  return 4_294_967_296 * (2_097_151 & h2) + (h1 >>> 0);
}
