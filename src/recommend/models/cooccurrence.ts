import { pack, unpackModel } from './pack.ts';
import { topKBy } from './top-k.ts';
import { NotEnoughDataError, type FitOptions, type HistoryEntry, type Interactions, type Recommender, type ScoreResult } from './types.ts';

export interface CooccurrenceConfig {
  /** Neighbours kept per item. */
  neighbours: number;
  /** Only each user's most recent this-many items count (bounds the quadratic pair count). */
  maxItemsPerUser: number;
}

/**
 * "People who viewed X also bought Y": an item-to-item table learned from which items the same
 * people engage with. The source side counts any positive interaction once; the target side counts
 * its strength, so a purchase of Y after viewing X weighs more than another view. Scores are
 * normalised like a cosine (by the square roots of both items' totals) to keep blockbusters from
 * dominating every row.
 */
export class Cooccurrence implements Recommender {
  readonly name = 'cooccurrence';
  /** CSR: neighbours of item i are nbr[ptr[i] .. ptr[i+1]). */
  private ptr: Int32Array = new Int32Array(1);
  private nbr: Int32Array = new Int32Array(0);
  private sim: Float32Array = new Float32Array(0);
  private nItems = 0;

  constructor(readonly config: CooccurrenceConfig = { neighbours: 50, maxItemsPerUser: 200 }) {}

  fit(data: Interactions, opts: FitOptions = {}): void {
    const { nUsers, nItems } = data;
    if (nItems === 0) throw new NotEnoughDataError('no items to learn from');
    this.nItems = nItems;
    // Strongest interaction per (user, item), then the user's most recent items.
    const strength = new Map<number, { w: number; t: number }>();
    for (let k = 0; k < data.users.length; k++) {
      const key = data.users[k] * nItems + data.items[k];
      const cur = strength.get(key);
      const w = data.weights[k];
      if (!cur) strength.set(key, { w, t: data.times[k] });
      else {
        cur.w = Math.max(cur.w, w);
        cur.t = Math.max(cur.t, data.times[k]);
      }
    }
    const perUser: Array<Array<{ item: number; w: number; t: number }>> = Array.from({ length: nUsers }, () => []);
    for (const [key, v] of strength) {
      if (v.w <= 0) continue;
      perUser[Math.floor(key / nItems)].push({ item: key % nItems, w: v.w, t: v.t });
    }
    const source = new Float64Array(nItems);
    const target = new Float64Array(nItems);
    const itemUsers: number[][] = Array.from({ length: nItems }, () => []);
    for (let u = 0; u < nUsers; u++) {
      let list = perUser[u];
      if (list.length > this.config.maxItemsPerUser) {
        list.sort((a, b) => b.t - a.t);
        list = perUser[u] = list.slice(0, this.config.maxItemsPerUser);
      }
      for (const e of list) {
        source[e.item] += 1;
        target[e.item] += e.w;
        itemUsers[e.item].push(u);
      }
    }
    const K = this.config.neighbours;
    const ptr = new Int32Array(nItems + 1);
    const nbrs: Int32Array[] = [];
    const sims: Float32Array[] = [];
    const acc = new Float64Array(nItems);
    const touched: number[] = [];
    for (let i = 0; i < nItems; i++) {
      for (const u of itemUsers[i]) {
        for (const e of perUser[u]) {
          if (e.item === i) continue;
          if (acc[e.item] === 0) touched.push(e.item);
          acc[e.item] += e.w;
        }
      }
      for (const j of touched) acc[j] = acc[j] / Math.sqrt(source[i] * target[j]);
      // Only the items this one co-occurs with are candidates: a scan of the whole catalogue per item
      // was items² (10 billion steps at 100,000 items). In index order, so ties still go to the lower index.
      touched.sort((a, b) => a - b);
      const best = Int32Array.from(topKBy(touched.length, K, (t) => (acc[touched[t]] > 0 ? acc[touched[t]] : -Infinity)).items, (t) => touched[t]);
      nbrs.push(best);
      sims.push(Float32Array.from(best, (j) => acc[j]));
      ptr[i + 1] = ptr[i] + best.length;
      for (const j of touched) acc[j] = 0;
      touched.length = 0;
      if (opts.onProgress && (i & 255) === 0) opts.onProgress(i / nItems);
    }
    this.ptr = ptr;
    this.nbr = new Int32Array(ptr[nItems]);
    this.sim = new Float32Array(ptr[nItems]);
    for (let i = 0; i < nItems; i++) {
      this.nbr.set(nbrs[i], ptr[i]);
      this.sim.set(sims[i], ptr[i]);
    }
    opts.onProgress?.(1);
  }

  score(history: readonly HistoryEntry[], _now: number): ScoreResult {
    const scores = new Float32Array(this.nItems);
    const best = new Float32Array(this.nItems);
    const because = new Int32Array(this.nItems).fill(-1);
    for (let h = 0; h < history.length; h++) {
      const { item, weight } = history[h];
      if (item < 0 || item >= this.nItems || weight === 0) continue;
      for (let p = this.ptr[item]; p < this.ptr[item + 1]; p++) {
        const j = this.nbr[p];
        const c = weight * this.sim[p];
        scores[j] += c;
        if (c > best[j]) {
          best[j] = c;
          because[j] = h;
        }
      }
    }
    return { scores, because };
  }

  similar(item: number, n: number) {
    if (item < 0 || item >= this.nItems) return { items: new Int32Array(0), scores: new Float32Array(0) };
    const a = this.ptr[item];
    const b = Math.min(this.ptr[item + 1], a + n);
    return { items: this.nbr.slice(a, b), scores: this.sim.slice(a, b) };
  }

  save(): Uint8Array {
    return pack({ model: this.name, version: 1, config: this.config, nItems: this.nItems }, { ptr: this.ptr, nbr: this.nbr, sim: this.sim });
  }

  static load(bytes: Uint8Array): Cooccurrence {
    const { header, arrays } = unpackModel(bytes, 'cooccurrence', 1);
    const m = new Cooccurrence(header.config as CooccurrenceConfig);
    m.nItems = header.nItems as number;
    m.ptr = arrays.ptr as Int32Array;
    m.nbr = arrays.nbr as Int32Array;
    m.sim = arrays.sim as Float32Array;
    return m;
  }
}
