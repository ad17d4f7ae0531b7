/**
 * Exact candidate retrieval for factor models: every item's score x·yᵢ against a float32 copy of the
 * item factors, in WebAssembly SIMD (f32x4), assembled here byte by byte as `wasm-gemm.ts` assembles
 * its kernel (so the project ships no binary). At 100,000 items × 128 factors a request reads 51 MB of
 * float32 instead of 102 MB of float64, four lanes a step instead of V8's scalar loop.
 *
 * The one function computes
 *
 *   out[i] = Σₐ Y[i, a] · x[a]   for i < n, a < k
 *
 * over float32 rows in the module's memory (addresses and the row stride in bytes), one row at a time
 * with a four-lane accumulator; the k mod 4 last factors of a row are finished with scalars. Blocks of
 * 2, 4 or 8 rows sharing each load of x were slower (k = 128, CPU ms per scan, median of five: 10,000
 * rows 0.39 one at a time against 0.54, 0.60, 0.54; 100,000 rows 5.4 against 9.1, 9.3, 9.4), so a row
 * streams alone. Sums run in float32, so a score can differ from the float64 one in its last bits
 * (README, "Exact or HNSW retrieval").
 *
 * `FactorScan` keeps the copy in a WebAssembly memory of its own and falls back to the same float32 copy
 * in JavaScript where WebAssembly SIMD is missing or the copy would pass its 4 GiB.
 */

import {
  F32,
  I32,
  V128,
  add,
  and,
  block,
  br,
  brIf,
  bump,
  compiledOnce,
  functionBody,
  geS,
  geU,
  get,
  i32c,
  instantiateWithMemory,
  loop,
  mul,
  oneFunctionModule,
  set,
  simd,
  v128zero,
} from './wasm-asm.ts';

const f32load = [0x2a, 2, 0];
const f32store = [0x38, 2, 0];
const f32add = [0x92];
const f32mul = [0x94];
const v128load = simd(0x00, 2, 0); // align hint 4 bytes: rows need not be 16-aligned
const lane = (l: number) => simd(0x1f, l); // f32x4.extract_lane
const vadd = simd(0xe4);
const vmul = simd(0xe6);

// Parameters: gemv(n, k, y, ldy, x, out).
const N = 0,
  K = 1,
  Y = 2,
  LDY = 3,
  X = 4,
  OUT = 5;
// i32 locals.
const I = 6,
  P = 7, // the row's pointer
  PX = 8,
  VEND = 9, // end of x's four-lane part
  XEND = 10; // end of x
const I32_LOCALS = 5;
// v128 locals.
const S = 11; // the row's accumulator
const XV = 12;
const V128_LOCALS = 2;
// f32 locals.
const H = 13; // the row's sum
const T = 14;
const F32_LOCALS = 2;

/** Scores row I, then I += 1 (written for `rows` rows side by side, which measured slower than one). */
function rowsStep(rows: number): number[][] {
  const rs = Array.from({ length: rows }, (_, r) => r);
  const vectorPart = block(
    loop(
      [...get(PX), ...get(VEND), ...geU, ...brIf(1)],
      [...get(PX), ...v128load, ...set(XV)],
      ...rs.map((r) => [...get(S + r), ...get(P + r), ...v128load, ...get(XV), ...vmul, ...vadd, ...set(S + r)]),
      ...[...rs.map((r) => P + r), PX].map((l) => bump(l, i32c(16))),
      br(0),
    ),
  );
  const reduce = rs.map((r) => [
    ...get(S + r),
    ...lane(0),
    ...get(S + r),
    ...lane(1),
    ...f32add,
    ...get(S + r),
    ...lane(2),
    ...get(S + r),
    ...lane(3),
    ...f32add,
    ...f32add,
    ...set(H + r),
  ]);
  const scalarTail = block(
    loop(
      [...get(PX), ...get(XEND), ...geU, ...brIf(1)],
      [...get(PX), ...f32load, ...set(T)],
      ...rs.map((r) => [...get(H + r), ...get(P + r), ...f32load, ...get(T), ...f32mul, ...f32add, ...set(H + r)]),
      ...[...rs.map((r) => P + r), PX].map((l) => bump(l, i32c(4))),
      br(0),
    ),
  );
  return [
    [...get(Y), ...get(I), ...get(LDY), ...mul, ...add, ...set(P)],
    ...rs.slice(1).map((r) => [...get(P + r - 1), ...get(LDY), ...add, ...set(P + r)]),
    [...get(X), ...set(PX)],
    ...rs.map((r) => [...v128zero, ...set(S + r)]),
    vectorPart,
    reduce.flat(),
    scalarTail,
    ...rs.map((r) => [...get(OUT), ...get(I), ...i32c(r), ...add, ...i32c(4), ...mul, ...add, ...get(H + r), ...f32store]),
    bump(I, i32c(rows)),
  ];
}

function kernelBody(): number[] {
  const setup = [
    ...[...get(X), ...get(K), ...i32c(-4), ...and, ...i32c(4), ...mul, ...add, ...set(VEND)],
    ...[...get(X), ...get(K), ...i32c(4), ...mul, ...add, ...set(XEND)],
    ...i32c(0),
    ...set(I),
  ];
  const ones = block(loop([...get(I), ...get(N), ...geS, ...brIf(1)], ...rowsStep(1), br(0)));
  return functionBody(
    [
      [I32_LOCALS, I32],
      [V128_LOCALS, V128],
      [F32_LOCALS, F32],
    ],
    [...setup, ...ones],
  );
}

/** The module's bytes: imports `env.mem`, exports `gemv`. */
export function gemvModuleBytes(): Uint8Array<ArrayBuffer> {
  return oneFunctionModule([I32, I32, I32, I32, I32, I32], 'gemv', kernelBody());
}

/** out[i] = Y[i]·x for i < n (float32; byte addresses in the module's memory, `ldy` the row stride in bytes). */
export type Gemv = (n: number, k: number, y: number, ldy: number, x: number, out: number) => void;

/** The compiled module, or null where WebAssembly SIMD is not available. */
export const gemvModule = compiledOnce(gemvModuleBytes);

/** The kernel bound to a fresh memory of `bytes`; null without WebAssembly SIMD, past 4 GiB, or out of memory. */
export function gemvWorkspace(bytes: number): { memory: WebAssembly.Memory; gemv: Gemv } | null {
  const w = instantiateWithMemory<Gemv>(gemvModule(), bytes, 'gemv');
  return w && { memory: w.memory, gemv: w.fn };
}

/** Σₐ Y[o + a] · x[a] in JavaScript: four partial sums (one running sum waits on each addition). */
function rowDot(Y: Float32Array, o: number, k: number, x: ArrayLike<number>): number {
  const k4 = k & ~3;
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let a = 0;
  for (; a < k4; a += 4) {
    s0 += Y[o + a] * x[a];
    s1 += Y[o + a + 1] * x[a + 1];
    s2 += Y[o + a + 2] * x[a + 2];
    s3 += Y[o + a + 3] * x[a + 3];
  }
  for (; a < k; a++) s0 += Y[o + a] * x[a];
  return s0 + s1 + s2 + s3;
}

/** out[i] = Σₐ Y[i·k + a] · x[a] for i < n, in JavaScript. */
export function gemvJs(Y: Float32Array, n: number, k: number, x: ArrayLike<number>, out: Float32Array): void {
  for (let i = 0; i < n; i++) out[i] = rowDot(Y, i * k, k, x);
}

/**
 * A float32 copy of n × k factors (row-major), and every row's inner product with a vector in one call:
 * in WebAssembly SIMD, or in JavaScript (`simd: false`, or where WebAssembly SIMD is missing).
 */
export class FactorScan {
  readonly n: number;
  readonly k: number;
  /** Whether the SIMD kernel runs (false: `gemvJs`). */
  readonly simd: boolean;
  /** The float32 factors, n × k (a view into the kernel's memory when `simd`). */
  readonly rows: Float32Array;
  private readonly x: Float32Array;
  private readonly out: Float32Array;
  private readonly kernel: Gemv | null;
  private readonly xAt: number;
  private readonly outAt: number;

  constructor(factors: ArrayLike<number>, n: number, k: number, options: { simd?: boolean } = {}) {
    this.n = n;
    this.k = k;
    // Layout in the memory: the rows, then x (16-byte aligned), then the scores.
    const rowBytes = n * k * 4;
    this.xAt = Math.ceil(rowBytes / 16) * 16;
    this.outAt = this.xAt + Math.ceil((k * 4) / 16) * 16;
    const ws = options.simd === false ? null : gemvWorkspace(this.outAt + n * 4);
    this.simd = ws !== null;
    this.kernel = ws?.gemv ?? null;
    const buffer = ws ? ws.memory.buffer : null;
    this.rows = buffer ? new Float32Array(buffer, 0, n * k) : new Float32Array(n * k);
    this.x = buffer ? new Float32Array(buffer, this.xAt, k) : new Float32Array(k);
    this.out = buffer ? new Float32Array(buffer, this.outAt, n) : new Float32Array(n);
    for (let p = 0; p < n * k; p++) this.rows[p] = factors[p];
  }

  /**
   * Every row's inner product with `x` (k values, rounded to float32), into `into` (n values) or a view
   * the next call overwrites.
   */
  scores(x: ArrayLike<number>, into?: Float32Array): Float32Array {
    const { n, k } = this;
    for (let a = 0; a < k; a++) this.x[a] = x[a];
    if (this.kernel) {
      this.kernel(n, k, 0, k * 4, this.xAt, this.outAt);
      if (!into) return this.out;
      into.set(this.out);
      return into;
    }
    const out = into ?? this.out;
    gemvJs(this.rows, n, k, this.x, out);
    return out;
  }

  /** The inner products of the rows `items` only, into those places of `into`: the same values `scores` gives them. */
  scoresOf(x: ArrayLike<number>, items: ArrayLike<number>, into: Float32Array): void {
    const k = this.k;
    for (let a = 0; a < k; a++) this.x[a] = x[a];
    for (let c = 0; c < items.length; c++) {
      const i = items[c];
      if (this.kernel) {
        this.kernel(1, k, i * k * 4, k * 4, this.xAt, this.outAt + i * 4);
        into[i] = this.out[i];
      } else into[i] = rowDot(this.rows, i * k, k, this.x);
    }
  }
}
