import { describe, expect, it } from 'vitest';
import { addGramLower } from '../../../src/recommend/models/gram.ts';
import { cholesky, denseSquare, invertSpd } from '../../../src/recommend/models/linalg.ts';
import { gemmModule, gemmModuleBytes, wasmWorkspace } from '../../../src/recommend/models/wasm-gemm.ts';
import { rng } from '../../../src/stats/random.ts';
import { randomSpd, residual } from './spd.ts';

describe('WebAssembly SIMD product kernel', () => {
  it('assembles into a module this Node compiles', () => {
    expect(WebAssembly.validate(gemmModuleBytes())).toBe(true);
    expect(gemmModule()).not.toBeNull();
  });

  // Odd and even inner lengths (the scalar tail), several blocks each way, strided rows at odd offsets.
  it.each([
    [4, 2, 1],
    [4, 2, 2],
    [8, 6, 7],
    [12, 4, 33],
    [4, 8, 256],
  ])('matches the naive product for %i×%i blocks over k = %i', (m, nn, kk) => {
    const ws = wasmWorkspace(40_000);
    if (!ws) throw new Error('no WebAssembly workspace');
    const F = new Float64Array(ws.memory.buffer, 0, 40_000);
    const r = rng(m * 1000 + nn * 10 + kk);
    for (let p = 0; p < F.length; p++) F[p] = r() - 0.5;
    const [ldx, ldy, ldc] = [kk + 3, kk + 1, nn + 5];
    const [xo, yo, co] = [3, 15_001, 30_007];
    const want = F.slice();
    for (let i = 0; i < m; i++)
      for (let j = 0; j < nn; j++) {
        let s = 0;
        for (let q = 0; q < kk; q++) s += F[xo + i * ldx + q] * F[yo + j * ldy + q];
        want[co + i * ldc + j] += -0.75 * s;
      }
    ws.gemm(m / 4, nn / 2, kk, xo * 8, ldx * 8, yo * 8, ldy * 8, co * 8, ldc * 8, -0.75);
    let err = 0;
    for (let p = 0; p < F.length; p++) err = Math.max(err, Math.abs(F[p] - want[p]));
    expect(err).toBeLessThan(1e-12);
  });
});

describe('invertSpd and cholesky on the SIMD kernel', () => {
  // Sizes around the 64-tile edge and the 4×2 block: every leftover row and column case.
  it.each([1, 3, 5, 63, 64, 65, 66, 67, 130, 131, 197])('SIMD and JavaScript invert a random SPD matrix of size %i alike', (n) => {
    const G = randomSpd(n, 7 + n);
    const simd = G.slice();
    invertSpd(simd, n, undefined, { simd: true });
    const js = G.slice();
    invertSpd(js, n, undefined, { simd: false });
    expect(residual(G, simd, n)).toBeLessThan(1e-9);
    let diff = 0;
    for (let p = 0; p < n * n; p++) diff = Math.max(diff, Math.abs(simd[p] - js[p]) / (Math.abs(js[p]) + 1e-3));
    expect(diff).toBeLessThan(1e-9);
    for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(simd[i * n + j]).toBe(simd[j * n + i]);
  });

  it('inverts in place in a denseSquare matrix (WebAssembly memory, no copy)', () => {
    const n = 150;
    const G = randomSpd(n, 3);
    const A = denseSquare(n);
    expect(A.buffer).not.toBeInstanceOf(SharedArrayBuffer);
    expect(A.length).toBe(n * n);
    expect(A.every((v) => v === 0)).toBe(true);
    A.set(G);
    invertSpd(A, n);
    expect(residual(G, A, n)).toBeLessThan(1e-9);
  });

  // SIMD: panels through the diagonal blocks' inverses; JavaScript: panels by substitution, no scratch.
  it.each([true, false])('factors (simd: %s): L Lᵀ gives back the lower triangle', (simd) => {
    const n = 133;
    const G = randomSpd(n, 11);
    const L = G.slice();
    cholesky(L, n, undefined, { simd });
    let err = 0;
    for (let i = 0; i < n; i++)
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k <= j; k++) s += L[i * n + k] * L[j * n + k];
        err = Math.max(err, Math.abs(s - G[i * n + j]));
      }
    expect(err).toBeLessThan(1e-9);
  });
});

describe('addGramLower', () => {
  it('adds the lower triangle of XᵀX for a random sparse X and leaves the upper one alone', () => {
    const r = rng(21);
    const [rows, m] = [40, 23];
    const dense = Array.from({ length: rows }, () => Array.from({ length: m }, () => (r() < 0.3 ? 1 + Math.floor(r() * 4) : 0)));
    dense[5].fill(0); // an empty row
    const indptr = new Int32Array(rows + 1);
    const indices: number[] = [];
    const values: number[] = [];
    dense.forEach((row, i) => {
      row.forEach((v, j) => {
        if (v !== 0) {
          indices.push(j);
          values.push(v);
        }
      });
      indptr[i + 1] = indices.length;
    });
    const G = new Float64Array(m * m).fill(0.5); // it adds to what is there
    addGramLower({ nRows: rows, indptr, indices: Int32Array.from(indices), values: Float64Array.from(values) }, m, G);
    for (let a = 0; a < m; a++)
      for (let b = 0; b < m; b++) {
        let s = 0;
        for (let i = 0; i < rows; i++) s += dense[i][a] * dense[i][b];
        expect(G[a * m + b]).toBe(b <= a ? 0.5 + s : 0.5);
      }
  });
});
