import { describe, expect, it } from 'vitest';
import { extractSlots } from '../../../src/converse/nlu/slots.ts';
import { buildVocabulary } from '../../../src/converse/nlu/vocabulary.ts';
import type { ItemInput } from '../../../src/domain/schemas.ts';

const items: ItemInput[] = [
  { id: 'd1', title: 'Midi Dress', categories: ['Dresses'], tags: ['vestido'], attributes: { colour: 'black', use: 'party', productType: 'dresses' } },
  { id: 'd2', title: 'Vestido largo', categories: ['Dresses'], tags: ['vestido'], attributes: { colour: 'red', use: 'wedding', productType: 'dresses' } },
  { id: 'm1', title: 'Neoprene dumbbells', categories: ['Sport'], tags: ['mancuernas'], attributes: { productType: 'dumbbells', colour: 'pink' } },
  { id: 'm2', title: 'Juego de mancuernas', categories: ['Sport'], tags: ['mancuernas'], attributes: { productType: 'dumbbells', colour: 'grey' } },
  { id: 't1', title: 'Oak desk', categories: ['Tables & desks'], attributes: { colour: 'brown' } },
];
const vocab = buildVocabulary(items);

describe('typos', () => {
  it('reads a one-letter typo of a product, a use or a colour', () => {
    const s = extractSlots('i wnat a dres for a weding', 'en', vocab);
    expect(s.productType).toBe('dresses');
    expect(s.use).toBe('wedding');
    expect(s.mentions.find((m) => m.slot === 'product')).toMatchObject({ text: 'dres', form: 'dress' });
    expect(extractSlots('a blak dress', 'en', vocab).colour).toBe('black');
  });

  it('leaves real words alone', () => {
    for (const text of ['I want to see more', 'show me the best ones', 'what about delivery']) {
      const s = extractSlots(text, 'en', vocab);
      expect(s.productType).toBeUndefined();
      expect(s.colour).toBeUndefined();
    }
  });
});

describe("a shop's own words", () => {
  it('reads a tag found only on one type as that type', () => {
    expect(extractSlots('quiero mancuernas', 'es', vocab).productType).toBe('dumbbells');
  });

  it('splits a category that names several kinds', () => {
    expect(extractSlots('I need a desk', 'en', vocab).category).toBe('Tables & desks');
  });
});

describe('positions in the list', () => {
  const cases: Array<[string, 'en' | 'es', number[]]> = [
    ['compare 1 and 3', 'en', [1, 3]],
    ['compare numbers 2 and 3', 'en', [2, 3]],
    ['2 vs 3', 'en', [2, 3]],
    ['compara el 1 y el 3', 'es', [1, 3]],
    ['compárame el 2 con el 3', 'es', [2, 3]],
  ];
  for (const [text, lang, ordinals] of cases) it(text, () => expect(extractSlots(text, lang, vocab).ordinals).toEqual(ordinals));

  it('does not read a price range as positions', () => {
    const s = extractSlots('compare dresses between 10 and 20 euros', 'en', vocab);
    expect(s.ordinals).toBeUndefined();
    expect(s.budget).toMatchObject({ min: 10, max: 20 });
  });
});
