/**
 * Item-based nearest neighbours. Two similarities between item columns of the user–item matrix:
 *
 * - `cosine`: sim(i, j) = xᵢ·xⱼ / (‖xᵢ‖‖xⱼ‖ + shrink) — the shrinkage term pulls similarities
 *   computed from few common users towards zero;
 * - `bm25`: co-occurrence of BM25-weighted columns. Each item is a "document" whose "terms" are its
 *   users; an entry becomes idf(u)·r(k₁+1)/(r + k₁(1 − b + b·|i|/avg|i|)), so prolific users (who
 *   interact with everything) and very long item columns count less.
 *
 * Only the `neighbors` most similar items are kept per item. A user's score for j sums, over the
 * history, weight × sim(h, j).
 */
import { applySignal, foldHistory, noOpinion, signalCsr, transpose, userItemCsr, type Signal } from './common.ts';
import { bestOf } from './top-k.ts';
import { pack, unpackModel } from './pack.ts';
import { NotEnoughDataError, type FitOptions, type HistoryEntry, type Interactions, type Recommender, type ScoreResult } from './types.ts';

export interface ItemKnnOptions {
  similarity: 'cosine' | 'bm25';
  /** Neighbours kept per item. */
  neighbors: number;
  /** Cosine shrinkage. */
  shrink: number;
  /** BM25 term-frequency saturation. */
  k1: number;
  /** BM25 length normalisation. */
  b: number;
  signal: Signal;
  /** Exponential decay of history weights at scoring time, in days (0: none). */
  historyHalfLifeDays: number;
}

export const ITEMKNN_DEFAULTS: ItemKnnOptions = {
  similarity: 'cosine',
  neighbors: 100,
  shrink: 10,
  k1: 1.2,
  b: 0.75,
  signal: 'binary',
  historyHalfLifeDays: 0,
};

export class ItemKnn implements Recommender {
  readonly name: string;
  readonly options: ItemKnnOptions;
  private nItems = 0;
  /** Neighbour lists in CSR form: neighbours of i are nbr[ptr[i] .. ptr[i+1]), best first. */
  private ptr: Int32Array = new Int32Array(1);
  private nbr: Int32Array = new Int32Array(0);
  private sim: Float32Array = new Float32Array(0);

  constructor(options: Partial<ItemKnnOptions> = {}) {
    this.options = { ...ITEMKNN_DEFAULTS, ...options };
    this.name = this.options.similarity === 'bm25' ? 'itemknn-bm25' : 'itemknn';
    if (!(Number.isInteger(this.options.neighbors) && this.options.neighbors >= 1)) throw new RangeError('neighbors must be a positive integer');
    if (!(this.options.shrink >= 0)) throw new RangeError('shrink must be non-negative');
  }

  fit(data: Interactions, opts: FitOptions = {}): void {
    const o = this.options;
    const progress = opts.onProgress ?? (() => {});
    const X = signalCsr(userItemCsr(data), o.signal); // users × items
    if (X.indices.length === 0) throw new NotEnoughDataError('item-kNN needs at least one positive interaction');
    const n = data.nItems;
    // Column weights: plain values (cosine) or BM25 weights (items as documents of users).
    const W = { ...X, values: X.values.slice() };
    if (o.similarity === 'bm25') {
      const itemLen = new Float64Array(n);
      for (let p = 0; p < X.indices.length; p++) itemLen[X.indices[p]] += X.values[p];
      let active = 0;
      let total = 0;
      for (let i = 0; i < n; i++)
        if (itemLen[i] > 0) {
          active++;
          total += itemLen[i];
        }
      const avg = total / active;
      for (let u = 0; u < X.nRows; u++) {
        const df = X.indptr[u + 1] - X.indptr[u];
        const idf = Math.log(1 + (active - df + 0.5) / (df + 0.5));
        for (let p = X.indptr[u]; p < X.indptr[u + 1]; p++) {
          const r = X.values[p];
          const len = itemLen[X.indices[p]];
          W.values[p] = (idf * r * (o.k1 + 1)) / (r + o.k1 * (1 - o.b + (o.b * len) / avg));
        }
      }
    }
    const Wt = transpose(W); // items × users
    const norms = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let p = Wt.indptr[i]; p < Wt.indptr[i + 1]; p++) s += Wt.values[p] ** 2;
      norms[i] = Math.sqrt(s);
    }
    const K = o.neighbors;
    const acc = new Float64Array(n);
    const touched = new Int32Array(n);
    const mark = new Uint8Array(n);
    const ptr = new Int32Array(n + 1);
    const nbrs: Int32Array[] = [];
    const sims: Float32Array[] = [];
    for (let i = 0; i < n; i++) {
      let nt = 0;
      for (let p = Wt.indptr[i]; p < Wt.indptr[i + 1]; p++) {
        const u = Wt.indices[p];
        const wi = Wt.values[p];
        for (let q = W.indptr[u]; q < W.indptr[u + 1]; q++) {
          const j = W.indices[q];
          if (j === i) continue;
          if (!mark[j]) {
            mark[j] = 1;
            touched[nt++] = j;
          }
          acc[j] += wi * W.values[q];
        }
      }
      const score = (j: number) => (o.similarity === 'cosine' ? acc[j] / (norms[i] * norms[j] + o.shrink) : acc[j]);
      const best = bestOf(
        K,
        nt,
        (t) => {
          const s = score(touched[t]);
          return s > 0 ? s : -Infinity;
        },
        -1,
      );
      nbrs.push(Int32Array.from(best.items, (t) => touched[t]));
      sims.push(best.scores);
      ptr[i + 1] = ptr[i] + best.items.length;
      for (let t = 0; t < nt; t++) {
        acc[touched[t]] = 0;
        mark[touched[t]] = 0;
      }
      if ((i & 255) === 0) progress(i / n);
    }
    this.nbr = new Int32Array(ptr[n]);
    this.sim = new Float32Array(ptr[n]);
    for (let i = 0; i < n; i++) {
      this.nbr.set(nbrs[i], ptr[i]);
      this.sim.set(sims[i], ptr[i]);
    }
    this.ptr = ptr;
    this.nItems = n;
    progress(1);
  }

  score(history: readonly HistoryEntry[], now: number): ScoreResult {
    const n = this.nItems;
    const h = foldHistory(history, n, now, this.options.historyHalfLifeDays * 86_400_000);
    const acc = new Float64Array(n);
    const best = new Float64Array(n);
    const because = new Int32Array(n).fill(-1);
    let used = 0;
    for (let t = 0; t < h.items.length; t++) {
      const v = applySignal(h.weights[t], this.options.signal);
      if (v === 0) continue;
      used++;
      const i = h.items[t];
      for (let p = this.ptr[i]; p < this.ptr[i + 1]; p++) {
        const j = this.nbr[p];
        const c = v * this.sim[p];
        acc[j] += c;
        if (c > best[j]) {
          best[j] = c;
          because[j] = h.source[t];
        }
      }
    }
    if (used === 0) return { scores: noOpinion(n), because };
    return { scores: Float32Array.from(acc), because };
  }

  similar(item: number, n: number): { items: Int32Array; scores: Float32Array } {
    if (!(item >= 0 && item < this.nItems)) return { items: new Int32Array(0), scores: new Float32Array(0) };
    const a = this.ptr[item];
    const b = Math.min(this.ptr[item + 1], a + Math.max(0, n));
    return { items: this.nbr.slice(a, b), scores: this.sim.slice(a, b) };
  }

  save(): Uint8Array {
    return pack({ model: 'itemknn', version: 1, options: this.options, nItems: this.nItems }, { ptr: this.ptr, nbr: this.nbr, sim: this.sim });
  }

  static load(bytes: Uint8Array): ItemKnn {
    const { header, arrays } = unpackModel(bytes, 'itemknn', 1);
    const m = new ItemKnn(header.options as ItemKnnOptions);
    m.nItems = header.nItems as number;
    m.ptr = arrays.ptr as Int32Array;
    m.nbr = arrays.nbr as Int32Array;
    m.sim = arrays.sim as Float32Array;
    return m;
  }
}
