/**
 * The frequentist comparisons of two groups: the two-proportion z test and Welch's t test, each with
 * its two-sided p-value and a confidence interval for the difference (treatment − control).
 */
import { normalCdf, normalQuantile, tQuantile, tTwoSided } from './distributions.ts';
import type { Moments } from './summary.ts';

export interface Interval {
  estimate: number;
  low: number;
  high: number;
}

export interface TestResult {
  /** The difference of the two groups (treatment − control) and its interval. */
  difference: Interval;
  statistic: number;
  pValue: number;
  /** Degrees of freedom (Welch); Infinity for a z test. */
  df: number;
}

/**
 * Two-proportion z test of x1/n1 (control) against x2/n2 (treatment): the statistic uses the pooled
 * proportion (as R's prop.test without continuity correction does), the interval the unpooled
 * (Wald) standard error.
 */
export function twoProportionZTest(x1: number, n1: number, x2: number, n2: number, confidence = 0.95): TestResult {
  const p1 = x1 / n1;
  const p2 = x2 / n2;
  const pooled = (x1 + x2) / (n1 + n2);
  const sePooled = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = sePooled > 0 ? (p2 - p1) / sePooled : 0;
  const se = Math.sqrt((p1 * (1 - p1)) / n1 + (p2 * (1 - p2)) / n2);
  const q = normalQuantile(1 - (1 - confidence) / 2);
  const d = p2 - p1;
  return { difference: { estimate: d, low: d - q * se, high: d + q * se }, statistic: z, pValue: sePooled > 0 ? 2 * normalCdf(-Math.abs(z)) : 1, df: Infinity };
}

/** Welch's unequal-variances t test of control `a` against treatment `b`, from their moments (as scipy's ttest_ind(equal_var=False)). */
export function welchTTest(a: Moments, b: Moments, confidence = 0.95): TestResult {
  const va = a.variance / a.n;
  const vb = b.variance / b.n;
  const se = Math.sqrt(va + vb);
  const d = b.mean - a.mean;
  // Welch–Satterthwaite degrees of freedom.
  const df = (va + vb) ** 2 / (va ** 2 / (a.n - 1) + vb ** 2 / (b.n - 1));
  if (!(se > 0)) return { difference: { estimate: d, low: d, high: d }, statistic: 0, pValue: d === 0 ? 1 : 0, df: Number.isFinite(df) ? df : Infinity };
  const t = d / se;
  const q = tQuantile(1 - (1 - confidence) / 2, df);
  return { difference: { estimate: d, low: d - q * se, high: d + q * se }, statistic: t, pValue: tTwoSided(t, df), df };
}
