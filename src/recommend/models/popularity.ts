import { pack, unpackModel } from './pack.ts';
import { topK } from './top-k.ts';
import type { FitOptions, HistoryEntry, Interactions, Recommender, ScoreResult } from './types.ts';

/**
 * Most popular items: how many distinct users interacted positively with each item. The floor every
 * personalised model must beat, and the fallback for people with no history.
 */
export class Popularity implements Recommender {
  readonly name: string = 'popularity';
  protected counts: Float32Array = new Float32Array(0);

  fit(data: Interactions, _opts?: FitOptions): void {
    this.counts = new Float32Array(data.nItems);
    const seen = new Set<number>();
    for (let k = 0; k < data.users.length; k++) {
      if (data.weights[k] <= 0) continue;
      const key = data.users[k] * data.nItems + data.items[k];
      if (seen.has(key)) continue;
      seen.add(key);
      this.counts[data.items[k]] += 1;
    }
  }

  score(_history: readonly HistoryEntry[], _now: number): ScoreResult {
    return { scores: Float32Array.from(this.counts) };
  }

  /** Popularity knows nothing about likeness: the most popular other items. */
  similar(item: number, n: number) {
    const items = topK(this.counts, n, (i) => i !== item && this.counts[i] > 0);
    return { items, scores: Float32Array.from(items, (i) => this.counts[i]) };
  }

  /** The raw per-item counts (read-only view). */
  get itemCounts(): Float32Array {
    return this.counts;
  }

  save(): Uint8Array {
    return pack({ model: this.name, version: 1 }, { counts: this.counts });
  }

  static load(bytes: Uint8Array): Popularity {
    const { arrays } = unpackModel(bytes, 'popularity', 1);
    const m = new Popularity();
    m.counts = arrays.counts as Float32Array;
    return m;
  }
}
