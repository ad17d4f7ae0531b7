/**
 * How good a probability is: AUC (does it rank the positives first), log-loss and Brier score (is it
 * right in value), and the reliability table behind the chart (predicted against observed, by bin).
 */
import { rng } from '../stats/random.ts';

/** Area under the ROC curve by ranks (ties share their mean rank); NaN with no positive or no negative. */
export function auc(p: ArrayLike<number>, y: ArrayLike<number>): number {
  const n = p.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => p[a] - p[b]);
  let pos = 0;
  let rankSum = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && p[order[j + 1]] === p[order[i]]) j++;
    const rank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++)
      if (y[order[k]]) {
        pos++;
        rankSum += rank;
      }
    i = j + 1;
  }
  const neg = n - pos;
  if (pos === 0 || neg === 0) return Number.NaN;
  return (rankSum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** Mean negative log-likelihood, probabilities clipped to [1e-15, 1 − 1e-15]. */
export function logLoss(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) {
    const q = Math.min(1 - 1e-15, Math.max(1e-15, p[i]));
    s -= y[i] ? Math.log(q) : Math.log(1 - q);
  }
  return s / Math.max(1, p.length);
}

/** Mean squared error of the probability. */
export function brier(p: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < p.length; i++) s += (p[i] - y[i]) ** 2;
  return s / Math.max(1, p.length);
}

export interface ReliabilityBin {
  /** The bin's range of predicted probabilities. */
  from: number;
  to: number;
  count: number;
  meanPredicted: number;
  observed: number;
}

/** Equal-width bins of predicted probability; empty bins are left out. */
export function reliability(p: ArrayLike<number>, y: ArrayLike<number>, bins = 10): ReliabilityBin[] {
  const count = new Array<number>(bins).fill(0);
  const sumP = new Array<number>(bins).fill(0);
  const sumY = new Array<number>(bins).fill(0);
  for (let i = 0; i < p.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(p[i] * bins)));
    count[b]++;
    sumP[b] += p[i];
    sumY[b] += y[i];
  }
  const out: ReliabilityBin[] = [];
  for (let b = 0; b < bins; b++)
    if (count[b]) out.push({ from: b / bins, to: (b + 1) / bins, count: count[b], meanPredicted: sumP[b] / count[b], observed: sumY[b] / count[b] });
  return out;
}

/** Expected calibration error: the count-weighted mean gap between predicted and observed per bin. */
export function expectedCalibrationError(bins: readonly ReliabilityBin[]): number {
  const n = bins.reduce((a, b) => a + b.count, 0);
  return bins.reduce((a, b) => a + (b.count / Math.max(1, n)) * Math.abs(b.meanPredicted - b.observed), 0);
}

/**
 * A 95 % interval for AUC(model) − AUC(baseline), by a paired bootstrap over groups (people: a
 * person's rows are resampled together, as they are not independent). Seeded.
 */
export function aucDifferenceInterval(
  model: readonly number[],
  base: readonly number[],
  y: readonly number[],
  groups: readonly number[],
  seed: number,
  resamples = 200,
): [number, number] {
  const byGroup = new Map<number, number[]>();
  groups.forEach((g, i) => {
    let l = byGroup.get(g);
    if (!l) byGroup.set(g, (l = []));
    l.push(i);
  });
  const lists = [...byGroup.values()];
  const draw = rng(seed);
  const diffs: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const m: number[] = [];
    const q: number[] = [];
    const t: number[] = [];
    for (let k = 0; k < lists.length; k++)
      for (const i of lists[Math.floor(draw() * lists.length)]) {
        m.push(model[i]);
        q.push(base[i]);
        t.push(y[i]);
      }
    const d = auc(m, t) - auc(q, t);
    if (!Number.isNaN(d)) diffs.push(d);
  }
  diffs.sort((a, b) => a - b);
  if (diffs.length === 0) return [Number.NaN, Number.NaN];
  const at = (p: number) => diffs[Math.min(diffs.length - 1, Math.max(0, Math.round(p * (diffs.length - 1))))];
  return [at(0.025), at(0.975)];
}
