// The survivors of the Stryker run of slots.ts on 2026-12-03 (/tmp/mut/slots.jsonl), lines 431–935 of
// the file as it was then (6 lines further down since aedab1d): sizes, tone, change, quantity, the
// negators' scopes, the typos and how entities become slots. Each expectation is written out; each
// test names the lines (of that run) whose mutants it kills.
import { describe, expect, it } from 'vitest';
import { extractSlots, type Mention, type Slots } from '../../../src/converse/nlu/slots.ts';
import { buildVocabulary } from '../../../src/converse/nlu/vocabulary.ts';
import type { ItemInput } from '../../../src/domain/schemas.ts';

const items: ItemInput[] = [
  { id: 'h1', title: 'Sony WH-1000', categories: ['Headphones'], tags: ['wireless', 'noise cancelling'], attributes: { brand: 'Sony', colour: 'black' } },
  { id: 'h2', title: 'EarPods', categories: ['Headphones'], tags: ['wired'], attributes: { brand: 'Apple', colour: 'white' } },
  { id: 's1', title: 'Pegasus', categories: ['Shoes > Running shoes'], tags: ['running'], attributes: { brand: 'Nike', colour: 'Rojo' } },
  { id: 's2', title: 'Cloud', categories: ['Shoes > Running shoes'], attributes: { brand: 'On' } },
  { id: 'j1', title: 'Shell', categories: ['Jackets'], tags: ['waterproof'], attributes: { brand: 'The North Face' } },
  { id: 'k1', title: 'Kettle', categories: ['Kitchen'], attributes: { brand: 'Bosch' } },
  { id: 'x1', title: 'Tee', categories: ['T-shirts'], tags: ['plastic', '100 pack'], attributes: { brand: 'No Fear' } },
  { id: 'x2', title: 'Fan', categories: ['Fans'] },
  { id: 'x3', title: 'Table', categories: ['Tables'] },
  { id: 'x4', title: 'Tablet', categories: ['Tablets'] },
  { id: 'x5', title: 'Battery', categories: ['Batteries'] },
  { id: 'x6', title: 'Lamp', categories: ['Lamps'] },
  { id: 'x7', title: 'Luz', categories: ['Luz'] },
];
const vocab = buildVocabulary(items);
const x = (text: string, lang: 'en' | 'es' = 'en'): Slots => extractSlots(text, lang, vocab);
const none = { brands: [], colours: [], categories: [], tags: [], styles: [] };
const m = (slot: string, value: Mention['value'], text: string, start: number, extra: Partial<Mention> = {}): Mention => ({
  slot,
  value,
  text,
  start,
  end: start + text.length,
  ...extra,
});
/** The whole slots of a message: anything else set (even to undefined) fails. */
const slots = (rest: Partial<Slots>, mentions: Mention[], excluded: Partial<Slots['excluded']> = {}): Slots => ({
  excluded: { ...none, ...excluded },
  mentions,
  ...rest,
});

describe('extractSize', () => {
  // L433 (one size's spelling), L444 / L450 (the mentions of a cued and a standalone size).
  it('reads "talla única" as one size, and a cued and a standalone size with their spans', () => {
    expect(x('talla única por favor', 'es')).toStrictEqual(slots({ size: 'one size' }, [m('size', 'one size', 'talla única', 0)]));
    expect(x('size 42 and xl')).toStrictEqual(slots({ size: '42' }, [m('size', '42', 'size 42', 0), m('size', 'XL', 'xl', 12)]));
  });

  // L441: "I'm a 3" is no size (a person, not a size), but "I'm a 4", "im a m" and "size 3" are; the
  // rejected "I'm a 3" leaves its 3 to the quantity ("3 of those").
  it('"I\'m a 3" is no size; "I\'m a 4", "im a m", "size 3" are', () => {
    for (const t of ["I'm a 3", 'im a 3', 'i am a 3', 'i am an 3']) expect(x(t)).toStrictEqual(slots({}, []));
    expect(x("I'm a 4")).toStrictEqual(slots({ size: '4' }, [m('size', '4', "I'm a 4", 0)]));
    expect(x('i am an 8')).toStrictEqual(slots({ size: '8' }, [m('size', '8', 'i am an 8', 0)]));
    expect(x('im a m')).toStrictEqual(slots({ size: 'M' }, [m('size', 'M', 'im a m', 0)]));
    expect(x('size 3')).toStrictEqual(slots({ size: '3' }, [m('size', '3', 'size 3', 0)]));
    expect(x("I'm a 3 of those")).toStrictEqual(slots({ quantity: 3 }, [m('quantity', 3, '3 of those', 6)]));
  });

  // L453, L457, L458, L461: "un M", "in  M" (two spaces) in the original's capitals, not again where a cue
  // already read it ("I wear a M").
  it('"un M", "in  M", and "I wear a M" once', () => {
    expect(x('un M', 'es')).toStrictEqual(slots({ size: 'M' }, [m('size', 'M', 'un M', 0)]));
    expect(x('jacket in  M')).toStrictEqual(
      slots({ size: 'M', productType: 'jacket', category: 'Jackets' }, [m('product', 'jacket', 'jacket', 0), m('size', 'M', 'in  M', 7)]),
    );
    expect(x('I wear a M')).toStrictEqual(slots({ size: 'M' }, [m('size', 'M', 'I wear a M', 0)]));
  });

  // L465, L467: screens, with a decimal comma.
  it('"15,6 pulgadas" is 15.6"', () => {
    expect(x('portátil de 15,6 pulgadas', 'es')).toStrictEqual(
      slots({ size: '15.6"', productType: 'laptop' }, [m('product', 'laptop', 'portátil', 0), m('size', '15.6"', '15,6 pulgadas', 12)]),
    );
  });
});

describe('extractTone, extractChange, extractQuantity', () => {
  // L519 (tone mention), L542 (a second mention of the same change), L543 (its mentions).
  it('"be brief" and "another colour, a different color"', () => {
    expect(x('be brief')).toStrictEqual(slots({ tone: 'brief' }, [m('tone', 'brief', 'be brief', 0)]));
    expect(x('another colour, a different color')).toStrictEqual(
      slots({ change: ['colour'] }, [m('change', 'colour', 'another colour', 0), m('change', 'colour', 'different color', 18)]),
    );
  });

  // L551 (the words after a number), L556 (99 is the most), L558 (the mention); a number above 99 after a
  // verb is left to what else reads it: the catalog's "100 pack".
  it('"99 units", "quiero 2 de esos"; "100 units" no quantity, "buy 100 pack" the tag', () => {
    expect(x('99 units')).toStrictEqual(slots({ quantity: 99 }, [m('quantity', 99, '99 units', 0)]));
    expect(x('quiero 2 de esos', 'es')).toStrictEqual(slots({ quantity: 2 }, [m('quantity', 2, 'quiero 2', 0)]));
    expect(x('take 2 of them')).toStrictEqual(slots({ quantity: 2 }, [m('quantity', 2, 'take 2', 0)]));
    expect(x('100 units')).toStrictEqual(slots({}, []));
    expect(x('buy 100 pack')).toStrictEqual(slots({ tags: ['100 pack'] }, [m('tag', '100 pack', '100 pack', 4)]));
  });
});

describe('isNegator', () => {
  // L667 / L670: a negator phrase's first word or a negator as the last word reads past no token.
  it('a message ending in "no", "other", "without" or "can" reads', () => {
    expect(x('Apple no')).toStrictEqual(slots({}, [m('brand', 'Apple', 'Apple', 0, { negated: true })], { brands: ['Apple'] }));
    expect(x('headphones without')).toStrictEqual(slots({ productType: 'headphones', category: 'Headphones' }, [m('product', 'headphones', 'headphones', 0)]));
    expect(x('Sony or other').brand).toBe('Sony');
    expect(x('Sony if you can').brand).toBe('Sony');
  });

  // L671: no / not / don't / doesn't before "you", "only", "hay", "matter" negate nothing; "never mind"
  // does (only those four are excused).
  it('"¿no tienes Sony?", "not only Sony", "don\'t you have Sony?", "it doesn\'t matter Sony or Apple" keep Sony', () => {
    expect(x('¿no tienes Sony?', 'es')).toStrictEqual(slots({ brand: 'Sony' }, [m('brand', 'Sony', 'Sony', 11)]));
    expect(x('not only Sony')).toStrictEqual(slots({ brand: 'Sony' }, [m('brand', 'Sony', 'Sony', 9)]));
    expect(x("don't you have Sony?")).toStrictEqual(slots({ brand: 'Sony' }, [m('brand', 'Sony', 'Sony', 15)]));
    expect(x("it doesn't matter Sony or Apple")).toStrictEqual(slots({ brand: 'Sony' }, [m('brand', 'Sony', 'Sony', 18), m('brand', 'Apple', 'Apple', 26)]));
    expect(x('never mind Apple')).toStrictEqual(slots({}, [m('brand', 'Apple', 'Apple', 11, { negated: true })], { brands: ['Apple'] }));
    expect(x('without Sony').excluded.brands).toStrictEqual(['Sony']);
  });

  // L672: no / not + a clitic + an excused word ("¿No la tienen…?", "not me only") negate nothing; other
  // negators before a clitic, and "no me gusta", do.
  it('"¿No la tienen en rojo?" keeps red; "no me gusta el rojo", "¿Nunca la tienen en rojo?" exclude it', () => {
    expect(x('¿No la tienen en rojo?', 'es')).toStrictEqual(slots({ colour: 'Rojo' }, [m('colour', 'Rojo', 'rojo', 17)]));
    expect(x('not me only Apple')).toStrictEqual(slots({ brand: 'Apple' }, [m('brand', 'Apple', 'Apple', 12)]));
    expect(x('no me gusta el rojo', 'es')).toStrictEqual(slots({}, [m('colour', 'Rojo', 'rojo', 15, { negated: true })], { colours: ['Rojo'] }));
    expect(x('¿Nunca la tienen en rojo?', 'es')).toStrictEqual(slots({}, [m('colour', 'Rojo', 'rojo', 20, { negated: true })], { colours: ['Rojo'] }));
    expect(x('no Sony')).toStrictEqual(slots({}, [m('brand', 'Sony', 'Sony', 3, { negated: true })], { brands: ['Sony'] }));
    expect(x('el rojo no me', 'es')).toStrictEqual(slots({ colour: 'Rojo' }, [m('colour', 'Rojo', 'rojo', 3)]));
  });
});

describe('hasCue and sameNoun', () => {
  // L680, L683, L685: a cue-only word ("trip") needs "for" within three words back, past only skippable ones.
  it('"for a trip" is travel; "the trip", "for long trips", "for my going some trip" are not', () => {
    expect(x('for a trip')).toStrictEqual(slots({ use: 'travel' }, [m('use', 'travel', 'trip', 6)]));
    expect(x('the trip')).toStrictEqual(slots({}, []));
    expect(x('trip')).toStrictEqual(slots({}, []));
    expect(x('for long trips')).toStrictEqual(slots({}, []));
    expect(x('for my going some trip')).toStrictEqual(slots({}, []));
  });

  // L693 / L694: "battery" is the catalog's "Batteries", "luces" its "Luz", "jewelries" jewellery.
  it('"battery", "jewelries", "luces" find their plural or singular', () => {
    expect(x('battery')).toStrictEqual(slots({ category: 'Batteries' }, [m('category', 'Batteries', 'battery', 0)]));
    expect(x('jewelries')).toStrictEqual(slots({ productType: 'jewellery' }, [m('product', 'jewellery', 'jewelries', 0)]));
    expect(x('luces', 'es')).toStrictEqual(slots({ category: 'Luz' }, [m('category', 'Luz', 'luces', 0)]));
  });
});

describe('typos', () => {
  const typo = (text: string, value: string, form: string, start = 0, rest: Partial<Slots> = { productType: value }) =>
    expect(x(text)).toStrictEqual(slots(rest, [m('product', value, text.slice(start), start, { form })]));

  // L752–L756: one letter dropped, added, changed, or two swapped.
  it('"dres", "drexss", "drews", "drses" are dress; "drsxs", "drxes", "drsex", "blorf" nothing', () => {
    typo('dres', 'dress', 'dress');
    typo('drexss', 'dress', 'dress');
    typo('drews', 'dress', 'dress');
    typo('drses', 'dress', 'dress');
    for (const t of ['drsxs', 'drxes', 'drsex', 'blorf', 'dre5s']) expect(x(t)).toStrictEqual(slots({}, []));
  });

  // L740: only one-word products, categories, uses and colours of five letters or more: not the brand
  // "Bosch", the short "lamp" or the first word of "bluetooth speaker".
  it('"boshc", "lamo", "bluetoth" are no typos', () => {
    expect(x('boshc kettle')).toStrictEqual(slots({ productType: 'kettle' }, [m('product', 'kettle', 'kettle', 6)]));
    for (const t of ['lamo', 'bluetoth']) expect(x(t)).toStrictEqual(slots({}, []));
  });

  // L742, L767, L770: of two forms one edit away, the vocabulary's first, whatever their lengths ("tabled" →
  // tablet, not Tables; "shoets" → shoes, not shorts; "carera" → cartera, not the shorter camera).
  it('"tabled" is tablet, "shoets" shoes, "carera" a bag', () => {
    typo('tabled', 'tablet', 'tablet', 0, { productType: 'tablet', category: 'Tablets' });
    typo('shoets', 'shoes', 'shoes');
    expect(x('carera', 'es')).toStrictEqual(slots({ productType: 'bag' }, [m('product', 'bag', 'carera', 0, { form: 'cartera' })]));
  });

  // L774: a typo of a cue-only word needs the cue.
  it('"para la carrrera" is running, "carrrera" alone nothing', () => {
    expect(x('para la carrrera', 'es')).toStrictEqual(slots({ use: 'running' }, [m('use', 'running', 'carrrera', 8, { form: 'carrera' })]));
    expect(x('carrrera', 'es')).toStrictEqual(slots({}, []));
  });
});

describe('matchEntities, negatedHits, applyEntities', () => {
  // L790 (a phrase across punctuation), L791 (a capitalised brand needs its first letter up), L793 (every
  // word of a strict phrase: "run" is not "running"), L863 (a feature's mention is "tags").
  it('"noise, cancelling" is no tag; "oN shoes" no brand On; "waterproof" a tags mention', () => {
    expect(x('noise, cancelling')).toStrictEqual(slots({}, []));
    expect(x('noise cancelling')).toStrictEqual(slots({ tags: ['noise cancelling'] }, [m('tags', 'noise cancelling', 'noise cancelling', 0)]));
    expect(x('oN shoes')).toStrictEqual(slots({ productType: 'shoes' }, [m('product', 'shoes', 'shoes', 3)]));
    expect(x('On shoes')).toStrictEqual(slots({ brand: 'On', productType: 'shoes' }, [m('brand', 'On', 'On', 0), m('product', 'shoes', 'shoes', 3)]));
    expect(x('waterproof')).toStrictEqual(slots({ tags: ['waterproof'] }, [m('tags', 'waterproof', 'waterproof', 0)]));
    expect(x('run shoes')).toStrictEqual(slots({ productType: 'shoes' }, [m('product', 'shoes', 'shoes', 4)]));
  });

  // L812, L814: a brand holding a negator ("No Fear") negates nothing, a negator before a two-word tag
  // negates it; L834: a negator ends the scope of the
  // one before (the "fan" in "not a fan of" is not a product).
  it('"No Fear jackets" keeps the jackets; "no noise cancelling" excludes the tag; "no not a fan of Sony" Sony only', () => {
    expect(x('No Fear jackets')).toStrictEqual(
      slots({ brand: 'No Fear', productType: 'jacket', category: 'Jackets' }, [m('brand', 'No Fear', 'No Fear', 0), m('product', 'jacket', 'jackets', 8)]),
    );
    expect(x('no noise cancelling')).toStrictEqual(
      slots({}, [m('tags', 'noise cancelling', 'noise cancelling', 3, { negated: true })], { tags: ['noise cancelling'] }),
    );
    expect(x('no not a fan of Sony')).toStrictEqual(
      slots({ category: 'Fans' }, [m('category', 'Fans', 'fan', 9), m('brand', 'Sony', 'Sony', 16, { negated: true })], { brands: ['Sony'] }),
    );
  });

  // L821, L836 (six words of scope), L826, L831 (boundaries and soft boundaries once caught).
  it('the scope: six words, "but", and "quiero" once something is caught', () => {
    expect(x('not something that is made by Sony').excluded.brands).toStrictEqual(['Sony']);
    expect(x('not something that is really made by Sony')).toStrictEqual(slots({ brand: 'Sony' }, [m('brand', 'Sony', 'Sony', 37)]));
    expect(x('not Apple but Sony')).toStrictEqual(
      slots({ brand: 'Sony' }, [m('brand', 'Apple', 'Apple', 4, { negated: true }), m('brand', 'Sony', 'Sony', 14)], { brands: ['Apple'] }),
    );
    expect(x('no Apple quiero Sony')).toStrictEqual(
      slots({ brand: 'Sony' }, [m('brand', 'Apple', 'Apple', 3, { negated: true }), m('brand', 'Sony', 'Sony', 16)], { brands: ['Apple'] }),
    );
  });

  // L843, L845: "Apple no" (and "no thanks", "no gracias", …) negates what comes before; not across a comma,
  // nor when more follows ("Apple no quiero") unless after a comma ("Apple no, Sony"); "free" after a word does.
  it('a "free" after a comma starts a new wish: "waterproof, free shipping would be nice" keeps waterproof', () => {
    const s = x('waterproof, free shipping would be nice');
    expect(s.excluded.tags).toStrictEqual([]);
    expect(s.tags).toStrictEqual(['waterproof']);
  });

  it('"Apple no thanks" and the like exclude Apple; "Apple, no thanks" and "Apple no quiero" do not', () => {
    for (const [t, lang] of [
      ['Apple no thanks', 'en'],
      ['Apple no gracias', 'es'],
      ['Apple no please', 'en'],
      ['Apple no porfa', 'es'],
      ['Apple no por favor', 'es'],
    ] as const)
      expect(x(t, lang)).toStrictEqual(slots({}, [m('brand', 'Apple', 'Apple', 0, { negated: true })], { brands: ['Apple'] }));
    expect(x('Apple no, Sony please')).toStrictEqual(
      slots({ brand: 'Sony' }, [m('brand', 'Apple', 'Apple', 0, { negated: true }), m('brand', 'Sony', 'Sony', 10)], { brands: ['Apple'] }),
    );
    for (const t of ['Apple, no thanks', 'Apple, no', 'Apple no quiero'])
      expect(x(t)).toStrictEqual(slots({ brand: 'Apple' }, [m('brand', 'Apple', 'Apple', 0)]));
    expect(x('plastic free bottles')).toStrictEqual(
      slots({ productType: 'water bottle' }, [m('tag', 'plastic', 'plastic', 0, { negated: true }), m('product', 'water bottle', 'bottles', 13)], {
        tags: ['plastic'],
      }),
    );
  });

  // L852 (each value once), L856 (words a tone already read are no entity), L892 / L893 (a product
  // without a category or use sets none).
  it('"not Apple, not Apple" once; "be more formal" no style; "dress" no category', () => {
    expect(x('not Apple, not Apple')).toStrictEqual(
      slots({}, [m('brand', 'Apple', 'Apple', 4, { negated: true }), m('brand', 'Apple', 'Apple', 15, { negated: true })], { brands: ['Apple'] }),
    );
    expect(x('wireless and wireless').tags).toStrictEqual(['wireless']);
    expect(x('be more formal')).toStrictEqual(slots({ tone: 'formal' }, [m('tone', 'formal', 'be more formal', 0)]));
    expect(x('dress')).toStrictEqual(slots({ productType: 'dress' }, [m('product', 'dress', 'dress', 0)]));
  });
});
