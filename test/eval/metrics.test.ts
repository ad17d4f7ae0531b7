import { describe, expect, it } from 'vitest';
import { averagePrecisionAt, cappedRecallAt, coverage, hitRateAt, meanStd, ndcgAt, novelty, precisionAt, recallAt } from '../../src/eval/metrics.ts';

describe('ranking metrics', () => {
  // Ranked list 10..19; relevant {10, 13, 30} (30 never recommended).
  const ranked = Int32Array.from({ length: 10 }, (_, i) => 10 + i);
  const rel = new Set([10, 13, 30]);

  it('precision and recall at k', () => {
    expect(precisionAt(ranked, rel, 10)).toBeCloseTo(0.2);
    expect(recallAt(ranked, rel, 10)).toBeCloseTo(2 / 3);
    expect(recallAt(ranked, rel, 2)).toBeCloseTo(1 / 3);
  });

  it('MAP as Microsoft Recommenders: Σ precision at hits / |relevant|', () => {
    // Hits at ranks 1 and 4: (1/1 + 2/4) / 3.
    expect(averagePrecisionAt(ranked, rel, 10)).toBeCloseTo((1 + 0.5) / 3);
  });

  it('nDCG with binary gains and the ideal over min(k, |relevant|)', () => {
    const dcg = 1 / Math.log2(2) + 1 / Math.log2(5);
    const idcg = 1 / Math.log2(2) + 1 / Math.log2(3) + 1 / Math.log2(4);
    expect(ndcgAt(ranked, rel, 10)).toBeCloseTo(dcg / idcg);
    expect(ndcgAt(ranked, new Set([10]), 10)).toBe(1);
    expect(ndcgAt(ranked, new Set([99]), 10)).toBe(0);
  });

  it('Liang recall caps the denominator at k', () => {
    const many = new Set(Array.from({ length: 40 }, (_, i) => 10 + i));
    expect(cappedRecallAt(ranked, many, 10)).toBe(1);
    expect(recallAt(ranked, many, 10)).toBeCloseTo(0.25);
  });

  it('hit rate, coverage and novelty', () => {
    expect(hitRateAt(ranked, new Set([19]), 10)).toBe(1);
    expect(hitRateAt(ranked, new Set([19]), 5)).toBe(0);
    expect(coverage([Int32Array.of(0, 1), Int32Array.of(1, 2)], 10)).toBeCloseTo(0.3);
    // Item 0 used by 3 of 7 users, item 1 by none: −log2(4/8) and −log2(1/8).
    expect(novelty([Int32Array.of(0, 1)], [3, 0], 7)).toBeCloseTo((1 + 3) / 2);
  });

  it('mean and sample standard deviation', () => {
    expect(meanStd([1, 2, 3])).toEqual({ mean: 2, std: 1 });
    expect(meanStd([5])).toEqual({ mean: 5, std: 0 });
  });
});
