import { describe, expect, it } from 'vitest';
import { momentsOf } from '../../src/stats/summary.ts';
import { twoProportionZTest, welchTTest } from '../../src/stats/tests.ts';

const close = (a: number, b: number, digits = 10) => expect(Math.abs(a - b), `${a} vs ${b}`).toBeLessThanOrEqual(Math.abs(b) * 10 ** -digits);

describe('two-proportion z test', () => {
  it('matches the chi-squared test of the 2×2 table: sqrt and p of scipy.stats.chi2_contingency([[120, 880], [150, 850]], correction=False)', () => {
    const r = twoProportionZTest(120, 1000, 150, 1000);
    close(r.statistic, 1.9630498076223553);
    close(r.pValue, 0.049640386865368834);
    expect(r.difference.estimate).toBeCloseTo(0.03, 15);
    // The Wald interval: 0.03 ± 1.959964 · sqrt(0.12·0.88/1000 + 0.15·0.85/1000).
    const se = Math.sqrt((0.12 * 0.88) / 1000 + (0.15 * 0.85) / 1000);
    close(r.difference.low, 0.03 - 1.959963984540054 * se);
    close(r.difference.high, 0.03 + 1.959963984540054 * se);
  });

  it('a negative difference: scipy.stats.chi2_contingency([[45, 1955], [30, 1870]], correction=False)', () => {
    const r = twoProportionZTest(45, 2000, 30, 1900);
    close(-r.statistic, 1.525226471535845);
    close(r.pValue, 0.1272026201355899);
    expect(r.difference.high).toBeGreaterThan(0);
    expect(r.difference.low).toBeLessThan(r.difference.estimate);
  });
});

describe("Welch's t test", () => {
  const a = [12.1, 9.8, 14.2, 10.5, 11.9, 13.3, 8.7, 12.8];
  const b = [14.9, 15.2, 11.0, 17.8, 13.4, 16.1, 19.0, 12.2, 15.5, 14.1, 16.7];
  it('scipy.stats.ttest_ind(b, a, equal_var=False) and its .confidence_interval(0.95)', () => {
    const r = welchTTest(momentsOf(a), momentsOf(b));
    close(r.statistic, 3.533127581455746);
    close(r.pValue, 0.0025888076027956214, 9);
    close(r.df, 16.821175441396008);
    close(r.difference.low, 1.3758093655505603, 9);
    close(r.difference.high, 5.462826998085804, 9);
  });

  it('the moments it takes: numpy mean and var(ddof=1)', () => {
    const m = momentsOf(a);
    close(m.mean, 11.6625);
    close(m.variance, 3.4655357142857146);
    expect(m.n).toBe(8);
  });

  it('two groups with no spread and the same mean: no difference, p = 1', () => {
    const r = welchTTest({ n: 5, mean: 2, variance: 0 }, { n: 5, mean: 2, variance: 0 });
    expect(r.pValue).toBe(1);
    expect(r.difference).toEqual({ estimate: 0, low: 0, high: 0 });
  });
});
