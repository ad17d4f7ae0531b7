import { dot, invertSpd } from '../../recommend/models/linalg.ts';
import { flooredGreedy } from './policies.ts';

/**
 * Hybrid LinUCB (Li et al. 2010, algorithm 2): a shared part β over features z that every option's
 * reward depends on the same way (the context crossed with the option's features), so what one option
 * teaches carries to the others and to new ones, plus a per-option part θ_a over x (the context).
 */
export interface HybridState {
  /** Per-option dimension (x) and shared dimension (z). */
  d: number;
  k: number;
  /** A₀ (k×k) and b₀ of the shared part. */
  A0: Float64Array;
  b0: Float64Array;
  arms: Record<string, HybridArm>;
}

export interface HybridArm {
  /** A_a⁻¹ (d×d), kept by Sherman–Morrison. */
  inv: Float64Array;
  /** B_a (d×k): how this option's x and the shared z co-occurred. */
  B: Float64Array;
  b: Float64Array;
}

export interface HybridOption {
  key: string;
  x: Float64Array;
  z: Float64Array;
}

/** The state as plain JSON (typed arrays as number arrays). */
export function hybridToJson(s: HybridState): Record<string, unknown> {
  const arms = Object.fromEntries(Object.entries(s.arms).map(([key, a]) => [key, { inv: Array.from(a.inv), B: Array.from(a.B), b: Array.from(a.b) }]));
  return { d: s.d, k: s.k, A0: Array.from(s.A0), b0: Array.from(s.b0), arms };
}

export function hybridFromJson(j: {
  d: number;
  k: number;
  A0: number[];
  b0: number[];
  arms: Record<string, { inv: number[]; B: number[]; b: number[] }>;
}): HybridState {
  const arms = Object.fromEntries(
    Object.entries(j.arms).map(([key, a]) => [key, { inv: Float64Array.from(a.inv), B: Float64Array.from(a.B), b: Float64Array.from(a.b) }]),
  );
  return { d: j.d, k: j.k, A0: Float64Array.from(j.A0), b0: Float64Array.from(j.b0), arms };
}

export function newHybrid(d: number, k: number, lambda = 1): HybridState {
  const A0 = new Float64Array(k * k);
  for (let i = 0; i < k; i++) A0[i * k + i] = lambda;
  return { d, k, A0, b0: new Float64Array(k), arms: {} };
}

function newHybridArm(d: number, k: number, lambda = 1): HybridArm {
  const inv = new Float64Array(d * d);
  for (let i = 0; i < d; i++) inv[i * d + i] = 1 / lambda;
  return { inv, B: new Float64Array(d * k), b: new Float64Array(d) };
}

/** M v for a row-major r×c matrix. */
function times(M: Float64Array, r: number, c: number, v: Float64Array): Float64Array {
  const out = new Float64Array(r);
  for (let i = 0; i < r; i++) out[i] = dot(M, i * c, v, 0, c);
  return out;
}

/** Mᵀ v for a row-major r×c matrix. */
function timesT(M: Float64Array, r: number, c: number, v: Float64Array): Float64Array {
  const out = new Float64Array(c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j] += M[i * c + j] * v[i];
  return out;
}

/** A₀⁻¹ (a copy inverted; k is small) and β̂ = A₀⁻¹b₀. */
function shared(state: HybridState): { A0inv: Float64Array; beta: Float64Array } {
  const A0inv = Float64Array.from(state.A0);
  invertSpd(A0inv, state.k);
  return { A0inv, beta: times(A0inv, state.k, state.k, state.b0) };
}

/** Each option's upper confidence bound zᵀβ̂ + xᵀθ̂_a + α√s_a. */
export function hybridScores(state: HybridState, options: readonly HybridOption[], alpha: number): Float64Array {
  const { d, k } = state;
  const { A0inv, beta } = shared(state);
  return Float64Array.from(
    options.map((o) => {
      const arm = state.arms[o.key] ?? newHybridArm(d, k);
      const Bbeta = times(arm.B, d, k, beta);
      const theta = times(
        arm.inv,
        d,
        d,
        arm.b.map((v, i) => v - Bbeta[i]),
      );
      const Ax = times(arm.inv, d, d, o.x);
      const u = timesT(arm.B, d, k, Ax);
      const A0z = times(A0inv, k, k, o.z);
      const A0u = times(A0inv, k, k, u);
      const s = dot(o.z, 0, A0z, 0, k) - 2 * dot(o.z, 0, A0u, 0, k) + dot(o.x, 0, Ax, 0, d) + dot(u, 0, A0u, 0, k);
      return dot(o.z, 0, beta, 0, k) + dot(o.x, 0, theta, 0, d) + alpha * Math.sqrt(Math.max(0, s));
    }),
  );
}

export function hybridProbabilities(state: HybridState, options: readonly HybridOption[], alpha: number, floor: number): Float64Array {
  return flooredGreedy(hybridScores(state, options, alpha), floor);
}

/** Bᵀ A⁻¹ B (k×k) and Bᵀ A⁻¹ b (k) for one arm. */
function armShare(arm: HybridArm, d: number, k: number): { M: Float64Array; v: Float64Array } {
  const M = new Float64Array(k * k);
  for (let j = 0; j < k; j++) {
    const col = Float64Array.from({ length: d }, (_, i) => arm.B[i * k + j]);
    const Acol = times(arm.inv, d, d, col);
    const row = timesT(arm.B, d, k, Acol);
    for (let l = 0; l < k; l++) M[l * k + j] = row[l];
  }
  return { M, v: timesT(arm.B, d, k, times(arm.inv, d, d, arm.b)) };
}

/** Learns one reward (algorithm 2's update): the arm's share leaves A₀, b₀, the arm learns, its new share and zzᵀ, rz come back. */
export function hybridLearn(state: HybridState, option: HybridOption, reward: number): void {
  const { d, k } = state;
  const arm = state.arms[option.key] ?? newHybridArm(d, k);
  state.arms[option.key] = arm;
  const before = armShare(arm, d, k);
  for (let i = 0; i < k * k; i++) state.A0[i] += before.M[i];
  for (let i = 0; i < k; i++) state.b0[i] += before.v[i];
  const { x, z } = option;
  const ax = times(arm.inv, d, d, x);
  const denom = 1 + dot(x, 0, ax, 0, d);
  for (let i = 0; i < d; i++) for (let j = 0; j < d; j++) arm.inv[i * d + j] -= (ax[i] * ax[j]) / denom;
  for (let i = 0; i < d; i++) {
    for (let j = 0; j < k; j++) arm.B[i * k + j] += x[i] * z[j];
    arm.b[i] += reward * x[i];
  }
  const after = armShare(arm, d, k);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) state.A0[i * k + j] += z[i] * z[j] - after.M[i * k + j];
    state.b0[i] += reward * z[i] - after.v[i];
  }
}
