/**
 * ALS's half-sweeps on more than one core. Each half-sweep is embarrassingly parallel over rows (a row
 * reads the other side's factors, fixed for the half-sweep, and writes only itself), so a helper thread
 * shares the CSR matrices and both factor matrices through SharedArrayBuffers and takes blocks of
 * BLOCK_ROWS rows from an atomic counter beside the fitting thread. Every row runs the same arithmetic
 * (als-sweep.ts) whichever thread takes it, so the factors are the same to the bit as one thread's.
 *
 * `fit` is synchronous: the fitting thread blocks on `Atomics.wait` (Node allows it on every thread)
 * until the helper has finished its blocks. The helper boots with the TypeScript loader (workers do not
 * inherit it), which takes a fraction of a second: worth it only on large data (`alsThreads`).
 *
 * No I/O: the threads exchange only shared memory and atomics (tools/check-layout.mjs allows this file
 * worker_threads for that).
 */
import { availableParallelism } from 'node:os';
import { Worker, workerData } from 'node:worker_threads';
import type { Csr } from './common.ts';
import { BLOCK_ROWS, CgWork, blocksOf, gramSplit, type SweepSide, sweepBlock } from './als-sweep.ts';

/** Control words (Int32Array indices). */
const GEN = 0;
const CMD = 1;
const NEXT = 2;
const DONE = 3;
const STATE = 4;
const ACK = 5;
const CONTROL_WORDS = 8;

const CMD_USERS = 1;
const CMD_ITEMS = 2;
const CMD_EXIT = 3;
/** The second half of the Gram matrix of X (users) or Y (items) into G2. */
const CMD_GRAM_X = 4;
const CMD_GRAM_Y = 5;

const STARTING = 0;
const READY = 1;
const FAILED = 2;

/** How long the helper may take to boot before the fit goes on alone, and the longest single wait. */
const BOOT_MS = 60_000;
const WAIT_MS = 1_000;

/**
 * From how much work (stored entries × factors, per half-sweep) a second thread pays: below it the
 * helper's boot (the loader, a second WebAssembly instance; ~0.3–1 s) costs more than it saves.
 */
export const THREADS_FROM_WORK = 2e7;

/** The threads a fit uses: `requested` if set (≥ 1), else 2 on a multi-core machine from THREADS_FROM_WORK on, else 1. */
export function alsThreads(requested: number, nnz: number, k: number): number {
  if (requested >= 1) return Math.floor(requested);
  return nnz * k >= THREADS_FROM_WORK && availableParallelism() >= 2 ? 2 : 1;
}

/** What the helper is given: everything shared, nothing copied per half-sweep but G. */
interface HelperData {
  kind: 'als-sweep-helper';
  control: SharedArrayBuffer;
  R: SharedCsr;
  Rt: SharedCsr;
  X: SharedArrayBuffer;
  Y: SharedArrayBuffer;
  G: SharedArrayBuffer;
  G2: SharedArrayBuffer;
  k: number;
  alpha: number;
  steps: number;
  regularization: number;
  regExponent: number;
  nUsers: number;
  nItems: number;
}

interface SharedCsr {
  nRows: number;
  nCols: number;
  indptr: SharedArrayBuffer;
  indices: SharedArrayBuffer;
  values: SharedArrayBuffer;
}

/** A copy of `a` in shared memory. */
export function sharedCopy<T extends Float64Array | Float32Array | Int32Array>(a: T): T {
  const Ctor = a.constructor as new (b: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(a.byteLength));
  out.set(a as never);
  return out;
}

export function sharedCsr(c: Csr): Csr {
  return { nRows: c.nRows, nCols: c.nCols, indptr: sharedCopy(c.indptr), indices: sharedCopy(c.indices), values: sharedCopy(c.values) };
}

function csrOf(s: SharedCsr): Csr {
  return { nRows: s.nRows, nCols: s.nCols, indptr: new Int32Array(s.indptr), indices: new Int32Array(s.indices), values: new Float32Array(s.values) };
}

function bufferOf(a: ArrayBufferView): SharedArrayBuffer {
  if (!(a.buffer instanceof SharedArrayBuffer)) throw new TypeError('ALS threads need shared arrays');
  return a.buffer;
}

/** The regularisation of a row with `count` observed entries out of `of` (als.ts's, for the helper). */
export function regularisationOf(regularization: number, regExponent: number, alpha: number, of: number): (count: number) => number {
  return (count) => (regExponent === 0 ? regularization : regularization * (1 + (alpha * count) / Math.max(1, of)) ** regExponent);
}

/** The fitting thread's side: starts a helper, runs each half-sweep with it, stops it. */
export class SweepPool {
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_WORDS * 4));
  private readonly worker: Worker;
  /** Blocks the helper has updated, over every half-sweep so far. */
  helperBlocks = 0;
  /** Whether the helper takes blocks (null: not known until the first half-sweep waits for its boot). */
  private helping: boolean | null = null;

  /** R, Rt, X, Y and G must be in shared memory (`sharedCsr`, `sharedCopy`). */
  constructor(
    R: Csr,
    Rt: Csr,
    X: Float64Array,
    Y: Float64Array,
    G: Float64Array,
    G2: Float64Array,
    o: { k: number; alpha: number; steps: number; regularization: number; regExponent: number },
  ) {
    const csr = (c: Csr): SharedCsr => ({
      nRows: c.nRows,
      nCols: c.nCols,
      indptr: bufferOf(c.indptr),
      indices: bufferOf(c.indices),
      values: bufferOf(c.values),
    });
    const data: HelperData = {
      kind: 'als-sweep-helper',
      control: bufferOf(this.control),
      R: csr(R),
      Rt: csr(Rt),
      X: bufferOf(X),
      Y: bufferOf(Y),
      G: bufferOf(G),
      G2: bufferOf(G2),
      ...o,
      nUsers: R.nRows,
      nItems: Rt.nRows,
    };
    // A boot that fails (the loader, the import) marks the helper failed, so the fit goes on alone at once.
    const boot = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((m) => { m.register(); return import(${JSON.stringify(import.meta.url)}); }).catch(() => { const c = new Int32Array(require('node:worker_threads').workerData.control); Atomics.store(c, ${STATE}, ${FAILED}); Atomics.notify(c, ${STATE}); })`;
    this.worker = new Worker(boot, { eval: true, workerData: data });
    // A failure to boot or a crash: the helper's own catch marks it failed; this is the backstop.
    this.worker.on('error', () => this.fail());
    this.worker.on('exit', () => this.fail());
    this.worker.unref();
  }

  private fail(): void {
    Atomics.store(this.control, STATE, FAILED);
    Atomics.notify(this.control, DONE);
    Atomics.notify(this.control, ACK);
  }

  /** Waits (blocking) for the helper to be ready; false if it failed or took longer than BOOT_MS. */
  private ready(): boolean {
    const c = this.control;
    const until = Date.now() + BOOT_MS;
    while (Atomics.load(c, STATE) === STARTING && Date.now() < until) Atomics.wait(c, STATE, STARTING, WAIT_MS);
    return Atomics.load(c, STATE) === READY;
  }

  /**
   * One half-sweep (`side` is the user side, R → X, or the item side, Rt → Y, as `users` says), the
   * blocks shared with the helper. Runs alone if the helper never became ready.
   */
  run(side: SweepSide, users: boolean, w: CgWork): void {
    const c = this.control;
    const blocks = blocksOf(side.R.nRows);
    this.helping ??= this.ready();
    w.useG(side.G);
    if (!this.helping) {
      for (let b = 0; b < blocks; b++) sweepBlock(side, w, b);
      return;
    }
    Atomics.store(c, NEXT, 0);
    Atomics.store(c, DONE, 0);
    Atomics.store(c, CMD, users ? CMD_USERS : CMD_ITEMS);
    const gen = Atomics.add(c, GEN, 1) + 1;
    Atomics.notify(c, GEN);
    let mine = 0;
    for (let b = Atomics.add(c, NEXT, 1); b < blocks; b = Atomics.add(c, NEXT, 1)) {
      sweepBlock(side, w, b);
      mine++;
    }
    // The helper's blocks are done, and it has stopped taking any (so the next half-sweep's counter is its own).
    for (;;) {
      const done = Atomics.load(c, DONE);
      const ack = Atomics.load(c, ACK);
      if (done + mine >= blocks && ack === gen) {
        this.helperBlocks += done;
        break;
      }
      if (Atomics.load(c, STATE) === FAILED) throw new Error('the ALS helper thread failed during a sweep');
      if (done + mine < blocks) Atomics.wait(c, DONE, done, WAIT_MS);
      else Atomics.wait(c, ACK, ack, WAIT_MS);
    }
  }

  /**
   * G = FᵀF (F: X if `users`, else Y; `rows` rows) as `splitGram` sums it, the helper taking the
   * second half into G2 meanwhile. Alone if the helper never became ready.
   */
  gram(F: Float64Array, users: boolean, rows: number, G: Float64Array, G2: Float64Array, w: CgWork): void {
    const c = this.control;
    const mid = Math.min(rows, gramSplit(rows));
    this.helping ??= this.ready();
    let gen = 0;
    if (this.helping) {
      Atomics.store(c, CMD, users ? CMD_GRAM_X : CMD_GRAM_Y);
      gen = Atomics.add(c, GEN, 1) + 1;
      Atomics.notify(c, GEN);
    }
    w.gram(F, 0, mid, G);
    if (this.helping) this.awaitAck(gen);
    else w.gram(F, mid, rows, G2);
    for (let p = 0; p < G.length; p++) G[p] += G2[p];
  }

  private awaitAck(gen: number): void {
    const c = this.control;
    for (;;) {
      const ack = Atomics.load(c, ACK);
      if (ack === gen) return;
      if (Atomics.load(c, STATE) === FAILED) throw new Error('the ALS helper thread failed');
      Atomics.wait(c, ACK, ack, WAIT_MS);
    }
  }

  /** Stops the helper (it leaves its loop and its thread ends). */
  close(): void {
    Atomics.store(this.control, CMD, CMD_EXIT);
    Atomics.add(this.control, GEN, 1);
    Atomics.notify(this.control, GEN);
  }
}

/** The helper's loop: each new generation, take blocks of the half-sweep asked until none is left. */
function helperLoop(d: HelperData): void {
  const c = new Int32Array(d.control);
  const R = csrOf(d.R);
  const Rt = csrOf(d.Rt);
  const X = new Float64Array(d.X);
  const Y = new Float64Array(d.Y);
  const G = new Float64Array(d.G);
  const G2 = new Float64Array(d.G2);
  const base = { G, k: d.k, alpha: d.alpha, steps: d.steps };
  const users: SweepSide = { ...base, R, F: Y, out: X, regOf: regularisationOf(d.regularization, d.regExponent, d.alpha, d.nItems) };
  const items: SweepSide = { ...base, R: Rt, F: X, out: Y, regOf: regularisationOf(d.regularization, d.regExponent, d.alpha, d.nUsers) };
  const w = new CgWork(d.k);
  let seen = Atomics.load(c, GEN);
  Atomics.store(c, STATE, READY);
  Atomics.notify(c, STATE);
  for (;;) {
    Atomics.wait(c, GEN, seen);
    seen = Atomics.load(c, GEN);
    const cmd = Atomics.load(c, CMD);
    if (cmd === CMD_EXIT) return;
    if (cmd === CMD_GRAM_X || cmd === CMD_GRAM_Y) {
      const [F, rows] = cmd === CMD_GRAM_X ? [X, d.nUsers] : [Y, d.nItems];
      w.gram(F, Math.min(rows, gramSplit(rows)), rows, G2);
      Atomics.store(c, ACK, seen);
      Atomics.notify(c, ACK);
      continue;
    }
    const side = cmd === CMD_USERS ? users : items;
    const blocks = blocksOf(side.R.nRows);
    w.useG(G);
    for (let b = Atomics.add(c, NEXT, 1); b < blocks; b = Atomics.add(c, NEXT, 1)) {
      sweepBlock(side, w, b);
      Atomics.add(c, DONE, 1);
      Atomics.notify(c, DONE);
    }
    Atomics.store(c, ACK, seen);
    Atomics.notify(c, ACK);
  }
}

const helper = workerData as HelperData | null;
if (helper?.kind === 'als-sweep-helper') {
  try {
    helperLoop(helper);
  } catch {
    const c = new Int32Array(helper.control);
    Atomics.store(c, STATE, FAILED);
    Atomics.notify(c, STATE);
    Atomics.notify(c, DONE);
    Atomics.notify(c, ACK);
  }
}

export { BLOCK_ROWS };
