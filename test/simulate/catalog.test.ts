import { describe, expect, it } from 'vitest';
import { Item } from '../../src/domain/schemas.ts';
import { generateCatalog, productType, shopPrice } from '../../src/simulate/catalog.ts';
import { CATEGORIES } from '../../src/simulate/vocabulary.ts';

describe('generateCatalog', () => {
  const catalog = generateCatalog({ seed: 42 });

  it('makes 300 items by default, ids p-0001…', () => {
    expect(catalog).toHaveLength(300);
    expect(catalog[0].id).toBe('p-0001');
    expect(catalog[299].id).toBe('p-0300');
    expect(new Set(catalog.map((i) => i.id)).size).toBe(300);
    expect(generateCatalog({ seed: 1, size: 12_000 }).at(-1)!.id).toBe('p-12000');
  });

  it('produces items valid against the Item schema', () => {
    for (const item of catalog) {
      const parsed = Item.safeParse(item);
      expect(parsed.success, `${item.id}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it('is deterministic per seed', () => {
    expect(generateCatalog({ seed: 42 })).toEqual(catalog);
    expect(generateCatalog({ seed: 'forty-two' })).toEqual(generateCatalog({ seed: 'forty-two' }));
    expect(generateCatalog({ seed: 43 })).not.toEqual(catalog);
  });

  it('covers every category and writes both languages', () => {
    expect(new Set(catalog.map((i) => i.categories[0]))).toEqual(new Set(CATEGORIES));
    const es = catalog.filter((i) => i.language === 'es');
    const en = catalog.filter((i) => i.language === 'en');
    expect(es.length).toBeGreaterThan(100);
    expect(en.length).toBeGreaterThan(100);
    // Spanish items read as Spanish, English ones as English.
    expect(es.filter((i) => /ideal para|Publicado por/.test(i.description)).length).toBe(es.length);
    expect(en.filter((i) => /ideal for|Published by/.test(i.description)).length).toBe(en.length);
    expect(catalog.some((i) => i.title.startsWith('Auriculares'))).toBe(true);
    expect(catalog.some((i) => i.title.includes('Headphones'))).toBe(true);
  });

  it('prices each item within its product type range, in EUR', () => {
    for (const item of catalog) {
      const [lo, hi] = productType(item.attributes.productType).price;
      expect(item.currency).toBe('EUR');
      expect(item.price).toBeGreaterThanOrEqual(lo * 0.85);
      expect(item.price).toBeLessThanOrEqual(hi * 1.1);
      expect(Math.round(item.price * 100) / 100).toBe(item.price);
    }
    expect(shopPrice(49.2)).toBe(49.99);
    expect(shopPrice(12.4)).toBe(11.99);
    expect(shopPrice(1234)).toBe(1249);
  });

  it('fills brand, use, product type and (except books) colour', () => {
    for (const item of catalog) {
      const a = item.attributes;
      expect(a.brand).toBeTruthy();
      expect(a.uses[0]).toBe(a.use);
      expect(item.categories[1]).toBe(a.productType);
      expect(productType(a.productType).category).toBe(item.categories[0]);
      if (item.categories[0] === 'books') expect(a.author).toBeTruthy();
      else expect(a.colour).toBeTruthy();
      expect(item.tags).toContain(a.productType);
    }
  });

  it('marks a few items unavailable', () => {
    const unavailable = catalog.filter((i) => !i.available).length;
    expect(unavailable).toBeGreaterThan(0);
    expect(unavailable).toBeLessThan(30);
  });

  it('handles an empty catalog and rejects a bad size', () => {
    expect(generateCatalog({ seed: 1, size: 0 })).toEqual([]);
    expect(() => generateCatalog({ seed: 1, size: -1 })).toThrow(RangeError);
  });
});
