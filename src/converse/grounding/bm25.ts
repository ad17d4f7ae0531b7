/**
 * BM25F-style retrieval over an item's fields with per-field weights (title, category, tags,
 * description): the weighted term frequencies are summed before saturation. Terms are stemmed with
 * both analysers, so a word matches in either language's spelling of its stem.
 */
import { LRUCache } from 'lru-cache';
import { STOPWORDS, stem, tokenize } from '../../text/text.ts';

/** An item's fields as analysed terms (see `terms`). */
export type Fields = Record<string, readonly string[]>;

const K1 = 1.2;
const B = 0.75;

/**
 * Stems of the words seen most recently: far more than the distinct words of several large
 * catalogues (IKEA's 2 962 items use about 2 500), and a word dropped costs only two stemmer runs.
 */
const STEMS = new LRUCache<string, readonly string[]>({ max: 200_000 });

/** A word's stems under both analysers (memoised: catalogues repeat their words). */
export function stems(w: string): readonly string[] {
  let s = STEMS.get(w);
  if (!s) {
    const a = stem(w, 'en');
    const b = stem(w, 'es');
    s = a === b ? [a] : [a, b];
    STEMS.set(w, s);
  }
  return s;
}

export function terms(text: string): string[] {
  const out: string[] = [];
  for (const w of tokenize(text)) {
    if (STOPWORDS.en.has(w) || STOPWORDS.es.has(w) || /^\d+$/.test(w)) continue;
    out.push(...stems(w));
  }
  return out;
}

export class Bm25 {
  /** Per term, the documents holding it and the term's weighted frequency in each (parallel arrays: no pair objects). */
  private readonly docsOf = new Map<string, number[]>();
  private readonly tfsOf = new Map<string, number[]>();
  private readonly lengths: Float64Array;
  private readonly avg: number;
  readonly ids: string[];

  constructor(docs: ReadonlyArray<{ id: string; fields: Fields }>, weights: Record<string, number>) {
    this.ids = docs.map((d) => d.id);
    this.lengths = new Float64Array(docs.length);
    let total = 0;
    const tf = new Map<string, number>();
    for (let i = 0; i < docs.length; i++) {
      tf.clear();
      let len = 0;
      const fields = docs[i].fields;
      for (const field in fields) {
        const w = weights[field] ?? 1;
        for (const t of fields[field]) {
          tf.set(t, (tf.get(t) ?? 0) + w);
          len += w;
        }
      }
      this.lengths[i] = len;
      total += len;
      for (const [t, f] of tf) {
        let d = this.docsOf.get(t);
        if (!d) {
          this.docsOf.set(t, (d = []));
          this.tfsOf.set(t, []);
        }
        d.push(i);
        this.tfsOf.get(t)!.push(f);
      }
    }
    this.avg = docs.length ? total / docs.length : 1;
  }

  /** Scores by item id for the query's terms (only items with at least one term). */
  score(query: readonly string[]): Map<string, number> {
    const n = this.ids.length;
    const acc = new Map<number, number>();
    for (const t of new Set(query)) {
      const docs = this.docsOf.get(t);
      if (!docs) continue;
      const tfs = this.tfsOf.get(t)!;
      const idf = Math.log(1 + (n - docs.length + 0.5) / (docs.length + 0.5));
      for (let k = 0; k < docs.length; k++) {
        const d = docs[k];
        const f = tfs[k];
        acc.set(d, (acc.get(d) ?? 0) + (idf * f * (K1 + 1)) / (f + K1 * (1 - B + (B * this.lengths[d]) / this.avg)));
      }
    }
    const out = new Map<string, number>();
    for (const [d, s] of acc) out.set(this.ids[d], s);
    return out;
  }
}
