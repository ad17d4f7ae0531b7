import { pack, unpackModel } from './pack.ts';
import { topK } from './top-k.ts';
import type { FitOptions, HistoryEntry, Interactions, Recommender, ScoreResult } from './types.ts';

export interface TrendingConfig {
  /** Half-life of an interaction's weight, in days. */
  halfLifeDays: number;
  /** The moment "now" for decay; defaults to the newest interaction. */
  now?: number;
}

/** Time-decayed popularity: what many people engage with lately. */
export class Trending implements Recommender {
  readonly name = 'trending';
  private heat: Float32Array = new Float32Array(0);
  private reference = 0;

  constructor(readonly config: TrendingConfig = { halfLifeDays: 7 }) {}

  fit(data: Interactions, _opts?: FitOptions): void {
    let ref = this.config.now ?? 0;
    if (this.config.now === undefined) for (let k = 0; k < data.times.length; k++) if (data.times[k] > ref) ref = data.times[k];
    this.reference = ref;
    const lambda = Math.LN2 / (this.config.halfLifeDays * 86_400_000);
    const heat = new Float64Array(data.nItems);
    for (let k = 0; k < data.items.length; k++) {
      const w = data.weights[k];
      if (w <= 0) continue;
      const age = Math.max(0, ref - data.times[k]);
      heat[data.items[k]] += Math.min(w, 5) * Math.exp(-lambda * age);
    }
    this.heat = Float32Array.from(heat);
  }

  score(_history: readonly HistoryEntry[], _now: number): ScoreResult {
    // Decaying every item by the same factor to `now` would not change the order: return as fitted.
    return { scores: Float32Array.from(this.heat) };
  }

  similar(item: number, n: number) {
    const items = topK(this.heat, n, (i) => i !== item && this.heat[i] > 0);
    return { items, scores: Float32Array.from(items, (i) => this.heat[i]) };
  }

  save(): Uint8Array {
    return pack({ model: this.name, version: 1, config: this.config, reference: this.reference }, { heat: this.heat });
  }

  static load(bytes: Uint8Array): Trending {
    const { header, arrays } = unpackModel(bytes, 'trending', 1);
    const m = new Trending(header.config as TrendingConfig);
    m.heat = arrays.heat as Float32Array;
    m.reference = header.reference as number;
    return m;
  }
}
