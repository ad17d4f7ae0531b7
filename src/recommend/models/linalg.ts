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
/** Column chunk of the SIMD products (even). */
const JB = 64;

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

/** Where a matrix operand lives: in A itself, or in the scratch (diagonal-block inverses, a panel). */
const IN_A = 0;
const IN_SCRATCH = 1;
type Place = typeof IN_A | typeof IN_SCRATCH;

/**
 * C += alpha · X Yᵀ, each operand in A or in the scratch at an element offset with its leading
 * dimension — `gemmNT` over the workspace, whatever kernel (JavaScript or WebAssembly) runs it.
 */
type WorkGemm = (
  m: number,
  nn: number,
  kk: number,
  alpha: number,
  xs: Place,
  xo: number,
  ldx: number,
  ys: Place,
  yo: number,
  ldy: number,
  cs: Place,
  co: number,
  ldc: number,
) => void;

/**
 * The workspace of one factorisation: A (n×n), and a scratch array holding, from `scratchAt`, the
 * inverses of L's diagonal blocks (D), their transposes (E) and one panel (n × NB), each block
 * NB×NB with zeros outside its triangle so the products can treat it as full.
 */
interface Work {
  A: Float64Array;
  scratch: Float64Array;
  /** Element offset of the scratch's first block in `scratch`. */
  scratchAt: number;
  gemm: WorkGemm;
}

/** Doubles of scratch for an n×n factorisation: D and E (a block per NB rows each), the panel. */
const scratchDoubles = (n: number) => (2 * Math.ceil(n / NB) * NB + n) * NB;

/**
 * Without `inverse` there is no scratch, and `choleskyOn` solves its panels by substitution: a
 * Cholesky alone (ALS's k×k fold-in, per request) allocates nothing.
 */
function jsWork(A: Float64Array, n: number, inverse: boolean): Work {
  const scratch = new Float64Array(inverse ? scratchDoubles(n) : 0);
  const arrays = [A, scratch];
  return {
    A,
    scratch,
    scratchAt: 0,
    gemm: (m, nn, kk, alpha, xs, xo, ldx, ys, yo, ldy, cs, co, ldc) => gemmNT(m, nn, kk, alpha, arrays[xs], xo, ldx, arrays[ys], yo, ldy, arrays[cs], co, ldc),
  };
}

/**
 * A and the scratch in one WebAssembly memory (A from its start, the scratch after it): the SIMD
 * kernel for the 4×2 blocks, JavaScript for the rows and the column left over.
 */
function simdWork(memory: WebAssembly.Memory, kernel: Gemm4x2, n: number): Work {
  const all = new Float64Array(memory.buffer);
  const scratchAt = n * n + ((n * n) & 1); // 16-byte aligned
  const at = [0, scratchAt];
  return {
    A: all.subarray(0, n * n),
    scratch: all,
    scratchAt,
    gemm: (m, nn, kk, alpha, xs, xo, ldx, ys, yo, ldy, cs, co, ldc) => {
      const x = at[xs] + xo;
      const y = at[ys] + yo;
      const c = at[cs] + co;
      const m4 = m >> 2;
      const n2 = nn >> 1;
      // Column chunks of JB × k chunks of KB: the chunk of Y rows (JB × KB doubles) stays in L2
      // while every 4-row block of X passes over it.
      if (m4 > 0 && n2 > 0) {
        for (let j0 = 0; j0 < 2 * n2; j0 += JB) {
          const pairs = Math.min(JB, 2 * n2 - j0) >> 1;
          for (let k0 = 0; k0 < kk; k0 += KB) {
            kernel(m4, pairs, Math.min(KB, kk - k0), (x + k0) * 8, ldx * 8, (y + j0 * ldy + k0) * 8, ldy * 8, (c + j0) * 8, ldc * 8, alpha);
          }
        }
      }
      if (m > 4 * m4) gemmNT(m - 4 * m4, nn, kk, alpha, all, x + 4 * m4 * ldx, ldx, all, y, ldy, all, c + 4 * m4 * ldc, ldc);
      if (nn > 2 * n2 && m4 > 0) gemmNT(4 * m4, 1, kk, alpha, all, x, ldx, all, y + 2 * n2 * ldy, ldy, all, c + 2 * n2, ldc);
    },
  };
}

/** Below this size the WebAssembly memory is not worth its setup. */
const SIMD_FROM = 128;

/** n×n arrays from `denseSquare`: the WebAssembly memory they start and its kernel. */
const simdViews = new WeakMap<Float64Array, { memory: WebAssembly.Memory; gemm: Gemm4x2 }>();

/**
 * A zeroed n×n Float64Array for `invertSpd` or `cholesky`: in WebAssembly memory (with room for the
 * scratch after it) when the SIMD kernel is available, so the products run there with no copy;
 * otherwise an ordinary array.
 */
export function denseSquare(n: number): Float64Array {
  if (n >= SIMD_FROM) {
    const ws = wasmWorkspace(n * n + 1 + scratchDoubles(n));
    if (ws) {
      const view = new Float64Array(ws.memory.buffer, 0, n * n);
      simdViews.set(view, ws);
      return view;
    }
  }
  return new Float64Array(n * n);
}

export interface KernelChoice {
  /**
   * Run the products in WebAssembly SIMD: true forces it (copying A into WebAssembly memory if it is
   * not from `denseSquare`), false keeps JavaScript; by default from n = 128 when available.
   */
  simd?: boolean;
}

/** Runs `work` on A with the chosen kernel, copying A in and out of WebAssembly memory if needed. */
function withWork(A: Float64Array, n: number, choice: KernelChoice, inverse: boolean, work: (w: Work) => void): void {
  if (A.length < n * n) throw new RangeError('matrix is smaller than n×n');
  // A Cholesky alone (n³/6) pays for a fresh WebAssembly memory only when much larger.
  const want = choice.simd ?? n >= (inverse ? SIMD_FROM : 4 * SIMD_FROM);
  const bound = want ? simdViews.get(A) : undefined;
  const ws = want && !bound ? wasmWorkspace(n * n + 1 + scratchDoubles(n)) : null;
  if (bound) work(simdWork(bound.memory, bound.gemm, n));
  else if (ws) {
    const w = simdWork(ws.memory, ws.gemm, n);
    w.A.set(A.subarray(0, n * n));
    work(w);
    A.set(w.A);
  } else work(jsWork(A, n, inverse));
}

/**
 * In-place blocked right-looking Cholesky: on return the lower triangle (with the diagonal) of A
 * holds L with A = L Lᵀ. Only the lower triangle of A is read; the upper one is overwritten with
 * scratch. Throws NotPositiveDefiniteError.
 */
export function cholesky(A: Float64Array, n: number, onProgress?: (f: number) => void, choice: KernelChoice = {}): void {
  withWork(A, n, choice, false, (w) => choleskyOn(w, n, onProgress));
}

/** Offsets in the scratch (from `scratchAt`): D of block b, E of block b, the panel. */
const dAt = (w: Work, b: number) => w.scratchAt + b * NB * NB;
const eAt = (w: Work, n: number, b: number) => w.scratchAt + (Math.ceil(n / NB) + b) * NB * NB;
const panelAt = (w: Work, n: number) => w.scratchAt + 2 * Math.ceil(n / NB) * NB * NB;

/**
 * Cholesky by block columns: each diagonal block is factored in place (scalar), inverted into D
 * (a small triangular inverse), the panel below it is L₂₁ = A₂₁ D ᵀ (a product instead of a
 * triangular solve, so it runs in the kernel) and the trailing lower triangle is updated by products.
 * With `keepE`, the transposes of the D blocks go to E for `invertCholeskyOn`.
 */
function choleskyOn(w: Work, n: number, onProgress?: (f: number) => void, keepE = false): void {
  const { A, scratch, gemm } = w;
  for (let k0 = 0; k0 < n; k0 += NB) {
    const k1 = Math.min(n, k0 + NB);
    const bw = k1 - k0;
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
    if (scratch.length === 0) {
      // No scratch (a Cholesky alone, in JavaScript): the panel by substitution, as dot products.
      for (let i = k1; i < n; i++) {
        const ri = i * n;
        for (let j = k0; j < k1; j++) {
          const rj = j * n;
          A[ri + j] = (A[ri + j] - dot(A, ri + k0, A, rj + k0, j - k0)) / A[rj + j];
        }
      }
      trailing(w, n, k0, k1);
      onProgress?.(1 - ((n - k1) / n) ** 3);
      continue;
    }
    // 2. D = L₁₁⁻¹ (lower, NB×NB with zeros above): D[i, j] = −(Σ_{j≤k<i} L[i, k] D[k, j]) / L[i, i].
    const d0 = dAt(w, k0 / NB);
    scratch.fill(0, d0, d0 + NB * NB);
    for (let i = 0; i < bw; i++) {
      const li = (k0 + i) * n + k0;
      const di = d0 + i * NB;
      const inv = 1 / A[li + i];
      for (let j = 0; j < i; j++) {
        let s = 0;
        for (let k = j; k < i; k++) s += A[li + k] * scratch[d0 + k * NB + j];
        scratch[di + j] = -s * inv;
      }
      scratch[di + i] = inv;
    }
    if (keepE) {
      const e0 = eAt(w, n, k0 / NB);
      for (let i = 0; i < NB; i++) for (let j = 0; j < NB; j++) scratch[e0 + i * NB + j] = scratch[d0 + j * NB + i];
    }
    // 3. The panel below: L[i, k0:k1] = A[i, k0:k1] Dᵀ for i ≥ k1 (A's rows copied out first).
    if (k1 < n) {
      const p0 = panelAt(w, n);
      for (let i = k1; i < n; i++) {
        const ri = i * n + k0;
        scratch.set(A.subarray(ri, ri + bw), p0 + (i - k1) * NB);
        A.fill(0, ri, ri + bw);
      }
      gemm(n - k1, bw, bw, 1, IN_SCRATCH, p0 - w.scratchAt, NB, IN_SCRATCH, d0 - w.scratchAt, NB, IN_A, k1 * n + k0, n);
    }
    trailing(w, n, k0, k1);
    onProgress?.(1 - ((n - k1) / n) ** 3);
  }
}

/** The trailing lower triangle: A[i, j] −= L[i, k0:k1] · L[j, k0:k1] for k1 ≤ j ≤ i, a block row at a time. */
function trailing(w: Work, n: number, k0: number, k1: number): void {
  for (let i0 = k1; i0 < n; i0 += NB) {
    const i1 = Math.min(n, i0 + NB);
    w.gemm(i1 - i0, i1 - k1, k1 - k0, -1, IN_A, i0 * n + k0, n, IN_A, k1 * n + k0, n, IN_A, i0 * n + k1, n);
  }
}

/**
 * In-place inverse of a symmetric positive definite n×n matrix (row-major; only the lower triangle
 * is read). On return A holds the full symmetric inverse.
 */
export function invertSpd(A: Float64Array, n: number, onProgress?: (f: number) => void, choice: KernelChoice = {}): void {
  withWork(A, n, choice, true, (w) => {
    choleskyOn(w, n, (f) => onProgress?.(f / 3), true);
    invertCholeskyOn(w, n, onProgress);
  });
}

/**
 * From L (lower triangle of A) and the D and E blocks left by `choleskyOn` to the full symmetric
 * inverse in A, in two sweeps of products:
 *
 * 1. Wᵀ = L⁻ᵀ (upper triangular) into A's strict upper triangle, by block columns I in order: from
 *    L W = I, for blocks J < I, Wᵀ_JI = −(Σ_{J≤K<I} Wᵀ_JK L_IKᵀ) D_Iᵀ; Wᵀ_JJ is E_J, and Wᵀ_JK for
 *    K > J is in A from earlier columns. The sum goes to the panel, then through D_I into A.
 * 2. G⁻¹ = Wᵀ W: P[a, b] = Σ_{k≥a} Wᵀ[a, k] Wᵀ[b, k] for b ≤ a, by block rows, into A's lower
 *    triangle and diagonal blocks (L is no longer needed, and no later block row reads there: they
 *    read Wᵀ[·, k] for k past their own block, and E for their own block), then mirrored.
 */
function invertCholeskyOn(w: Work, n: number, onProgress?: (f: number) => void): void {
  const { A, scratch, gemm } = w;
  const s0 = w.scratchAt;
  const p0 = panelAt(w, n) - s0;
  const nb = Math.ceil(n / NB);
  const size = (b: number) => Math.min(NB, n - b * NB);
  for (let I = 1; I < nb; I++) {
    const i0 = I * NB;
    const wi = size(I);
    // The panel R[j, ·] = Σ_{J≤K<I} Wᵀ[j, K] L[I, K]ᵀ for rows j < i0 (ld NB).
    scratch.fill(0, s0 + p0, s0 + p0 + i0 * NB);
    for (let J = 0; J < I; J++) {
      const j0 = J * NB;
      const j1 = j0 + NB;
      gemm(NB, wi, NB, 1, IN_SCRATCH, eAt(w, n, J) - s0, NB, IN_A, i0 * n + j0, n, IN_SCRATCH, p0 + j0 * NB, NB);
      if (i0 > j1) gemm(NB, wi, i0 - j1, 1, IN_A, j0 * n + j1, n, IN_A, i0 * n + j1, n, IN_SCRATCH, p0 + j0 * NB, NB);
    }
    // Wᵀ[j, i0:i1] = −R[j, ·] D_Iᵀ.
    for (let j = 0; j < i0; j++) A.fill(0, j * n + i0, j * n + i0 + wi);
    gemm(i0, wi, wi, -1, IN_SCRATCH, p0, NB, IN_SCRATCH, dAt(w, I) - s0, NB, IN_A, i0, n);
    onProgress?.(1 / 3 + (1 - ((n - i0 - wi) / n) ** 3) / 3);
  }
  for (let A0 = 0; A0 < nb; A0++) {
    const a0 = A0 * NB;
    const h = size(A0);
    const a1 = a0 + h;
    const e = eAt(w, n, A0) - s0;
    for (let a = a0; a < a1; a++) A.fill(0, a * n, a * n + a1);
    // k past the block: Wᵀ from A, for every b < a1 at once.
    if (n > a1) gemm(h, a1, n - a1, 1, IN_A, a0 * n + a1, n, IN_A, a1, n, IN_A, a0 * n, n);
    // k in the block: Wᵀ[a, ·] from E; Wᵀ[b, ·] from A for b < a0, from E on the diagonal block.
    if (a0 > 0) gemm(h, a0, h, 1, IN_SCRATCH, e, NB, IN_A, a0, n, IN_A, a0 * n, n);
    gemm(h, h, h, 1, IN_SCRATCH, e, NB, IN_SCRATCH, e, NB, IN_A, a0 * n + a0, n);
    onProgress?.(2 / 3 + ((1 - ((n - a1) / n) ** 3) / 3) * 0.98);
  }
  // Mirror the lower triangle into the upper one, tile by tile.
  for (let i0 = 0; i0 < n; i0 += NB) {
    const i1 = Math.min(n, i0 + NB);
    for (let j0 = 0; j0 <= i0; j0 += NB) {
      const j1 = Math.min(n, j0 + NB);
      for (let i = i0; i < i1; i++) {
        for (let j = j0; j < Math.min(j1, i); j++) A[j * n + i] = A[i * n + j];
      }
    }
  }
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
