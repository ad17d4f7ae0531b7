/**
 * The small WebAssembly assembler the SIMD kernels (`wasm-gemm.ts`, `wasm-gemv.ts`) are written with:
 * LEB128 numbers, sections, the integer and control instructions both use, and a one-function module
 * that imports its memory as `env.mem`. Each kernel keeps its own float and lane instructions.
 * Assembling in TypeScript keeps binaries out of the project.
 */

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

/** Signed LEB128 (small constants only). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

export const section = (id: number, body: number[]) => [id, ...uleb(body.length), ...body];
export const vec = (items: number[][]) => [...uleb(items.length), ...items.flat()];
export const name = (s: string) => vec([...s].map((c) => [c.charCodeAt(0)]));

// Value types.
export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;

// Instructions on locals and i32.
export const get = (l: number) => [0x20, ...uleb(l)];
export const set = (l: number) => [0x21, ...uleb(l)];
export const i32c = (v: number) => [0x41, ...sleb(v)];
export const add = [0x6a];
export const mul = [0x6c];
export const and = [0x71];
export const geS = [0x4e];
export const geU = [0x4f];
export const simd = (op: number, ...imm: number[]) => [0xfd, ...uleb(op), ...imm];
export const v128zero = simd(0x0c, ...new Array(16).fill(0));

// Control.
export const block = (...body: number[][]) => [0x02, 0x40, ...body.flat(), 0x0b];
export const loop = (...body: number[][]) => [0x03, 0x40, ...body.flat(), 0x0b];
export const when = (...body: number[][]) => [0x04, 0x40, ...body.flat(), 0x0b];
export const brIf = (depth: number) => [0x0d, ...uleb(depth)];
export const br = (depth: number) => [0x0c, ...uleb(depth)];
/** local += delta (both i32). */
export const bump = (l: number, delta: number[]) => [...get(l), ...delta, ...add, ...set(l)];

/** A function body: its locals as [count, type] runs, then its instructions (the final `end` added here). */
export function functionBody(locals: Array<[number, number]>, instructions: number[]): number[] {
  const code = [...vec(locals.map(([count, type]) => [...uleb(count), type])), ...instructions, 0x0b];
  return [...uleb(code.length), ...code];
}

/** A module of one function of `params` returning nothing, exported as `exportName`, over an imported `env.mem`. */
export function oneFunctionModule(params: readonly number[], exportName: string, body: number[]): Uint8Array<ArrayBuffer> {
  const types = section(1, vec([[0x60, ...vec(params.map((p) => [p])), ...vec([])]]));
  // Memory limits: at least one page, no maximum, not shared.
  const imports = section(2, vec([[...name('env'), ...name('mem'), 0x02, 0x00, ...uleb(1)]]));
  const funcs = section(3, vec([uleb(0)]));
  const exports = section(7, vec([[...name(exportName), 0x00, ...uleb(0)]]));
  const code = section(10, vec([body]));
  return Uint8Array.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...types, ...imports, ...funcs, ...exports, ...code]);
}

/** Compiles once, on first use; null where WebAssembly (or its SIMD) is missing. */
export function compiledOnce(bytes: () => Uint8Array<ArrayBuffer>): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled === undefined) {
      try {
        compiled = typeof WebAssembly === 'object' ? new WebAssembly.Module(bytes()) : null;
      } catch {
        compiled = null;
      }
    }
    return compiled;
  };
}

/**
 * The module's function bound to a fresh memory of at least `bytes`; null without the module, past
 * WebAssembly's 4 GiB, or when the memory cannot be had (the caller keeps its JavaScript path).
 */
export function instantiateWithMemory<F>(mod: WebAssembly.Module | null, bytes: number, exportName: string): { memory: WebAssembly.Memory; fn: F } | null {
  const pages = Math.ceil(bytes / 65536);
  if (!mod || pages > 65536) return null;
  try {
    const memory = new WebAssembly.Memory({ initial: Math.max(1, pages) });
    const instance = new WebAssembly.Instance(mod, { env: { mem: memory } });
    return { memory, fn: instance.exports[exportName] as F };
  } catch {
    return null;
  }
}
