/**
 * Deterministic assignment: a person's bucket in an experiment is a hash of the experiment key and the
 * person, so every node (and every restart) puts them in the same variant without asking the store.
 */

/** A uniform number in [0, 1) from a string: FNV-1a over its UTF-16 code units, then a murmur3 finaliser (FNV alone clusters similar strings). */
export function bucketOf(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return (h >>> 0) / 4294967296;
}

/** The variant a bucket falls into, by cumulative weight share (weights need not sum to 1). */
export function variantAt<V extends { weight: number }>(variants: readonly V[], bucket: number): V {
  const total = variants.reduce((s, v) => s + v.weight, 0);
  let upTo = 0;
  for (const v of variants) {
    upTo += v.weight / total;
    if (bucket < upTo) return v;
  }
  return variants[variants.length - 1]; // rounding: the last bucket edge
}

/** The person's variant in an experiment: the same key and person always give the same variant. */
export function assignVariant<V extends { weight: number }>(experimentKey: string, person: string, variants: readonly V[]): V {
  return variantAt(variants, bucketOf(`${experimentKey}\u0000${person}`));
}

/** A variant's weight share: the chance a person had of being served it. */
export function propensityOf<V extends { weight: number }>(variants: readonly V[], v: V): number {
  return v.weight / variants.reduce((s, x) => s + x.weight, 0);
}
