import { dot } from '../../recommend/models/linalg.ts';

/**
 * One arm's ridge regression, kept as the inverse of A = λI + Σ x xᵀ (updated by Sherman–Morrison,
 * O(d²) per reward, so no solve is needed at decision time) and b = Σ r x. Plain arrays so a state
 * round-trips through JSON.
 */
export interface RidgeArm {
  d: number;
  /** A⁻¹, row-major d×d. */
  inv: number[];
  b: number[];
  /** How many rewards it has learnt from. */
  n: number;
  /** The sum of those rewards (what context-free ε-greedy reads). */
  rewardSum: number;
}

export function newArm(d: number, lambda = 1): RidgeArm {
  const inv = new Array<number>(d * d).fill(0);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1 / lambda;
  return { d, inv, b: new Array<number>(d).fill(0), n: 0, rewardSum: 0 };
}

/** A⁻¹x into `out`. */
function invTimes(arm: RidgeArm, x: Float64Array, out: Float64Array): Float64Array {
  const { d, inv } = arm;
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += inv[i * d + j] * x[j];
    out[i] = s;
  }
  return out;
}

/** θ̂ = A⁻¹ b. */
export function theta(arm: RidgeArm): Float64Array {
  return invTimes(arm, Float64Array.from(arm.b), new Float64Array(arm.d));
}

/** The predicted reward θ̂·x and the width xᵀA⁻¹x of its uncertainty (a variance factor). */
export function predict(arm: RidgeArm, x: Float64Array): { mean: number; variance: number } {
  const th = theta(arm);
  const ax = invTimes(arm, x, new Float64Array(arm.d));
  return { mean: dot(th, 0, x, 0, arm.d), variance: Math.max(0, dot(x, 0, ax, 0, arm.d)) };
}

/** Learns one reward for x, in place: A⁻¹ ← A⁻¹ − (A⁻¹x)(A⁻¹x)ᵀ / (1 + xᵀA⁻¹x), b ← b + r x. */
export function learn(arm: RidgeArm, x: Float64Array, reward: number): void {
  const { d, inv } = arm;
  if (x.length !== d) throw new RangeError(`feature vector has ${x.length} values, the arm ${d}`);
  const ax = invTimes(arm, x, new Float64Array(d));
  const denom = 1 + dot(x, 0, ax, 0, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) inv[i * d + j] -= (ax[i] * ax[j]) / denom;
  for (let i = 0; i < d; i++) arm.b[i] += reward * x[i];
  arm.n++;
  arm.rewardSum += reward;
}
