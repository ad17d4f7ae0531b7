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
  for (let i = 0; i < n; i++) pos += labels[i];
  const hi = (pos + 1) / (pos + 2);
  const lo = 1 / (n - pos + 2);
  let a = 1;
  let b = 0;
  const h = new Float64Array(4);
  const g = new Float64Array(2);
  for (let iter = 0; iter < 50; iter++) {
    h.fill(0);
    g.fill(0);
    for (let i = 0; i < n; i++) {
      const t = labels[i] ? hi : lo;
      const s = scores[i];
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
    a -= step[0];
    b -= step[1];
    if (Math.abs(step[0]) + Math.abs(step[1]) < 1e-9) break;
  }
  return { kind: 'platt', a, b };
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
  // Keep probabilities off 0 and 1: a block of twenty negatives is not a certainty.
  return { kind: 'isotonic', xs: upper, ps: sum.map((s, k) => (s + 0.5) / (count[k] + 1)) };
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
