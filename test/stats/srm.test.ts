import { describe, expect, it } from 'vitest';
import { sampleRatioMismatch } from '../../src/stats/srm.ts';

describe('sample-ratio mismatch', () => {
  it('scipy.stats.chisquare([5000, 5200], f_exp=[5100, 5100]): a fit (p ≈ 0.048 is no mismatch at 0.001)', () => {
    const r = sampleRatioMismatch([5000, 5200], [1, 1]);
    expect(r.chiSquared).toBeCloseTo(3.9215686274509802, 12);
    expect(r.pValue).toBeCloseTo(0.0476703806561615, 12);
    expect(r.mismatch).toBe(false);
  });

  it('scipy.stats.chisquare([10200, 9700], f_exp=[9950, 9950]): p ≈ 0.0004, a mismatch', () => {
    const r = sampleRatioMismatch([10200, 9700], [50, 50]);
    expect(r.chiSquared).toBeCloseTo(12.56281407035176, 10);
    expect(r.pValue).toBeCloseTo(0.0003934987535799987, 14);
    expect(r.mismatch).toBe(true);
  });

  it('unequal weights, three variants: scipy.stats.chisquare([980, 1050, 2020], f_exp=[1012.5, 1012.5, 2025])', () => {
    const r = sampleRatioMismatch([980, 1050, 2020], [1, 1, 2]);
    expect(r.expected).toEqual([1012.5, 1012.5, 2025]);
    expect(r.chiSquared).toBeCloseTo(2.4444444444444446, 12);
    expect(r.pValue).toBeCloseTo(0.29457482831010723, 12);
    expect(r.df).toBe(2);
  });
});
