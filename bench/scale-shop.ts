/**
 * The synthetic shop `bench/scale.ts` grows: items in 40 categories with log-normal prices per
 * category and power-law popularity (Zipf, exponent 1: the item ranked r is drawn with weight
 * 1/(r+1)); users with a geometric number of events (mean `perUser`) in sessions of one to seven,
 * each session browsing one category (one of two favourites 70 % of the time) — views, some
 * add-to-carts, fewer purchases. Seeded: the same seed gives the same shop and the same events.
 */
import type { StoredEvent, StoredItem } from '../src/domain/schemas.ts';
// The PRNG straight from src (bench/lib.ts's `rng` wraps it) so a test can import this file without lib's process hooks.
import { mulberry32 } from '../src/stats/random.ts';

export const SHOP_CATEGORIES = 40;

export interface Shop {
  items: StoredItem[];
  /** An item index in category `c`, drawn by popularity. */
  pickIn(c: number): number;
  /** A category, drawn by the popularity of its items. */
  pickCategory(): number;
  rand: () => number;
}

/** Index of the first cumulative weight ≥ x (binary search over a non-decreasing array). */
function firstAtLeast(cum: Float64Array, x: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cum[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function makeShop(nItems: number, seed: number): Shop {
  const rand = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(rand() || 1e-12)) * Math.cos(2 * Math.PI * rand());
  const catPrice = Array.from({ length: SHOP_CATEGORIES }, () => Math.exp(2.5 + 1.2 * rand()));
  const items: StoredItem[] = [];
  const members: number[][] = Array.from({ length: SHOP_CATEGORIES }, () => []);
  const weight = new Float64Array(nItems);
  for (let i = 0; i < nItems; i++) {
    // Category sizes are skewed too: a few big categories, a long tail of small ones.
    const c = Math.min(SHOP_CATEGORIES - 1, Math.floor(SHOP_CATEGORIES * rand() ** 1.6));
    members[c].push(i);
    weight[i] = 1 / (i + 1);
    items.push({
      id: `sku-${i}`,
      title: `Product ${i} in category ${c}`,
      categories: [`cat-${c}`],
      tags: rand() < 0.2 ? ['sale'] : [],
      price: Math.round(catPrice[c] * Math.exp(0.5 * gauss()) * 100) / 100,
      currency: 'EUR',
      available: true,
      updatedAt: 1,
    } as StoredItem);
  }
  const cum = members.map((m) => {
    const c = new Float64Array(m.length);
    let s = 0;
    for (const [k, i] of m.entries()) c[k] = s += weight[i];
    return c;
  });
  const nonEmpty = members.map((m, c) => (m.length ? c : -1)).filter((c) => c >= 0);
  const catCum = new Float64Array(nonEmpty.length);
  let total = 0;
  for (const [k, c] of nonEmpty.entries()) catCum[k] = total += cum[c][cum[c].length - 1];
  return {
    items,
    rand,
    pickIn: (c) => members[c][firstAtLeast(cum[c], rand() * cum[c][cum[c].length - 1])],
    pickCategory: () => nonEmpty[firstAtLeast(catCum, rand() * total)],
  };
}

/** Every user's events, user after user (a generator: 10 million events never sit in memory at once). */
export function* shopEvents(shop: Shop, nUsers: number, perUser: number, now: number): Generator<StoredEvent> {
  const { rand, pickIn, pickCategory, items } = shop;
  const span = 90 * 86_400_000;
  let seq = 0;
  for (let u = 0; u < nUsers; u++) {
    const user = `u-${u}`;
    const favourites = [pickCategory(), pickCategory()];
    // Geometric number of events with mean `perUser`, in sessions of one to seven.
    let left = Math.max(1, Math.round(-Math.log(rand() || 1e-12) * perUser));
    let t = now - span * rand();
    while (left > 0) {
      const c = rand() < 0.7 ? favourites[rand() < 0.5 ? 0 : 1] : pickCategory();
      const len = Math.min(left, 1 + Math.floor(rand() * 7));
      for (let k = 0; k < len; k++) {
        const item = items[pickIn(c)];
        const r = rand();
        const type = r < 0.08 ? 'purchase' : r < 0.2 ? 'add_to_cart' : 'view';
        t = Math.min(now, t + 30_000 + rand() * 300_000);
        yield {
          messageId: `s-${seq++}`,
          type,
          subject: user,
          userId: user,
          anonymousId: null,
          itemId: item.id,
          value: type === 'purchase' ? (item.price ?? null) : null,
          query: null,
          channel: 'web',
          recommendationId: null,
          variant: null,
          timestamp: Math.floor(t),
          receivedAt: Math.floor(t),
          properties: null,
        };
      }
      left -= len;
      t += 86_400_000 * rand() * 5;
    }
  }
}
