import { describe, expect, it } from 'vitest';
import { UserBody } from '../../src/domain/schemas.ts';
import { generateCatalog, productType } from '../../src/simulate/catalog.ts';
import { generateShoppers } from '../../src/simulate/shoppers.ts';

describe('generateShoppers', () => {
  const catalog = generateCatalog({ seed: 42 });
  const shoppers = generateShoppers({ seed: 42, catalog });

  it('makes 200 shoppers by default, ids u-001…', () => {
    expect(shoppers).toHaveLength(200);
    expect(shoppers[0].id).toBe('u-001');
    expect(shoppers[199].id).toBe('u-200');
    expect(new Set(shoppers.map((s) => s.id)).size).toBe(200);
  });

  it('gives traits that are a valid PUT /v1/users/:id body', () => {
    for (const s of shoppers) {
      expect(UserBody.safeParse({ traits: s.traits }).success).toBe(true);
      expect(s.traits.language).toBe(s.taste.language);
    }
  });

  it('is deterministic per seed', () => {
    expect(generateShoppers({ seed: 42, catalog })).toEqual(shoppers);
    expect(generateShoppers({ seed: 7, catalog })).not.toEqual(shoppers);
  });

  it('has consistent hidden tastes', () => {
    const brands = new Set(catalog.map((i) => i.attributes.brand));
    for (const { taste } of shoppers) {
      const catSum = taste.categories.reduce((a, c) => a + c.weight, 0);
      const typeSum = taste.productTypes.reduce((a, c) => a + c.weight, 0);
      expect(catSum).toBeCloseTo(1, 2);
      expect(typeSum).toBeCloseTo(1, 2);
      const cats = taste.categories.map((c) => c.value);
      for (const t of taste.productTypes) expect(cats).toContain(productType(t.value).category);
      for (const b of taste.brands) expect(brands.has(b)).toBe(true);
      expect(taste.budget).toBeGreaterThan(0);
      expect(taste.budget).toBe(taste.budgets[taste.productTypes[0].value]);
      expect(Object.values(taste.channels).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
      expect(taste.uses.length).toBeGreaterThan(0);
      if (taste.churnAfterWeeks !== null) {
        expect(taste.churnAfterWeeks).toBeGreaterThanOrEqual(1);
        expect(taste.churnAfterWeeks).toBeLessThan(6);
      }
    }
  });

  it('mixes languages, activity levels and a few churners', () => {
    const langs = new Set(shoppers.map((s) => s.traits.language));
    expect(langs).toEqual(new Set(['en', 'es']));
    expect(new Set(shoppers.map((s) => s.taste.activity)).size).toBe(3);
    const churners = shoppers.filter((s) => s.taste.churnAfterWeeks !== null).length;
    expect(churners).toBeGreaterThan(5);
    expect(churners).toBeLessThan(50);
  });

  it('only draws from what a small catalog sells', () => {
    const small = generateCatalog({ seed: 3, size: 8 });
    const sold = new Set(small.map((i) => i.attributes.productType));
    for (const s of generateShoppers({ seed: 3, count: 30, catalog: small })) {
      for (const t of s.taste.productTypes) expect(sold.has(t.value)).toBe(true);
    }
    expect(() => generateShoppers({ seed: 1, count: 2, catalog: [] })).toThrow(RangeError);
  });
});
