/**
 * Regularised logistic regression over a dense row-major feature matrix, fitted by Newton's method
 * (iteratively reweighted least squares). The models here have a few dozen features at most, so the
 * d×d Hessian is tiny and Newton converges in a handful of steps, deterministically: no learning
 * rate to tune, no random order. Features are standardised inside, so one L2 strength suits all.
 */

/** A fitted model: weights over standardised features, with the means and spreads to standardise by. */
export interface LogisticModel {
  /** Per feature, its mean and standard deviation in the training rows. */
  mean: number[];
  std: number[];
  /** Per standardised feature, its weight. */
  weights: number[];
  bias: number;
}

export interface LogisticOptions {
  /** L2 penalty on the weights (not the bias), per row-mean log-loss unit (default 1e-2). */
  l2?: number;
  maxIter?: number;
}

/** A row-major matrix of n rows and d columns. */
export interface Matrix {
  data: Float64Array;
  rows: number;
  cols: number;
}

/** The largest change of any weight in one Newton step (in standardised units). */
const MAX_STEP = 5;

export const sigmoid = (z: number): number => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));
export const logit = (p: number): number => {
  const q = Math.min(1 - 1e-9, Math.max(1e-9, p));
  return Math.log(q / (1 - q));
};

/** Solves A x = b for a symmetric positive-definite A (d×d, row-major) by Cholesky; A is not changed. */
export function solveSpd(a: Float64Array, b: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j];
      for (let k = 0; k < j; k++) s -= l[i * d + k] * l[j * d + k];
      if (i === j) l[i * d + i] = Math.sqrt(Math.max(s, 1e-12));
      else l[i * d + j] = s / l[j * d + j];
    }
  }
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i];
    for (let k = 0; k < i; k++) s -= l[i * d + k] * y[k];
    y[i] = s / l[i * d + i];
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i];
    for (let k = i + 1; k < d; k++) s -= l[k * d + i] * x[k];
    x[i] = s / l[i * d + i];
  }
  return x;
}

/** Column means and standard deviations (a constant column gets 1, so it standardises to 0). */
export function columnStats(x: Matrix): { mean: number[]; std: number[] } {
  const { data, rows, cols } = x;
  const mean = new Array<number>(cols).fill(0);
  const std = new Array<number>(cols).fill(0);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) mean[j] += data[i * cols + j];
  for (let j = 0; j < cols; j++) mean[j] /= Math.max(1, rows);
  for (let i = 0; i < rows; i++)
    for (let j = 0; j < cols; j++) {
      const v = data[i * cols + j] - mean[j];
      std[j] += v * v;
    }
  for (let j = 0; j < cols; j++) {
    const s = Math.sqrt(std[j] / Math.max(1, rows));
    std[j] = s > 1e-9 ? s : 1;
  }
  return { mean, std };
}

/**
 * Fits weights and bias minimising mean log-loss + l2/2·|w|² over the standardised features. Rows may
 * be a subset (`subset`, indices into x), so cross-fitting needs no copies.
 */
export function fitLogistic(x: Matrix, y: Uint8Array, opts: LogisticOptions = {}, subset?: Int32Array): LogisticModel {
  const l2 = opts.l2 ?? 1e-2;
  const maxIter = opts.maxIter ?? 30;
  const d = x.cols;
  const idx = subset ?? Int32Array.from({ length: x.rows }, (_, i) => i);
  const n = idx.length;
  const sub: Matrix = { data: new Float64Array(0), rows: 0, cols: d };
  // Standardise on the rows this fit sees.
  const stats = (() => {
    if (!subset) return columnStats(x);
    sub.data = new Float64Array(n * d);
    sub.rows = n;
    for (let r = 0; r < n; r++) sub.data.set(x.data.subarray(idx[r] * d, idx[r] * d + d), r * d);
    return columnStats(sub);
  })();
  const p = d + 1; // weights, then the bias
  const beta = new Float64Array(p);
  const z = new Float64Array(d);
  let positives = 0;
  for (let r = 0; r < n; r++) positives += y[idx[r]];
  // Start from the base rate, so a model with no useful feature stays there.
  const rate = (positives + 0.5) / (n + 1);
  beta[d] = Math.log(rate / (1 - rate));
  const h = new Float64Array(p * p);
  const g = new Float64Array(p);
  for (let iter = 0; iter < maxIter; iter++) {
    h.fill(0);
    g.fill(0);
    for (let r = 0; r < n; r++) {
      const row = idx[r] * d;
      let s = beta[d];
      for (let j = 0; j < d; j++) {
        z[j] = (x.data[row + j] - stats.mean[j]) / stats.std[j];
        s += beta[j] * z[j];
      }
      const mu = sigmoid(s);
      const err = mu - y[idx[r]];
      const w = Math.max(mu * (1 - mu), 1e-10);
      for (let j = 0; j < d; j++) {
        g[j] += err * z[j];
        for (let k = 0; k <= j; k++) h[j * p + k] += w * z[j] * z[k];
        h[d * p + j] += w * z[j];
      }
      g[d] += err;
      h[d * p + d] += w;
    }
    for (let j = 0; j < p; j++) {
      g[j] /= Math.max(1, n);
      for (let k = 0; k <= j; k++) h[j * p + k] /= Math.max(1, n);
    }
    for (let j = 0; j < d; j++) {
      g[j] += l2 * beta[j];
      h[j * p + j] += l2;
    }
    for (let j = 0; j < p; j++) for (let k = j + 1; k < p; k++) h[j * p + k] = h[k * p + j];
    h[d * p + d] += 1e-9;
    const step = solveSpd(h, g, p);
    // A damped step where the curvature is nearly flat (separable rows), so Newton cannot fly off.
    let biggest = 0;
    for (let j = 0; j < p; j++) biggest = Math.max(biggest, Math.abs(step[j]));
    const damp = biggest > MAX_STEP ? MAX_STEP / biggest : 1;
    let change = 0;
    for (let j = 0; j < p; j++) {
      step[j] *= damp;
      beta[j] -= step[j];
      change = Math.max(change, Math.abs(step[j]));
    }
    if (change < 1e-7) break;
  }
  return { mean: stats.mean, std: stats.std, weights: Array.from(beta.subarray(0, d)), bias: beta[d] };
}

/** The linear score (log-odds) of one row of raw features. */
export function logitOf(m: LogisticModel, row: ArrayLike<number>): number {
  let s = m.bias;
  for (let j = 0; j < m.weights.length; j++) s += m.weights[j] * ((row[j] - m.mean[j]) / m.std[j]);
  return s;
}

/** Each feature's share of a row's log-odds against the training average (weight × standardised value). */
export function contributions(m: LogisticModel, row: ArrayLike<number>): number[] {
  return m.weights.map((w, j) => w * ((row[j] - m.mean[j]) / m.std[j]));
}
