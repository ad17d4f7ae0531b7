import { rng } from '../../../src/stats/random.ts';

/** A seeded SPD matrix M Mᵀ + 0.5 I (full, row-major). */
export function randomSpd(n: number, seed: number): Float64Array {
  const r = rng(seed);
  const M = Float64Array.from({ length: n * n }, () => r() - 0.5);
  const G = new Float64Array(n * n);
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += M[i * n + k] * M[j * n + k];
      G[i * n + j] = s + (i === j ? 0.5 : 0);
    }
  return G;
}

/** max |G P − I|: how far P is from G's inverse. */
export function residual(G: Float64Array, P: Float64Array, n: number): number {
  let err = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += G[i * n + k] * P[k * n + j];
      err = Math.max(err, Math.abs(s - (i === j ? 1 : 0)));
    }
  return err;
}
