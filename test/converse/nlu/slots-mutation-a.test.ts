// The survivors of the Stryker run of slots.ts on 2026-12-03 (/tmp/mut/slots.jsonl), lines 1–430: the
// budget's cues and ranges, the price words, the ordinals and the size's spelling. Each expectation is
// written out; each test names the lines whose mutants it kills (each planted by hand and seen to fail).
import { describe, expect, it } from 'vitest';
import { extractSlots, type Mention } from '../../../src/converse/nlu/slots.ts';
import { buildVocabulary } from '../../../src/converse/nlu/vocabulary.ts';

const vocab = buildVocabulary([
  { categories: ['Kitchen'], attributes: { brand: 'Bosch' } },
  { categories: ['Perfume'], attributes: { brand: 'Chanel' } },
  { categories: ['Jackets'], attributes: { brand: 'Versus' } },
]);
const x = (text: string, lang: 'en' | 'es' = 'en') => extractSlots(text, lang, vocab);
const m = (slot: string, value: Mention['value'], text: string, start: number): Mention => ({ slot, value, text, start, end: start + text.length });

describe('extractBudget: a cue whose amount does not read', () => {
  // Lines 206 and 211 (`return false` → `true`): a range whose first or second amount is a lone "one" /
  // "uno" is no range, and its span stays readable, so the amount with a currency in it is still read.
  it('"between one and 50 euros" and "entre 50 euros y uno" still read the 50 euros', () => {
    expect(x('between one and 50 euros')).toMatchObject({ budget: { around: 50, currency: 'EUR' }, mentions: [m('budget', '50', '50 euros', 16)] });
    expect(x('entre 50 euros y uno', 'es')).toMatchObject({ budget: { around: 50, currency: 'EUR' }, mentions: [m('budget', '50', '50 euros', 6)] });
  });

  // Line 212: the bounds of a range given high first are swapped (`[]` on the other branch leaves none).
  it('"between 100 and 50 euros" is 50 to 100', () => {
    expect(x('between 100 and 50 euros').budget).toStrictEqual({ min: 50, max: 100, currency: 'EUR' });
    expect(x('entre 300 y 200 €', 'es').budget).toStrictEqual({ min: 200, max: 300, currency: 'EUR' });
  });

  // Line 208 (`return false` → `true`): a weak cue without a price context leaves its number to the
  // quantity ("like 2" is no budget, "2 of those" is two).
  it('"I\'d like 2 of those" is a quantity, not a budget', () => {
    const s = x("I'd like 2 of those");
    expect(s.budget).toBeUndefined();
    expect(s.quantity).toBe(2);
    expect(s.mentions).toStrictEqual([m('quantity', 2, '2 of those', 9)]);
  });
});

describe('extractBudget: a range without a cue', () => {
  // Line 221: without a currency or a price word "2 to 3" is no budget (the condition → false, its
  // `!currencyOf` negation dropped) and is left to the quantity (`return false` → `true`); with a price
  // word and no currency it is one (`&&` → `||`, `!priceContext` → `priceContext`).
  it('"buy 2 to 3 kettles" is two kettles; "price 100-200" is a range', () => {
    expect(x('buy 2 to 3 kettles')).toStrictEqual({
      excluded: { brands: [], colours: [], categories: [], tags: [], styles: [] },
      quantity: 2,
      productType: 'kettle',
      mentions: [m('quantity', 2, 'buy 2', 0), m('product', 'kettle', 'kettles', 11)],
    });
    expect(x('compra 2 a 3 teteras', 'es')).toMatchObject({ quantity: 2, mentions: [m('quantity', 2, 'compra 2', 0)] });
    expect(x('compra 2 a 3 teteras', 'es').budget).toBeUndefined();
    expect(x('a kettle, price 100-200')).toMatchObject({
      budget: { min: 100, max: 200 },
      mentions: [m('product', 'kettle', 'kettle', 2), m('budget', '100-200', '100-200', 16)],
    });
    expect(x('a kettle, price 100-200').budget).toStrictEqual({ min: 100, max: 200 });
  });

  // Line 224: a range high first or of one value is no range (`y <= x` → false, `<=` → `<`), and its span
  // stays readable (`return false` → `true`): the second amount with its currency is read alone. Line 225:
  // the mention ends where the range does.
  it('"200-100 €" and "100-100 €" are about 100 €; "100-200 €" is a range over its whole span', () => {
    expect(x('200-100 €')).toMatchObject({ budget: { around: 100, currency: 'EUR' }, mentions: [m('budget', '100', '100 €', 4)] });
    expect(x('100-100 €').budget).toStrictEqual({ around: 100, currency: 'EUR' });
    expect(x('100-200 €')).toMatchObject({ budget: { min: 100, max: 200, currency: 'EUR' }, mentions: [m('budget', '100-200', '100-200 €', 0)] });
  });
});

describe('extractBudget: a bare amount after a lone "one"', () => {
  // Line 230 (`return false` → `true`) and a bug: "one €" (a lone "one" is no number) was matched first,
  // and the scan went on after the "€", so the amount it began was never read.
  it('"I want one €50 kettle" is about 50 €; "quiero una €50" too', () => {
    expect(x('I want one €50 kettle')).toMatchObject({
      budget: { around: 50, currency: 'EUR' },
      mentions: [m('budget', '50', '€50', 11), m('product', 'kettle', 'kettle', 15)],
    });
    expect(x('one $30 kettle').budget).toStrictEqual({ around: 30, currency: 'USD' });
    expect(x('quiero una €50', 'es').budget).toStrictEqual({ around: 50, currency: 'EUR' });
  });
});

describe('extractPriceWords: what is mentioned', () => {
  // Lines 279 and 284: the mention's slot, value and end.
  it('"not too expensive" is a cheap budget, "cheaper" a comparative, each over its words', () => {
    expect(x('not too expensive, cheaper please').mentions).toStrictEqual([
      m('budget', 'cheap', 'not too expensive', 0),
      m('comparative', 'cheaper', 'cheaper', 19),
    ]);
    expect(x('nada caro, más barato', 'es').mentions).toStrictEqual([m('budget', 'cheap', 'nada caro', 0), m('comparative', 'cheaper', 'más barato', 11)]);
  });
});

describe('extractOrdinals', () => {
  // Lines 367–368 and 372–373: at most ten ("the first 11" is only "first"; the bound rejected leaves
  // "last" to be read alone), "last" counts from the end, and the mention spans the words.
  it('"the first 10" / "the last 2" / "the 10 last"; past ten only the ordinal word is read', () => {
    expect(x('the first 10')).toMatchObject({
      ordinals: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
      mentions: [m('ordinals', [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 'the first 10', 0)],
    });
    expect(x('the first 11')).toMatchObject({ ordinals: [1], mentions: [m('ordinals', [1], 'first', 4)] });
    expect(x('the last 2')).toMatchObject({ ordinals: [-2, -1], mentions: [m('ordinals', [-2, -1], 'the last 2', 0)] });
    expect(x('las 2 últimas', 'es')).toMatchObject({ ordinals: [-2, -1], mentions: [m('ordinals', [-2, -1], 'las 2 últimas', 0)] });
    expect(x('the 10 last').ordinals).toStrictEqual([-10, -9, -8, -7, -6, -5, -4, -3, -2, -1]);
    expect(x('the 11 last')).toMatchObject({ ordinals: [-1], mentions: [m('ordinals', [-1], 'last', 7)] });
    expect(x('los 3 primeros', 'es')).toMatchObject({ ordinals: [1, 2, 3], mentions: [m('ordinals', [1, 2, 3], 'los 3 primeros', 0)] });
  });

  // Lines 384–385: "number N" up to 20, mentioned over its words.
  it('"number 20" is the twentieth, "number 21" none', () => {
    expect(x('number 20')).toMatchObject({ ordinals: [20], mentions: [m('ordinals', [20], 'number 20', 0)] });
    expect(x('number 21').ordinals).toBeUndefined();
    expect(x('number 0').ordinals).toBeUndefined();
    expect(x('el 3º', 'es').mentions).toStrictEqual([m('ordinals', [3], '3º', 3)]);
  });

  // Line 384 (`return false` → consumed) and a bug: "No. 22" past the list was left unread, and its
  // "No" then excluded the brand before it ("Chanel" followed by "no" is "not Chanel").
  it('"Chanel No. 22" asks for Chanel, excludes nothing and points at no item', () => {
    const s = x("I'd like Chanel No. 22");
    expect(s.brand).toBe('Chanel');
    expect(s.excluded.brands).toStrictEqual([]);
    expect(s.ordinals).toBeUndefined();
    expect(s.mentions).toStrictEqual([m('brand', 'Chanel', 'Chanel', 9)]);
  });

  // A bug: the Spanish "º"/"ª" written as "o"/"a" after a space is "or" / "to": "2 o 3" and "de 5 a 10"
  // pointed at the second and the fifth item.
  it('"muéstrame 2 o 3 opciones" and "de 5 a 10" point at no item; "el 3o" and "la 2a" do', () => {
    expect(x('muéstrame 2 o 3 opciones', 'es').ordinals).toBeUndefined();
    expect(x('zapatillas de 5 a 10', 'es').ordinals).toBeUndefined();
    expect(x('el 3o', 'es').ordinals).toStrictEqual([3]);
    expect(x('la 2a', 'es').ordinals).toStrictEqual([2]);
    expect(x('the 2 nd', 'en').ordinals).toStrictEqual([2]);
  });

  // Line 399: two positions, each from 1 to 10, not the same; line 400: the mention.
  it('"compare A and C" takes two different positions from 1 to 10', () => {
    expect(x('compare 3 and 10')).toMatchObject({ ordinals: [3, 10], mentions: [m('ordinals', [3, 10], 'compare 3 and 10', 0)] });
    expect(x('compare 10 and 3').ordinals).toStrictEqual([10, 3]);
    expect(x('2 vs 7')).toMatchObject({ ordinals: [2, 7], mentions: [m('ordinals', [2, 7], '2 vs 7', 0)] });
    for (const text of ['compare 0 and 3', 'compare 3 and 0', 'compare 11 and 3', 'compare 3 and 11', 'compare 2 and 2', 'compara el 12 y el 4'])
      expect(x(text, text.startsWith('compara ') ? 'es' : 'en').ordinals, text).toBeUndefined();
  });

  // Line 399 (`return false` → `true`): a comparison that is none leaves its words to be read ("Versus"
  // is a brand of the catalog).
  it('a rejected comparison leaves its words readable', () => {
    expect(x('compare 2 Versus 2')).toMatchObject({ brand: 'Versus', mentions: [m('brand', 'Versus', 'Versus', 10)] });
    expect(x('compare 2 Versus 2').ordinals).toBeUndefined();
  });

  // Lines 359–360, 405, 408, 410: each position once, single words mentioned over the word, "both" only
  // when nothing else was pointed at.
  it('"first and first" is one position; "both" counts only alone', () => {
    expect(x('first and first')).toMatchObject({ ordinals: [1], mentions: [m('ordinals', [1], 'first', 0), m('ordinals', [1], 'first', 10)] });
    expect(x('the second, both')).toMatchObject({ ordinals: [2], mentions: [m('ordinals', [2], 'second', 4)] });
    expect(x('compara los dos', 'es')).toMatchObject({ ordinals: [1, 2], mentions: [m('ordinals', [1, 2], 'los dos', 8)] });
  });
});

describe('normalSize', () => {
  // Line 429: a half size written with a comma is the same size with a point.
  it('"talla 42,5" is 42.5', () => {
    expect(x('talla 42,5', 'es')).toMatchObject({ size: '42.5', mentions: [m('size', '42.5', 'talla 42,5', 0)] });
  });
});
