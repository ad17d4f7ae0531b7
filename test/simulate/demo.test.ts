import { describe, expect, it } from 'vitest';
import { demoShopperSummary, demoStats, generateDemo, tasteOf } from '../../src/simulate/index.ts';

const now = Date.UTC(2025, 0, 15);

describe('generateDemo', () => {
  const demo = generateDemo({ seed: 'demo', now });

  it('returns catalog, shoppers, events and aliases with the defaults', () => {
    const stats = demoStats(demo);
    expect(stats.items).toBe(300);
    expect(stats.shoppers).toBe(200);
    expect(stats.events).toBeGreaterThan(5000);
    expect(stats.purchases).toBeGreaterThan(300);
    expect(stats.aliases).toBe(demo.aliases.length);
  });

  it('is identical for the same seed and different for another', () => {
    const again = generateDemo({ seed: 'demo', now });
    expect(JSON.stringify(again)).toBe(JSON.stringify(demo));
    const other = generateDemo({ seed: 'other', now });
    expect(other.catalog).not.toEqual(demo.catalog);
    expect(other.shoppers).not.toEqual(demo.shoppers);
    expect(other.events).not.toEqual(demo.events);
  });

  it('honours the size options', () => {
    const small = generateDemo({ seed: 1, now, items: 40, shoppers: 10, weeks: 2 });
    expect(small.catalog).toHaveLength(40);
    expect(small.shoppers).toHaveLength(10);
    for (const e of small.events) expect(e.timestamp as number).toBeGreaterThanOrEqual(now - 2 * 7 * 86_400_000);
    for (const s of small.shoppers) if (s.taste.churnAfterWeeks !== null) expect(s.taste.churnAfterWeeks).toBe(1);
  });

  it('describes each shopper’s hidden taste in plain words', () => {
    const s = demo.shoppers[0];
    const text = tasteOf(s);
    expect(text).toMatch(/^Loves /);
    expect(text).toContain(`${s.taste.budget} €`);
    for (const b of s.taste.brands) expect(text).toContain(b);
    expect(text).toMatch(/Reads (English|Spanish)\./);
    for (const shopper of demo.shoppers) expect(tasteOf(shopper).length).toBeGreaterThan(60);
  });

  it('summarises a shopper in the shape of GET /v1/demo/shoppers', () => {
    const s = demo.shoppers[3];
    expect(demoShopperSummary(s)).toEqual({
      id: s.id,
      name: s.traits.name,
      language: s.traits.language,
      taste: tasteOf(s),
      favouriteCategories: s.taste.categories.map((c) => c.value),
      budget: s.taste.budget,
    });
  });
});
