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
    // Strongest interaction per (user, item), then the user's most recent items: in typed arrays, users
    // bucketed in event order (a Map of an object per pair took ~100 bytes each: a gigabyte at 10 million).
    const { users, items, weights, times } = data;
    const first = new Int32Array(nUsers + 1);
    for (let k = 0; k < users.length; k++) first[users[k] + 1]++;
    for (let u = 0; u < nUsers; u++) first[u + 1] += first[u];
    const fill = first.slice(0, nUsers);
    const byUser = new Int32Array(users.length);
    for (let k = 0; k < users.length; k++) byUser[fill[users[k]]++] = k;
    // Per user, its items in the order first seen, with the largest weight and the latest time.
    const start = new Int32Array(nUsers + 1);
    const item = new Int32Array(users.length);
    const w = new Float64Array(users.length);
    const t = new Float64Array(users.length);
    const slot = new Int32Array(nItems).fill(-1);
    let n = 0;
    const order: number[] = [];
    for (let u = 0; u < nUsers; u++) {
      const a = n;
      for (let p = first[u]; p < first[u + 1]; p++) {
        const k = byUser[p];
        const i = items[k];
        const s = slot[i];
        if (s < 0) {
          slot[i] = n;
          item[n] = i;
          w[n] = weights[k];
          t[n++] = times[k];
        } else {
          w[s] = Math.max(w[s], weights[k]);
          t[s] = Math.max(t[s], times[k]);
        }
      }
      for (let q = a; q < n; q++) slot[item[q]] = -1;
      // Positive ones only; past `maxItemsPerUser`, the most recent (a stable sort: ties keep first-seen order).
      order.length = 0;
      for (let q = a; q < n; q++) if (w[q] > 0) order.push(q);
      if (order.length > this.config.maxItemsPerUser) {
        order.sort((x, y) => t[y] - t[x]);
        order.length = this.config.maxItemsPerUser;
      }
      // Read out before writing back: after the sort, an entry may come from a place already written.
      const kept = order.map((q) => [item[q], w[q], t[q]] as const);
      for (const [q, [i, wq, tq]] of kept.entries()) {
        item[a + q] = i;
        w[a + q] = wq;
        t[a + q] = tq;
      }
      n = a + order.length;
      start[u + 1] = n;
    }
    const source = new Float64Array(nItems);
    const target = new Float64Array(nItems);
    // Item → its users, ascending.
    const itemStart = new Int32Array(nItems + 1);
    for (let q = 0; q < n; q++) itemStart[item[q] + 1]++;
    for (let i = 0; i < nItems; i++) itemStart[i + 1] += itemStart[i];
    const itemFill = itemStart.slice(0, nItems);
    const itemUsers = new Int32Array(n);
    for (let u = 0; u < nUsers; u++)
      for (let q = start[u]; q < start[u + 1]; q++) {
        source[item[q]] += 1;
        target[item[q]] += w[q];
        itemUsers[itemFill[item[q]]++] = u;
      }
    const K = this.config.neighbours;
    const ptr = new Int32Array(nItems + 1);
    const nbrs: Int32Array[] = [];
    const sims: Float32Array[] = [];
    const acc = new Float64Array(nItems);
    const touched: number[] = [];
    for (let i = 0; i < nItems; i++) {
      for (let p = itemStart[i]; p < itemStart[i + 1]; p++) {
        const u = itemUsers[p];
        for (let q = start[u]; q < start[u + 1]; q++) {
          const j = item[q];
          if (j === i) continue;
          if (acc[j] === 0) touched.push(j);
          acc[j] += w[q];
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
