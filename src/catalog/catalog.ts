import type { StoredItem } from '../domain/schemas.ts';

/**
 * An in-memory, read-only snapshot of one workspace's items, indexed for the hot paths (filters and
 * explanations). Rebuilt whenever the items change; never written to.
 */
export class Catalog {
  readonly items: readonly StoredItem[];
  readonly index = new Map<string, number>();
  readonly available: Uint8Array;
  readonly price: Float64Array;
  /** Lower-cased category name -> item indices. */
  readonly byCategory = new Map<string, number[]>();
  /** The 1/3 and 2/3 price quantiles, or null when fewer than 3 items have a price. */
  readonly terciles: readonly [number, number] | null;

  constructor(
    items: readonly StoredItem[],
    readonly version = 0,
  ) {
    this.items = items;
    this.available = new Uint8Array(items.length);
    this.price = new Float64Array(items.length).fill(Number.NaN);
    items.forEach((it, i) => {
      this.index.set(it.id, i);
      this.available[i] = it.available ? 1 : 0;
      if (it.price !== undefined) this.price[i] = it.price;
      for (const c of it.categories ?? []) {
        const key = c.toLowerCase();
        let list = this.byCategory.get(key);
        if (!list) this.byCategory.set(key, (list = []));
        list.push(i);
      }
    });
    const prices = items
      .map((it) => it.price)
      .filter((p): p is number => p !== undefined)
      .sort((a, b) => a - b);
    this.terciles = prices.length >= 3 ? [prices[Math.floor(prices.length / 3)], prices[Math.floor((2 * prices.length) / 3)]] : null;
  }

  get size(): number {
    return this.items.length;
  }

  get(id: string): StoredItem | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.items[i];
  }

  inCategory(i: number, category: string): boolean {
    const want = category.toLowerCase();
    return (this.items[i].categories ?? []).some((c) => c.toLowerCase() === want);
  }
}
