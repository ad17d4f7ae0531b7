/**
 * Calibration: turning a model's scores into probabilities that match observed frequencies. Platt
 * scaling fits p = σ(a·s + b) on scores the model did not train on (out of fold); isotonic
 * regression fits a non-decreasing step function (pool adjacent violators) and needs more rows.
 */
import { sigmoid, solveSpd } from './logistic.ts';

export interface PlattScaling {
  kind: 'platt';
  a: number;
  b: number;
}

export interface IsotonicScaling {
  kind: 'isotonic';
  /** Block upper score bounds (ascending) and each block's probability. */
  xs: number[];
  ps: number[];
}

export type Calibration = PlattScaling | IsotonicScaling;

/**
 * Platt's method with his smoothed targets ((N₊+1)/(N₊+2) and 1/(N₋+2)), so a perfectly separated
 * fold does not drive the slope to infinity; fitted by Newton on two parameters.
 */
export function fitPlatt(scores: ArrayLike<number>, labels: ArrayLike<number>): PlattScaling {
  const n = scores.length;
  let pos = 0;
  let mean = 0;
  for (let i = 0; i < n; i++) {
    pos += labels[i];
    mean += scores[i];
  }
  mean /= Math.max(1, n);
  let sd = 0;
  for (let i = 0; i < n; i++) sd += (scores[i] - mean) ** 2;
  sd = Math.sqrt(sd / Math.max(1, n)) || 1;
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  // Fitted on standardised scores (a well-conditioned start), then mapped back.
  const z = (i: number) => (scores[i] - mean) / sd;
  const loss = (a: number, b: number) => {
    let l = 0;
    for (let i = 0; i < n; i++) {
      const t = labels[i] ? hi : lo;
      const u = a * z(i) + b;
      // log(1 + e^u) − t·u, computed without overflow.
      l += (u > 0 ? u + Math.log1p(Math.exp(-u)) : Math.log1p(Math.exp(u))) - t * u;
    }
    return l;
  };
  let a = 0;
  let b = Math.log((pos + 1) / (n - pos + 1));
  let current = loss(a, b);
  const h = new Float64Array(4);
  const g = new Float64Array(2);
  for (let iter = 0; iter < 100; iter++) {
    h.fill(0);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const t = labels[i] ? hi : lo;
      const s = z(i);
      const p = sigmoid(a * s + b);
      const w = Math.max(p * (1 - p), 1e-12);
      g[0] += (p - t) * s;
      g[1] += p - t;
      h[0] += w * s * s;
      h[1] += w * s;
      h[3] += w;
    }
    h[2] = h[1];
    h[0] += 1e-9;
    h[3] += 1e-9;
    const step = solveSpd(h, g, 2);
    // Newton with backtracking: a full step may overshoot where the scores separate the labels well.
    let f = 1;
    let next = loss(a - step[0], b - step[1]);
    while (next > current && f > 1e-6) {
      f /= 2;
      next = loss(a - f * step[0], b - f * step[1]);
    }
    if (next > current) break;
    a -= f * step[0];
    b -= f * step[1];
    const done = current - next < 1e-10 * Math.max(1, Math.abs(current));
    current = next;
    if (done) break;
  }
  return { kind: 'platt', a: a / sd, b: b - (a * mean) / sd };
}

/** Pool adjacent violators over the scores sorted ascending: the least-squares non-decreasing fit. */
export function fitIsotonic(scores: ArrayLike<number>, labels: ArrayLike<number>): IsotonicScaling {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((i, j) => scores[i] - scores[j]);
  const sum: number[] = [];
  const count: number[] = [];
  const upper: number[] = [];
  for (const i of order) {
    sum.push(labels[i]);
    count.push(1);
    upper.push(scores[i]);
    while (sum.length > 1 && sum[sum.length - 2] / count[count.length - 2] >= sum[sum.length - 1] / count[count.length - 1]) {
      const s = sum.pop()!;
      const c = count.pop()!;
      const u = upper.pop()!;
      sum[sum.length - 1] += s;
      count[count.length - 1] += c;
      upper[upper.length - 1] = u;
    }
  }
  // Keep probabilities off 0 and 1 (a block of twenty negatives is not a certainty) by a bound that
  // keeps the blocks in order, which per-block smoothing would not.
  const edge = 0.5 / (scores.length + 1);
  return { kind: 'isotonic', xs: upper, ps: sum.map((s, k) => Math.min(1 - edge, Math.max(edge, s / count[k]))) };
}

/** The calibrated probability of a score. */
export function calibrated(c: Calibration, score: number): number {
  if (c.kind === 'platt') return sigmoid(c.a * score + c.b);
  const { xs, ps } = c;
  if (xs.length === 0) return 0.5;
  let lo = 0;
  let hi = xs.length - 1;
  if (score > xs[hi]) return ps[hi];
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] >= score) hi = mid;
    else lo = mid + 1;
  }
  return ps[lo];
}
