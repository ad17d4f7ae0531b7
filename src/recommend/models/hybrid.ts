/**
 * A hybrid that blends a collaborative model with the content model by how much evidence there is.
 *
 * For a user with L distinct positive history items and an item with nᵢ interacting users:
 *
 *   β = L / (L + userEvidence),  αᵢ = nᵢ / (nᵢ + itemEvidence)
 *   score(i) = β·αᵢ · ĉ(i) + (1 − β·αᵢ) · γ · t̂(i) + popularityWeight · p̂(i)
 *
 * where ĉ and t̂ are the collaborative and content scores rescaled to [0, 1] over the catalog and p̂
 * is the item's popularity rescaled the same way; γ (`contentWeight` < 1) discounts text, the weaker
 * evidence, so a cold item needs a close textual match to outrank a collaborative favourite. So a well-known user and a well-known item are
 * scored collaboratively, a brand-new item (nᵢ = 0) by its text alone, a user with one or two events
 * mostly by text, and a user with no history by popularity. A component with no opinion on an item
 * (NaN) gives its share to the other.
 */
import { signalCsr, userItemCsr } from './common.ts';
import { bestOf } from './top-k.ts';
import { ContentBased, type ItemText } from './content.ts';
import { pack, unpackModel } from './pack.ts';
import type { Lang } from './text.ts';
import type { FitOptions, HistoryEntry, Interactions, Recommender, ScoreResult } from './types.ts';

export interface HybridOptions {
  /** Interactions at which an item's collaborative score gets half the weight. */
  itemEvidence: number;
  /** History length at which a user's collaborative score gets half the weight. */
  userEvidence: number;
  /** Weight of the popularity prior (alone for users with no history). */
  popularityWeight: number;
  /** Discount γ of the content score relative to the collaborative one. */
  contentWeight: number;
}

export const HYBRID_DEFAULTS: HybridOptions = { itemEvidence: 5, userEvidence: 3, popularityWeight: 0.05, contentWeight: 0.6 };

/** Rescales finite values to [0, 1]; non-finite ones stay NaN. */
function unit(s: Float32Array): Float32Array {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < s.length; i++) {
    const v = s[i];
    if (Number.isFinite(v)) {
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
  }
  const out = new Float32Array(s.length);
  const span = hi - lo;
  for (let i = 0; i < s.length; i++) {
    const v = s[i];
    out[i] = Number.isFinite(v) ? (span > 0 ? (v - lo) / span : 1) : NaN;
  }
  return out;
}

export class Hybrid implements Recommender {
  readonly name = 'hybrid';
  readonly options: HybridOptions;
  /** Distinct users with a positive interaction, per item. */
  private counts: Float32Array = new Float32Array(0);
  private pop: Float32Array = new Float32Array(0);

  constructor(
    readonly collaborative: Recommender,
    readonly content: ContentBased = new ContentBased(),
    options: Partial<HybridOptions> = {},
  ) {
    this.options = { ...HYBRID_DEFAULTS, ...options };
  }

  fitText(docs: ReadonlyArray<ItemText | null | undefined>): void {
    this.content.fitText(docs);
  }

  query(text: string, language?: Lang): ScoreResult {
    return this.content.query(text, language);
  }

  fit(data: Interactions, opts: FitOptions = {}): void {
    this.collaborative.fit(data, { ...opts, onProgress: (f) => opts.onProgress?.(0.95 * f) });
    this.content.fit(data);
    const X = signalCsr(userItemCsr(data), 'binary');
    this.counts = new Float32Array(data.nItems);
    for (let p = 0; p < X.indices.length; p++) this.counts[X.indices[p]]++;
    this.pop = unit(Float32Array.from(this.counts, (c) => Math.log1p(c)));
    opts.onProgress?.(1);
  }

  score(history: readonly HistoryEntry[], now: number): ScoreResult {
    const { itemEvidence, userEvidence, popularityWeight } = this.options;
    const n = this.counts.length;
    const positive = new Set<number>();
    const sum = new Map<number, number>();
    for (const e of history) sum.set(e.item, (sum.get(e.item) ?? 0) + e.weight);
    for (const [i, w] of sum) if (w > 0 && i >= 0 && i < n) positive.add(i);
    const L = positive.size;
    const beta = L / (L + userEvidence);
    const scores = new Float32Array(n);
    const because = new Int32Array(n).fill(-1);
    if (L === 0) {
      for (let i = 0; i < n; i++) scores[i] = popularityWeight * this.pop[i];
      return { scores, because };
    }
    const c = this.collaborative.score(history, now);
    const t = this.content.score(history, now);
    const cs = unit(c.scores);
    const ts = unit(t.scores);
    for (let i = 0; i < n; i++) {
      const ni = this.counts[i];
      let wc = (beta * ni) / (ni + itemEvidence);
      const hasC = Number.isFinite(cs[i]);
      const hasT = Number.isFinite(ts[i]);
      if (!hasC) wc = 0;
      else if (!hasT) wc = 1;
      const wt = hasT ? (1 - wc) * this.options.contentWeight : 0;
      const fromC = hasC ? wc * cs[i] : 0;
      const fromT = hasT ? wt * ts[i] : 0;
      scores[i] = fromC + fromT + popularityWeight * this.pop[i];
      const src = fromC >= fromT ? c.because : t.because;
      because[i] = src ? src[i] : -1;
    }
    return { scores, because };
  }

  similar(item: number, n: number): { items: Int32Array; scores: Float32Array } {
    const N = this.counts.length;
    if (!(item >= 0 && item < N)) return { items: new Int32Array(0), scores: new Float32Array(0) };
    const depth = Math.max(n * 3, 50);
    const a = this.counts[item] / (this.counts[item] + this.options.itemEvidence);
    const blend = new Map<number, number>();
    const add = (r: { items: Int32Array; scores: Float32Array }, w: number) => {
      if (r.items.length === 0 || w === 0) return;
      const top = r.scores[0] > 0 ? r.scores[0] : 1;
      for (let k = 0; k < r.items.length; k++) blend.set(r.items[k], (blend.get(r.items[k]) ?? 0) + (w * r.scores[k]) / top);
    };
    add(this.collaborative.similar(item, depth), a);
    add(this.content.similar(item, depth), 1 - a);
    const ids = [...blend.keys()];
    const r = bestOf(n, ids.length, (k) => blend.get(ids[k])!, -1);
    return { items: Int32Array.from(r.items, (k) => ids[k]), scores: r.scores };
  }

  save(): Uint8Array {
    return pack(
      { model: 'hybrid', version: 1, options: this.options },
      { collaborative: this.collaborative.save(), content: this.content.save(), counts: this.counts },
    );
  }

  /** `restore` rebuilds the collaborative part, whatever model it is (the registry passes its own). */
  static load(bytes: Uint8Array, restore: (bytes: Uint8Array) => Recommender): Hybrid {
    const { header, arrays } = unpackModel(bytes, 'hybrid', 1);
    const content = ContentBased.load(arrays.content as Uint8Array);
    const h = new Hybrid(restore(arrays.collaborative as Uint8Array), content, header.options as HybridOptions);
    h.counts = arrays.counts as Float32Array;
    h.pop = unit(Float32Array.from(h.counts, (c) => Math.log1p(c)));
    return h;
  }
}
