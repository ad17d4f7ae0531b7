import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/catalog.ts';
import type { StoredItem } from '../../../src/domain/schemas.ts';
import { personPriceBand, pricePenalty, pricePositions, readingLanguage, shapeByLanguage, shapeByPrice } from '../../../src/recommend/pipeline/shape.ts';
import { emptyProfile } from '../../../src/profile/profile.ts';

const item = (id: string, price: number | undefined, category: string, language?: 'en' | 'es'): StoredItem => ({
  id,
  title: id,
  price,
  categories: [category],
  language,
  available: true,
  updatedAt: 0,
});

// Shoes from 20 to 200, sofas from 200 to 2,000: the same euros mean different things per category.
const shoes = Array.from({ length: 10 }, (_, k) => item(`shoe${k}`, 20 * (k + 1), 'Shoes'));
const sofas = Array.from({ length: 10 }, (_, k) => item(`sofa${k}`, 200 * (k + 1), 'Sofas'));
const catalog = new Catalog([...shoes, ...sofas, item('odd', 5, 'Tiny'), item('free', undefined, 'Shoes')]);
const hist = (ids: string[], weight = 1) => ids.map((itemId) => ({ itemId, entry: { weight }, event: {} }));

describe('price positions', () => {
  it('ranks each price within its own category, cheapest 0 and dearest 1; small categories rank in the whole catalogue', () => {
    const pos = pricePositions(catalog);
    expect(pos[catalog.index.get('shoe0')!]).toBe(0);
    expect(pos[catalog.index.get('shoe9')!]).toBe(1);
    expect(pos[catalog.index.get('sofa0')!]).toBe(0); // the cheapest sofa is dear in euros, cheap for a sofa
    expect(pos[catalog.index.get('odd')!]).toBe(0); // a category of one: the catalogue's cheapest
    expect(Number.isNaN(pos[catalog.index.get('free')!])).toBe(true);
  });
});

describe('price band', () => {
  const pos = pricePositions(catalog);

  it('needs enough priced engagements', () => {
    expect(personPriceBand(hist(['shoe1']), catalog, pos)).toBeNull();
    expect(personPriceBand(hist(['shoe1', 'shoe2', 'shoe1']), catalog, pos)).not.toBeNull();
  });

  it("carries a budget shopper's level from shoes to sofas: dear sofas sink, more the dearer, cheap ones do not", () => {
    const band = personPriceBand(hist(['shoe0', 'shoe1', 'shoe2', 'shoe1']), catalog, pos)!;
    expect(band.level).toBeLessThan(0.2);
    const scores = new Float64Array(catalog.size).fill(1);
    expect(shapeByPrice(scores, pos, band)).toBeGreaterThan(0);
    const s = (id: string) => scores[catalog.index.get(id)!];
    expect(s('sofa0')).toBe(1);
    expect(s('sofa9')).toBeLessThan(s('sofa5'));
    expect(s('sofa5')).toBeLessThan(1);
    expect(s('free')).toBe(1); // no price: no opinion
  });

  it('is soft: the penalty grows with the distance from the band and is zero inside it', () => {
    const band = { level: 0.5, low: 0.1, high: 0.7 };
    expect(pricePenalty(0.6, band)).toBe(0);
    expect(pricePenalty(0.8, band)).toBeGreaterThan(0);
    expect(pricePenalty(1, band)).toBeGreaterThan(pricePenalty(0.8, band));
    expect(pricePenalty(0, band)).toBeGreaterThan(0);
    expect(pricePenalty(0, band)).toBeLessThan(pricePenalty(0.8 + 0.1, band) * 2);
  });
});

describe('reading language', () => {
  const bilingual = new Catalog([item('en1', 10, 'Books', 'en'), item('es1', 10, 'Books', 'es'), item('x', 10, 'Books')]);

  it("prefers the person's trait, then the language of what they engaged with", () => {
    const p = emptyProfile(0);
    p.languages = { es: 3, en: 1 };
    expect(readingLanguage('en', p)).toBe('en');
    expect(readingLanguage(undefined, p)).toBe('es');
    expect(readingLanguage(undefined, null)).toBeNull();
  });

  it("lowers items in another language when the catalogue has the person's; a one-language shop is left alone", () => {
    const scores = new Float64Array([1, 1, 1]);
    expect(shapeByLanguage(scores, bilingual, 'en')).toBe(1);
    expect(scores[0]).toBe(1);
    expect(scores[1]).toBeLessThan(1);
    expect(scores[2]).toBe(1); // no language given: no penalty
    const englishOnly = new Catalog([item('en1', 10, 'Books', 'en'), item('en2', 10, 'Books', 'en')]);
    const s2 = new Float64Array([1, 1]);
    expect(shapeByLanguage(s2, englishOnly, 'es')).toBe(0);
    expect(Array.from(s2)).toEqual([1, 1]);
  });
});
