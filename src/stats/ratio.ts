/**
 * Ratio metrics by the delta method: a metric such as average order value (revenue / orders) is a
 * ratio of two sums over the randomised units (people), so its variance is not that of a mean. The
 * first-order Taylor expansion of Σy/Σx gives it, and the same expansion gives relative uplift's.
 */
import { normalQuantile } from './distributions.ts';
import { covariance, mean, type Numbers } from './summary.ts';
import type { Interval } from './tests.ts';

export interface RatioEstimate {
  /** Σ numerator / Σ denominator. */
  ratio: number;
  /** The delta-method variance of the ratio. */
  variance: number;
  n: number;
}

/** The ratio Σy / Σx over units and its delta-method variance: (σ²_y − 2R σ_xy + R² σ²_x) / (n μ_x²). */
export function ratioEstimate(y: Numbers, x: Numbers): RatioEstimate {
  const n = y.length;
  const my = mean(y);
  const mx = mean(x);
  const r = my / mx;
  const v = (covariance(y, y) - 2 * r * covariance(y, x) + r * r * covariance(x, x)) / (n * mx * mx);
  return { ratio: r, variance: v, n };
}

/** The difference of two independent estimates (treatment − control) with a normal interval. */
export function differenceInterval(
  control: { estimate: number; variance: number },
  treatment: { estimate: number; variance: number },
  confidence = 0.95,
): Interval & { se: number } {
  const d = treatment.estimate - control.estimate;
  const se = Math.sqrt(control.variance + treatment.variance);
  const q = normalQuantile(1 - (1 - confidence) / 2);
  return { estimate: d, low: d - q * se, high: d + q * se, se };
}

/**
 * Relative uplift (treatment / control − 1) of two independent estimates, with its delta-method
 * interval: Var(b/a) ≈ Var(b)/a² + b² Var(a)/a⁴. Null when the control is 0 (no uplift is defined).
 */
export function relativeUplift(
  control: { estimate: number; variance: number },
  treatment: { estimate: number; variance: number },
  confidence = 0.95,
): Interval | null {
  const a = control.estimate;
  const b = treatment.estimate;
  if (!(Math.abs(a) > 0) || !Number.isFinite(a) || !Number.isFinite(b)) return null;
  const u = b / a - 1;
  const se = Math.sqrt(treatment.variance / (a * a) + (b * b * control.variance) / a ** 4);
  const q = normalQuantile(1 - (1 - confidence) / 2);
  return { estimate: u, low: u - q * se, high: u + q * se };
}
