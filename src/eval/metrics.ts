/**
 * Ranking metrics over one user's top-k list and relevant set (binary relevance), as defined by
 * Microsoft Recommenders (MAP, nDCG@k, Precision@k, Recall@k), Liang et al. 2018 (Recall@k
 * normalised by min(k, |relevant|), NDCG@k) and leave-one-out (HitRate@k), plus catalog coverage and
 * novelty over all lists.
 */

/** Number of hits among the first k entries. */
export function hits(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  let h = 0;
  const n = Math.min(k, ranked.length);
  for (let r = 0; r < n; r++) if (relevant.has(ranked[r])) h++;
  return h;
}

export function precisionAt(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  return hits(ranked, relevant, k) / k;
}

/** Microsoft Recommenders recall: hits / |relevant|. */
export function recallAt(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  return relevant.size === 0 ? 0 : hits(ranked, relevant, k) / relevant.size;
}

/** Liang et al. recall: hits / min(k, |relevant|), so a perfect list scores 1. */
export function cappedRecallAt(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  return relevant.size === 0 ? 0 : hits(ranked, relevant, k) / Math.min(k, relevant.size);
}

/** nDCG@k with binary gains: Σ 1/log2(rank+1) over hits, over the ideal for min(k, |relevant|) hits. */
export function ndcgAt(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  if (relevant.size === 0) return 0;
  let dcg = 0;
  const n = Math.min(k, ranked.length);
  for (let r = 0; r < n; r++) if (relevant.has(ranked[r])) dcg += 1 / Math.log2(r + 2);
  let idcg = 0;
  const m = Math.min(k, relevant.size);
  for (let r = 0; r < m; r++) idcg += 1 / Math.log2(r + 2);
  return dcg / idcg;
}

/**
 * Average precision as Microsoft Recommenders' `map_at_k` computes it: the sum of the precision at
 * each hit within the top k, divided by the user's number of relevant items.
 */
export function averagePrecisionAt(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  if (relevant.size === 0) return 0;
  let h = 0;
  let s = 0;
  const n = Math.min(k, ranked.length);
  for (let r = 0; r < n; r++) {
    if (relevant.has(ranked[r])) {
      h++;
      s += h / (r + 1);
    }
  }
  return s / relevant.size;
}

export function hitRateAt(ranked: ArrayLike<number>, relevant: ReadonlySet<number>, k: number): number {
  return hits(ranked, relevant, k) > 0 ? 1 : 0;
}

/** Share of the catalog that appears in at least one list. */
export function coverage(lists: ReadonlyArray<ArrayLike<number>>, nItems: number): number {
  const seen = new Uint8Array(nItems);
  let c = 0;
  for (const l of lists)
    for (let r = 0; r < l.length; r++)
      if (!seen[l[r]]) {
        seen[l[r]] = 1;
        c++;
      }
  return nItems === 0 ? 0 : c / nItems;
}

/**
 * Mean self-information of recommended items, −log2 p(i) with p(i) the (add-one smoothed) share of
 * training users who interacted with i: higher means less obvious recommendations.
 */
export function novelty(lists: ReadonlyArray<ArrayLike<number>>, itemUsers: ArrayLike<number>, nUsers: number): number {
  let s = 0;
  let c = 0;
  for (const l of lists) {
    for (let r = 0; r < l.length; r++) {
      s += -Math.log2((itemUsers[l[r]] + 1) / (nUsers + 1));
      c++;
    }
  }
  return c === 0 ? 0 : s / c;
}

/** Mean and sample standard deviation. */
export function meanStd(xs: readonly number[]): { mean: number; std: number } {
  const n = xs.length;
  if (n === 0) return { mean: NaN, std: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const v = n > 1 ? xs.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1) : 0;
  return { mean, std: Math.sqrt(v) };
}
