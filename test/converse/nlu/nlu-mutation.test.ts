// Edges of the NLU's number reading and slot filling that the mutation run (stryker.config.mjs, slice
// `nlu`) found unguarded: each expectation is written out, never computed with the code under test.
import { describe, expect, it } from 'vitest';
import { parseDigits, parseNumberWords } from '../../../src/converse/nlu/numbers.ts';
import { extractSlots } from '../../../src/converse/nlu/slots.ts';
import { COLOUR_SYNONYMS, FEATURE_SYNONYMS, PRODUCT_SYNONYMS, STYLE_SYNONYMS, USE_SYNONYMS } from '../../../src/converse/nlu/synonyms.ts';
import { buildVocabulary } from '../../../src/converse/nlu/vocabulary.ts';

describe('parseDigits: the edges', () => {
  it('ignores the spaces around a number, and reads nothing after its thousands suffix', () => {
    expect(parseDigits(' 59,99 ')).toBe(59.99);
    expect(parseDigits('\t2k ')).toBe(2000);
    expect(parseDigits('2k tickets')).toBeUndefined();
    expect(parseDigits('2 mil euros')).toBeUndefined();
  });
});

describe('parseDigits: which separator is a decimal point', () => {
  it('one separator before a thousands suffix is a decimal point, even before three digits', () => {
    expect(parseDigits('1.250k')).toBe(1250);
    expect(parseDigits('2,500 mil')).toBe(2500);
  });

  it('a separator repeated groups thousands, whatever the last group and the suffix', () => {
    expect(parseDigits('1.234.56')).toBe(123456);
    expect(parseDigits('1.000.000 mil')).toBe(1_000_000_000);
  });
});

describe('parseNumberWords: "a"', () => {
  it('"a" counts one only before hundred or thousand: "a fifty" is fifty, not fifty-one', () => {
    expect(parseNumberWords('a hundred', 'en')).toBe(100);
    expect(parseNumberWords('a thousand', 'en')).toBe(1000);
    expect(parseNumberWords('a hundred and twenty', 'en')).toBe(120);
    expect(parseNumberWords('a fifty', 'en')).toBe(50);
    expect(parseNumberWords('a twenty-five', 'en')).toBe(25);
    // Articles and "and" alone are no number.
    expect(parseNumberWords('a and a', 'en')).toBeUndefined();
  });

  it('"a fifty euro kettle" asks for about fifty euros', () => {
    const vocab = buildVocabulary([{ categories: ['Kitchen'] }]);
    expect(extractSlots('a fifty euro kettle', 'en', vocab).budget).toEqual({ around: 50, currency: 'EUR' });
    expect(extractSlots('a kettle for under a fifty', 'en', vocab).budget).toEqual({ max: 50 });
  });
});

describe('extractSlots: the budget as written', () => {
  const vocab = buildVocabulary([{ categories: ['Kitchen'] }]);
  const budgetOf = (text: string) => {
    const s = extractSlots(text, 'en', vocab);
    return { budget: s.budget, mentions: s.mentions.filter((m) => m.slot === 'budget') };
  };

  it('a mention shows the amounts joined by a dash, without the currency, or the word when there is no amount', () => {
    expect(budgetOf('between 50 and 100 euros')).toStrictEqual({
      budget: { min: 50, max: 100, currency: 'EUR' },
      mentions: [{ slot: 'budget', value: '50-100', text: 'between 50 and 100 euros', start: 0, end: 24 }],
    });
    expect(budgetOf('something cheap')).toStrictEqual({
      budget: { relative: 'cheap' },
      mentions: [{ slot: 'budget', value: 'cheap', text: 'cheap', start: 10, end: 15 }],
    });
  });

  it('the first bound stated stands; a later one is only mentioned', () => {
    expect(budgetOf('under 80 euros, max 60 euros')).toStrictEqual({
      budget: { max: 80, currency: 'EUR' },
      mentions: [
        { slot: 'budget', value: '80', text: 'under 80 euros', start: 0, end: 14 },
        { slot: 'budget', value: '60', text: 'max 60 euros', start: 16, end: 28 },
      ],
    });
  });
});

describe('extractSlots: what a mention records', () => {
  const vocab = buildVocabulary([{ categories: ['Kitchen'] }]);

  it('a word right before an understood span is still read: the span ends where it ends', () => {
    expect(extractSlots('kettle€50', 'en', vocab)).toMatchObject({
      productType: 'kettle',
      budget: { around: 50, currency: 'EUR' },
      mentions: [
        { slot: 'product', value: 'kettle', text: 'kettle', start: 0, end: 6 },
        { slot: 'budget', value: '50', text: '€50', start: 6, end: 9 },
      ],
    });
  });

  it('a negated mention says so, a typo names the form it stood for, and a plain one carries neither', () => {
    expect(extractSlots('a ketle, not red', 'en', vocab).mentions).toStrictEqual([
      { slot: 'product', value: 'kettle', text: 'ketle', start: 2, end: 7, form: 'kettle' },
      { slot: 'colour', value: 'red', text: 'red', start: 13, end: 16, negated: true },
    ]);
    expect(extractSlots('a red kettle', 'en', vocab).mentions).toStrictEqual([
      { slot: 'colour', value: 'red', text: 'red', start: 2, end: 5 },
      { slot: 'product', value: 'kettle', text: 'kettle', start: 6, end: 12 },
    ]);
  });

  it('a budget without a currency holds no currency key', () => {
    expect(extractSlots('under 80', 'en', vocab).budget).toStrictEqual({ max: 80 });
  });
});

describe('extractSlots: a weak cue needs a price context', () => {
  const vocab = buildVocabulary([{ categories: ['Kitchen'] }]);
  const budget = (text: string) => extractSlots(text, 'en', vocab).budget;

  it('"up to 30" is a budget when a currency is named anywhere in the message, or a price word', () => {
    expect(budget('a kettle up to 30 in usd')).toStrictEqual({ max: 30 });
    expect(budget('a kettle up to 30, that is my budget')).toStrictEqual({ max: 30, relative: 'cheap' });
  });

  it('without either, "up to 30" is no budget', () => {
    expect(budget('a kettle up to 30')).toBeUndefined();
    expect(budget('up to 4 kettles')).toBeUndefined();
  });
});

describe('the shipped synonyms', () => {
  const vocab = buildVocabulary([]);
  const slotOf = { product: 'productType', colour: 'colour', style: 'style', feature: 'tags', use: 'use' } as const;
  const groups = [
    ['product', PRODUCT_SYNONYMS],
    ['colour', COLOUR_SYNONYMS],
    ['style', STYLE_SYNONYMS],
    ['feature', FEATURE_SYNONYMS],
    ['use', USE_SYNONYMS],
  ] as const;

  it('every listed form, written alone, is read as its group', () => {
    const missed: string[] = [];
    for (const [kind, list] of groups)
      for (const g of list)
        for (const lang of ['en', 'es'] as const)
          for (const form of g[lang]) {
            const got: unknown = extractSlots(form, lang, vocab)[slotOf[kind]];
            if (!(Array.isArray(got) ? got.includes(g.canonical) : got === g.canonical)) missed.push(`${lang} "${form}" → ${JSON.stringify(got)}`);
          }
    expect(missed).toEqual([]);
  });

  it('forms that share a stem are each read as written ("swim" and "swimming", "commute" and "commuting")', () => {
    expect(extractSlots('for a swim', 'en', vocab).use).toBe('swimming');
    expect(extractSlots('for my commute', 'en', vocab).use).toBe('commuting');
    expect(extractSlots('good for swimming', 'en', vocab).use).toBe('swimming');
  });
});
