/** Means, variances and covariances over plain arrays: the sufficient statistics the tests take. */

export type Numbers = ArrayLike<number>;

export function mean(xs: Numbers): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length ? s / xs.length : NaN;
}

/** The sample variance (n − 1 in the denominator). */
export function variance(xs: Numbers): number {
  return covariance(xs, xs);
}

/** The sample covariance (n − 1 in the denominator), two-pass for accuracy. */
export function covariance(xs: Numbers, ys: Numbers): number {
  const n = xs.length;
  if (n !== ys.length) throw new RangeError('covariance: the two samples differ in length');
  if (n < 2) return NaN;
  const mx = mean(xs);
  const my = mean(ys);
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i] - mx) * (ys[i] - my);
  return s / (n - 1);
}

/** A sample's summary: size, mean and sample variance. */
export interface Moments {
  n: number;
  mean: number;
  variance: number;
}

export function momentsOf(xs: Numbers): Moments {
  return { n: xs.length, mean: mean(xs), variance: variance(xs) };
}
