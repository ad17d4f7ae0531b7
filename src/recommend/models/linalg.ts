/**
 * Dense linear algebra over row-major Float64Arrays, written for the cache: every hot loop is a dot
 * product of two contiguous row segments, computed in tiles with a 2×2 register block so each loaded
 * value is used twice.
 *
 * `invertSpd` inverts a symmetric positive definite matrix in place in three blocked sweeps —
 * Cholesky (G = L Lᵀ), the triangular inverse (Wᵀ = L⁻ᵀ, kept in the upper triangle) and the
 * product G⁻¹ = Wᵀ W — about n³ floating-point operations in all, and no second n×n buffer. The
 * large products run in WebAssembly SIMD (`wasm-gemm.ts`) when it is available and the matrix is
 * large; the rest, and everything where WebAssembly is missing, in JavaScript.
 */
import { type Gemm4x2, wasmWorkspace } from './wasm-gemm.ts';

/** Tile edge for the blocked sweeps. */
const NB = 64;
/** Inner-dimension chunk, so one tile pair (2 × NB × KB doubles) stays in L2. */
const KB = 256;

/**
 * C[i, j] += alpha · Σₖ X[i, k] · Y[j, k] for i < m, j < nn, k < kk, where X[i, k] is
 * `X[xo + i·ldx + k]` and likewise for Y and C. X, Y and C may be the same array if the written
 * region does not overlap the read ones.
 */
export function gemmNT(
  m: number,
  nn: number,
  kk: number,
  alpha: number,
  X: Float64Array,
  xo: number,
  ldx: number,
  Y: Float64Array,
  yo: number,
  ldy: number,
  C: Float64Array,
  co: number,
  ldc: number,
): void {
  for (let k0 = 0; k0 < kk; k0 += KB) {
    const kl = Math.min(KB, kk - k0);
    let i = 0;
    // 4×2 register block: six loads feed eight multiply-adds per k (the 2×2 block did four for four).
    for (; i + 3 < m; i += 4) {
      const x0 = xo + i * ldx + k0;
      const x1 = x0 + ldx,
        x2 = x1 + ldx,
        x3 = x2 + ldx;
      const c0 = co + i * ldc;
      const c1 = c0 + ldc,
        c2 = c1 + ldc,
        c3 = c2 + ldc;
      let j = 0;
      for (; j + 1 < nn; j += 2) {
        const y0 = yo + j * ldy + k0;
        const y1 = y0 + ldy;
        let s00 = 0,
          s01 = 0,
          s10 = 0,
          s11 = 0,
          s20 = 0,
          s21 = 0,
          s30 = 0,
          s31 = 0;
        for (let k = 0; k < kl; k++) {
          const b0 = Y[y0 + k],
            b1 = Y[y1 + k];
          const a0 = X[x0 + k],
            a1 = X[x1 + k],
            a2 = X[x2 + k],
            a3 = X[x3 + k];
          s00 += a0 * b0;
          s01 += a0 * b1;
          s10 += a1 * b0;
          s11 += a1 * b1;
          s20 += a2 * b0;
          s21 += a2 * b1;
          s30 += a3 * b0;
          s31 += a3 * b1;
        }
        C[c0 + j] += alpha * s00;
        C[c0 + j + 1] += alpha * s01;
        C[c1 + j] += alpha * s10;
        C[c1 + j + 1] += alpha * s11;
        C[c2 + j] += alpha * s20;
        C[c2 + j + 1] += alpha * s21;
        C[c3 + j] += alpha * s30;
        C[c3 + j + 1] += alpha * s31;
      }
      if (j < nn) {
        const y0 = yo + j * ldy + k0;
        let s0 = 0,
          s1 = 0,
          s2 = 0,
          s3 = 0;
        for (let k = 0; k < kl; k++) {
          const b = Y[y0 + k];
          s0 += X[x0 + k] * b;
          s1 += X[x1 + k] * b;
          s2 += X[x2 + k] * b;
          s3 += X[x3 + k] * b;
        }
        C[c0 + j] += alpha * s0;
        C[c1 + j] += alpha * s1;
        C[c2 + j] += alpha * s2;
        C[c3 + j] += alpha * s3;
      }
    }
    for (; i + 1 < m; i += 2) {
      const x0 = xo + i * ldx + k0;
      const x1 = x0 + ldx;
      const c0 = co + i * ldc;
      const c1 = c0 + ldc;
      let j = 0;
      for (; j + 1 < nn; j += 2) {
        const y0 = yo + j * ldy + k0;
        const y1 = y0 + ldy;
        let s00 = 0,
          s01 = 0,
          s10 = 0,
          s11 = 0;
        for (let k = 0; k < kl; k++) {
          const a0 = X[x0 + k],
            a1 = X[x1 + k],
            b0 = Y[y0 + k],
            b1 = Y[y1 + k];
          s00 += a0 * b0;
          s01 += a0 * b1;
          s10 += a1 * b0;
          s11 += a1 * b1;
        }
        C[c0 + j] += alpha * s00;
        C[c0 + j + 1] += alpha * s01;
        C[c1 + j] += alpha * s10;
        C[c1 + j + 1] += alpha * s11;
      }
      if (j < nn) {
        const y0 = yo + j * ldy + k0;
        let s0 = 0,
          s1 = 0;
        for (let k = 0; k < kl; k++) {
          const b = Y[y0 + k];
          s0 += X[x0 + k] * b;
          s1 += X[x1 + k] * b;
        }
        C[c0 + j] += alpha * s0;
        C[c1 + j] += alpha * s1;
      }
    }
    if (i < m) {
      const x0 = xo + i * ldx + k0;
      const c0 = co + i * ldc;
      for (let j = 0; j < nn; j++) {
        const y0 = yo + j * ldy + k0;
        let s = 0;
        for (let k = 0; k < kl; k++) s += X[x0 + k] * Y[y0 + k];
        C[c0 + j] += alpha * s;
      }
    }
  }
}

/** Σ_{k<len} A[a+k]·B[b+k] with four accumulators. */
export function dot(A: Float64Array, a: number, B: Float64Array, b: number, len: number): number {
  let s0 = 0,
    s1 = 0,
    s2 = 0,
    s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += A[a + k] * B[b + k];
    s1 += A[a + k + 1] * B[b + k + 1];
    s2 += A[a + k + 2] * B[b + k + 2];
    s3 += A[a + k + 3] * B[b + k + 3];
  }
  for (; k < len; k++) s0 += A[a + k] * B[b + k];
  return s0 + s1 + s2 + s3;
}

export class NotPositiveDefiniteError extends Error {
  override readonly name = 'NotPositiveDefiniteError';
}

/**
 * C += alpha · X Yᵀ on one array: `gemm(m, nn, kk, alpha, xo, ldx, yo, ldy, co, ldc)` is `gemmNT`
 * with X, Y and C all the same array M, whose kernel (JavaScript or WebAssembly) it hides.
 */
type SameArrayGemm = (m: number, nn: number, kk: number, alpha: number, xo: number, ldx: number, yo: number, ldy: number, co: number, ldc: number) => void;

const jsGemm =
  (M: Float64Array): SameArrayGemm =>
  (m, nn, kk, alpha, xo, ldx, yo, ldy, co, ldc) =>
    gemmNT(m, nn, kk, alpha, M, xo, ldx, M, yo, ldy, M, co, ldc);

/** The SIMD kernel on M (a view into its memory) for the 4×2 blocks, JavaScript for the rows and the column left over. */
function simdGemm(M: Float64Array, kernel: Gemm4x2): SameArrayGemm {
  const base = M.byteOffset;
  return (m, nn, kk, alpha, xo, ldx, yo, ldy, co, ldc) => {
    const m4 = m >> 2;
    const n2 = nn >> 1;
    if (m4 > 0 && n2 > 0) {
      for (let k0 = 0; k0 < kk; k0 += KB) {
        kernel(m4, n2, Math.min(KB, kk - k0), base + (xo + k0) * 8, ldx * 8, base + (yo + k0) * 8, ldy * 8, base + co * 8, ldc * 8, alpha);
      }
    }
    if (m > 4 * m4) gemmNT(m - 4 * m4, nn, kk, alpha, M, xo + 4 * m4 * ldx, ldx, M, yo, ldy, M, co + 4 * m4 * ldc, ldc);
    if (nn > 2 * n2 && m4 > 0) gemmNT(4 * m4, 1, kk, alpha, M, xo, ldx, M, yo + 2 * n2 * ldy, ldy, M, co + 2 * n2, ldc);
  };
}

/** Below this size the WebAssembly memory is not worth its setup. */
const SIMD_FROM = 128;

/** Float64Arrays that are whole views of a WebAssembly memory with the kernel bound to it (from `denseSquare`). */
const simdViews = new WeakMap<Float64Array, Gemm4x2>();

/**
 * A zeroed n×n Float64Array for `invertSpd` or `cholesky`: in WebAssembly memory when its SIMD kernel
 * is available, so the large products run there with no copy, else an ordinary array.
 */
export function denseSquare(n: number): Float64Array {
  if (n >= SIMD_FROM) {
    const ws = wasmWorkspace(n * n);
    if (ws) {
      const view = new Float64Array(ws.memory.buffer, 0, n * n);
      simdViews.set(view, ws.gemm);
      return view;
    }
  }
  return new Float64Array(n * n);
}

export interface KernelChoice {
  /**
   * Run the large products in WebAssembly SIMD: true forces it (copying A into WebAssembly memory
   * if it is not from `denseSquare`), false keeps JavaScript; by default from n = 128 when available.
   */
  simd?: boolean;
}

/** Runs `work` with A's products on the chosen kernel, copying A in and out of WebAssembly memory if needed. */
function withKernel(A: Float64Array, n: number, choice: KernelChoice, work: (M: Float64Array, gemm: SameArrayGemm) => void): void {
  const want = choice.simd ?? n >= SIMD_FROM;
  const bound = simdViews.get(A);
  const ws = want && !bound ? wasmWorkspace(n * n) : null;
  if (!want || (!bound && !ws)) work(A, jsGemm(A));
  else if (bound) work(A, simdGemm(A, bound));
  else if (ws) {
    const M = new Float64Array(ws.memory.buffer, 0, n * n);
    M.set(A.subarray(0, n * n));
    work(M, simdGemm(M, ws.gemm));
    A.set(M);
  }
}

/**
 * In-place blocked right-looking Cholesky: on return the lower triangle (with the diagonal) of A
 * holds L with A = L Lᵀ. Only the lower triangle of A is read; the upper one is overwritten with
 * scratch. Throws NotPositiveDefiniteError.
 */
export function cholesky(A: Float64Array, n: number, onProgress?: (f: number) => void, choice: KernelChoice = {}): void {
  if (A.length < n * n) throw new RangeError('matrix is smaller than n×n');
  withKernel(A, n, choice, (M, gemm) => choleskyOn(M, n, gemm, onProgress));
}

function choleskyOn(A: Float64Array, n: number, gemm: SameArrayGemm, onProgress?: (f: number) => void): void {
  for (let k0 = 0; k0 < n; k0 += NB) {
    const k1 = Math.min(n, k0 + NB);
    // 1. The diagonal block (earlier blocks' contributions are already subtracted).
    for (let j = k0; j < k1; j++) {
      const rj = j * n;
      const s = A[rj + j] - dot(A, rj + k0, A, rj + k0, j - k0);
      if (!(s > 0)) throw new NotPositiveDefiniteError(`matrix is not positive definite (pivot ${j}: ${s})`);
      const d = Math.sqrt(s);
      A[rj + j] = d;
      for (let i = j + 1; i < k1; i++) {
        const ri = i * n;
        A[ri + j] = (A[ri + j] - dot(A, ri + k0, A, rj + k0, j - k0)) / d;
      }
    }
    // 2. The panel below it: L[i, j] for i ≥ k1, k0 ≤ j < k1.
    for (let i = k1; i < n; i++) {
      const ri = i * n;
      for (let j = k0; j < k1; j++) {
        const rj = j * n;
        A[ri + j] = (A[ri + j] - dot(A, ri + k0, A, rj + k0, j - k0)) / A[rj + j];
      }
    }
    // 3. The trailing lower triangle: A[i, j] -= L[i, k0:k1] · L[j, k0:k1] for k1 ≤ j ≤ i, a block row at a time.
    for (let i0 = k1; i0 < n; i0 += NB) {
      const i1 = Math.min(n, i0 + NB);
      gemm(i1 - i0, Math.min(n, i0 + NB) - k1, k1 - k0, -1, i0 * n + k0, n, k1 * n + k0, n, i0 * n + k1, n);
    }
    onProgress?.(1 - ((n - k1) / n) ** 3);
  }
}

/**
 * In-place inverse of a symmetric positive definite n×n matrix (row-major; only the lower triangle
 * is read). On return A holds the full symmetric inverse.
 */
export function invertSpd(A: Float64Array, n: number, onProgress?: (f: number) => void, choice: KernelChoice = {}): void {
  if (A.length < n * n) throw new RangeError('matrix is smaller than n×n');
  withKernel(A, n, choice, (M, gemm) => {
    choleskyOn(M, n, gemm, (f) => onProgress?.(f / 3));
    invertCholeskyOn(M, n, gemm, onProgress);
  });
}

/** From L (lower triangle of A, as `choleskyOn` leaves it) to the full symmetric inverse in A. */
function invertCholeskyOn(A: Float64Array, n: number, gemm: SameArrayGemm, onProgress?: (f: number) => void): void {
  // Wᵀ = L⁻ᵀ (upper triangular) goes into the upper triangle, its diagonal onto A's diagonal;
  // L's diagonal moves to dL. From L W = I, for j ≤ i:
  //   Wᵀ[j, i] = (δᵢⱼ − Σ_{j≤k<i} L[i, k] Wᵀ[j, k]) / L[i, i]
  // a dot product of row i of L with row j of Wᵀ, both contiguous.
  const dL = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    dL[i] = A[i * n + i];
    A[i * n + i] = 1 / dL[i];
  }
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = Math.min(n, i0 + NB);
    const w = i1 - i0;
    // Clear the destination column block Wᵀ[j, i0:i1] for j < i1 (strictly upper part).
    for (let j = 0; j < i1; j++) {
      const from = j * n + Math.max(i0, j + 1);
      const to = j * n + i1;
      if (from < to) A.fill(0, from, to);
    }
    // Contributions of k < i0, for rows j < i0, tile by tile.
    for (let j0 = 0; j0 < i0; j0 += NB) {
      const j1 = Math.min(i0, j0 + NB);
      // Full part: k in [j1, i0).
      if (i0 > j1) gemm(j1 - j0, w, i0 - j1, 1, j0 * n + j1, n, i0 * n + j1, n, j0 * n + i0, n);
      // Triangular part: k in [j, j1).
      for (let j = j0; j < j1; j++) {
        const rj = j * n;
        for (let i = i0; i < i1; i++) A[rj + i] += dot(A, rj + j, A, i * n + j, j1 - j);
      }
    }
    // Within the block, in order of i: contributions of k in [max(j, i0), i), then divide.
    for (let i = i0; i < i1; i++) {
      const ri = i * n;
      const inv = -1 / dL[i];
      for (let j = 0; j < i; j++) {
        const rj = j * n;
        const k0 = Math.max(j, i0);
        A[rj + i] = (A[rj + i] + dot(A, ri + k0, A, rj + k0, i - k0)) * inv;
      }
    }
    onProgress?.(1 / 3 + (1 - ((n - i1) / n) ** 3) / 3);
  }

  // G⁻¹ = Wᵀ W: P[a, b] = Σ_{k≥a} Wᵀ[a, k] Wᵀ[b, k] for b ≤ a. Off the diagonal blocks it goes
  // straight into the strict lower triangle (L is no longer needed, and no later tile reads there:
  // they read Wᵀ[·, k] for k ≥ a > b); the diagonal blocks, which overlap Wᵀ, go through `tile`, and
  // the diagonal into dP.
  const dP = dL; // reuse
  const tile = new Float64Array(NB * NB);
  for (let a0 = 0; a0 < n; a0 += NB) {
    const a1 = Math.min(n, a0 + NB);
    const h = a1 - a0;
    // Off-diagonal blocks b < a0 of this block row, all at once: k in [a1, n) by the kernel…
    for (let a = a0; a < a1; a++) A.fill(0, a * n, a * n + a0);
    if (a0 > 0 && n > a1) gemm(h, a0, n - a1, 1, a0 * n + a1, n, a1, n, a0 * n, n);
    // …and k in [a, a1) (Wᵀ[a, k] is zero for k < a) by dot products.
    for (let a = a0; a < a1; a++) {
      const ra = a * n;
      for (let b = 0; b < a0; b++) A[ra + b] += dot(A, ra + a, A, b * n + a, a1 - a);
    }
    // The diagonal block.
    tile.fill(0, 0, h * h);
    if (n > a1) gemmNT(h, h, n - a1, 1, A, a0 * n + a1, n, A, a0 * n + a1, n, tile, 0, h);
    for (let a = a0; a < a1; a++) {
      const ra = a * n;
      const t = (a - a0) * h;
      for (let b = a0; b <= a; b++) tile[t + b - a0] += dot(A, ra + a, A, b * n + a, a1 - a);
    }
    for (let a = a0; a < a1; a++) {
      const ra = a * n;
      const t = (a - a0) * h;
      for (let b = a0; b < a; b++) A[ra + b] = tile[t + b - a0];
      dP[a] = tile[t + a - a0];
    }
    onProgress?.(2 / 3 + ((1 - ((n - a1) / n) ** 3) / 3) * 0.98);
  }
  // Mirror the lower triangle into the upper one, tile by tile, and restore the diagonal.
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = Math.min(n, i0 + NB);
    for (let j0 = 0; j0 <= i0; j0 += NB) {
      const j1 = Math.min(n, j0 + NB);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < Math.min(j1, i); j++) A[j * n + i] = A[i * n + j];
      }
    }
  }
  for (let i = 0; i < n; i++) A[i * n + i] = dP[i];
  onProgress?.(1);
}

/**
 * Solves (in place, into b) A x = b for a small SPD k×k matrix given its Cholesky factor L (lower,
 * row-major, as left by `cholesky`).
 */
export function choleskySolve(L: Float64Array, k: number, b: Float64Array): void {
  for (let i = 0; i < k; i++) {
    const ri = i * k;
    let s = b[i];
    for (let j = 0; j < i; j++) s -= L[ri + j] * b[j];
    b[i] = s / L[ri + i];
  }
  for (let i = k - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < k; j++) s -= L[j * k + i] * b[j];
    b[i] = s / L[i * k + i];
  }
}
