/**
 * The kernel of ALS's half-sweeps (als.ts): conjugate-gradient row updates in blocks of BLOCK_ROWS rows,
 * the products with G in WebAssembly SIMD. Shared by the fitting thread and its helpers (als-threads.ts).
 */
import type { Csr } from './common.ts';
import { dot, gemmNT } from './linalg.ts';
import { type Gemm4x2, wasmWorkspace } from './wasm-gemm.ts';

/** G = FᵀF + λI for F (rows × k). Accumulated row by row (k² per row, rows streamed once). */
export function gram(F: Float64Array, from: number, to: number, k: number, lambda: number, G: Float64Array): void {
  G.fill(0);
  for (let r = from; r < to; r++) {
    const o = r * k;
    for (let a = 0; a < k; a++) {
      const fa = F[o + a];
      if (fa === 0) continue;
      const ga = a * k;
      for (let b = 0; b <= a; b++) G[ga + b] += fa * F[o + b];
    }
  }
  for (let a = 0; a < k; a++) {
    G[a * k + a] += lambda;
    for (let b = 0; b < a; b++) G[b * k + a] = G[a * k + b];
  }
}

/** Rows whose conjugate-gradient steps run side by side, so their products with G are one matrix product. */
export const BLOCK_ROWS = 64;

export class CgWork {
  /** Per row of a block (BLOCK_ROWS × k each): residual, direction, and the product with G. */
  r: Float64Array;
  p: Float64Array;
  Gp: Float64Array;
  Ap: Float64Array;
  rs: Float64Array;
  live: Uint8Array;
  /** G and a block in WebAssembly memory for the SIMD kernel (null: `gemmNT` in JavaScript). */
  private readonly simd: { all: Float64Array; gemm: Gemm4x2 } | null;
  private readonly k: number;
  constructor(k: number) {
    this.k = k;
    this.r = new Float64Array(BLOCK_ROWS * k);
    this.p = new Float64Array(BLOCK_ROWS * k);
    this.Gp = new Float64Array(BLOCK_ROWS * k);
    this.Ap = new Float64Array(k);
    this.rs = new Float64Array(BLOCK_ROWS);
    this.live = new Uint8Array(BLOCK_ROWS);
    // The kernel works on column pairs: an odd k stays in JavaScript.
    const ws = k % 2 === 0 && k >= SIMD_FACTORS ? wasmWorkspace(k * k + 2 * BLOCK_ROWS * k) : null;
    this.simd = ws ? { all: new Float64Array(ws.memory.buffer), gemm: ws.gemm } : null;
  }

  /**
   * G = FᵀF over F's rows [from, to) (k columns). In WebAssembly, block by block: a block of BLOCK_ROWS rows transposed (k ×
   * BLOCK_ROWS, zeros past the last row) and multiplied with itself; the full square, a quarter of the
   * time of the triangle in JavaScript. G is read back whole, so it is symmetric to the bit.
   */
  gram(F: Float64Array, from: number, to: number, G: Float64Array): void {
    const k = this.k;
    if (!this.simd || k % 4 !== 0) {
      gram(F, from, to, k, 0, G);
      return;
    }
    const { all, gemm } = this.simd;
    const xAt = k * k;
    all.fill(0, 0, k * k);
    for (let r0 = from; r0 < to; r0 += BLOCK_ROWS) {
      const n = Math.min(BLOCK_ROWS, to - r0);
      if (n < BLOCK_ROWS) all.fill(0, xAt, xAt + k * BLOCK_ROWS);
      for (let t = 0; t < n; t++) {
        const fo = (r0 + t) * k;
        for (let a = 0; a < k; a++) all[xAt + a * BLOCK_ROWS + t] = F[fo + a];
      }
      gemm(k >> 2, k >> 1, BLOCK_ROWS, xAt * 8, BLOCK_ROWS * 8, xAt * 8, BLOCK_ROWS * 8, 0, k * 8, 1);
    }
    G.set(all.subarray(0, k * k));
  }

  /** The G of the sweep starting (symmetric, k × k). */
  useG(G: Float64Array): void {
    this.simd?.all.set(G.subarray(0, this.k * this.k));
  }

  /** Gp[t] = G · src[so + t·k ..] for the block's `rows` rows. */
  timesG(rows: number, src: Float64Array, so: number, G: Float64Array): void {
    const k = this.k;
    const Gp = this.Gp;
    if (!this.simd) {
      Gp.fill(0, 0, rows * k);
      gemmNT(rows, k, k, 1, src, so, k, G, 0, k, Gp, 0, k);
      return;
    }
    const { all, gemm } = this.simd;
    const xAt = k * k;
    const cAt = xAt + BLOCK_ROWS * k;
    // Whole blocks of four rows: the ones past `rows` compute on stale values nobody reads.
    const m4 = Math.ceil(rows / 4);
    all.set(src.subarray(so, so + rows * k), xAt);
    all.fill(0, cAt, cAt + 4 * m4 * k);
    gemm(m4, k >> 1, k, xAt * 8, k * 8, 0, k * 8, cAt * 8, k * 8, 1);
    Gp.set(all.subarray(cAt, cAt + rows * k));
  }
}

/** From this many factors the products with G run in WebAssembly SIMD (below, the copies cost more than they save). */
const SIMD_FACTORS = 16;

/** One half-sweep: the rows of `R` update `out` from the fixed factors `F`, with G = FᵀF. */
export interface SweepSide {
  R: Csr;
  F: Float64Array;
  out: Float64Array;
  G: Float64Array;
  k: number;
  alpha: number;
  steps: number;
  /** The regularisation of a row with this many observed entries. */
  regOf: (n: number) => number;
}

/**
 * Where a Gram matrix FᵀF over `rows` rows is cut in two: the sums of both halves, added, are G on one
 * thread or two alike (the second half the helper's), so the factors do not depend on the threads.
 */
export function gramSplit(rows: number): number {
  return Math.ceil(blocksOf(rows) / 2) * BLOCK_ROWS;
}

/** G = FᵀF as the sum of the halves at `gramSplit` (G2: the second half's scratch, k × k). */
export function splitGram(w: CgWork, F: Float64Array, rows: number, G: Float64Array, G2: Float64Array): void {
  const mid = Math.min(rows, gramSplit(rows));
  w.gram(F, 0, mid, G);
  w.gram(F, mid, rows, G2);
  for (let p = 0; p < G.length; p++) G[p] += G2[p];
}

/** The number of blocks of BLOCK_ROWS rows a half-sweep over `nRows` rows has. */
export function blocksOf(nRows: number): number {
  return Math.ceil(nRows / BLOCK_ROWS);
}

/**
 * Updates every row of `out` (one per CSR row of R) from the fixed factors `F`, with G = FᵀF + λI:
 * a few CG steps on (G + Σᵢ (cᵢ − 1) fᵢfᵢᵀ) x = Σᵢ cᵢ pᵢ fᵢ, starting from the current x.
 *
 * The rows run in blocks of BLOCK_ROWS, step by step together: every step's dense part, G times each
 * row's vector, is one product of the block with G (`gemmNT`, register-blocked), which took three
 * quarters of a sweep as one k² loop per row and step. Each row's arithmetic is unchanged, in the same
 * order, so the factors are the same to the bit. A block reads only its own rows of `out` and writes
 * only them, so blocks may run in any order and on any thread (als-threads.ts) with the same result.
 */
export function sweep(side: SweepSide, w: CgWork): void {
  w.useG(side.G);
  for (let b = 0, n = blocksOf(side.R.nRows); b < n; b++) sweepBlock(side, w, b);
}

/** The rows of block `block` (after `w.useG(side.G)`). */
export function sweepBlock(side: SweepSide, w: CgWork, block: number): void {
  const { R, F, out, G, k, alpha, steps, regOf } = side;
  const { r, p, Gp, Ap, rs, live } = w;
  const u0 = block * BLOCK_ROWS;
  const rows = Math.min(BLOCK_ROWS, R.nRows - u0);
  // r = b − A x for each row: G x for the block at once (G is symmetric, so x G = (G x)ᵀ).
  w.timesG(rows, out, u0 * k, G);
  let anyLive = 0;
  for (let t = 0; t < rows; t++) {
    const u = u0 + t;
    const start = R.indptr[u];
    const end = R.indptr[u + 1];
    const xo = u * k;
    live[t] = 0;
    if (start === end) {
      out.fill(0, xo, xo + k);
      continue;
    }
    const lambda = regOf(end - start);
    const ro = t * k;
    // A x and b = Σ c·p f together, each of the row's f read once for both.
    r.fill(0, ro, ro + k);
    for (let a = 0; a < k; a++) Ap[a] = Gp[ro + a] + lambda * out[xo + a];
    for (let q = start; q < end; q++) {
      const v = R.values[q];
      const c1 = alpha * Math.abs(v);
      const fo = R.indices[q] * k;
      const d = c1 === 0 ? 0 : c1 * dot(F, fo, out, xo, k);
      if (v > 0) {
        const c = 1 + c1;
        for (let a = 0; a < k; a++) {
          const f = F[fo + a];
          Ap[a] += d * f;
          r[ro + a] += c * f;
        }
      } else if (c1 !== 0) for (let a = 0; a < k; a++) Ap[a] += d * F[fo + a];
    }
    let s = 0;
    for (let a = 0; a < k; a++) {
      r[ro + a] -= Ap[a];
      p[ro + a] = r[ro + a];
      s += r[ro + a] * r[ro + a];
    }
    rs[t] = s;
    live[t] = s > 1e-20 ? 1 : 0;
    anyLive |= live[t];
  }
  for (let step = 0; step < steps && anyLive; step++) {
    w.timesG(rows, p, 0, G);
    anyLive = 0;
    for (let t = 0; t < rows; t++) {
      if (!live[t]) continue;
      const u = u0 + t;
      const start = R.indptr[u];
      const end = R.indptr[u + 1];
      const xo = u * k;
      const ro = t * k;
      applyA(Gp, ro, regOf(end - start), F, R, start, end, p, ro, k, alpha, Ap);
      let pAp = 0;
      for (let a = 0; a < k; a++) pAp += p[ro + a] * Ap[a];
      if (!(pAp > 0)) {
        live[t] = 0;
        continue;
      }
      const stepSize = rs[t] / pAp;
      let rs2 = 0;
      for (let a = 0; a < k; a++) {
        out[xo + a] += stepSize * p[ro + a];
        r[ro + a] -= stepSize * Ap[a];
        rs2 += r[ro + a] * r[ro + a];
      }
      const beta = rs2 / rs[t];
      for (let a = 0; a < k; a++) p[ro + a] = r[ro + a] + beta * p[ro + a];
      rs[t] = rs2;
      live[t] = rs2 > 1e-20 ? 1 : 0;
      anyLive |= live[t];
    }
  }
}

/** out = (G + λI + Σ (c − 1) fᵢfᵢᵀ) v, v = vec[vo .. vo + k), given Gv = G v at `Gv[go .. go + k)`. */
function applyA(
  Gv: Float64Array,
  go: number,
  lambda: number,
  F: Float64Array,
  R: Csr,
  start: number,
  end: number,
  vec: Float64Array,
  vo: number,
  k: number,
  alpha: number,
  out: Float64Array,
): void {
  for (let a = 0; a < k; a++) out[a] = Gv[go + a] + lambda * vec[vo + a];
  for (let q = start; q < end; q++) {
    const c1 = alpha * Math.abs(R.values[q]);
    if (c1 === 0) continue;
    const fo = R.indices[q] * k;
    // Four partial sums (`dot`): one running sum waits on each addition, and these dots are half the sparse work.
    const d = c1 * dot(F, fo, vec, vo, k);
    for (let a = 0; a < k; a++) out[a] += d * F[fo + a];
  }
}
