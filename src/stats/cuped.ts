/**
 * CUPED (Controlled-experiment Using Pre-Experiment Data, Deng et al. 2013): subtract from each
 * person's metric the part their pre-period behaviour predicts, θ·(x − x̄), with θ = cov(y, x)/var(x)
 * over all groups together. The means' differences are unbiased as before, with less variance the
 * more the pre-period predicts.
 */
import { covariance, mean, variance, type Numbers } from './summary.ts';

export interface CupedResult {
  theta: number;
  /** y − θ(x − x̄), per unit, in input order. */
  adjusted: Float64Array;
  /** The share of the variance removed: 1 − var(adjusted)/var(y) (the squared correlation of x and y). */
  varianceReduction: number;
}

/** CUPED-adjusted values of `y` with pre-period covariate `x` (both over the same units, all groups pooled). */
export function cuped(y: Numbers, x: Numbers): CupedResult {
  const vx = variance(x);
  const theta = vx > 0 ? covariance(y, x) / vx : 0;
  const mx = mean(x);
  const adjusted = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) adjusted[i] = y[i] - theta * (x[i] - mx);
  const vy = variance(y);
  return { theta, adjusted, varianceReduction: vy > 0 ? 1 - variance(adjusted) / vy : 0 };
}
