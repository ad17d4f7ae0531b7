import { describe, expect, it } from 'vitest';
import { makeShop, shopEvents } from '../../bench/scale-shop.ts';

/** Issue 13, item 5: the cost curve's synthetic shop has the shape it claims, and a seed fixes it. */
const NOW = 1_800_000_000_000;

function events(items: number, users: number, seed: number) {
  return [...shopEvents(makeShop(items, seed), users, 10, NOW)];
}

describe('the scale bench shop', () => {
  it('is the same shop and the same events for the same seed, and another for another seed', () => {
    const a = events(300, 100, 7);
    const b = events(300, 100, 7);
    const c = events(300, 100, 8);
    expect(b).toEqual(a);
    expect(makeShop(300, 7).items).toEqual(makeShop(300, 7).items);
    const key = (e: (typeof a)[number]) => `${e.userId}/${e.itemId}/${e.type}`;
    expect(c.map(key)).not.toEqual(a.map(key));
  });

  it('draws items by a power law: count by popularity rank falls as 1/rank', () => {
    const es = events(1000, 3000, 1);
    const counts = new Map<string, number>();
    for (const e of es) counts.set(e.itemId!, (counts.get(e.itemId!) ?? 0) + 1);
    // Item i is the (i+1)-th most popular by construction: the least-squares slope of
    // log(count) on log(rank) over the first 100 ranks is -1 for Zipf, 0 for uniform draws.
    const xs: number[] = [];
    const ys: number[] = [];
    for (let i = 0; i < 100; i++) {
      xs.push(Math.log(i + 1));
      ys.push(Math.log(counts.get(`sku-${i}`) ?? 0.5));
    }
    const mx = xs.reduce((s, x) => s + x, 0) / xs.length;
    const my = ys.reduce((s, y) => s + y, 0) / ys.length;
    const slope = xs.reduce((s, x, k) => s + (x - mx) * (ys[k] - my), 0) / xs.reduce((s, x) => s + (x - mx) ** 2, 0);
    expect(slope).toBeGreaterThan(-1.2);
    expect(slope).toBeLessThan(-0.8);
    // The head carries the traffic: the top 1 % of items take about H(10)/H(1000) ≈ 39 % of events.
    const head = [...Array(10).keys()].reduce((s, i) => s + (counts.get(`sku-${i}`) ?? 0), 0);
    expect(head / es.length).toBeGreaterThan(0.3);
    expect(head / es.length).toBeLessThan(0.48);
  });

  it('gives users about 10 events on average, mostly views, in time order per user', () => {
    const es = events(200, 3000, 3);
    expect(es.length / 3000).toBeGreaterThan(9.3);
    expect(es.length / 3000).toBeLessThan(10.7);
    const share = (t: string) => es.filter((e) => e.type === t).length / es.length;
    expect(share('view')).toBeCloseTo(0.8, 1);
    expect(share('purchase')).toBeCloseTo(0.08, 1);
    expect(new Set(es.map((e) => e.messageId)).size).toBe(es.length);
    const backwards = es.filter((e, k) => k > 0 && e.userId === es[k - 1].userId && e.timestamp < es[k - 1].timestamp);
    expect(backwards).toEqual([]);
    expect(es.filter((e) => e.timestamp > NOW)).toEqual([]);
  });

  it('prices items by category: log-normal around a price level per category', () => {
    const { items } = makeShop(4000, 2);
    const byCat = new Map<string, number[]>();
    for (const it of items) {
      expect(it.price).toBeGreaterThan(0);
      const c = it.categories![0];
      byCat.set(c, [...(byCat.get(c) ?? []), Math.log(it.price!)]);
    }
    expect(byCat.size).toBeGreaterThan(20);
    // Within a category the log-price spreads by about 0.5 (the draw's sigma).
    const big = [...byCat.values()].filter((v) => v.length > 100);
    for (const v of big) {
      const m = v.reduce((s, x) => s + x, 0) / v.length;
      const sd = Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / v.length);
      expect(sd).toBeGreaterThan(0.4);
      expect(sd).toBeLessThan(0.6);
    }
  });
});
