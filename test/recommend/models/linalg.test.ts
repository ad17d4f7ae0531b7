import { describe, expect, it } from 'vitest';
import { cholesky, choleskySolve, gemmNT, invertSpd, NotPositiveDefiniteError } from '../../../src/recommend/models/linalg.ts';
import { rng } from '../../../src/stats/random.ts';
import { randomSpd, residual } from './spd.ts';

describe('linalg', () => {
  it('inverts a 2×2 by hand', () => {
    const A = Float64Array.of(4, 2, 2, 3); // inverse = [3, −2; −2, 4] / 8
    invertSpd(A, 2);
    expect([...A].map((v) => +v.toFixed(12))).toEqual([0.375, -0.25, -0.25, 0.5]);
  });

  it.each([1, 3, 63, 64, 65, 129, 200])('inverts a random SPD matrix of size %i', (n) => {
    const G = randomSpd(n, n);
    const P = G.slice();
    invertSpd(P, n);
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) expect(P[i * n + j]).toBe(P[j * n + i]);
    expect(residual(G, P, n)).toBeLessThan(1e-8);
  });

  it('reads only the lower triangle', () => {
    const G = randomSpd(70, 1);
    const junk = G.slice();
    for (let i = 0; i < 70; i++) for (let j = i + 1; j < 70; j++) junk[i * 70 + j] = 1e9;
    invertSpd(G, 70);
    invertSpd(junk, 70);
    expect([...junk]).toEqual([...G]);
  });

  it('rejects a matrix that is not positive definite', () => {
    expect(() => cholesky(Float64Array.of(1, 2, 2, 1), 2)).toThrow(NotPositiveDefiniteError);
  });

  it('solves with a Cholesky factor', () => {
    const A = Float64Array.of(4, 2, 2, 3);
    cholesky(A, 2);
    const b = Float64Array.of(2, 1); // x = A⁻¹ b = (0.5, 0)
    choleskySolve(A, 2, b);
    expect(b[0]).toBeCloseTo(0.5, 12);
    expect(b[1]).toBeCloseTo(0, 12);
  });

  it('gemmNT matches the naive product, odd sizes included', () => {
    const r = rng(5);
    const [m, n, k] = [5, 3, 300];
    const X = Float64Array.from({ length: m * k }, r);
    const Y = Float64Array.from({ length: n * k }, r);
    const C = new Float64Array(m * n).fill(1);
    gemmNT(m, n, k, -2, X, 0, k, Y, 0, k, C, 0, n);
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let q = 0; q < k; q++) s += X[i * k + q] * Y[j * k + q];
        expect(C[i * n + j]).toBeCloseTo(1 - 2 * s, 9);
      }
  });
});
