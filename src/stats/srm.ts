/**
 * Sample-ratio mismatch: whether the people counted in each variant fit the weights the experiment
 * was set up with. A mismatch (p < 0.001 by convention) means the assignment or the logging is broken,
 * and no other figure of the experiment can be trusted.
 */
import { chiSquaredSf } from './distributions.ts';

export const SRM_THRESHOLD = 0.001;

export interface SrmResult {
  chiSquared: number;
  df: number;
  pValue: number;
  expected: number[];
  mismatch: boolean;
}

/** Pearson's chi-squared goodness-of-fit test of the observed counts against the expected shares (as scipy.stats.chisquare). */
export function sampleRatioMismatch(observed: readonly number[], weights: readonly number[], threshold = SRM_THRESHOLD): SrmResult {
  if (observed.length !== weights.length || observed.length < 2) throw new RangeError('sampleRatioMismatch: one weight per observed count, at least two');
  const n = observed.reduce((s, x) => s + x, 0);
  const w = weights.reduce((s, x) => s + x, 0);
  const expected = weights.map((x) => (n * x) / w);
  let chi = 0;
  for (let i = 0; i < observed.length; i++) if (expected[i] > 0) chi += (observed[i] - expected[i]) ** 2 / expected[i];
  const df = observed.length - 1;
  const pValue = n > 0 ? chiSquaredSf(chi, df) : 1;
  return { chiSquared: chi, df, pValue, expected, mismatch: pValue < threshold };
}
