/**
 * Content-based recommendations: BM25 over each item's title, description, categories and tags
 * (English or Spanish, stemmed, without stop words). Works for items nobody has touched yet and for
 * free-text queries.
 *
 * Each (item, term) gets the BM25 document weight idf(t)·f(k₁+1)/(f + k₁(1 − b + b·len/avglen)), with
 * the term frequency f counted per field with boosts (title 3, categories 2, tags 2, description 1).
 * - `query(text)`: Σ over query terms of that weight (classic BM25 ranking);
 * - `score(history)`: cosine similarity between each item's weight vector and the history items'
 *   vectors, weighted by the history's weights;
 * - `similar(item)`: cosine to that one item.
 * Interactions carry no text, so the texts come in through `fitText`; `fit` only learns the catalog size.
 */
import { foldHistory, noOpinion } from './common.ts';
import { bestOf } from './top-k.ts';
import { pack, unpackModel } from './pack.ts';
import { analyze, detectLanguage, queryTerms, type Lang } from './text.ts';
import type { FitOptions, HistoryEntry, Interactions, Recommender, ScoreResult } from './types.ts';

export interface ItemText {
  title: string;
  description?: string;
  categories?: string[];
  tags?: string[];
  language?: Lang;
}

export interface ContentOptions {
  k1: number;
  b: number;
  boosts: { title: number; description: number; categories: number; tags: number };
  /** Only the most recent this-many distinct history items are compared (bounds latency). */
  maxHistory: number;
  /** How many nearest texts of a history item contribute to its score. */
  neighbours: number;
}

export const CONTENT_DEFAULTS: ContentOptions = {
  k1: 1.2,
  b: 0.75,
  boosts: { title: 3, description: 1, categories: 2, tags: 2 },
  maxHistory: 50,
  neighbours: 100,
};

export class ContentBased implements Recommender {
  readonly name = 'content';
  readonly options: ContentOptions;
  private nItems = 0;
  private vocab: string[] = [];
  private termId = new Map<string, number>();
  /** Item → terms CSR with BM25 weights. */
  private dPtr: Int32Array = new Int32Array(1);
  private dTerm: Int32Array = new Int32Array(0);
  private dW: Float32Array = new Float32Array(0);
  /** Term → items CSR (postings) with the same weights. */
  private tPtr: Int32Array = new Int32Array(1);
  private tDoc: Int32Array = new Int32Array(0);
  private tW: Float32Array = new Float32Array(0);
  /** L2 norm of each item's weight vector (0: no text). */
  private norm: Float32Array = new Float32Array(0);
  /** Item count the texts cover. */
  private nDocs = 0;

  constructor(options: Partial<ContentOptions> = {}) {
    this.options = { ...CONTENT_DEFAULTS, ...options, boosts: { ...CONTENT_DEFAULTS.boosts, ...options.boosts } };
  }

  /** Indexes one text per item index (docs[i] describes item i; missing titles are allowed). */
  fitText(docs: ReadonlyArray<ItemText | null | undefined>): void {
    this.nearest.clear();
    const { k1, b, boosts } = this.options;
    const n = docs.length;
    this.vocab = [];
    this.termId = new Map();
    const perDoc: Array<Map<number, number>> = [];
    const lens = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const d = docs[i];
      const tf = new Map<number, number>();
      if (d) {
        const lang = d.language ?? detectLanguage(`${d.title ?? ''} ${d.description ?? ''}`);
        const add = (text: string | undefined, boost: number) => {
          if (!text || boost <= 0) return;
          for (const t of analyze(text, lang)) {
            let id = this.termId.get(t);
            if (id === undefined) {
              id = this.vocab.length;
              this.termId.set(t, id);
              this.vocab.push(t);
            }
            tf.set(id, (tf.get(id) ?? 0) + boost);
            lens[i] += boost;
          }
        };
        add(d.title, boosts.title);
        add(d.description, boosts.description);
        for (const c of d.categories ?? []) add(c, boosts.categories);
        for (const t of d.tags ?? []) add(t, boosts.tags);
      }
      perDoc.push(tf);
    }
    const V = this.vocab.length;
    const df = new Int32Array(V);
    let withText = 0;
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (perDoc[i].size) {
        withText++;
        total += lens[i];
      }
      for (const t of perDoc[i].keys()) df[t]++;
    }
    const avg = withText ? total / withText : 1;
    const idf = Float64Array.from(df, (f) => Math.log(1 + (withText - f + 0.5) / (f + 0.5)));
    let nnz = 0;
    for (const m of perDoc) nnz += m.size;
    this.dPtr = new Int32Array(n + 1);
    this.dTerm = new Int32Array(nnz);
    this.dW = new Float32Array(nnz);
    this.norm = new Float32Array(n);
    let p = 0;
    for (let i = 0; i < n; i++) {
      const entries = [...perDoc[i].entries()].sort((x, y) => x[0] - y[0]);
      let s = 0;
      for (const [t, f] of entries) {
        const w = (idf[t] * f * (k1 + 1)) / (f + k1 * (1 - b + (b * lens[i]) / avg));
        this.dTerm[p] = t;
        this.dW[p++] = w;
        s += w * w;
      }
      this.dPtr[i + 1] = p;
      this.norm[i] = Math.sqrt(s);
    }
    // Postings.
    this.tPtr = new Int32Array(V + 1);
    for (let q = 0; q < nnz; q++) this.tPtr[this.dTerm[q] + 1]++;
    for (let t = 0; t < V; t++) this.tPtr[t + 1] += this.tPtr[t];
    const fill = this.tPtr.slice(0, V);
    this.tDoc = new Int32Array(nnz);
    this.tW = new Float32Array(nnz);
    for (let i = 0; i < n; i++) {
      for (let q = this.dPtr[i]; q < this.dPtr[i + 1]; q++) {
        const at = fill[this.dTerm[q]]++;
        this.tDoc[at] = i;
        this.tW[at] = this.dW[q];
      }
    }
    this.nDocs = n;
    this.nItems = Math.max(this.nItems, n);
  }

  /** Learns only the catalog size: interactions carry no text. */
  fit(data: Interactions, _opts?: FitOptions): void {
    this.nItems = Math.max(data.nItems, this.nDocs);
  }

  /**
   * BM25 ranking of every item for a free-text query (0: no match; NaN: the item has no text).
   * Without a language, each word is tried with both the English and the Spanish stem.
   */
  query(text: string, language?: Lang): ScoreResult {
    const scores = new Float32Array(this.nItems);
    for (let i = 0; i < this.nItems; i++) if (!(i < this.nDocs && this.norm[i] > 0)) scores[i] = NaN;
    const counts = new Map<number, number>();
    const tokens = language ? analyze(text, language).map((t) => [t]) : queryTerms(text);
    for (const alts of tokens) {
      for (const t of alts) {
        const id = this.termId.get(t);
        if (id !== undefined) counts.set(id, (counts.get(id) ?? 0) + 1);
      }
    }
    for (const [t, c] of counts) {
      for (let p = this.tPtr[t]; p < this.tPtr[t + 1]; p++) scores[this.tDoc[p]] += c * this.tW[p];
    }
    return { scores };
  }

  /** The analysed terms of a text, as the index sees them (for explanations: "matches: …"). */
  terms(text: string, language?: Lang): string[] {
    const tokens = language ? analyze(text, language).map((t) => [t]) : queryTerms(text);
    return [...new Set(tokens.flat().filter((t) => this.termId.has(t)))];
  }

  score(history: readonly HistoryEntry[], now: number): ScoreResult {
    const n = this.nItems;
    const h = foldHistory(history, n, now);
    // The most recent distinct items with text and positive weight.
    const order = Array.from(h.items.keys())
      .filter((t) => h.weights[t] > 0 && h.items[t] < this.nDocs && this.norm[h.items[t]] > 0)
      .sort((x, y) => history[h.source[y]].time - history[h.source[x]].time)
      .slice(0, this.options.maxHistory);
    const because = new Int32Array(n).fill(-1);
    if (order.length === 0) return { scores: noOpinion(n), because };
    // Each history item's nearest texts, computed once per item and kept: a request then costs
    // history × neighbours instead of walking every posting list of every history item.
    const acc = new Float64Array(n);
    const best = new Float64Array(n);
    let totalW = 0;
    for (const t of order) totalW += h.weights[t];
    for (const t of order) {
      const wi = h.weights[t] / totalW;
      const nb = this.neighbours(h.items[t]);
      for (let k = 0; k < nb.items.length; k++) {
        const j = nb.items[k];
        const c = wi * nb.scores[k];
        acc[j] += c;
        if (c > best[j]) {
          best[j] = c;
          because[j] = h.source[t];
        }
      }
    }
    const scores = new Float32Array(n);
    for (let j = 0; j < n; j++) scores[j] = j < this.nDocs && this.norm[j] > 0 ? acc[j] : NaN;
    return { scores, because };
  }

  private readonly nearest = new Map<number, { items: Int32Array; scores: Float32Array }>();

  /** The item's closest texts by cosine (itself excluded), memoised. */
  private neighbours(item: number): { items: Int32Array; scores: Float32Array } {
    let nb = this.nearest.get(item);
    if (!nb) {
      nb = this.similar(item, this.options.neighbours);
      this.nearest.set(item, nb);
    }
    return nb;
  }

  similar(item: number, n: number): { items: Int32Array; scores: Float32Array } {
    if (!(item >= 0 && item < this.nDocs && this.norm[item] > 0)) return { items: new Int32Array(0), scores: new Float32Array(0) };
    const acc = new Float64Array(this.nDocs);
    for (let q = this.dPtr[item]; q < this.dPtr[item + 1]; q++) {
      const term = this.dTerm[q];
      for (let p = this.tPtr[term]; p < this.tPtr[term + 1]; p++) acc[this.tDoc[p]] += this.dW[q] * this.tW[p];
    }
    const ni = this.norm[item];
    return bestOf(n, this.nDocs, (j) => (acc[j] > 0 ? acc[j] / (ni * this.norm[j]) : -Infinity), item);
  }

  save(): Uint8Array {
    return pack(
      { model: 'content', version: 1, options: this.options, nItems: this.nItems, nDocs: this.nDocs, vocab: this.vocab },
      { dPtr: this.dPtr, dTerm: this.dTerm, dW: this.dW, tPtr: this.tPtr, tDoc: this.tDoc, tW: this.tW, norm: this.norm },
    );
  }

  static load(bytes: Uint8Array): ContentBased {
    const { header, arrays } = unpackModel(bytes, 'content', 1);
    const m = new ContentBased({ ...CONTENT_DEFAULTS, ...(header.options as Partial<ContentOptions>) });
    m.nItems = header.nItems as number;
    m.nDocs = header.nDocs as number;
    m.vocab = header.vocab as string[];
    m.termId = new Map(m.vocab.map((t, i) => [t, i]));
    m.dPtr = arrays.dPtr as Int32Array;
    m.dTerm = arrays.dTerm as Int32Array;
    m.dW = arrays.dW as Float32Array;
    m.tPtr = arrays.tPtr as Int32Array;
    m.tDoc = arrays.tDoc as Int32Array;
    m.tW = arrays.tW as Float32Array;
    m.norm = arrays.norm as Float32Array;
    return m;
  }
}
