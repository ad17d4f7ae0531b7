import { dot } from '../../recommend/models/linalg.ts';

/**
 * One arm's ridge regression, kept as the inverse of A = λI + Σ x xᵀ (updated by Sherman–Morrison,
 * O(d²) per reward, so no solve is needed at decision time), b = Σ r x and θ̂ = A⁻¹b (refreshed at each
 * reward, so a decision costs one d² pass per option). `armToJson` / `armFromJson` store it.
 */
export interface RidgeArm {
  d: number;
  /** A⁻¹, row-major d×d. */
  inv: Float64Array;
  b: Float64Array;
  theta: Float64Array;
  /** How many rewards it has learnt from. */
  n: number;
  /** The sum of those rewards (what context-free ε-greedy reads). */
  rewardSum: number;
}

export function newArm(d: number, lambda = 1): RidgeArm {
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1 / lambda;
  return { d, inv, b: new Float64Array(d), theta: new Float64Array(d), n: 0, rewardSum: 0 };
}

/** The arm as plain JSON (typed arrays as number arrays; θ̂ is recomputed on the way back). */
export function armToJson(arm: RidgeArm): Record<string, unknown> {
  return { d: arm.d, inv: Array.from(arm.inv), b: Array.from(arm.b), n: arm.n, rewardSum: arm.rewardSum };
}

export function armFromJson(j: { d: number; inv: number[]; b: number[]; n: number; rewardSum: number }): RidgeArm {
  const arm: RidgeArm = { d: j.d, inv: Float64Array.from(j.inv), b: Float64Array.from(j.b), theta: new Float64Array(j.d), n: j.n, rewardSum: j.rewardSum };
  invTimes(arm, arm.b, arm.theta);
  return arm;
}

/** A⁻¹x into `out`. */
function invTimes(arm: RidgeArm, x: Float64Array, out: Float64Array): Float64Array {
  const { d, inv } = arm;
  for (let i = 0; i < d; i++) out[i] = dot(inv, i * d, x, 0, d);
  return out;
}

/** θ̂ = A⁻¹ b. */
export function theta(arm: RidgeArm): Float64Array {
  return arm.theta;
}

/** The predicted reward θ̂·x and the width xᵀA⁻¹x of its uncertainty (a variance factor). */
export function predict(arm: RidgeArm, x: Float64Array): { mean: number; variance: number } {
  const { d, inv } = arm;
  // xᵀA⁻¹x straight from the rows, without a temporary vector.
  let variance = 0;
  for (let i = 0; i < d; i++) {
    const xi = x[i];
    if (xi !== 0) variance += xi * dot(inv, i * d, x, 0, d);
  }
  return { mean: dot(arm.theta, 0, x, 0, d), variance: Math.max(0, variance) };
}

/** Learns one reward for x, in place: A⁻¹ ← A⁻¹ − (A⁻¹x)(A⁻¹x)ᵀ / (1 + xᵀA⁻¹x), b ← b + r x. */
export function learn(arm: RidgeArm, x: Float64Array, reward: number): void {
  const { d, inv } = arm;
  if (x.length !== d) throw new RangeError(`feature vector has ${x.length} values, the arm ${d}`);
  const ax = invTimes(arm, x, new Float64Array(d));
  const denom = 1 + dot(x, 0, ax, 0, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) inv[i * d + j] -= (ax[i] * ax[j]) / denom;
  for (let i = 0; i < d; i++) arm.b[i] += reward * x[i];
  invTimes(arm, arm.b, arm.theta);
  arm.n++;
  arm.rewardSum += reward;
}
