/**
 * Indices of the `k` largest finite scores, best first, among those `keep(i)` accepts.
 * A bounded min-heap: O(n log k), no full sort of the catalog.
 */
export function topK(scores: ArrayLike<number>, k: number, keep?: (i: number) => boolean): Int32Array {
  const heapIdx = new Int32Array(Math.max(0, k));
  const heapVal = new Float64Array(Math.max(0, k));
  let size = 0;
  const n = scores.length;
  for (let i = 0; i < n; i++) {
    const v = scores[i];
    if (!(v > -Infinity) || Number.isNaN(v)) continue;
    if (size === k && v <= heapVal[0]) continue;
    if (keep && !keep(i)) continue;
    if (size < k) {
      let c = size++;
      while (c > 0) {
        const p = (c - 1) >> 1;
        if (heapVal[p] <= v) break;
        heapVal[c] = heapVal[p]; heapIdx[c] = heapIdx[p]; c = p;
      }
      heapVal[c] = v; heapIdx[c] = i;
    } else {
      let c = 0;
      for (;;) {
        const l = 2 * c + 1;
        if (l >= size) break;
        const r = l + 1;
        const m = r < size && heapVal[r] < heapVal[l] ? r : l;
        if (heapVal[m] >= v) break;
        heapVal[c] = heapVal[m]; heapIdx[c] = heapIdx[m]; c = m;
      }
      heapVal[c] = v; heapIdx[c] = i;
    }
  }
  const order = Array.from({ length: size }, (_, j) => j).sort((a, b) => heapVal[b] - heapVal[a] || heapIdx[a] - heapIdx[b]);
  return Int32Array.from(order, (j) => heapIdx[j]);
}
