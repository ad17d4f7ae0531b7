import { describe, expect, it } from 'vitest';
import { Als } from '../../../src/recommend/models/als.ts';
import { ModelFitError, type HistoryEntry } from '../../../src/recommend/models/types.ts';
import { checkerboard, groupHistory } from './fixtures.ts';

describe('implicit ALS', () => {
  const data = checkerboard();
  const opts = { factors: 6, regularization: 0.5, alpha: 4, iterations: 8, signal: 'binary' as const };

  it.each([0, 1])('folds a history in by solving the normal equations exactly (regExponent %i)', (regExponent) => {
    const m = new Als({ ...opts, regExponent });
    m.fit(data, { seed: 1 });
    const k = opts.factors;
    const Y = m.itemFactors;
    const h: HistoryEntry[] = [
      { item: 2, weight: 1, time: 0 },
      { item: 5, weight: 1, time: 0 },
    ];
    const scores = m.score(h, 0).scores;
    // x solved here by plain Gaussian elimination from (YᵀY + λI + Σ(c−1)yyᵀ) x = Σ c·y.
    const c = 1 + opts.alpha;
    // λ·(1 + α·n/N)^ν with n = 2 history items out of N items.
    const lambda = opts.regularization * (1 + (opts.alpha * 2) / data.nItems) ** regExponent;
    const A = Array.from({ length: k }, (_, a) => Array.from({ length: k }, (_, b) => (a === b ? lambda : 0)));
    const b = new Array(k).fill(0);
    for (let i = 0; i < data.nItems; i++) for (let a = 0; a < k; a++) for (let q = 0; q < k; q++) A[a][q] += Y[i * k + a] * Y[i * k + q];
    for (const e of h)
      for (let a = 0; a < k; a++) {
        b[a] += c * Y[e.item * k + a];
        for (let q = 0; q < k; q++) A[a][q] += (c - 1) * Y[e.item * k + a] * Y[e.item * k + q];
      }
    for (let p = 0; p < k; p++)
      for (let r = p + 1; r < k; r++) {
        const f = A[r][p] / A[p][p];
        for (let q = p; q < k; q++) A[r][q] -= f * A[p][q];
        b[r] -= f * b[p];
      }
    const x = new Array(k).fill(0);
    for (let p = k - 1; p >= 0; p--) {
      let s = b[p];
      for (let q = p + 1; q < k; q++) s -= A[p][q] * x[q];
      x[p] = s / A[p][p];
    }
    for (let i = 0; i < data.nItems; i++) {
      let s = 0;
      for (let a = 0; a < k; a++) s += Y[i * k + a] * x[a];
      expect(scores[i]).toBeCloseTo(s, 4);
    }
  });

  it('lowers the training loss as it iterates', () => {
    const loss = (iterations: number) => {
      const m = new Als({ ...opts, iterations });
      m.fit(data, { seed: 2 });
      // Reconstruction of group-0 users from their own histories: mean squared error on the block.
      let err = 0;
      const s = m.score(groupHistory(0, -1), 0).scores;
      for (let j = 0; j < 24; j++) err += ((j < 8 ? 1 : 0) - s[j]) ** 2;
      return err;
    };
    expect(loss(6)).toBeLessThan(loss(1));
  });

  it('treats a net-negative history entry as a confident zero', () => {
    const m = new Als(opts);
    m.fit(data, { seed: 1 });
    const base = groupHistory(0, 3);
    const liked = m.score(base, 0).scores[3];
    const disliked = m.score([...base, { item: 3, weight: -1, time: 1 }], 0).scores[3];
    expect(disliked).toBeLessThan(liked);
  });

  it('explains the top items by a history entry', () => {
    const m = new Als(opts);
    m.fit(data, { seed: 1 });
    const h = groupHistory(2, 17);
    const { scores, because } = m.score(h, 0);
    let best = -1;
    for (let j = 0; j < scores.length; j++) if (!h.some((e) => e.item === j) && (best < 0 || scores[j] > scores[best])) best = j;
    expect(best).toBe(17);
    expect(h[because![17]].item).toBeGreaterThanOrEqual(16);
  });

  it('refuses empty data and bad options', () => {
    expect(() => new Als().fit({ ...data, weights: new Float32Array(data.weights.length).fill(-1) })).toThrow(ModelFitError);
    expect(() => new Als({ factors: 0 })).toThrow(RangeError);
    expect(() => new Als({ regularization: 0 })).toThrow(RangeError);
  });
});
