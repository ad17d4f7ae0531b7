// The chat's form without HTTP: which slot is asked next, the quick replies read from the catalogue,
// whether a message fills the slot pending, and "it doesn't matter" (the mutation run's fast tests for
// src/converse/turn/form.ts; the assistant's HTTP tests reach it too, at ~30 s a mutant). Prices in the
// quick replies are written out as the person reads them, never built with formatPrice.
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import { emptyExcluded, type Wanted } from '../../src/converse/catalog-search.ts';
import type { ProductAsk } from '../../src/converse/grounding/request.ts';
import type { Understanding } from '../../src/converse/nlu/index.ts';
import type { Slots } from '../../src/converse/nlu/slots.ts';
import { type AskableSlot, type ChatSession, newSession } from '../../src/converse/session.ts';
import type { Style } from '../../src/converse/templates.ts';
import * as form from '../../src/converse/turn/form.ts';
import { filled, SKIP } from '../../src/converse/turn/form.ts';
import type { Deps, Turn } from '../../src/converse/turn/types.ts';
import type { StoredItem } from '../../src/domain/schemas.ts';

const item = (id: string, o: Partial<StoredItem> = {}): StoredItem => ({ id, title: id, available: true, updatedAt: 0, ...o }) as StoredItem;
const want = (o: Partial<Wanted> = {}): Wanted => ({ excluded: emptyExcluded(), ...o });
/**
 * A new snapshot of the catalogue (new array, new item objects), as the catalogue makes on every change.
 * The catalogue search memoises per snapshot, and a mutation run loads the module once for every
 * mutant: answers cached from an earlier run on the same objects would hide the mutant.
 */
const fresh = (items: readonly StoredItem[]): StoredItem[] => items.map((it) => ({ ...it }));

/** A shoe: typed by its attributes, filed under Footwear, titled so a grounded "shoe" finds it. */
const shoe = (id: string, price: number | undefined, use: string, colour: string, o: Partial<StoredItem> = {}) =>
  item(id, {
    title: `Trail shoe ${id}`,
    categories: ['Footwear'],
    ...(price === undefined ? {} : { price, currency: 'EUR' }),
    attributes: { productType: 'shoes', use, colour },
    ...o,
  });

/**
 * Ten shoes, in no order of price: running 4, hiking 3, casual 2, trail 1; red 4, blue 2, black 2,
 * green 1, white 1. Sorted prices 12, 23, 37, 41, 59, 77.5, 88, 120, 164.99, 245: the terciles are
 * the 4th (41, to fives 40) and the 7th (88, to fives 90). Two jackets, dearer and in other uses and
 * colours, are another kind: they change none of the shoes' options.
 */
const SHOES = [
  shoe('s1', 37, 'running', 'red'),
  shoe('s2', 164.99, 'hiking', 'blue'),
  shoe('s3', 12, 'running', 'black'),
  shoe('s4', 88, 'casual', 'red'),
  shoe('s5', 41, 'running', 'green'),
  shoe('s6', 245, 'hiking', 'white'),
  shoe('s7', 59, 'casual', 'red'),
  shoe('s8', 23, 'trail', 'blue'),
  shoe('s9', 120, 'running', 'black'),
  shoe('s10', 77.5, 'hiking', 'red'),
];
const JACKETS = [
  item('j1', {
    title: 'Rain jacket',
    categories: ['Outerwear'],
    price: 500,
    currency: 'EUR',
    attributes: { productType: 'jackets', use: 'trail', colour: 'yellow' },
  }),
  item('j2', {
    title: 'Down jacket',
    categories: ['Outerwear'],
    price: 600,
    currency: 'EUR',
    attributes: { productType: 'jackets', use: 'trail', colour: 'yellow' },
  }),
];
const STORE = [...SHOES, ...JACKETS];

/** "shoes" as grounding reads it (English stem), for a request with no type or category. */
const SHOE_ASK: ProductAsk = { label: 'zapatillas', variants: [{ lang: 'en', head: 'shoe', mods: [] }], part: false };

function session(w: Partial<Wanted>, o: Partial<ChatSession> = {}): ChatSession {
  return { ...newSession('s', 'u', 0), wanted: want(w), ...o };
}
const next = (s: ChatSession, items: readonly StoredItem[] = STORE) => form.nextQuestion(s, fresh(items));

const EN: Style = { lang: 'en', tone: 'direct', address: 'tu' };
const ES: Style = { lang: 'es', tone: 'direct', address: 'tu' };

/** Asks `slot` against `items` (the workspace "w1"'s catalogue), in a style with one wording per question. */
async function ask(slot: AskableSlot, s: ChatSession, items: readonly StoredItem[] = STORE, style: Style = EN) {
  const d = {
    // Any other workspace has an empty catalogue: the question is read from the turn's own.
    catalog: async (ws: string) => new Catalog(ws === 'w1' ? fresh(items) : []),
  } as Partial<Deps> as Deps;
  const t = { ws: 'w1', session: s, style, seed: 'seed' } as Partial<Turn> as Turn;
  return form.ask(d, t, slot);
}
/** Only the quick replies of the question, or null when it is not asked. */
const options = async (slot: AskableSlot, w: Partial<Wanted>, items: readonly StoredItem[] = STORE, style: Style = EN) =>
  (await ask(slot, session(w), items, style))?.suggestions ?? null;

const understood = (o: Partial<Slots>): Understanding =>
  ({ slots: { excluded: emptyExcluded(), mentions: [], ...o } }) as Partial<Understanding> as Understanding;

describe('filled: whether a message answers the slot asked for', () => {
  it('the product: a type or a category', () => {
    expect(filled(understood({ productType: 'shoes' }), 'product')).toBe(true);
    expect(filled(understood({ category: 'Footwear' }), 'product')).toBe(true);
    expect(filled(understood({ use: 'running', colour: 'red', budget: { max: 50 } }), 'product')).toBe(false);
  });

  it('the budget: any budget said', () => {
    expect(filled(understood({ budget: { max: 50 } }), 'budget')).toBe(true);
    expect(filled(understood({ budget: { relative: 'cheap' } }), 'budget')).toBe(true);
    expect(filled(understood({ productType: 'shoes', use: 'running' }), 'budget')).toBe(false);
  });

  it('the use: a use said', () => {
    expect(filled(understood({ use: 'running' }), 'use')).toBe(true);
    expect(filled(understood({ productType: 'shoes', budget: { max: 50 }, colour: 'red' }), 'use')).toBe(false);
  });

  it('the taste: a colour, a brand, or colours ruled out; brands ruled out do not answer it', () => {
    expect(filled(understood({ colour: 'red' }), 'colour')).toBe(true);
    expect(filled(understood({ brand: 'Nike' }), 'colour')).toBe(true);
    expect(filled(understood({ excluded: { ...emptyExcluded(), colours: ['red'] } }), 'colour')).toBe(true);
    expect(filled(understood({ excluded: { ...emptyExcluded(), brands: ['Nike'] } }), 'colour')).toBe(false);
    expect(filled(understood({ productType: 'shoes', use: 'running' }), 'colour')).toBe(false);
  });
});

describe('SKIP: "it does not matter"', () => {
  it.each([
    "Doesn't matter",
    'doesnt matter',
    'it does not matter',
    'no matter',
    "I don't care",
    'dont care',
    'any',
    'anything is fine',
    'whatever',
    'no budget',
    'no limit',
    'no preference',
    'me da igual',
    'da igual',
    'cualquiera',
    'cualquier',
    'sin límite',
    'sin limite',
    'sin preferencia',
    'lo que sea',
    'no importa',
  ])('"%s" skips the question', (text) => {
    expect(SKIP.test(text)).toBe(true);
  });

  it.each(['red please', 'under 50', 'anyway, running', 'for my company', 'para correr', 'sinfonía', 'I have no idea yet', 'importante'])(
    '"%s" does not',
    (text) => {
      expect(SKIP.test(text)).toBe(false);
    },
  );
});

describe('nextQuestion: which slot to ask for', () => {
  it('the product first, when nothing names it, unless asked or skipped already', () => {
    expect(next(session({}))).toBe('product');
    expect(next(session({ use: 'running', budget: { max: 50 } }))).toBe('product');
    expect(next(session({}, { skipped: ['product'] }))).toBeNull();
    expect(next(session({}, { asked: ['product'] }))).toBeNull();
  });

  it('a type, a category or a grounded product each name the product: the budget comes next', () => {
    expect(next(session({ productType: 'shoes' }))).toBe('budget');
    expect(next(session({ category: 'Footwear' }))).toBe('budget');
    expect(next(session({ ask: SHOE_ASK }))).toBe('budget');
  });

  it('then the use, then the colour, each once it is said, asked or skipped', () => {
    expect(next(session({ productType: 'shoes', budget: { max: 300 } }))).toBe('use');
    expect(next(session({ productType: 'shoes' }, { skipped: ['budget'] }))).toBe('use');
    expect(next(session({ productType: 'shoes' }, { asked: ['budget'] }))).toBe('use');
    expect(next(session({ productType: 'shoes', budget: { max: 300 }, use: 'running' }))).toBe('colour');
    expect(next(session({ productType: 'shoes', budget: { max: 300 } }, { skipped: ['use'] }))).toBe('colour');
    expect(next(session({ productType: 'shoes' }, { asked: ['use'], skipped: ['budget'] }))).toBe('colour');
    expect(next(session({ productType: 'shoes', use: 'running' }, { skipped: ['budget', 'colour'] }))).toBeNull();
    expect(next(session({ productType: 'shoes', use: 'running' }, { asked: ['colour'], skipped: ['budget'] }))).toBeNull();
  });

  it('an occasion ("a gift") leaves the use question open; a use does not', () => {
    expect(next(session({ productType: 'shoes', budget: { max: 300 }, use: 'gift' }))).toBe('use');
    expect(next(session({ productType: 'shoes', budget: { max: 300 }, use: 'hiking' }))).toBe('colour');
  });

  it('a colour, a brand or colours ruled out in this request are a taste given: no colour question', () => {
    const given = { productType: 'shoes', budget: { max: 300 }, use: 'running' };
    expect(next(session({ ...given, colour: 'red' }))).toBeNull();
    expect(next(session({ ...given, brand: 'Nike' }))).toBeNull();
    expect(next(session(given, { tasteSaid: true }))).toBeNull();
    expect(next(session(given, { tasteSaid: false }))).toBe('colour');
  });

  it('at most two questions per request, the product question included', () => {
    expect(next(session({ productType: 'shoes' }, { asked: ['product', 'budget'] }))).toBeNull();
    expect(next(session({ productType: 'shoes', budget: { max: 300 } }, { asked: ['budget', 'use'] }))).toBeNull();
    expect(next(session({}, { asked: ['budget', 'use'] }))).toBeNull();
    expect(next(session({ productType: 'shoes' }, { asked: ['product'] }))).toBe('budget');
  });

  it('no question when three or fewer items fit: four do, three do not, nor four with one moved away from', () => {
    const four = [shoe('a', 10, 'running', 'red'), shoe('b', 20, 'hiking', 'blue'), shoe('c', 30, 'casual', 'black'), shoe('d', 40, 'trail', 'green')];
    expect(next(session({ productType: 'shoes' }), four)).toBe('budget');
    expect(next(session({ productType: 'shoes' }), four.slice(0, 3))).toBeNull();
    expect(next(session({ productType: 'shoes' }, { rejected: ['b'] }), four)).toBeNull();
    expect(next(session({ productType: 'shoes' }, { rejected: ['j1'] }), [...four, ...JACKETS])).toBe('budget');
    // Items ruled out by colour do not fit either.
    expect(next(session({ productType: 'shoes', excluded: { ...emptyExcluded(), colours: ['red'] } }), four)).toBeNull();
  });

  it('a question the catalogue gives nothing to choose from is passed over', () => {
    // No prices: no budget question. One use: no use question. Four colours: the colour question.
    const plain = ['red', 'blue', 'black', 'green'].map((c, i) => shoe(`p${i}`, undefined, 'running', c));
    expect(next(session({ productType: 'shoes' }), plain)).toBe('colour');
    // Three colours: nothing left to ask.
    expect(
      next(
        session({ productType: 'shoes' }),
        plain.map((it, i) => (i === 3 ? { ...it, attributes: { productType: 'shoes', use: 'running', colour: 'red' } } : it)),
      ),
    ).toBeNull();
    // Two uses and priced: the budget, then the use.
    const priced = plain.map((it, i) => ({
      ...it,
      price: 10 * (i + 1),
      currency: 'EUR',
      attributes: { productType: 'shoes', use: i % 2 ? 'hiking' : 'running', colour: 'red' },
    }));
    expect(next(session({ productType: 'shoes' }), priced)).toBe('budget');
    expect(next(session({ productType: 'shoes', budget: { max: 300 } }), priced)).toBe('use');
    expect(next(session({ productType: 'shoes', budget: { max: 300 }, use: 'gift' }), priced)).toBe('use');
    // The use said and one colour: none.
    expect(next(session({ productType: 'shoes', budget: { max: 300 }, use: 'running' }), priced)).toBeNull();
  });
});

describe('ask: the question and its quick replies', () => {
  it('the budget: under the first tercile, between the two, over the second, rounded to fives', async () => {
    const s = session({ productType: 'shoes' });
    expect(await ask('budget', s)).toEqual({ reply: 'Budget for shoes?', suggestions: ['Under 40 €', '40 € to 90 €', 'Over 90 €', "Doesn't matter"] });
    expect(s.requested).toBe('budget');
    expect(s.asked).toEqual([]);
    expect(await ask('budget', session({ productType: 'shoes' }), STORE, ES)).toEqual({
      reply: '¿Presupuesto para zapatos?',
      suggestions: ['Menos de 40 €', 'Entre 40 € y 90 €', 'Más de 90 €', 'Me da igual'],
    });
  });

  it('prices of 100 and more round to tens, under 100 to fives, never under 5', async () => {
    const priced = (prices: number[]) => prices.map((p, i) => shoe(`p${i}`, p, 'running', 'red'));
    // Terciles 164.99 (to tens 160; to fives it would be 165) and 245 (250).
    expect(await options('budget', { productType: 'shoes' }, priced([480, 120, 164.99, 199, 245, 150]))).toEqual([
      'Under 160 €',
      '160 € to 250 €',
      'Over 250 €',
      "Doesn't matter",
    ]);
    // Terciles 37 (to fives 35; to tens it would be 40) and 43 (45).
    expect(await options('budget', { productType: 'shoes' }, priced([37, 20, 43, 90, 30, 40]))).toEqual([
      'Under 35 €',
      '35 € to 45 €',
      'Over 45 €',
      "Doesn't matter",
    ]);
    // Terciles 2.4 (to fives 0: 5 at least) and 14 (15).
    expect(await options('budget', { productType: 'shoes' }, priced([1, 30, 2.4, 14, 9, 2]))).toEqual([
      'Under 5 €',
      '5 € to 15 €',
      'Over 15 €',
      "Doesn't matter",
    ]);
    // 99.9 rounds to fives (100), 104 to tens (100): the same threshold, no question.
    expect(await options('budget', { productType: 'shoes' }, priced([90, 99.9, 104]))).toBeNull();
  });

  it('the terciles of the prices the kind has: three are enough, two are not, unpriced items do not count', async () => {
    const three = [shoe('a', 30, 'running', 'red'), shoe('b', 10, 'running', 'red'), shoe('c', 20, 'running', 'red')];
    expect(await options('budget', { productType: 'shoes' }, three)).toEqual(['Under 20 €', '20 € to 30 €', 'Over 30 €', "Doesn't matter"]);
    expect(await options('budget', { productType: 'shoes' }, [three[0], three[1]])).toBeNull();
    const unpriced = [shoe('x', undefined, 'running', 'red'), shoe('y', undefined, 'running', 'red')];
    expect(await options('budget', { productType: 'shoes' }, [three[0], three[1], ...unpriced])).toBeNull();
    expect(await options('budget', { productType: 'shoes' }, [...unpriced, ...three])).toEqual(['Under 20 €', '20 € to 30 €', 'Over 30 €', "Doesn't matter"]);
    // The jackets' prices are not the shoes'.
    expect(await options('budget', { productType: 'shoes' }, [...three, ...JACKETS])).toEqual(['Under 20 €', '20 € to 30 €', 'Over 30 €', "Doesn't matter"]);
  });

  it('no budget question when both terciles round to the same price', async () => {
    const close = [shoe('a', 42, 'running', 'red'), shoe('b', 40, 'running', 'red'), shoe('c', 41, 'running', 'red')];
    const s = session({ productType: 'shoes' });
    expect(await ask('budget', s, close)).toBeNull();
    expect(s.requested).toBeNull();
  });

  it('in the currency of the first item that has one', async () => {
    const usd = [item('n', { title: 'Trail shoe n', attributes: { productType: 'shoes' } }), ...SHOES.map((it) => ({ ...it, currency: 'USD' }))];
    expect(await options('budget', { productType: 'shoes' }, usd)).toEqual(['Under $40', '$40 to $90', 'Over $90', "Doesn't matter"]);
  });

  it('the product: the four categories with the most items available, ties by name, in the reply language', async () => {
    const shop = [
      ...['s1', 's2', 's3'].map((id) => item(id, { categories: ['shoes'] })),
      ...['j1', 'j2', 'j3'].map((id) => item(id, { categories: ['jackets'] })),
      ...['t1', 't2'].map((id) => item(id, { categories: ['toy'] })),
      ...['b1', 'b2'].map((id) => item(id, { categories: ['books'] })),
      item('g1', { categories: ['garden'] }),
      ...['g2', 'g3'].map((id) => item(id, { categories: ['garden'], available: false })),
      item('none'),
    ];
    const s = session({});
    expect(await ask('product', s, shop)).toEqual({ reply: 'Which product?', suggestions: ['Jackets', 'Shoes', 'Books', 'Toy'] });
    expect(s.requested).toBe('product');
    expect(await options('product', {}, shop, ES)).toEqual(['Chaqueta', 'Zapatos', 'Libro', 'Juguete']);
    // An item in two categories counts in both.
    expect(await options('product', {}, [item('a', { categories: ['toy', 'books'] }), item('b', { categories: ['books'] })])).toEqual(['Books', 'Toy']);
    // No categories: nothing to offer, no question.
    expect(await options('product', {}, [item('a'), item('b')])).toBeNull();
  });

  it('the use: the three commonest uses of the kind, ties by name, and "it does not matter"', async () => {
    expect(await ask('use', session({ productType: 'shoes' }))).toEqual({
      reply: 'Main use?',
      suggestions: ['Running', 'Hiking', 'Casual', "Doesn't matter"],
    });
    expect(await options('use', { productType: 'shoes' }, STORE, ES)).toEqual(['Correr', 'Senderismo', 'El día a día', 'Me da igual']);
    // Two uses are enough to ask, one is not.
    const two = [shoe('a', 10, 'trail', 'red'), shoe('b', 10, 'hiking', 'red'), shoe('c', 10, 'trail', 'red')];
    expect(await options('use', { productType: 'shoes' }, two)).toEqual(['Trail', 'Hiking', "Doesn't matter"]);
    expect(await options('use', { productType: 'shoes' }, [two[0], two[2]])).toBeNull();
    const tie = [shoe('a', 10, 'trail', 'red'), shoe('b', 10, 'hiking', 'red')];
    expect(await options('use', { productType: 'shoes' }, tie)).toEqual(['Hiking', 'Trail', "Doesn't matter"]);
  });

  it('the colour: four colours to choose from at least, the colours ruled out left out', async () => {
    expect(await ask('colour', session({ productType: 'shoes' }))).toEqual({
      reply: 'Colour?',
      suggestions: ['Red', 'Black', 'Blue', "Doesn't matter"],
    });
    expect(await options('colour', { productType: 'shoes' }, STORE, ES)).toEqual(['Rojo', 'Negro', 'Azul', 'Me da igual']);
    const noRed = { productType: 'shoes', excluded: { ...emptyExcluded(), colours: ['RED'] } };
    expect(await options('colour', noRed)).toEqual(['Black', 'Blue', 'Green', "Doesn't matter"]);
    const noRedNorGreen = { productType: 'shoes', excluded: { ...emptyExcluded(), colours: ['red', 'Green'] } };
    expect(await options('colour', noRedNorGreen)).toBeNull();
    // Four colours exactly: asked; three: not.
    const four = ['red', 'blue', 'black', 'green'].map((c, i) => shoe(`p${i}`, 10, 'running', c));
    expect(await options('colour', { productType: 'shoes' }, four)).toEqual(['Black', 'Blue', 'Green', "Doesn't matter"]);
    expect(await options('colour', { productType: 'shoes' }, four.slice(0, 3))).toBeNull();
  });

  it("names the product by its type, else its category; the turn's workspace's catalogue is read", async () => {
    expect((await ask('budget', session({ productType: 'shoes', category: 'Footwear' })))?.reply).toBe('Budget for shoes?');
    expect((await ask('budget', session({ category: 'Footwear' })))?.reply).toBe('Budget for Footwear?');
    expect((await ask('budget', session({ category: 'Footwear' }), STORE, ES))?.reply).toBe('¿Presupuesto para zapatos?');
    expect((await ask('use', session({ productType: 'shoes' }), STORE, { ...EN, tone: 'technical' }))?.reply).toBe(
      'What is the primary use case? It determines which features matter.',
    );
  });

  it("a product grounded in the catalogue with no type or category is named in the person's words", async () => {
    // Was "Nice,! What budget…" / "¡Genial,! ¿Qué presupuesto…" ("I want a table" where the titles say table).
    expect((await ask('budget', session({ ask: { ...SHOE_ASK, label: 'trail shoes' } })))?.reply).toBe('Budget for trail shoes?');
    expect((await ask('budget', session({ ask: SHOE_ASK }), STORE, ES))?.reply).toBe('¿Presupuesto para zapatillas?');
    expect((await ask('budget', session({ ask: SHOE_ASK, productType: 'shoes' }), STORE, ES))?.reply).toBe('¿Presupuesto para zapatos?');
  });

  it('names no product when none is named (the form never asks the budget before the product)', async () => {
    expect((await ask('budget', session({})))?.reply).toBe('Budget for?');
    expect((await ask('use', session({})))?.reply).toBe('Main use?');
  });

  it('nothing to offer: no question, and the slot pending is left as it was', async () => {
    const s = session({ productType: 'shoes' }, { requested: 'use' });
    expect(await ask('budget', s, [])).toBeNull();
    expect(await ask('product', s, [])).toBeNull();
    expect(await ask('use', s, [])).toBeNull();
    expect(await ask('colour', s, [])).toBeNull();
    expect(s.requested).toBe('use');
  });
});
