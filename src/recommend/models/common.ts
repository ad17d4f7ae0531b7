/**
 * Shared helpers for the collaborative models: a seeded random generator, compressed sparse rows
 * built from coordinate-form interactions, and the aggregation of a request-time history.
 * Pure functions over typed arrays.
 */
import type { HistoryEntry, Interactions } from './types.ts';

/** How an aggregated (user, item) strength becomes a matrix value. Non-positive sums become 0. */
export type Signal = 'binary' | 'weight' | 'log';

export function applySignal(w: number, signal: Signal): number {
  if (!(w > 0)) return 0;
  if (signal === 'binary') return 1;
  if (signal === 'log') return Math.log1p(w);
  return w;
}

/** Compressed sparse rows: row r holds columns `indices[indptr[r] .. indptr[r+1])`, sorted. */
export interface Csr {
  nRows: number;
  nCols: number;
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/**
 * The largest magnitude of one summed (user, item) value: far above what real use reaches (200
 * purchases of one item), low enough that squares and Gram sums stay well inside float range, so one
 * person's millions of events cannot dominate or break a factorisation.
 */
export const MAX_CELL_WEIGHT = 1000;

/**
 * Users × items CSR with duplicate (user, item) pairs summed (raw signed weights; callers apply a
 * signal) and clipped to ±MAX_CELL_WEIGHT. Entries whose sum is exactly 0 are dropped.
 */
export function userItemCsr(data: Interactions): Csr {
  const { nUsers, nItems, users, items, weights } = data;
  const m = users.length;
  if (items.length !== m || weights.length !== m) throw new RangeError('interaction arrays differ in length');
  const count = new Int32Array(nUsers + 1);
  for (let k = 0; k < m; k++) {
    const u = users[k];
    const i = items[k];
    if (!(u >= 0 && u < nUsers && i >= 0 && i < nItems)) throw new RangeError(`interaction ${k} is out of range (user ${u}, item ${i})`);
    count[u + 1]++;
  }
  for (let u = 0; u < nUsers; u++) count[u + 1] += count[u];
  const fill = count.slice(0, nUsers);
  const colRaw = new Int32Array(m);
  const valRaw = new Float64Array(m);
  for (let k = 0; k < m; k++) {
    const p = fill[users[k]]++;
    colRaw[p] = items[k];
    // A non-finite weight (from data no builder cleaned) counts as nothing rather than poisoning a matrix.
    valRaw[p] = Number.isFinite(weights[k]) ? weights[k] : 0;
  }
  // Sort each row by item and merge duplicates.
  const indptr = new Int32Array(nUsers + 1);
  const indices = new Int32Array(m);
  const values = new Float32Array(m);
  let out = 0;
  const order: number[] = [];
  for (let u = 0; u < nUsers; u++) {
    const a = count[u];
    const b = count[u + 1];
    order.length = 0;
    for (let p = a; p < b; p++) order.push(p);
    order.sort((x, y) => colRaw[x] - colRaw[y]);
    let j = 0;
    while (j < order.length) {
      const col = colRaw[order[j]];
      let s = 0;
      while (j < order.length && colRaw[order[j]] === col) s += valRaw[order[j++]];
      if (s !== 0) {
        indices[out] = col;
        values[out] = Math.max(-MAX_CELL_WEIGHT, Math.min(MAX_CELL_WEIGHT, s));
        out++;
      }
    }
    indptr[u + 1] = out;
  }
  return { nRows: nUsers, nCols: nItems, indptr, indices: indices.slice(0, out), values: values.slice(0, out) };
}

/** Applies a signal to every value and drops the zeros. */
export function signalCsr(x: Csr, signal: Signal): Csr {
  const indptr = new Int32Array(x.nRows + 1);
  const indices = new Int32Array(x.indices.length);
  const values = new Float32Array(x.indices.length);
  let out = 0;
  for (let r = 0; r < x.nRows; r++) {
    for (let p = x.indptr[r]; p < x.indptr[r + 1]; p++) {
      const v = applySignal(x.values[p], signal);
      if (v === 0) continue;
      indices[out] = x.indices[p];
      values[out++] = v;
    }
    indptr[r + 1] = out;
  }
  return { nRows: x.nRows, nCols: x.nCols, indptr, indices: indices.slice(0, out), values: values.slice(0, out) };
}

export function transpose(x: Csr): Csr {
  const nnz = x.indices.length;
  const indptr = new Int32Array(x.nCols + 1);
  for (let p = 0; p < nnz; p++) indptr[x.indices[p] + 1]++;
  for (let c = 0; c < x.nCols; c++) indptr[c + 1] += indptr[c];
  const fill = indptr.slice(0, x.nCols);
  const indices = new Int32Array(nnz);
  const values = new Float32Array(nnz);
  for (let r = 0; r < x.nRows; r++) {
    for (let p = x.indptr[r]; p < x.indptr[r + 1]; p++) {
      const q = fill[x.indices[p]]++;
      indices[q] = r;
      values[q] = x.values[p];
    }
  }
  return { nRows: x.nCols, nCols: x.nRows, indptr, indices, values };
}

/** A history folded into one value per distinct item. */
export interface FoldedHistory {
  items: Int32Array;
  /** Summed (optionally decayed) raw weights. */
  weights: Float64Array;
  /** Per folded item, the index into the original history of its most recent entry. */
  source: Int32Array;
}

/**
 * Sums a history's weights per item, optionally with an exponential time decay
 * (`halfLifeMs` > 0: an entry `halfLifeMs` old counts half). Items outside [0, nItems) are dropped.
 */
export function foldHistory(history: readonly HistoryEntry[], nItems: number, now: number, halfLifeMs = 0): FoldedHistory {
  const at = new Map<number, number>();
  const items: number[] = [];
  const weights: number[] = [];
  const source: number[] = [];
  for (let h = 0; h < history.length; h++) {
    const e = history[h];
    if (!(e.item >= 0 && e.item < nItems) || !Number.isFinite(e.weight)) continue;
    let w = e.weight;
    if (halfLifeMs > 0 && Number.isFinite(e.time)) w *= 0.5 ** (Math.max(0, now - e.time) / halfLifeMs);
    const k = at.get(e.item);
    if (k === undefined) {
      at.set(e.item, items.length);
      items.push(e.item);
      weights.push(w);
      source.push(h);
    } else {
      weights[k] += w;
      if (!(history[source[k]].time > e.time)) source[k] = h;
    }
  }
  return { items: Int32Array.from(items), weights: Float64Array.from(weights), source: Int32Array.from(source) };
}

/** A Float32Array filled with NaN: "no opinion" on every item. */
export function noOpinion(n: number): Float32Array {
  return new Float32Array(n).fill(NaN);
}
