// The NLU's shipped word lists, checked entry by entry so that a list emptied or an entry lost is noticed
// (the mutation run's `nlu` slice empties each string literal in them). Expectations are written out.
import { describe, expect, it } from 'vitest';
import { featurize } from '../../../src/converse/nlu/classifier.ts';
import { conceptsOf } from '../../../src/converse/nlu/concepts.ts';
import { INTENT_DESCRIPTIONS, INTENTS } from '../../../src/converse/nlu/intents.ts';
import { extractSlots } from '../../../src/converse/nlu/slots.ts';
import { COMMON_BRANDS } from '../../../src/converse/nlu/synonyms.ts';
import { buildVocabulary } from '../../../src/converse/nlu/vocabulary.ts';
import { tokenize } from '../../../src/text/text.ts';

const concepts = (text: string, lang: 'en' | 'es') => conceptsOf(tokenize(text), lang);

describe('concept cues', () => {
  it('each concept has its words in English and Spanish, each counted once', () => {
    const table: Array<[string, string, string[]]> = [
      ['hello', 'hola', ['GREET']],
      ['thanks', 'gracias', ['THANKS']],
      ['goodbye', 'adiós', ['BYE']],
      ['yes', 'claro', ['YES']],
      ['nope', 'nada', ['NO']],
      ['cheap', 'barato', ['CHEAP']],
      ['expensive', 'caro', ['PRICEY']],
      ['price', 'precio', ['PRICE']],
      ['another', 'otro', ['MORE']],
      ['compare', 'comparar', ['COMPARE']],
      ['battery', 'batería', ['QUESTION_DETAIL']],
      ['cart', 'carrito', ['CART']],
      ['buy', 'comprar', ['BUY']],
      ['looking', 'busco', ['SEARCH']],
      ['parcel', 'paquete', ['ORDER']],
      ['refund', 'devolver', ['RETURN']],
      ['delivery', 'envío', ['SHIP']],
      ['love', 'encanta', ['LIKE']],
      ['concise', 'breve', ['BRIEF']],
      ['elaborate', 'detalle', ['DETAIL']],
      ['formal', 'usted', ['FORMALITY']],
      ['jargon', 'palabras', ['STYLE_WORDS']],
      ['human', 'persona', ['HUMAN']],
      ['email', 'correo', ['CONTACT']],
      ['profile', 'datos', ['DATA']],
      ['forget', 'olvídame', ['FORGET']],
      ['remember', 'sabes', ['KNOW']],
      ['why', 'razón', ['WHY']],
      ['help', 'ayuda', ['HELP']],
      ['robot', 'asistente', ['SELF']],
      ['weather', 'lluvia', ['WEATHER']],
      ['joke', 'chiste', ['TRIVIA']],
      ['equation', 'calcula', ['MATH']],
      ['alarm', 'alarma', ['ERRAND']],
    ];
    for (const [en, es, want] of table) {
      expect(concepts(en, 'en'), en).toEqual(want);
      expect(concepts(es, 'es'), es).toEqual(want);
    }
  });

  it('a word in two lists counts for both, and products, colours, features and brands are concepts too', () => {
    expect(concepts('vale', 'es')).toEqual(['YES', 'PRICE']);
    expect(concepts('red nike headphones', 'en')).toEqual(['COLOUR', 'BRAND', 'PRODUCT']);
    expect(concepts('wireless', 'en')).toEqual(['FEATURE']);
    // Two-word forms count as a pair.
    expect(concepts('new balance', 'en')).toEqual(['TRIVIA', 'BRAND']);
    expect(concepts('power bank', 'en')).toEqual(['PRODUCT']);
  });

  it('every common brand is a BRAND cue', () => {
    expect(COMMON_BRANDS.length).toBe(37);
    for (const b of COMMON_BRANDS) expect(concepts(b, 'en'), b).toContain('BRAND');
  });
});

describe('size words', () => {
  it('each size word reads as its letter size, accents and hyphens as people write them or not', () => {
    const vocab = buildVocabulary([]);
    const table: Array<[string, 'en' | 'es', string]> = [
      ['size extra small', 'en', 'XS'],
      ['size x-small', 'en', 'XS'],
      ['size x small', 'en', 'XS'],
      ['size xs', 'en', 'XS'],
      ['size small', 'en', 'S'],
      ['size medium', 'en', 'M'],
      ['size large', 'en', 'L'],
      ['size extra large', 'en', 'XL'],
      ['size x-large', 'en', 'XL'],
      ['size xl', 'en', 'XL'],
      ['size xxl', 'en', 'XXL'],
      ['size xxxl', 'en', 'XXXL'],
      ['talla muy pequeña', 'es', 'XS'],
      ['talla pequeña', 'es', 'S'],
      ['talla pequeño', 'es', 'S'],
      ['talla mediana', 'es', 'M'],
      ['talla mediano', 'es', 'M'],
      ['talla grande', 'es', 'L'],
      ['talla extra grande', 'es', 'XL'],
      ['talla muy grande', 'es', 'XL'],
      ['talla pequena', 'es', 'S'],
    ];
    for (const [text, lang, size] of table) expect(extractSlots(text, lang, vocab).size, text).toBe(size);
  });
});

describe('intent descriptions', () => {
  it('every intent has its own description', () => {
    const texts = INTENTS.map((i) => INTENT_DESCRIPTIONS[i]);
    for (const t of texts) expect(t.length).toBeGreaterThan(1);
    expect(new Set(texts).size).toBe(INTENTS.length);
    expect(INTENT_DESCRIPTIONS.refine).toMatch(/cheaper/);
    expect(INTENT_DESCRIPTIONS.out_of_scope).toMatch(/does not handle/);
  });
});

describe("the catalogue's own spellings", () => {
  it('the most frequent spelling of a value wins, ties to the first in code order ("Boho" before "boho"); lists, numbers, blanks and others', () => {
    const v = buildVocabulary([
      { categories: ['Audio'], attributes: { colour: ['Navy', 'navy'], style: 'Boho', brand: 42 } },
      { categories: ['audio'], attributes: { colour: 'navy', style: 'boho', brand: true } },
      { categories: ['Audio'], attributes: { brand: '  ', size: 'x'.repeat(101) } },
    ]);
    expect(v.catalog.colours).toEqual(['navy']);
    expect(v.catalog.styles).toEqual(['Boho']);
    expect(v.catalog.brands).toEqual(['42']);
    expect(v.catalog.categories).toEqual(['Audio']);
    expect(v.catalog.sizes).toEqual([]);
  });
});

describe('featurize: numbers', () => {
  it('only a token of digits alone becomes "0"', () => {
    const words = { charMin: 2, charMax: 2, wordWeight: 1, bigramWeight: 0, charWeight: 0, conceptWeight: 0 };
    expect([...featurize('mp3 42', 'en', words).keys()]).toEqual(['w:mp3', 'w:0']);
  });
});
