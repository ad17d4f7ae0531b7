import { rng } from '../stats/random.ts';

/**
 * A log of bandit rounds as off-policy evaluation reads it, in flat typed arrays: what was chosen,
 * with what chance, what it earned; and for the policy under evaluation, its chance of each of the
 * k options in that round (`target`, n×k), optionally a reward model's estimate of each (`q`, n×k,
 * for doubly robust) and one action drawn from it (`targetAction`, for replay).
 */
export interface OpeLog {
  n: number;
  k: number;
  action: Int32Array;
  reward: Float64Array;
  propensity: Float64Array;
  target: Float64Array;
  q?: Float64Array;
  targetAction?: Int32Array;
}

/** An estimator over the rows `rows` of a log (all of them, or a bootstrap resample). */
export type Estimator = (log: OpeLog, rows: Int32Array) => number;

const weight = (log: OpeLog, i: number) => log.target[i * log.k + log.action[i]] / log.propensity[i];

/** Inverse propensity scoring: mean of (π(a|x)/μ(a|x))·r. Unbiased; high variance when weights are large. */
export const ips: Estimator = (log, rows) => {
  let s = 0;
  for (const i of rows) s += weight(log, i) * log.reward[i];
  return rows.length ? s / rows.length : NaN;
};

/** Self-normalised IPS: Σ w r / Σ w. A little biased, much steadier. */
export const snips: Estimator = (log, rows) => {
  let s = 0,
    w = 0;
  for (const i of rows) {
    const wi = weight(log, i);
    s += wi * log.reward[i];
    w += wi;
  }
  return w > 0 ? s / w : NaN;
};

/** Doubly robust (Dudík et al. 2011): the reward model's value under π, corrected by IPS on its residual. */
export const doublyRobust: Estimator = (log, rows) => {
  const q = log.q;
  if (!q) throw new Error('doubly robust needs a reward model (q)');
  let s = 0;
  for (const i of rows) {
    let direct = 0;
    for (let a = 0; a < log.k; a++) direct += log.target[i * log.k + a] * q[i * log.k + a];
    s += direct + weight(log, i) * (log.reward[i] - q[i * log.k + log.action[i]]);
  }
  return rows.length ? s / rows.length : NaN;
};

/**
 * Replay (Li et al. 2011): the mean reward of the rounds where the policy's own draw matches what was
 * logged. Unbiased only when the log was chosen uniformly at random.
 */
export const replay: Estimator = (log, rows) => {
  const t = log.targetAction;
  if (!t) throw new Error("replay needs the policy's own action per round (targetAction)");
  let s = 0,
    m = 0;
  for (const i of rows)
    if (t[i] === log.action[i]) {
      s += log.reward[i];
      m++;
    }
  return m ? s / m : NaN;
};

/** The simplest reward model: each option's mean logged reward (by `stratum` when given, e.g. a slot). */
export function meanRewardModel(log: Pick<OpeLog, 'n' | 'k' | 'action' | 'reward'>, stratum?: Int32Array): Float64Array {
  const strata = stratum ? Math.max(0, ...stratum) + 1 : 1;
  const sum = new Float64Array(strata * log.k);
  const cnt = new Float64Array(strata * log.k);
  let all = 0;
  for (let i = 0; i < log.n; i++) {
    const c = (stratum ? stratum[i] : 0) * log.k + log.action[i];
    sum[c] += log.reward[i];
    cnt[c]++;
    all += log.reward[i];
  }
  const overall = log.n ? all / log.n : 0;
  const q = new Float64Array(log.n * log.k);
  for (let i = 0; i < log.n; i++) {
    const s = stratum ? stratum[i] : 0;
    for (let a = 0; a < log.k; a++) {
      const c = s * log.k + a;
      q[i * log.k + a] = cnt[c] ? sum[c] / cnt[c] : overall;
    }
  }
  return q;
}

export interface Estimate {
  estimate: number;
  /** The seeded percentile bootstrap's 95 % interval. */
  low: number;
  high: number;
}

/** The estimate on the whole log, with a 95 % percentile bootstrap interval from `resamples` seeded resamples. */
export function withInterval(estimator: Estimator, log: OpeLog, seed = 1, resamples = 200): Estimate {
  const all = Int32Array.from({ length: log.n }, (_, i) => i);
  const estimate = estimator(log, all);
  const rand = rng(seed);
  const stats: number[] = [];
  const rows = new Int32Array(log.n);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < log.n; i++) rows[i] = Math.floor(rand() * log.n);
    const v = estimator(log, rows);
    if (Number.isFinite(v)) stats.push(v);
  }
  stats.sort((x, y) => x - y);
  const at = (p: number) => (stats.length ? stats[Math.min(stats.length - 1, Math.max(0, Math.round(p * (stats.length - 1))))] : NaN);
  return { estimate, low: at(0.025), high: at(0.975) };
}

export const ESTIMATORS = { replay, ips, snips, dr: doublyRobust } as const;
