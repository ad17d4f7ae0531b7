import { describe, expect, it } from 'vitest';
import { Als } from '../../../src/recommend/models/als.ts';
import { transpose, userItemCsr, type Csr } from '../../../src/recommend/models/common.ts';
import type { Interactions } from '../../../src/recommend/models/types.ts';
import { gaussian, rng } from '../../../src/stats/random.ts';

/** Random interactions: some people and items with none, some net-negative cells. */
function randomData(nUsers: number, nItems: number, seed: number): Interactions {
  const rand = rng(seed);
  const users: number[] = [];
  const items: number[] = [];
  const weights: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    if (u % 37 === 5) continue; // nobody's row: solved to zero
    const n = 1 + Math.floor(rand() * 12);
    for (let t = 0; t < n; t++) {
      users.push(u);
      items.push(Math.floor(rand() * (nItems - 1))); // the last item is never seen
      weights.push(rand() < 0.1 ? -1 : 1 + Math.floor(rand() * 3));
    }
  }
  return {
    nUsers,
    nItems,
    users: Int32Array.from(users),
    items: Int32Array.from(items),
    weights: Float32Array.from(weights),
    times: new Float64Array(users.length),
  };
}

/**
 * The algorithm as the model documents it, one row at a time with plain loops: G = FᵀF, then per row a
 * few CG steps on (G + λI + Σ (c − 1) f fᵀ) x = Σ c·p f from the current x. The model runs the rows in
 * blocks with matrix products (and SIMD); it must land on the same factors.
 */
function referenceItemFactors(data: Interactions, k: number, lambda: number, alpha: number, iterations: number, steps: number, seed: number): Float64Array {
  const raw = userItemCsr(data);
  const R: Csr = { ...raw, values: Float32Array.from(raw.values, (w) => (w < 0 ? -Math.log1p(-w) : Math.log1p(w))) };
  const Rt = transpose(R);
  const rand = rng(seed);
  const scale = 0.1 / Math.sqrt(k);
  const X = new Float64Array(data.nUsers * k);
  const Y = new Float64Array(data.nItems * k);
  for (let p = 0; p < Y.length; p++) Y[p] = gaussian(rand) * scale;
  for (let p = 0; p < X.length; p++) X[p] = gaussian(rand) * scale;
  const half = (M: Csr, F: Float64Array, out: Float64Array, rowsF: number) => {
    const G = new Float64Array(k * k);
    for (let r = 0; r < rowsF; r++) for (let a = 0; a < k; a++) for (let b = 0; b < k; b++) G[a * k + b] += F[r * k + a] * F[r * k + b];
    const A = (start: number, end: number, v: Float64Array) => {
      const o = new Float64Array(k);
      for (let a = 0; a < k; a++) {
        let s = lambda * v[a];
        for (let b = 0; b < k; b++) s += G[a * k + b] * v[b];
        o[a] = s;
      }
      for (let q = start; q < end; q++) {
        const c1 = alpha * Math.abs(M.values[q]);
        const f = M.indices[q] * k;
        let d = 0;
        for (let a = 0; a < k; a++) d += F[f + a] * v[a];
        for (let a = 0; a < k; a++) o[a] += c1 * d * F[f + a];
      }
      return o;
    };
    for (let u = 0; u < M.nRows; u++) {
      const start = M.indptr[u];
      const end = M.indptr[u + 1];
      const x = out.subarray(u * k, u * k + k);
      if (start === end) {
        x.fill(0);
        continue;
      }
      const Ax = A(start, end, x);
      const r = new Float64Array(k);
      for (let q = start; q < end; q++) if (M.values[q] > 0) for (let a = 0; a < k; a++) r[a] += (1 + alpha * M.values[q]) * F[M.indices[q] * k + a];
      for (let a = 0; a < k; a++) r[a] -= Ax[a];
      const p = r.slice();
      let rs = r.reduce((s, v) => s + v * v, 0);
      for (let s = 0; s < steps && rs > 1e-20; s++) {
        const Ap = A(start, end, p);
        const pAp = p.reduce((t, v, a) => t + v * Ap[a], 0);
        if (!(pAp > 0)) break;
        const step = rs / pAp;
        for (let a = 0; a < k; a++) {
          x[a] += step * p[a];
          r[a] -= step * Ap[a];
        }
        const rs2 = r.reduce((t, v) => t + v * v, 0);
        for (let a = 0; a < k; a++) p[a] = r[a] + (rs2 / rs) * p[a];
        rs = rs2;
      }
    }
  };
  for (let it = 0; it < iterations; it++) {
    half(R, Y, X, data.nItems);
    half(Rt, X, Y, data.nUsers);
  }
  return Y;
}

describe('ALS sweeps in blocks', () => {
  // 150 people: two full blocks of 64 and a last one of 22 (not a multiple of four either). k = 7 runs
  // in JavaScript, 18 takes the SIMD product for CG with the Gram in JavaScript, 16 and 20 all in SIMD.
  const data = randomData(150, 40, 3);
  it.each([7, 16, 18, 20])("lands on the per-row algorithm's factors (k = %i)", (k) => {
    const o = { factors: k, regularization: 0.5, alpha: 4, iterations: 2, cgSteps: 3 };
    const m = new Als(o);
    m.fit(data, { seed: 9 });
    const ref = referenceItemFactors(data, k, o.regularization, o.alpha, o.iterations, o.cgSteps, 9);
    const Y = m.itemFactors;
    expect(Y.length).toBe(ref.length);
    let worst = 0;
    let size = 0;
    for (let p = 0; p < ref.length; p++) {
      worst = Math.max(worst, Math.abs(Y[p] - ref[p]));
      size = Math.max(size, Math.abs(ref[p]));
    }
    expect(size).toBeGreaterThan(0.01);
    expect(worst).toBeLessThan(1e-9 * size);
    // The item nobody saw has a zero factor.
    expect(Array.from(Y.subarray(39 * k, 40 * k)).every((v) => v === 0)).toBe(true);
  });
});
