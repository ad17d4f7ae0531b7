/**
 * The matrix-product micro-kernel of `linalg.ts` in WebAssembly SIMD (f64x2), assembled here byte by
 * byte, so the project ships no binary: V8 runs scalar JavaScript at two floating-point operations a
 * cycle at best, and two-lane vectors double that. The one function computes
 *
 *   C[i, j] += alpha · Σₖ X[i, k] · Y[j, k]   for i < 4·m4, j < 2·n2, k < kl
 *
 * over rows of float64 in the module's memory (addresses and leading dimensions in bytes), in 4×2
 * blocks of eight two-lane accumulators; an odd k is finished with scalars. The caller handles the
 * rows and columns left over when m is not a multiple of 4 or n of 2.
 */

import {
  F64,
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
  uleb,
  v128zero,
  when,
} from './wasm-asm.ts';

const f64load = (offset = 0) => [0x2b, 3, ...uleb(offset)];
const f64store = (offset = 0) => [0x39, 3, ...uleb(offset)];
const f64add = [0xa0];
const f64mul = [0xa2];
const v128load = simd(0x00, 3, 0); // align hint 8 bytes: rows need not be 16-aligned
const lane = (l: number) => simd(0x21, l); // f64x2.extract_lane
const vadd = simd(0xf0);
const vmul = simd(0xf2);

// Parameters.
const M4 = 0,
  N2 = 1,
  KL = 2,
  X = 3,
  LDX = 4,
  Y = 5,
  LDY = 6,
  C = 7,
  LDC = 8,
  ALPHA = 9;
// i32 locals.
const IB = 10,
  JB = 11,
  PX = 12, // 12..15: the four X rows
  PY0 = 16,
  PY1 = 17,
  PEND = 18,
  XR = 19,
  CR = 20,
  CW = 21,
  KV = 22;
const I32_LOCALS = 13;
// v128 locals.
const S = 23; // 23..30: s[r][t] at S + 2r + t
const A = 31,
  B0 = 32,
  B1 = 33;
const V128_LOCALS = 11;
// f64 locals.
const H = 34; // 34..41: h[r][t] at H + 2r + t
const T0 = 42,
  T1 = 43;
const F64_LOCALS = 10;

const rows = [0, 1, 2, 3];
const cols = [0, 1];

function kernelBody(): number[] {
  const kLoop = block(
    loop(
      [...get(PY0), ...get(PEND), ...geU, ...brIf(1)],
      [...get(PY0), ...v128load, ...set(B0), ...get(PY1), ...v128load, ...set(B1)],
      ...rows.map((r) => [
        ...get(PX + r),
        ...v128load,
        ...set(A),
        ...cols.flatMap((t) => [...get(S + 2 * r + t), ...get(A), ...get(t === 0 ? B0 : B1), ...vmul, ...vadd, ...set(S + 2 * r + t)]),
      ]),
      ...[...rows.map((r) => PX + r), PY0, PY1].map((l) => bump(l, i32c(16))),
      br(0),
    ),
  );
  const reduce = rows.flatMap((r) =>
    cols.flatMap((t) => [...get(S + 2 * r + t), ...lane(0), ...get(S + 2 * r + t), ...lane(1), ...f64add, ...set(H + 2 * r + t)]),
  );
  const oddTail = [
    ...get(KL),
    ...i32c(1),
    ...and,
    ...when(
      [...get(PY0), ...f64load(), ...set(T0), ...get(PY1), ...f64load(), ...set(T1)],
      ...rows.flatMap((r) =>
        cols.map((t) => [...get(H + 2 * r + t), ...get(PX + r), ...f64load(), ...get(t === 0 ? T0 : T1), ...f64mul, ...f64add, ...set(H + 2 * r + t)]),
      ),
    ),
  ];
  // C[r, t] += alpha · h[r][t], row r at CW (advanced by LDC per row).
  const store = [
    ...get(CR),
    ...get(JB),
    ...i32c(16),
    ...mul,
    ...add,
    ...set(CW),
    ...rows.flatMap((r) => [
      ...cols.flatMap((t) => [...get(CW), ...get(CW), ...f64load(8 * t), ...get(ALPHA), ...get(H + 2 * r + t), ...f64mul, ...f64add, ...f64store(8 * t)]),
      ...bump(CW, get(LDC)),
    ]),
  ];
  const jLoop = block(
    loop(
      [...get(JB), ...get(N2), ...geS, ...brIf(1)],
      // The four X rows from the block's first, the two Y rows from column pair jb.
      [...get(XR), ...set(PX)],
      ...[1, 2, 3].map((r) => [...get(PX + r - 1), ...get(LDX), ...add, ...set(PX + r)]),
      [...get(Y), ...get(JB), ...get(LDY), ...mul, ...i32c(2), ...mul, ...add, ...set(PY0)],
      [...get(PY0), ...get(LDY), ...add, ...set(PY1)],
      [...get(PY0), ...get(KV), ...add, ...set(PEND)],
      ...rows.flatMap((r) => cols.map((t) => [...v128zero, ...set(S + 2 * r + t)])),
      kLoop,
      reduce,
      oddTail,
      store,
      bump(JB, i32c(1)),
      br(0),
    ),
  );
  const iLoop = block(
    loop(
      [...get(IB), ...get(M4), ...geS, ...brIf(1)],
      [...get(X), ...get(IB), ...get(LDX), ...mul, ...i32c(4), ...mul, ...add, ...set(XR)],
      [...get(C), ...get(IB), ...get(LDC), ...mul, ...i32c(4), ...mul, ...add, ...set(CR)],
      [...i32c(0), ...set(JB)],
      jLoop,
      bump(IB, i32c(1)),
      br(0),
    ),
  );
  // KV: the bytes of the even part of k, (kl >> 1) << 4.
  const setup = [...get(KL), ...i32c(-2), ...and, ...i32c(8), ...mul, ...set(KV), ...i32c(0), ...set(IB)];
  return functionBody(
    [
      [I32_LOCALS, I32],
      [V128_LOCALS, V128],
      [F64_LOCALS, F64],
    ],
    [...setup, ...iLoop],
  );
}

/** The module's bytes: imports `env.mem`, exports `gemm4x2`. */
export function gemmModuleBytes(): Uint8Array<ArrayBuffer> {
  return oneFunctionModule([I32, I32, I32, I32, I32, I32, I32, I32, I32, F64], 'gemm4x2', kernelBody());
}

export type Gemm4x2 = (m4: number, n2: number, kl: number, x: number, ldx: number, y: number, ldy: number, c: number, ldc: number, alpha: number) => void;

/** The compiled module, or null where WebAssembly SIMD is not available (then linalg stays in JavaScript). */
export const gemmModule = compiledOnce(gemmModuleBytes);

/** A float64 workspace of `doubles` elements in a fresh WebAssembly memory, with the kernel bound to it; null without WebAssembly SIMD or past its 4 GiB. */
export function wasmWorkspace(doubles: number): { memory: WebAssembly.Memory; gemm: Gemm4x2 } | null {
  const w = instantiateWithMemory<Gemm4x2>(gemmModule(), doubles * 8, 'gemm4x2');
  return w && { memory: w.memory, gemm: w.fn };
}
