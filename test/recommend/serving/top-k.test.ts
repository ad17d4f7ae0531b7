import { describe, expect, it } from 'vitest';
import { topK } from '../../../src/recommend/models/top-k.ts';

/** A small deterministic generator (mulberry32), so the randomised check is reproducible. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe('topK', () => {
  it('returns the k best indices, best first', () => {
    const scores = [0.5, 3, 2, 7, 1, 4];
    expect(Array.from(topK(scores, 3))).toEqual([3, 5, 1]);
    expect(Array.from(topK(scores, 1))).toEqual([3]);
    expect(topK(scores, 3)).toBeInstanceOf(Int32Array);
  });

  it('returns everything in order when k exceeds the length, and nothing for k = 0', () => {
    const scores = new Float32Array([2, -1, 5, 0]);
    expect(Array.from(topK(scores, 10))).toEqual([2, 0, 3, 1]);
    expect(Array.from(topK(scores, 0))).toEqual([]);
    expect(Array.from(topK([], 5))).toEqual([]);
  });

  it('orders equal scores by index', () => {
    expect(Array.from(topK([1, 2, 2, 1, 2], 5))).toEqual([1, 2, 4, 0, 3]);
  });

  it('skips NaN and -Infinity ("no opinion") but keeps +Infinity', () => {
    const scores = [NaN, 1, -Infinity, Infinity, NaN, -5];
    expect(Array.from(topK(scores, 10))).toEqual([3, 1, 5]);
    expect(Array.from(topK([NaN, NaN], 2))).toEqual([]);
    // A NaN must not knock a real score out of a full heap.
    expect(Array.from(topK([1, 2, NaN, NaN, NaN], 2))).toEqual([1, 0]);
  });

  it('respects keep()', () => {
    const scores = [0.5, 3, 2, 7, 1, 4];
    expect(Array.from(topK(scores, 3, (i) => i !== 3))).toEqual([5, 1, 2]);
    expect(Array.from(topK(scores, 10, (i) => i % 2 === 0))).toEqual([2, 4, 0]);
    expect(Array.from(topK(scores, 3, () => false))).toEqual([]);
  });

  it('agrees with a full sort on random data', () => {
    const next = rng(12345);
    for (let round = 0; round < 200; round++) {
      const n = 1 + Math.floor(next() * 60);
      const k = Math.floor(next() * 12);
      const scores = new Float64Array(n);
      for (let i = 0; i < n; i++) {
        const r = next();
        scores[i] = r < 0.08 ? NaN : r < 0.12 ? -Infinity : next() * 200 - 100;
      }
      const keep = (i: number) => i % 3 !== 1;
      const expected = Array.from({ length: n }, (_, i) => i)
        .filter((i) => Number.isFinite(scores[i]) && keep(i))
        .sort((a, b) => scores[b] - scores[a] || a - b)
        .slice(0, k);
      expect(Array.from(topK(scores, k, keep))).toEqual(expected);
    }
  });
});
