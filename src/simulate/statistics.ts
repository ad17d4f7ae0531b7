/**
 * The simulator's statistics, from the project's statistics module (src/stats/): one-group
 * intervals, and the two-proportion, Welch and delta-method comparisons the experiments use.
 */
import { normalQuantile, tQuantile } from '../stats/distributions.ts';
import { differenceInterval, ratioEstimate, relativeUplift } from '../stats/ratio.ts';
import { momentsOf, type Numbers } from '../stats/summary.ts';
import { twoProportionZTest, welchTTest, type Interval } from '../stats/tests.ts';
import type { Comparison, SimStatistics } from './analysis.ts';

const LEVEL = 0.95;
const NONE: Interval = { estimate: NaN, low: NaN, high: NaN };

/** The mean and its variance (of the mean), the form the delta-method helpers take. */
function meanWithVariance(xs: Numbers) {
  const m = momentsOf(xs);
  return { estimate: m.mean, variance: m.variance / m.n, moments: m };
}

export const projectStatistics: SimStatistics = {
  mean(xs) {
    const { estimate, variance, moments } = meanWithVariance(xs);
    if (moments.n < 2) return { estimate, low: NaN, high: NaN };
    const half = tQuantile(1 - (1 - LEVEL) / 2, moments.n - 1) * Math.sqrt(variance);
    return { estimate, low: estimate - half, high: estimate + half };
  },
  ratio(num, den) {
    const r = ratioEstimate(num, den);
    const half = normalQuantile(1 - (1 - LEVEL) / 2) * Math.sqrt(r.variance);
    return { estimate: r.ratio, low: r.ratio - half, high: r.ratio + half };
  },
  compareShares(control, treatment): Comparison {
    const test = twoProportionZTest(control.successes, control.n, treatment.successes, treatment.n, LEVEL);
    const share = (g: { successes: number; n: number }) => {
      const p = g.successes / g.n;
      return { estimate: p, variance: (p * (1 - p)) / g.n };
    };
    return { difference: test.difference, relative: relativeUplift(share(control), share(treatment), LEVEL) ?? NONE };
  },
  compareMeans(control, treatment): Comparison {
    const a = meanWithVariance(control);
    const b = meanWithVariance(treatment);
    return { difference: welchTTest(a.moments, b.moments, LEVEL).difference, relative: relativeUplift(a, b, LEVEL) ?? NONE };
  },
  compareRatios(control, treatment): Comparison {
    const est = (g: { num: Numbers; den: Numbers }) => {
      const r = ratioEstimate(g.num, g.den);
      return { estimate: r.ratio, variance: r.variance };
    };
    const a = est(control);
    const b = est(treatment);
    const d = differenceInterval(a, b, LEVEL);
    return { difference: { estimate: d.estimate, low: d.low, high: d.high }, relative: relativeUplift(a, b, LEVEL) ?? NONE };
  },
};
