import { describe, expect, it } from 'vitest';
import { cuped } from '../../src/stats/cuped.ts';
import { gaussian, rng } from '../../src/stats/random.ts';
import { mean, variance } from '../../src/stats/summary.ts';

describe('CUPED', () => {
  it('θ = cov(y, x) / var(x) and the variance removed is the squared correlation (numpy: np.cov, np.corrcoef)', () => {
    const y = [3, 5, 2, 8, 6, 4, 7, 5];
    const x = [2, 4, 1, 7, 5, 3, 5, 4];
    const r = cuped(y, x);
    expect(r.theta).toBeCloseTo(1.0452261306532662, 12);
    expect(r.varianceReduction).toBeCloseTo(0.9705671213208901, 12);
    expect(mean(r.adjusted)).toBeCloseTo(mean(y), 12); // centred on x̄: the mean is kept
  });

  it('keeps a treatment effect and narrows its spread (seeded simulation with a known effect of 1)', () => {
    const draw = rng(7);
    const pre: number[] = [];
    const post: number[] = [];
    const treated: boolean[] = [];
    for (let i = 0; i < 4000; i++) {
      const habit = 10 + 3 * gaussian(draw); // what the person does anyway
      const t = i % 2 === 1;
      pre.push(habit + gaussian(draw));
      post.push(habit + gaussian(draw) + (t ? 1 : 0));
      treated.push(t);
    }
    const r = cuped(post, pre);
    const groupMean = (v: ArrayLike<number>, t: boolean) => mean(Array.from(v).filter((_, i) => treated[i] === t));
    const effect = groupMean(r.adjusted, true) - groupMean(r.adjusted, false);
    expect(effect).toBeGreaterThan(0.9);
    expect(effect).toBeLessThan(1.1);
    expect(variance(r.adjusted)).toBeLessThan(variance(post) * 0.3);
  });

  it('with no pre-period variation it leaves the values as they are', () => {
    const r = cuped([1, 2, 3], [0, 0, 0]);
    expect(r.theta).toBe(0);
    expect(Array.from(r.adjusted)).toEqual([1, 2, 3]);
  });
});
