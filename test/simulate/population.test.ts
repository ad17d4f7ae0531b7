import { describe, expect, it } from 'vitest';
import { generateCatalog, productType } from '../../src/simulate/catalog.ts';
import { createPopulation, driftTaste, fits } from '../../src/simulate/population.ts';
import { createRandom } from '../../src/simulate/random.ts';

const catalog = generateCatalog({ seed: 9, size: 300 });
const sold = new Set(catalog.map((i) => i.attributes.productType));

describe('createPopulation', () => {
  it('is the same for the same seed, with separate state per copy', () => {
    const a = createPopulation({ seed: 9, count: 50, catalog });
    const b = createPopulation({ seed: 9, count: 50, catalog });
    expect(b.map((s) => s.traits)).toEqual(a.map((s) => s.traits));
    a[0].shopper.taste.priceLevel = 0.99;
    a[0].bought.add('x');
    expect(b[0].shopper.taste.priceLevel).not.toBe(0.99);
    expect(b[0].bought.size).toBe(0);
    expect(createPopulation({ seed: 10, count: 50, catalog }).map((s) => s.traits)).not.toEqual(a.map((s) => s.traits));
  });

  it('declares traits a segment can use: the stated interest is often, not always, the real top category; the city follows the language', () => {
    const people = createPopulation({ seed: 9, count: 400, catalog });
    const honest = people.filter((s) => s.traits.interest === s.shopper.taste.categories[0].value).length / people.length;
    expect(honest).toBeGreaterThan(0.5);
    expect(honest).toBeLessThan(0.8);
    const spanishCities = new Set(['Madrid', 'Barcelona', 'Valencia', 'Sevilla', 'Bilbao', 'Zaragoza']);
    for (const s of people) expect(spanishCities.has(s.traits.location)).toBe(s.traits.language === 'es');
  });
});

describe('fits', () => {
  it('is a favourite product type within its budget, not already bought', () => {
    const [s] = createPopulation({ seed: 9, count: 1, catalog });
    const type = s.shopper.taste.productTypes[0].value;
    const cheap = catalog.filter((i) => i.attributes.productType === type && i.price <= s.shopper.taste.budgets[type]);
    const dear = catalog.filter((i) => i.attributes.productType === type && i.price > s.shopper.taste.budgets[type]);
    const other = catalog.filter((i) => !s.shopper.taste.productTypes.some((p) => p.value === i.attributes.productType));
    expect(cheap.length).toBeGreaterThan(0);
    expect(cheap.every((i) => fits(s, i))).toBe(true);
    expect(dear.some((i) => fits(s, i))).toBe(false);
    expect(other.some((i) => fits(s, i))).toBe(false);
    s.bought.add(cheap[0].id);
    expect(fits(s, cheap[0])).toBe(false);
  });
});

describe('driftTaste', () => {
  it('replaces favourite types now and then, keeping categories, budgets and weights consistent', () => {
    const people = createPopulation({ seed: 9, count: 100, catalog });
    const before = people.map((s) => s.shopper.taste.productTypes.map((p) => p.value).join());
    for (let day = 0; day < 60; day++) for (const s of people) driftTaste(s, createRandom(9, `drift:${s.id}:${day}`), sold);
    const changed = people.filter((s, k) => s.shopper.taste.productTypes.map((p) => p.value).join() !== before[k]).length;
    // A change about every 21 days: after 60 days most shoppers' favourites moved (1 − e^(−60/21) ≈ 94 %).
    expect(changed).toBeGreaterThan(80);
    people.forEach((s, k) => {
      const t = s.shopper.taste;
      expect(Object.keys(t.budgets).sort()).toEqual(t.productTypes.map((p) => p.value).sort());
      expect(new Set(t.categories.map((c) => c.value))).toEqual(new Set(t.productTypes.map((p) => productType(p.value).category)));
      expect(t.budget).toBe(t.budgets[t.productTypes[0].value]);
      // A category's weight is its types' (recomputed at a change; the generator's are rounded separately).
      if (t.productTypes.map((p) => p.value).join() === before[k]) return;
      for (const c of t.categories) {
        const own = t.productTypes.filter((p) => productType(p.value).category === c.value).reduce((a, p) => a + p.weight, 0);
        expect(c.weight).toBeCloseTo(own, 9);
      }
    });
  });
});
