/**
 * The `k` best of `count` candidates, best first, scores from `scoreAt` (−Infinity or NaN: not a
 * candidate), among those `keep(i)` accepts; ties go to the lower index. A bounded min-heap:
 * O(count · log k), no full sort of the catalogue. The one top-K of the project.
 */
export function topKBy(count: number, k: number, scoreAt: (i: number) => number, keep?: (i: number) => boolean): { items: Int32Array; scores: Float32Array } {
  const cap = Math.max(0, Math.min(k, count));
  const heapIdx = new Int32Array(cap);
  const heapVal = new Float64Array(cap);
  let size = 0;
  for (let i = 0; i < count; i++) {
    if (cap === 0) break;
    const v = scoreAt(i);
    if (!(v > -Infinity)) continue;
    if (size === cap && v <= heapVal[0]) continue;
    if (keep && !keep(i)) continue;
    if (size < cap) {
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (heapVal[p] <= v) break;
        heapVal[c] = heapVal[p];
        heapIdx[c] = heapIdx[p];
        c = p;
      }
      heapVal[c] = v;
      heapIdx[c] = i;
    } else {
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= size) break;
        const r = l + 1;
        const m = r < size && heapVal[r] < heapVal[l] ? r : l;
        if (heapVal[m] >= v) break;
        heapVal[c] = heapVal[m];
        heapIdx[c] = heapIdx[m];
        c = m;
      }
      heapVal[c] = v;
      heapIdx[c] = i;
    }
  }
  const order = Array.from({ length: size }, (_, j) => j).sort((a, b) => heapVal[b] - heapVal[a] || heapIdx[a] - heapIdx[b]);
  return { items: Int32Array.from(order, (j) => heapIdx[j]), scores: Float32Array.from(order, (j) => heapVal[j]) };
}

/** Indices of the `k` largest finite scores, best first, among those `keep(i)` accepts. */
export function topK(scores: ArrayLike<number>, k: number, keep?: (i: number) => boolean): Int32Array {
  return topKBy(scores.length, k, (i) => scores[i], keep).items;
}

/** The `n` best of `count` candidates except `self` (−1: none), with their scores. */
export function bestOf(n: number, count: number, scoreAt: (j: number) => number, self: number): { items: Int32Array; scores: Float32Array } {
  return topKBy(count, n, scoreAt, self >= 0 ? (j) => j !== self : undefined);
}
