/**
 * EASE — Embarrassingly Shallow Autoencoder (Steck, 2019). An item-to-item weight matrix B with a
 * zero diagonal that best reconstructs the user–item matrix X under L2 regularisation:
 *
 *   min ‖X − X B‖² + λ‖B‖²  s.t. diag(B) = 0   ⇒   P = (XᵀX + λI)⁻¹,  B[i, j] = −P[i, j] / P[j, j].
 *
 * A user's scores are their current history times B, so a new event counts at once. The inverse is
 * the cost (n³ flops, n² memory), so only the most active items are modelled — at most `maxItems`,
 * and no more than the dense matrices fit in `memoryBytes` (by default half the memory available when
 * training starts) — and the rest get no opinion (NaN), for a model that scales to fill.
 */
import { freemem } from 'node:os';
import { applySignal, foldHistory, noOpinion, signalCsr, userItemCsr, type Signal } from './common.ts';
import { bestOf } from './top-k.ts';
import { addGramLower } from './gram.ts';
import { denseSquare, invertSpd } from './linalg.ts';
import { pack, unpackModel } from './pack.ts';
import { ModelFitError, NotEnoughDataError, type FitOptions, type HistoryEntry, type Interactions, type Recommender, type ScoreResult } from './types.ts';

export interface EaseOptions {
  /** L2 regularisation λ added to the Gram diagonal. Larger suits sparser data. */
  lambda: number;
  /** At most this many items (the most active) are modelled. */
  maxItems: number;
  /**
   * Memory the dense matrices may take while training (bytes); it caps the modelled items at
   * `easeItemsWithin(memoryBytes)`. 0: half of what is available when training starts.
   */
  memoryBytes: number;
  /** How a (user, item) sum of weights becomes a matrix value. */
  signal: Signal;
  /** Exponential decay of history weights at scoring time, in days (0: none). */
  historyHalfLifeDays: number;
  /**
   * Emphasised denoising (Steck 2020, EDLAE): adds p/(1−p)·G[i, i] to each diagonal entry, as if each
   * input were dropped with probability p; 0 is plain EASE.
   */
  dropout: number;
}

export const EASE_DEFAULTS: EaseOptions = { lambda: 250, maxItems: 5000, memoryBytes: 0, signal: 'binary', historyHalfLifeDays: 0, dropout: 0 };

/** Bytes per modelled item² while training: the float64 Gram/inverse and the float32 weights. */
const BYTES_PER_CELL = 8 + 4;

/** How many items EASE can model within `bytes` of memory (the dense m×m matrices dominate). */
export function easeItemsWithin(bytes: number): number {
  return Math.max(1, Math.floor(Math.sqrt(Math.max(0, bytes) / BYTES_PER_CELL)));
}

/** Half the memory this process may still use: the cgroup/`--max-old-space` limit if any, else free RAM. */
export function availableMemoryBytes(): number {
  const limit = (process as { constrainedMemory?: () => number | undefined }).constrainedMemory?.() ?? 0;
  const free = freemem();
  const room = limit && limit > 0 && limit < Number.MAX_SAFE_INTEGER ? Math.min(free, limit - process.memoryUsage.rss()) : free;
  return Math.max(0, room) / 2;
}

export class Ease implements Recommender {
  readonly name = 'ease';
  readonly options: EaseOptions;
  private nItems = 0;
  /** Model index → item index. */
  private itemOf: Int32Array = new Int32Array(0);
  /** Item index → model index, or −1 if the item is not modelled. */
  private slotOf: Int32Array = new Int32Array(0);
  /** m×m row-major: B[a, b] is how much modelled item a votes for modelled item b. */
  private B: Float32Array = new Float32Array(0);

  constructor(options: Partial<EaseOptions> = {}) {
    this.options = { ...EASE_DEFAULTS, ...options };
    if (!(this.options.lambda > 0)) throw new RangeError('lambda must be positive');
    if (!(this.options.maxItems >= 1)) throw new RangeError('maxItems must be at least 1');
    if (!(this.options.memoryBytes >= 0)) throw new RangeError('memoryBytes must be non-negative');
    if (!(this.options.dropout >= 0 && this.options.dropout < 1)) throw new RangeError('dropout must be in [0, 1)');
  }

  /** How many items a fit may model now: `maxItems`, or fewer if the dense matrices would not fit in memory. */
  headSize(): number {
    const bytes = this.options.memoryBytes > 0 ? this.options.memoryBytes : availableMemoryBytes();
    return Math.min(this.options.maxItems, easeItemsWithin(bytes));
  }

  /** Number of modelled items. */
  get modelledItems(): number {
    return this.itemOf.length;
  }

  fit(data: Interactions, opts: FitOptions = {}): void {
    const progress = opts.onProgress ?? (() => {});
    const X = signalCsr(userItemCsr(data), this.options.signal);
    if (X.indices.length === 0) throw new NotEnoughDataError('EASE needs at least one positive interaction');
    // Keep the most active items (by number of users).
    const activity = new Float64Array(data.nItems);
    for (let p = 0; p < X.indices.length; p++) activity[X.indices[p]]++;
    const active: number[] = [];
    for (let i = 0; i < data.nItems; i++) if (activity[i] > 0) active.push(i);
    active.sort((a, b) => activity[b] - activity[a] || a - b);
    const chosen = active.slice(0, this.headSize()).sort((a, b) => a - b);
    const m = chosen.length;
    const slotOf = new Int32Array(data.nItems).fill(-1);
    for (const [s, item] of chosen.entries()) slotOf[item] = s;

    // Gram matrix G = XᵀX (lower triangle) over the chosen items, then + λI.
    const G = denseSquare(m); // in WebAssembly memory when its SIMD kernel is there: the inversion runs on it in place
    const indptr = new Int32Array(X.nRows + 1);
    for (let u = 0; u < X.nRows; u++) {
      let len = 0;
      for (let p = X.indptr[u]; p < X.indptr[u + 1]; p++) if (slotOf[X.indices[p]] >= 0) len++;
      indptr[u + 1] = indptr[u] + len;
    }
    const slots = new Int32Array(indptr[X.nRows]);
    const vals = new Float64Array(indptr[X.nRows]);
    for (let u = 0, q = 0; u < X.nRows; u++) {
      for (let p = X.indptr[u]; p < X.indptr[u + 1]; p++) {
        const s = slotOf[X.indices[p]];
        if (s < 0) continue;
        slots[q] = s; // rows are sorted by item, and slots preserve item order
        vals[q++] = X.values[p];
      }
    }
    addGramLower({ nRows: X.nRows, indptr, indices: slots, values: vals }, m, G);
    progress(0.05);
    const emphasis = this.options.dropout / (1 - this.options.dropout);
    for (let s = 0; s < m; s++) G[s * m + s] += this.options.lambda + emphasis * G[s * m + s];
    invertSpd(G, m, (f) => progress(0.05 + 0.9 * f));
    // B[a, b] = −P[a, b] / P[b, b], zero diagonal.
    const B = new Float32Array(m * m);
    const inv = new Float64Array(m);
    for (let b = 0; b < m; b++) inv[b] = -1 / G[b * m + b];
    for (let a = 0; a < m; a++) {
      const ra = a * m;
      for (let b = 0; b < m; b++) B[ra + b] = G[ra + b] * inv[b];
      B[ra + a] = 0;
    }
    for (let p = 0; p < B.length; p++) if (!Number.isFinite(B[p])) throw new ModelFitError('EASE produced non-finite weights');
    this.nItems = data.nItems;
    this.itemOf = Int32Array.from(chosen);
    this.slotOf = slotOf;
    this.B = B;
    progress(1);
  }

  score(history: readonly HistoryEntry[], now: number): ScoreResult {
    const n = this.nItems;
    const m = this.itemOf.length;
    const h = foldHistory(history, n, now, this.options.historyHalfLifeDays * 86_400_000);
    const acc = new Float64Array(m);
    const best = new Float64Array(m).fill(-Infinity);
    const from = new Int32Array(m).fill(-1);
    let used = 0;
    for (let t = 0; t < h.items.length; t++) {
      const s = this.slotOf[h.items[t]];
      const v = applySignal(h.weights[t], this.options.signal);
      if (s < 0 || v === 0) continue;
      used++;
      const row = s * m;
      const src = h.source[t];
      for (let b = 0; b < m; b++) {
        const c = v * this.B[row + b];
        acc[b] += c;
        if (c > best[b]) {
          best[b] = c;
          from[b] = src;
        }
      }
    }
    if (used === 0) return { scores: noOpinion(n), because: new Int32Array(n).fill(-1) };
    const scores = noOpinion(n);
    const because = new Int32Array(n).fill(-1);
    for (let b = 0; b < m; b++) {
      const item = this.itemOf[b];
      scores[item] = acc[b];
      because[item] = best[b] > 0 ? from[b] : -1;
    }
    return { scores, because };
  }

  similar(item: number, n: number): { items: Int32Array; scores: Float32Array } {
    const s = item >= 0 && item < this.nItems ? this.slotOf[item] : -1;
    if (s < 0) return { items: new Int32Array(0), scores: new Float32Array(0) };
    const m = this.itemOf.length;
    const row = s * m;
    const r = bestOf(n, m, (b) => (this.B[row + b] > 0 ? this.B[row + b] : -Infinity), s);
    return { items: Int32Array.from(r.items, (b) => this.itemOf[b]), scores: r.scores };
  }

  save(): Uint8Array {
    return pack({ model: 'ease', version: 1, options: this.options, nItems: this.nItems }, { itemOf: this.itemOf, B: this.B });
  }

  static load(bytes: Uint8Array): Ease {
    const { header, arrays } = unpackModel(bytes, 'ease', 1);
    const e = new Ease(header.options as EaseOptions);
    e.nItems = header.nItems as number;
    e.itemOf = arrays.itemOf as Int32Array;
    e.B = arrays.B as Float32Array;
    e.slotOf = new Int32Array(e.nItems).fill(-1);
    for (const [s, item] of e.itemOf.entries()) e.slotOf[item] = s;
    return e;
  }
}
