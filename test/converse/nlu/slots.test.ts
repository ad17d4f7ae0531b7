import { describe, expect, it } from 'vitest';
import type { ItemInput } from '../../../src/domain/schemas.ts';
import { extractSlots, type Slots } from '../../../src/converse/nlu/slots.ts';
import { buildVocabulary } from '../../../src/converse/nlu/vocabulary.ts';
import { parseDigits, parseNumberWords } from '../../../src/converse/nlu/numbers.ts';

const items: ItemInput[] = [
  { id: 'h1', title: 'Sony WH-1000', categories: ['Headphones'], tags: ['wireless', 'noise cancelling'], attributes: { brand: 'Sony', colour: 'black' } },
  { id: 'h2', title: 'EarPods', categories: ['Headphones'], tags: ['wired'], attributes: { brand: 'Apple', colour: 'white' } },
  {
    id: 's1',
    title: 'Pegasus',
    categories: ['Shoes > Running shoes'],
    tags: ['running', 'trail'],
    attributes: { brand: 'Nike', colour: 'Rojo', size: ['40', '42'] },
  },
  { id: 's2', title: 'Cloud', categories: ['Shoes > Running shoes'], tags: ['running'], attributes: { brand: 'On', colour: 'pink', use: 'running' } },
  {
    id: 'j1',
    title: 'Shell',
    categories: ['Jackets'],
    tags: ['waterproof', 'hiking'],
    attributes: { brand: 'The North Face', color: 'Azul marino', style: 'sporty' },
  },
  { id: 'l1', title: 'ROG', categories: ['Laptops'], tags: ['gaming'], attributes: { brand: 'Asus', colour: 'grey', use: 'gaming' } },
  { id: 'k1', title: 'Kettle', categories: ['Kitchen'], tags: ['gift idea'], attributes: { brand: 'Bosch', colour: 'silver', material: 'steel' } },
];
const vocab = buildVocabulary(items);
const x = (text: string, lang: 'en' | 'es'): Slots => extractSlots(text, lang, vocab);

describe('budget', () => {
  const cases: Array<[string, 'en' | 'es', object]> = [
    ['headphones under 60 €', 'en', { max: 60, currency: 'EUR' }],
    ['less than 60 euros', 'en', { max: 60, currency: 'EUR' }],
    ['menos de 60 euros', 'es', { max: 60, currency: 'EUR' }],
    ['que no pase de 80€', 'es', { max: 80, currency: 'EUR' }],
    ['max 80', 'en', { max: 80 }],
    ['80 euros como mucho', 'es', { max: 80, currency: 'EUR' }],
    ['my budget is $120', 'en', { max: 120, currency: 'USD' }],
    ['presupuesto de 200 euros', 'es', { max: 200, currency: 'EUR' }],
    ['up to 50 pounds', 'en', { max: 50, currency: 'GBP' }],
    ['hasta 50 pavos', 'es', { max: 50, currency: 'EUR' }],
    ['between 100 and 200', 'en', { min: 100, max: 200 }],
    ['entre 100 y 200', 'es', { min: 100, max: 200 }],
    ['from 50 to 80 euros', 'en', { min: 50, max: 80, currency: 'EUR' }],
    ['de 50 a 80 euros', 'es', { min: 50, max: 80, currency: 'EUR' }],
    ['50-80€', 'es', { min: 50, max: 80, currency: 'EUR' }],
    ['around $50', 'en', { around: 50, currency: 'USD' }],
    ['about 50 bucks', 'en', { around: 50, currency: 'USD' }],
    ['unos 50 euros', 'es', { around: 50, currency: 'EUR' }],
    ['alrededor de 300', 'es', { around: 300 }],
    ['50 euros or so', 'en', { around: 50, currency: 'EUR' }],
    ['over 100 euros', 'en', { min: 100, currency: 'EUR' }],
    ['más de 100 euros', 'es', { min: 100, currency: 'EUR' }],
    ['a partir de 30€', 'es', { min: 30, currency: 'EUR' }],
    ['a hundred and twenty dollars max', 'en', { max: 120, currency: 'USD' }],
    ['fifty euros at most', 'en', { max: 50, currency: 'EUR' }],
    ['ciento cincuenta euros como mucho', 'es', { max: 150, currency: 'EUR' }],
    ['unos mil euros', 'es', { around: 1000, currency: 'EUR' }],
    ['menos de treinta y cinco euros', 'es', { max: 35, currency: 'EUR' }],
    ['under 1,500', 'en', { max: 1500 }],
    ['menos de 1.500 €', 'es', { max: 1500, currency: 'EUR' }],
    ['59,99 €', 'es', { around: 59.99, currency: 'EUR' }],
    ['2k max', 'en', { max: 2000 }],
    ['barato', 'es', { relative: 'cheap' }],
    ['something cheap', 'en', { relative: 'cheap' }],
    ['nothing too expensive', 'en', { relative: 'cheap' }],
    ['que no sea muy caro', 'es', { relative: 'cheap' }],
    ['premium headphones', 'en', { relative: 'premium' }],
    ['de gama alta', 'es', { relative: 'premium' }],
  ];
  for (const [text, lang, budget] of cases) it(`${text}`, () => expect(x(text, lang).budget).toEqual(budget));

  it('does not read numbers that are not prices', () => {
    for (const [text, lang] of [
      ['order 12345 has not arrived', 'en'],
      ['talla 42', 'es'],
      ['what is 2 plus 2', 'en'],
      ['up to 10 kg', 'en'],
      ['battery lasts about 20 hours', 'en'],
      ['para 2 personas', 'es'],
      ['the 2nd one', 'en'],
    ] as const) {
      expect(x(text, lang).budget, text).toBeUndefined();
    }
  });
});

describe('product type, category and synonyms', () => {
  it('maps synonyms in both languages to the catalog category', () => {
    for (const [text, lang] of [
      ['headphones', 'en'],
      ['auriculares', 'es'],
      ['unos cascos', 'es'],
      ['earbuds', 'en'],
      ['audífonos', 'es'],
    ] as const) {
      const s = x(text, lang);
      expect(s.category, text).toBe('Headphones');
      expect(s.productType, text).toBe('headphones');
    }
  });
  it('links hierarchical categories through their leaf', () => {
    for (const [text, lang] of [
      ['running shoes', 'en'],
      ['zapatillas para correr', 'es'],
      ['zapatillas de running', 'es'],
    ] as const) {
      const s = x(text, lang);
      expect(s.category, text).toBe('Shoes > Running shoes');
      expect(s.use, text).toBe('running');
    }
    expect(x('sneakers', 'en').productType).toBe('sneakers');
    expect(x('unas zapatillas', 'es').productType).toBe('sneakers');
  });
  it("matches the catalog's own categories without synonyms", () => {
    expect(x('something for the kitchen', 'en').category).toBe('Kitchen');
    expect(x('portátiles', 'es').category).toBe('Laptops');
  });
  it('knows product types the catalog does not have', () => {
    const s = x('busco una mochila', 'es');
    expect(s.productType).toBe('backpack');
    expect(s.category).toBeUndefined();
  });
  it('does not confuse verbs with products', () => {
    for (const [text, lang] of [
      ['¿abriga mucho?', 'es'],
      ['can I speak to someone', 'en'],
      ['do you charge for returns', 'en'],
      ['how many legs', 'en'],
    ] as const) {
      expect(x(text, lang).productType, text).toBeUndefined();
    }
  });
});

describe('use, colour, brand, size, style, features', () => {
  it('reads the intended use', () => {
    expect(x('auriculares para correr', 'es').use).toBe('running');
    expect(x('a laptop for gaming', 'en').use).toBe('gaming');
    expect(x('something for the office', 'en').use).toBe('office');
    expect(x('para la oficina', 'es').use).toBe('office');
    expect(x('para trabajar', 'es').use).toBe('office');
    expect(x('does it work offline?', 'en').use).toBeUndefined();
    expect(x('una chaqueta para la montaña', 'es').use).toBe('hiking');
    expect(x('para regalar', 'es').use).toBe('gift');
  });
  it("uses the catalog's spelling of colours, any language and gender", () => {
    expect(x('red ones', 'en').colour).toBe('Rojo');
    expect(x('unas rojas', 'es').colour).toBe('Rojo');
    expect(x('azul marino', 'es').colour).toBe('Azul marino');
    expect(x('navy blue', 'en').colour).toBe('Azul marino');
    expect(x('en negro', 'es').colour).toBe('black');
    expect(x('something green', 'en').colour).toBe('green');
  });
  it('reads brands, with common-word brands only when capitalised', () => {
    expect(x('anything from sony?', 'en').brand).toBe('Sony');
    expect(x('The North Face jackets', 'en').brand).toBe('The North Face');
    expect(x('I want On shoes', 'en').brand).toBe('On');
    expect(x('a jacket on sale', 'en').brand).toBeUndefined();
  });
  it('reads sizes', () => {
    expect(x('talla 42', 'es').size).toBe('42');
    expect(x('in size 10.5', 'en').size).toBe('10.5');
    expect(x('calzo un 43', 'es').size).toBe('43');
    expect(x('talla M', 'es').size).toBe('M');
    expect(x('do you have it in M?', 'en').size).toBe('M');
    expect(x('XL please', 'en').size).toBe('XL');
    expect(x('size medium', 'en').size).toBe('M');
    expect(x('talla grande', 'es').size).toBe('L');
    expect(x('a 27 inch monitor', 'en').size).toBe('27"');
  });
  it('reads styles and features', () => {
    expect(x('something minimalist', 'en').style).toBe('minimalist');
    expect(x('un estilo más deportivo', 'es').style).toBe('sporty');
    expect(x('cascos inalámbricos', 'es').tags).toEqual(['wireless']);
    expect(x('waterproof noise cancelling headphones', 'en').tags).toEqual(['waterproof', 'noise cancelling']);
  });
});

describe('negations', () => {
  const cases: Array<[string, 'en' | 'es', Partial<Slots['excluded']>, Partial<Slots>?]> = [
    ['not Apple', 'en', { brands: ['Apple'] }],
    ['nada de rosa', 'es', { colours: ['pink'] }],
    ['sin cable', 'es', { tags: ['wired'] }, { tags: ['wireless'] }],
    ["I don't like red", 'en', { colours: ['Rojo'] }],
    ['no me gusta el rojo', 'es', { colours: ['Rojo'] }],
    ['ni rojo ni rosa', 'es', { colours: ['Rojo', 'pink'] }],
    ['anything but black', 'en', { colours: ['black'] }],
    ['Apple no, gracias', 'es', { brands: ['Apple'] }],
    ['I hate pink and red', 'en', { colours: ['pink', 'Rojo'] }],
    ["I don't want Apple, I want Sony", 'en', { brands: ['Apple'] }, { brand: 'Sony' }],
    ['no quiero Apple', 'es', { brands: ['Apple'] }],
    ['en vez de Sony, algo de Apple', 'es', { brands: ['Sony'] }, { brand: 'Apple' }],
    ['No me gusta el rosa, prefiero negro', 'es', { colours: ['pink'] }, { colour: 'black' }],
    ['running shoes in size 10, not Nike', 'en', { brands: ['Nike'] }, { size: '10', category: 'Shoes > Running shoes' }],
    ['no quiero auriculares, busco zapatillas', 'es', { categories: ['Headphones'] }, { productType: 'sneakers' }],
    ["I'm allergic to wool", 'en', { tags: ['wool'] }],
    ['no leather please', 'en', { tags: ['leather'] }],
    ['nothing sporty', 'en', { styles: ['sporty'] }],
    ['without bluetooth', 'en', { tags: ['wireless'] }, { tags: ['wired'] }],
  ];
  for (const [text, lang, excluded, positive] of cases) {
    it(text, () => {
      const s = x(text, lang);
      expect(s.excluded).toEqual({ brands: [], colours: [], categories: [], tags: [], styles: [], ...excluded });
      if (positive) expect(s).toMatchObject(positive);
    });
  }
  it('leaves questions and "I don\'t mind" alone', () => {
    expect(x('¿no lo tienes en rojo?', 'es')).toMatchObject({ colour: 'Rojo', excluded: { colours: [] } });
    expect(x("don't you have it in red?", 'en')).toMatchObject({ colour: 'Rojo', excluded: { colours: [] } });
    expect(x("I don't mind red", 'en')).toMatchObject({ colour: 'Rojo', excluded: { colours: [] } });
    expect(x('No, red please', 'en')).toMatchObject({ colour: 'Rojo', excluded: { colours: [] } });
  });
});

describe('ordinals and comparatives', () => {
  const ords: Array<[string, 'en' | 'es', number[] | undefined]> = [
    ['the second one', 'en', [2]],
    ['el segundo', 'es', [2]],
    ['la tercera', 'es', [3]],
    ['the first two', 'en', [1, 2]],
    ['los dos primeros', 'es', [1, 2]],
    ['las tres primeras', 'es', [1, 2, 3]],
    ['the last one', 'en', [-1]],
    ['los dos últimos', 'es', [-2, -1]],
    ['compare the first and the third', 'en', [1, 3]],
    ['compara el primero y el tercero', 'es', [1, 3]],
    ['number 2', 'en', [2]],
    ['la opción 3', 'es', [3]],
    ['the 2nd', 'en', [2]],
    ['el 3º', 'es', [3]],
    ['compare both', 'en', [1, 2]],
    ['compara los dos', 'es', [1, 2]],
    ['first time here', 'en', undefined],
    ['wait a second', 'en', undefined],
    ['de segunda mano', 'es', undefined],
    ['my last order', 'en', undefined],
    ['la última vez', 'es', undefined],
  ];
  for (const [text, lang, want] of ords) it(`${text} → ${JSON.stringify(want)}`, () => expect(x(text, lang).ordinals).toEqual(want));

  const comps: Array<[string, 'en' | 'es', 'cheaper' | 'pricier' | undefined]> = [
    ['cheaper', 'en', 'cheaper'],
    ['something less expensive', 'en', 'cheaper'],
    ['más barato', 'es', 'cheaper'],
    ['algo más económico', 'es', 'cheaper'],
    ['es demasiado caro', 'es', 'cheaper'],
    ['too pricey', 'en', 'cheaper'],
    ['more expensive', 'en', 'pricier'],
    ['más caro', 'es', 'pricier'],
    ['de mejor calidad', 'es', 'pricier'],
    ['higher end options', 'en', 'pricier'],
    ['cheap', 'en', undefined],
  ];
  for (const [text, lang, want] of comps) it(`${text} → ${want}`, () => expect(x(text, lang).comparative).toBe(want));

  it('treats "cheaper than X" as a budget, not a comparative', () => {
    const s = x('cheaper than 50 euros', 'en');
    expect(s.budget).toEqual({ max: 50, currency: 'EUR' });
    expect(s.comparative).toBeUndefined();
  });
  it('keeps the second item of "the second one" out of the budget', () => {
    expect(x('add the second one', 'en')).toMatchObject({ ordinals: [2] });
    expect(x('add the second one', 'en').budget).toBeUndefined();
  });
});

describe('tone, change and quantity', () => {
  it('reads tone requests', () => {
    expect(x('be brief', 'en').tone).toBe('brief');
    expect(x('explain in detail', 'en').tone).toBe('detailed');
    expect(x('háblame de tú', 'es').tone).toBe('informal');
    expect(x('trátame de usted', 'es').tone).toBe('formal');
    expect(x('less technical please', 'en').tone).toBe('simple');
    expect(x('sé más técnico', 'es').tone).toBe('technical');
    expect(x('my style is casual', 'en').tone).toBeUndefined();
  });
  it('reads what should change', () => {
    expect(x('in another colour', 'en').change).toEqual(['colour']);
    expect(x('de otra marca', 'es').change).toEqual(['brand']);
    expect(x('otro color y otra talla', 'es').change).toEqual(['colour', 'size']);
  });
  it('reads quantities', () => {
    expect(x('add two of those', 'en').quantity).toBe(2);
    expect(x('pon 3 en la cesta', 'es').quantity).toBe(3);
    expect(x('add the second one', 'en').quantity).toBeUndefined();
  });
});

describe('a whole message', () => {
  it('reads everything at once and says where it found it', () => {
    const s = x('Quiero unas zapatillas Nike para correr, rojas, talla 42, de menos de 100 euros y nada de rosa', 'es');
    expect(s).toMatchObject({
      productType: 'sneakers',
      brand: 'Nike',
      use: 'running',
      colour: 'Rojo',
      size: '42',
      budget: { max: 100, currency: 'EUR' },
      excluded: { colours: ['pink'] },
    });
    const brand = s.mentions.find((m) => m.slot === 'brand');
    expect(brand).toMatchObject({ text: 'Nike', value: 'Nike' });
    expect(s.mentions.map((m) => m.start)).toEqual([...s.mentions.map((m) => m.start)].sort((a, b) => a - b));
  });
  it('works with an empty catalog and on empty input', () => {
    const empty = buildVocabulary([]);
    expect(extractSlots('auriculares rojos baratos', 'es', empty)).toMatchObject({ productType: 'headphones', colour: 'red', budget: { relative: 'cheap' } });
    expect(extractSlots('', 'en', empty)).toEqual({ excluded: { brands: [], colours: [], categories: [], tags: [], styles: [] }, mentions: [] });
  });
});

describe('numbers', () => {
  it('parses both decimal conventions', () => {
    expect(parseDigits('1.000')).toBe(1000);
    expect(parseDigits('1,000')).toBe(1000);
    expect(parseDigits('59,99')).toBe(59.99);
    expect(parseDigits('59.99')).toBe(59.99);
    expect(parseDigits('1.234.567')).toBe(1234567);
    expect(parseDigits('1,500.50')).toBe(1500.5);
    expect(parseDigits('1.500,50')).toBe(1500.5);
    expect(parseDigits('2k')).toBe(2000);
    expect(parseDigits('1,5 mil')).toBe(1500);
  });
  it('parses number words', () => {
    expect(parseNumberWords('twenty-five', 'en')).toBe(25);
    expect(parseNumberWords('a hundred and twenty', 'en')).toBe(120);
    expect(parseNumberWords('two thousand five hundred', 'en')).toBe(2500);
    expect(parseNumberWords('treinta y cinco', 'es')).toBe(35);
    expect(parseNumberWords('ciento cincuenta', 'es')).toBe(150);
    expect(parseNumberWords('dos mil quinientos', 'es')).toBe(2500);
    expect(parseNumberWords('mil', 'es')).toBe(1000);
    expect(parseNumberWords('one', 'en')).toBeUndefined();
    expect(parseNumberWords('una', 'es')).toBeUndefined();
  });
});

describe('a type the catalogue names in the plural with -es', () => {
  // A bilingual shop: every smartwatch has the type "smartwatches", the Spanish ones also the tag
  // "reloj inteligente". Reading "smartwatch" as that tag found only the Spanish items.
  const shop = buildVocabulary([
    { tags: ['smartwatches', 'gps'], attributes: { productType: 'smartwatches' } },
    { tags: ['smartwatches', 'reloj inteligente'], attributes: { productType: 'smartwatches' } },
  ]);
  it('reads the singular, in either language, as the catalogue type that every item of the kind carries', () => {
    expect(extractSlots('smartwatch under 180 €', 'en', shop).productType).toBe('smartwatches');
    expect(extractSlots('busco un reloj inteligente', 'es', shop).productType).toBe('smartwatches');
  });
});
