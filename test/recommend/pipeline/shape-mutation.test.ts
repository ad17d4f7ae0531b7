// Price positions, the price band and the language stage, value by value (the mutation run's fast
// tests for src/recommend/pipeline/shape.ts).
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/catalog.ts';
import type { StoredItem } from '../../../src/domain/schemas.ts';
import { emptyProfile } from '../../../src/profile/profile.ts';
import {
  LANGUAGE_PENALTY,
  PRICE_PENALTY,
  personPriceBand,
  pricePenalty,
  pricePositions,
  readingLanguage,
  shapeByLanguage,
  shapeByPrice,
} from '../../../src/recommend/pipeline/shape.ts';

const item = (id: string, price: number | undefined, categories?: string[], language?: 'en' | 'es'): StoredItem => ({
  id,
  title: id,
  price,
  categories,
  language,
  available: true,
  updatedAt: 0,
});

describe('pricePositions', () => {
  it('ranks the whole catalogue when categories are small, ties at their mid-rank, free items included', () => {
    const c = new Catalog([item('b', 20, ['A']), item('a', 0, ['B']), item('c', 20, ['A']), item('d', 30), item('none', undefined, ['A']), item('neg', -1)]);
    const pos = pricePositions(c);
    expect(Array.from(pos.subarray(0, 4))).toEqual([0.5, 0, 0.5, 1]);
    expect(Number.isNaN(pos[4])).toBe(true);
    expect(Number.isNaN(pos[5])).toBe(true);
    // The same snapshot is computed once.
    expect(pricePositions(c)).toBe(pos);
  });

  it('a lone priced item sits in the middle', () => {
    expect(Array.from(pricePositions(new Catalog([item('x', 5), item('y', undefined)])))).toEqual([0.5, Number.NaN]);
  });

  it('a category of five or more ranks within itself, by its last category, in any case', () => {
    // Five mugs from 1 to 5 and four plates from 100 to 400, all in "Kitchen > Tableware".
    const mugs = [1, 2, 3, 4, 5].map((p, k) => item(`m${k}`, p, ['Kitchen', 'Tableware', k % 2 ? 'Mugs' : 'mugs']));
    const plates = [100, 200, 300, 400].map((p, k) => item(`p${k}`, p, ['Kitchen', 'Tableware', 'Plates']));
    const pos = pricePositions(new Catalog([...mugs, ...plates]));
    expect(Array.from(pos.subarray(0, 5))).toEqual([0, 0.25, 0.5, 0.75, 1]);
    // Four plates are too few to rank alone: their places among all nine items.
    expect(Array.from(pos.subarray(5))).toEqual([5 / 8, 6 / 8, 7 / 8, 1]);
  });

  it('ranks ties at the end of the list together', () => {
    const pos = pricePositions(new Catalog([item('a', 1), item('b', 2), item('c', 3), item('d', 3), item('e', 3)]));
    expect(Array.from(pos)).toEqual([0, 0.25, 0.75, 0.75, 0.75]);
  });
});

describe('personPriceBand', () => {
  const c = new Catalog(['a', 'b', 'c', 'd', 'e'].map((id, k) => item(id, 10 * (k + 1))));
  const pos = pricePositions(c); // 0, 0.25, 0.5, 0.75, 1
  const h = (itemId: string, weight: number, event: unknown = {}) => ({ itemId, entry: { weight }, event });

  it('is the weighted mean position, 0.45 below and 0.2 above it', () => {
    const band = personPriceBand([h('b', 1), h('d', 3)], c, pos);
    expect(band?.level).toBeCloseTo(0.625, 12);
    expect(band?.low).toBeCloseTo(0.175, 12);
    expect(band?.high).toBeCloseTo(0.825, 12);
  });

  it('stays within 0 and 1', () => {
    expect(personPriceBand([h('a', 3)], c, pos)).toEqual({ level: 0, low: 0, high: 0.2 });
    const top = personPriceBand([h('e', 3)], c, pos);
    expect(top?.level).toBe(1);
    expect(top?.low).toBeCloseTo(0.55, 12);
    expect(top?.high).toBe(1);
  });

  it('needs a weight of 3, counting only positive, priced, known, real events', () => {
    expect(personPriceBand([h('c', 2.99)], c, pos)).toBeNull();
    expect(personPriceBand([h('c', 2), h('a', -5), h('zzz', 5), h('e', 5, null)], c, pos)).toBeNull();
    const band = personPriceBand([h('c', 3), h('a', -5), h('e', 5, null), h('zzz', 5)], c, pos);
    expect(band?.level).toBe(0.5);
    const unpriced = new Catalog([item('a', 10), item('b', undefined)]);
    expect(personPriceBand([h('a', 1), h('b', 5)], unpriced, pricePositions(unpriced))).toBeNull();
  });
});

describe('pricePenalty and shapeByPrice', () => {
  const band = { level: 0.4, low: 0.2, high: 0.6 };

  it('takes 1.5 per unit above the band and a third of that below it, nothing inside or without a price', () => {
    expect(pricePenalty(0.8, band)).toBeCloseTo(PRICE_PENALTY * 0.2, 12);
    expect(pricePenalty(0.8, band)).toBeCloseTo(0.3, 12);
    expect(pricePenalty(0.05, band)).toBeCloseTo(0.075, 12);
    expect(pricePenalty(0.6, band)).toBe(0);
    expect(pricePenalty(0.2, band)).toBe(0);
    expect(pricePenalty(0.4, band)).toBe(0);
    expect(pricePenalty(Number.NaN, band)).toBe(0);
  });

  it('lowers the scored items outside the band by their penalty and counts them', () => {
    const scores = new Float64Array([1, 1, Number.NaN, 1, 1]);
    const positions = new Float64Array([0.8, 0.4, 0.9, Number.NaN, 0]);
    expect(shapeByPrice(scores, positions, band)).toBe(2);
    expect(scores[0]).toBeCloseTo(0.7, 12);
    expect(scores[1]).toBe(1);
    expect(Number.isNaN(scores[2])).toBe(true);
    expect(scores[3]).toBe(1);
    expect(scores[4]).toBeCloseTo(0.9, 12);
  });
});

describe('readingLanguage', () => {
  it("takes the person's trait when it is a non-empty string", () => {
    const p = emptyProfile(0);
    p.languages = { es: 2 };
    expect(readingLanguage('en', p)).toBe('en');
    expect(readingLanguage('', p)).toBe('es');
    expect(readingLanguage(7, p)).toBe('es');
  });

  it('else the language of most engaged items, the first on a tie; none without any', () => {
    const p = emptyProfile(0);
    p.languages = { es: 2, en: 2, de: 1 };
    expect(readingLanguage(undefined, p)).toBe('es');
    p.languages = { de: 1, en: 3 };
    expect(readingLanguage(undefined, p)).toBe('en');
    expect(readingLanguage(undefined, emptyProfile(0))).toBeNull();
  });
});

describe('shapeByLanguage', () => {
  it('lowers each scored item in another language by the penalty and counts them', () => {
    const c = new Catalog([item('e1', 1, [], 'en'), item('s1', 1, [], 'es'), item('s2', 1, [], 'es'), item('x', 1)]);
    const scores = new Float64Array([1, 1, Number.NaN, 1]);
    expect(shapeByLanguage(scores, c, 'en')).toBe(1);
    expect(scores[0]).toBe(1);
    expect(scores[1]).toBeCloseTo(1 - LANGUAGE_PENALTY, 12);
    expect(scores[1]).toBeCloseTo(0.65, 12);
    expect(Number.isNaN(scores[2])).toBe(true);
    expect(scores[3]).toBe(1);
  });

  it('leaves a catalogue without the reader’s language alone, even with several others', () => {
    const c = new Catalog([item('e1', 1, [], 'en'), item('s1', 1, [], 'es')]);
    const scores = new Float64Array([1, 1]);
    expect(shapeByLanguage(scores, c, 'de')).toBe(0);
    expect(Array.from(scores)).toEqual([1, 1]);
    // Its languages are read once per snapshot and still known on the next call.
    expect(shapeByLanguage(scores, c, 'es')).toBe(1);
    expect(Array.from(scores)).toEqual([0.65, 1]);
  });
});
