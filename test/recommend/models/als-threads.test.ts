import { describe, expect, it } from 'vitest';
import { Als } from '../../../src/recommend/models/als.ts';
import { THREADS_FROM_WORK, alsThreads } from '../../../src/recommend/models/als-threads.ts';
import type { Interactions } from '../../../src/recommend/models/types.ts';
import { rng } from '../../../src/stats/random.ts';

/** Random interactions: people with no events (zero rows), net-negative cells, counts not a multiple of a block. */
function randomData(nUsers: number, nItems: number, seed: number): Interactions {
  const rand = rng(seed);
  const users: number[] = [];
  const items: number[] = [];
  const weights: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    if (u % 41 === 3) continue;
    const n = 1 + Math.floor(rand() * 15);
    for (let t = 0; t < n; t++) {
      users.push(u);
      // Popular items first (rows of very different lengths on the item side), the last item never seen.
      items.push(Math.floor(rand() ** 2 * (nItems - 1)));
      weights.push(rand() < 0.08 ? -1 : 1 + Math.floor(rand() * 4));
    }
  }
  return {
    nUsers,
    nItems,
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    weights: Float32Array.from(weights),
    times: new Float64Array(users.length),
  };
}

function maxDiff(a: Float64Array, b: Float64Array): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let p = 0; p < a.length; p++) d = Math.max(d, Math.abs(a[p] - b[p]));
  return d;
}

describe('ALS on two threads', () => {
  // 3,001 people (47 blocks of 64, the last one partial) and 333 items (6 blocks): both half-sweeps shared.
  const data = randomData(3001, 333, 11);
  for (const [k, regExponent] of [
    [32, 0],
    [24, 1],
    [10, 0.5],
  ] as const)
    it(`gives the one-thread factors (k = ${k}, ν = ${regExponent}), the helper taking its share of the blocks`, () => {
      const options = { factors: k, regularization: 2, regExponent, alpha: 8, iterations: 6 };
      const one = new Als({ ...options, threads: 1 });
      one.fit(data, { seed: 5 });
      const two = new Als({ ...options, threads: 2 });
      two.fit(data, { seed: 5 });
      expect(one.lastFit).toEqual({ threads: 1, helperBlocks: 0 });
      expect(two.lastFit?.threads).toBe(2);
      // The helper booted and updated rows (on both sides, over 6 iterations of 53 blocks).
      expect(two.lastFit?.helperBlocks).toBeGreaterThan(0);
      expect(two.lastFit?.helperBlocks).toBeLessThan(6 * (47 + 6));
      expect(maxDiff(one.itemFactors, two.itemFactors)).toBeLessThanOrEqual(1e-6);
      // Not a trivial agreement: the factors moved from their start, and scores agree too.
      expect(one.itemFactors.some((v) => Math.abs(v) > 0.05)).toBe(true);
      const history = [0, 5, 17, 40].map((item, t) => ({ item, weight: 1, time: t }));
      const s1 = one.score(history, 10).scores;
      const s2 = two.score(history, 10).scores;
      for (let i = 0; i < s1.length; i++) expect(Math.abs(s1[i] - s2[i])).toBeLessThanOrEqual(1e-5);
      // The saved model holds ordinary (unshared) factors and loads to the same ones.
      expect(two.itemFactors.buffer).toBeInstanceOf(ArrayBuffer);
      expect(maxDiff(Als.load(two.save()).itemFactors, one.itemFactors)).toBe(0);
    });
});

describe('alsThreads', () => {
  it('keeps one thread on small data and takes two from THREADS_FROM_WORK on (or as asked)', () => {
    expect(alsThreads(0, 1000, 64)).toBe(1);
    expect(alsThreads(0, Math.floor(THREADS_FROM_WORK / 64) - 1, 64)).toBe(1);
    expect(alsThreads(0, Math.ceil(THREADS_FROM_WORK / 64), 64)).toBe(2);
    expect(alsThreads(3, 10, 8)).toBe(3);
    expect(alsThreads(1, 1e9, 128)).toBe(1);
  });
});
