// The chat's catalogue search without HTTP: facets, kinds, hard and soft constraints, budgets, ranking
// and merging a message into the request (the mutation run's fast tests for src/converse/catalog-search.ts;
// the assistant's HTTP tests reach it too, at ~30 s a mutant).
import { describe, expect, it } from 'vitest';
import * as catalog from '../../src/converse/catalog-search.ts';
import { emptyExcluded, facetsOf, mergeWanted, type Wanted } from '../../src/converse/catalog-search.ts';
import type { ProductAsk } from '../../src/converse/grounding/request.ts';
import type { Mention, Slots } from '../../src/converse/nlu/slots.ts';
import type { StoredItem } from '../../src/domain/schemas.ts';

const item = (id: string, o: Partial<StoredItem> = {}): StoredItem => ({ id, title: id, available: true, updatedAt: 0, ...o }) as StoredItem;
const want = (o: Partial<Wanted> = {}): Wanted => ({ excluded: emptyExcluded(), ...o });
const ids = (items: readonly StoredItem[]) => items.map((it) => it.id);
/** Search with no preference from the recommender (ties go by id), all results. */
const search = (items: readonly StoredItem[], w: Wanted, n = 50, rank: (id: string) => number = () => 0, exclude: ReadonlySet<string> = new Set()) =>
  catalog.searchCatalog(fresh(items), w, rank, exclude, n);
/**
 * A new snapshot of the catalogue (new array, new item objects), as the catalogue makes on every change.
 * The search memoises per snapshot, and a mutation run loads the module once for every mutant: answers
 * cached from an earlier run on the same objects would hide the mutant (false survivors).
 */
function fresh(items: readonly StoredItem[]): StoredItem[] {
  return items.map((it) => ({ ...it }));
}
const itemsOfKind = (items: readonly StoredItem[], w: Wanted) => catalog.itemsOfKind(fresh(items), w);
const countFitting = (items: readonly StoredItem[], w: Wanted, exclude: ReadonlySet<string>) => catalog.countFitting(fresh(items), w, exclude);

describe('facetsOf', () => {
  it('reads kinds, brand, colours, uses and tags from the categories, tags and attributes, folded', () => {
    const f = facetsOf(
      item('x', {
        categories: ['Zapatillas ', 'Running'],
        tags: ['Impermeable'],
        attributes: { tipo: 'Trail', brand: 'Ásics', colors: ['Rojo', 'AZUL'], activity: 'Montaña' },
      }),
    );
    expect([...f.kinds]).toEqual(['zapatillas', 'running', 'trail']);
    expect(f.brand).toBe('Ásics');
    expect([...f.colours]).toEqual(['rojo', 'azul']);
    expect([...f.uses]).toEqual(['montana']);
    expect([...f.tags]).toEqual(['impermeable']);
  });

  it('takes each attribute under any of its names, and nothing from null ones', () => {
    const f = facetsOf(
      item('y', {
        attributes: {
          productType: 'Boot',
          type: 'Shoe',
          marca: 'Nike',
          colour: 'Red',
          color: 'Blue',
          colours: 'Green',
          use: 'hike',
          uses: 'walk',
          usage: 'run',
        },
      }),
    );
    expect([...f.kinds]).toEqual(['boot', 'shoe']);
    expect(f.brand).toBe('Nike');
    expect([...f.colours]).toEqual(['red', 'blue', 'green']);
    expect([...f.uses]).toEqual(['hike', 'walk', 'run']);
    expect([...facetsOf(item('n', { attributes: { use: null } })).uses]).toEqual([]);
    expect(facetsOf(item('z')).brand).toBeUndefined();
    // An item with no tags, categories or attributes has no facets at all.
    const bare = facetsOf(item('z'));
    expect([bare.kinds, bare.colours, bare.uses, bare.tags].map((s) => [...s])).toEqual([[], [], [], []]);
    expect(facetsOf(item('z2', { attributes: { brand: 7 } })).brand).toBe('7');
  });
});

describe('itemsOfKind', () => {
  const items = [
    item('shoe', { title: 'Road runner', categories: ['Running Shoes'] }),
    item('boot', { title: 'Hill boot', attributes: { type: 'Boots' } }),
    item('dress', { title: 'Summer dress', categories: ['Dress'] }),
    item('bus', { title: 'Toy bus', categories: ['Bus'] }),
    item('tag', { title: 'Rain jacket', tags: ['Waterproof'] }),
    item('gone', { title: 'Old running shoe', categories: ['Running Shoes'], available: false }),
    item('zap', { title: 'Zapatillas trail rápidas', categories: ['Calzado'] }),
  ];

  it('without a product or category: every available item', () => {
    expect(ids(itemsOfKind(items, want()))).toEqual(['shoe', 'boot', 'dress', 'bus', 'tag', 'zap']);
  });

  it('by category, type or tag, in any case, singular or plural', () => {
    expect(ids(itemsOfKind(items, want({ productType: 'running shoe' })))).toEqual(['shoe']);
    expect(ids(itemsOfKind(items, want({ productType: 'RUNNING SHOES' })))).toEqual(['shoe']);
    expect(ids(itemsOfKind(items, want({ productType: 'boot' })))).toEqual(['boot']);
    expect(ids(itemsOfKind(items, want({ productType: 'waterproof' })))).toEqual(['tag']);
    // "dress" and "bus" are no plurals.
    expect(ids(itemsOfKind(items, want({ productType: 'dress' })))).toEqual(['dress']);
    expect(ids(itemsOfKind(items, want({ productType: 'bus' })))).toEqual(['bus']);
  });

  it('a plural asked for finds the kind filed in the singular', () => {
    const tents = [item('t1', { categories: ['Tent'] }), item('t2', { attributes: { type: 'Dome Tent' } }), item('m1', { categories: ['Mat'] })];
    expect(ids(itemsOfKind(tents, want({ productType: 'tents' })))).toEqual(['t1']);
    expect(ids(itemsOfKind(tents, want({ productType: 'Dome tents' })))).toEqual(['t2']);
    expect(ids(itemsOfKind(tents, want({ productType: 'stove', category: 'mats' })))).toEqual(['m1']);
    // A kind left unsaid is no kind, not the word "undefined" an export may have written as a category.
    expect(ids(itemsOfKind([...tents, item('u1', { categories: ['undefined'] })], want({ category: 'mats' })))).toEqual(['m1']);
  });

  it('words kept apart are another kind than the same letters run together: "bookcases" is no "book case"', () => {
    const shelf = [item('bc1', { categories: ['Bookcase'] }), item('cv1', { categories: ['Book case'] })];
    expect(ids(itemsOfKind(shelf, want({ productType: 'bookcases' })))).toEqual(['bc1']);
    expect(ids(itemsOfKind(shelf, want({ productType: 'book cases' })))).toEqual(['cv1']);
  });

  it('a word of three letters, or ending in ss, is no plural: "bus" is not more than one "bu"', () => {
    const near = [item('b1', { categories: ['Bu'] }), item('d1', { categories: ['Dres'] })];
    expect(ids(itemsOfKind(near, want({ productType: 'bus' })))).toEqual([]);
    expect(ids(itemsOfKind(near, want({ productType: 'dress' })))).toEqual([]);
    expect(ids(itemsOfKind(near, want({ productType: 'Dres' })))).toEqual(['d1']);
  });

  it('the category when the product type names nothing', () => {
    expect(ids(itemsOfKind(items, want({ productType: 'sandal', category: 'Dress' })))).toEqual(['dress']);
    expect(ids(itemsOfKind(items, want({ category: 'boots' })))).toEqual(['boot']);
  });

  it('else the words the person used, in the titles (three letters or more); else nothing', () => {
    expect(ids(itemsOfKind(items, want({ productType: 'zapatilla', productWords: ['Zapatillas', 'xx'] })))).toEqual(['zap']);
    expect(ids(itemsOfKind(items, want({ productType: 'zapatilla', productWords: ['Road runner'] })))).toEqual(['shoe']);
    expect(ids(itemsOfKind(items, want({ productType: 'zapatilla', productWords: ['ru'] })))).toEqual([]);
    expect(ids(itemsOfKind(items, want({ productType: 'zapatilla' })))).toEqual([]);
    // From the start of a word of the title: "run" finds "runner", "unner" does not.
    expect(ids(itemsOfKind(items, want({ productType: 'zapatilla', productWords: ['run'] })))).toEqual(['shoe']);
    expect(ids(itemsOfKind(items, want({ productType: 'zapatilla', productWords: ['unner'] })))).toEqual([]);
    // Any one of the words is enough.
    expect(ids(itemsOfKind(items, want({ productType: 'zapatilla', productWords: ['sneakers', 'zapatillas'] })))).toEqual(['zap']);
    // The words said are read as the titles are: punctuation around them is no part of them.
    expect(ids(itemsOfKind(items, want({ productType: 'zapatilla', productWords: ['"zapatillas"'] })))).toEqual(['zap']);
    // Punctuation between the title's words is one gap, as a space is.
    const dashed = [item('d1', { title: 'Road -- runner, fast' })];
    expect(ids(itemsOfKind(dashed, want({ productType: 'zapatilla', productWords: ['road runner'] })))).toEqual(['d1']);
  });
});

describe('searchCatalog: hard constraints', () => {
  const items = [
    item('a', { price: 10, attributes: { brand: 'Acme', colour: 'red' }, categories: ['Mugs'], tags: ['glass'] }),
    item('b', { price: 20, attributes: { brand: 'Bolt', colour: 'blue' }, categories: ['Mugs'] }),
    item('c', { price: 30, attributes: { colour: 'green' }, categories: ['Cups'], tags: ['steel'] }),
    item('d', { price: 40, categories: ['Mugs'] }),
    item('e', { categories: ['Mugs'] }),
    item('f', { price: 5, available: false }),
  ];

  it('keeps to the budget, both ends included; an unpriced item is outside any bound', () => {
    expect(ids(search(items, want({ budget: { max: 20 } })).items)).toEqual(['a', 'b']);
    expect(ids(search(items, want({ budget: { min: 30 } })).items)).toEqual(['c', 'd']);
    expect(ids(search(items, want({ budget: { min: 20, max: 30 } })).items)).toEqual(['b', 'c']);
    expect(ids(search(items, want()).items)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('"around" allows a quarter either way, within any other bound', () => {
    expect(ids(search(items, want({ budget: { around: 24 } })).items)).toEqual(['b', 'c']);
    expect(ids(search(items, want({ budget: { around: 32 } })).items)).toEqual(['c', 'd']);
    expect(ids(search(items, want({ budget: { around: 24, max: 25 } })).items)).toEqual(['b']);
    expect(ids(search(items, want({ budget: { around: 32, min: 35 } })).items)).toEqual(['d']);
  });

  it('"cheap" keeps the cheapest 40 %, "premium" the dearest 40 %, of the candidates’ prices', () => {
    const ten = Array.from({ length: 10 }, (_, k) => item(`p${k}`, { price: 10 * (k + 1) }));
    expect(ids(search(ten, want({ budget: { relative: 'cheap' } })).items)).toEqual(['p0', 'p1', 'p2', 'p3']);
    expect(ids(search(ten, want({ budget: { relative: 'premium' } })).items)).toEqual(['p6', 'p7', 'p8', 'p9']);
    expect(ids(search(ten, want({ budget: { relative: 'cheap', max: 25 } })).items)).toEqual(['p0', 'p1']);
    expect(ids(search(ten, want({ budget: { relative: 'premium', min: 95 } })).items)).toEqual(['p9']);
    // The catalogue's order is no price order.
    expect(ids(search([...ten].reverse(), want({ budget: { relative: 'cheap' } })).items)).toEqual(['p0', 'p1', 'p2', 'p3']);
    // Within the kind asked for: the cheap mugs are the cheap ones among mugs.
    expect(ids(search(items, want({ productType: 'mug', budget: { relative: 'cheap' } })).items)).toEqual(['a']);
    // No prices at all: "cheap" cannot narrow anything.
    expect(ids(search([item('u'), item('v')], want({ budget: { relative: 'cheap' } })).items)).toEqual(['u', 'v']);
  });

  it('"cheaper" and "dearer" are strict, and exclude unpriced items', () => {
    expect(ids(search(items, want({ below: 20 })).items)).toEqual(['a']);
    expect(ids(search(items, want({ above: 30 })).items)).toEqual(['d']);
  });

  it('leaves out what the person ruled out: brands, colours, categories, tags, in any case', () => {
    const out = (o: Partial<ReturnType<typeof emptyExcluded>>) => ids(search(items, want({ excluded: { ...emptyExcluded(), ...o } })).items);
    expect(out({ brands: ['ACME'] })).toEqual(['b', 'c', 'd', 'e']);
    expect(out({ colours: ['Blue'] })).toEqual(['a', 'c', 'd', 'e']);
    expect(out({ categories: ['mugs'] })).toEqual(['c']);
    expect(out({ categories: ['Steel'] })).toEqual(['a', 'b', 'd', 'e']);
    expect(out({ tags: ['GLASS'] })).toEqual(['b', 'c', 'd', 'e']);
  });

  it('an item without a brand is neither ruled out nor preferred by the brand "undefined" an export wrote', () => {
    const odd = [item('u', { attributes: { brand: 'undefined' } }), item('n')];
    expect(ids(search(odd, want({ excluded: { ...emptyExcluded(), brands: ['undefined'] } })).items)).toEqual(['n']);
    expect(ids(search(odd, want({ brand: 'undefined' }), 1, (id) => (id === 'n' ? 1 : 0)).items)).toEqual(['u']);
  });

  it('on one snapshot, each request and each set of items shown gets its own answer', () => {
    const snap = fresh(items);
    const on = (w: Wanted, exclude: string[] = []) => ids(catalog.searchCatalog(snap, w, () => 0, new Set(exclude), 50).items);
    expect(on(want({ budget: { max: 20 } }))).toEqual(['a', 'b']);
    expect(on(want({ budget: { max: 30 } }))).toEqual(['a', 'b', 'c']);
    expect(on(want({ budget: { max: 30 } }), ['a'])).toEqual(['b', 'c']);
    expect(on(want({ budget: { max: 30 } }), ['b'])).toEqual(['a', 'c']);
    expect(catalog.countFitting(snap, want({ budget: { max: 30 } }), new Set(['b', 'c']))).toBe(1);
  });

  it('leaves out the items already shown, and counts what fits', () => {
    expect(ids(search(items, want(), 50, () => 0, new Set(['a', 'c'])).items)).toEqual(['b', 'd', 'e']);
    expect(countFitting(items, want({ budget: { max: 20 } }), new Set())).toBe(2);
    expect(countFitting(items, want({ productType: 'mug' }), new Set(['b']))).toBe(3);
  });
});

describe('searchCatalog: soft constraints and order', () => {
  const items = [
    item('a', { attributes: { brand: 'Acme', colour: 'red', use: 'trail' }, tags: ['light'] }),
    item('b', { attributes: { brand: 'Bolt', colour: 'blue' }, tags: ['light', 'trail'] }),
    item('c', { attributes: { brand: 'Acme', colour: 'blue' } }),
    item('d', { attributes: { colour: 'RED' }, tags: ['light', 'warm'] }),
  ];

  it('puts items meeting the weightier preferences first: colour, then tags, then use, then brand', () => {
    const r = search(items, want({ colour: 'red', brand: 'acme' }));
    expect(ids(r.items)).toEqual(['a', 'd', 'c', 'b']);
    expect(r.relaxed).toEqual([]);
    // Colour outweighs the brand: d (red) before c (Acme).
    expect(ids(search(items, want({ colour: 'blue', tags: ['light'] })).items)).toEqual(['b', 'c', 'a', 'd']);
    expect(ids(search(items, want({ use: 'trail', brand: 'Acme' })).items)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('a use matches the uses or the tags; every wanted tag must be there, as a tag or a use', () => {
    expect(ids(search(items, want({ use: 'trail' }), 2).items)).toEqual(['a', 'b']);
    expect(ids(search(items, want({ tags: ['light', 'warm'] }), 1).items)).toEqual(['d']);
    expect(ids(search(items, want({ tags: ['light', 'trail'] }), 2).items)).toEqual(['a', 'b']);
  });

  it('names the preferences none of the shown items meets', () => {
    const r = search(items, want({ colour: 'green', brand: 'Bolt' }), 1);
    expect(ids(r.items)).toEqual(['b']);
    expect(r.relaxed).toEqual(['colour']);
    expect(search(items, want({ colour: 'green', brand: 'Zed' }), 1).relaxed).toEqual(['colour', 'brand']);
    expect(search([], want({ colour: 'green' })).relaxed).toEqual([]);
  });

  it("ties go by the recommender's order, then by id; n limits the list", () => {
    const rank = (id: string) => ({ a: 1, b: 3, c: 2, d: 0 })[id] ?? 0;
    expect(ids(search(items, want(), 50, rank).items)).toEqual(['b', 'c', 'a', 'd']);
    expect(ids(search(items, want(), 2, rank).items)).toEqual(['b', 'c']);
    expect(ids(search(items, want({ colour: 'red' }), 50, rank).items)).toEqual(['a', 'd', 'b', 'c']);
  });

  it('picks the same first few from a long list as a full sort would', () => {
    const many = Array.from({ length: 40 }, (_, k) => item(`m${String(k).padStart(2, '0')}`, { attributes: { colour: k % 7 === 3 ? 'red' : 'blue' } }));
    const rank = (id: string) => (Number(id.slice(1)) * 17) % 40;
    const full = ids(search(many, want({ colour: 'red' }), 40, rank).items);
    expect(ids(search(many, want({ colour: 'red' }), 5, rank).items)).toEqual(full.slice(0, 5));
    expect(full.slice(0, 6)).toEqual(['m03', 'm10', 'm17', 'm24', 'm31', 'm38']);
    // Equal keys keep the catalogue's id order.
    expect(ids(search(many, want(), 3).items)).toEqual(['m00', 'm01', 'm02']);
  });
});

describe('mergeWanted', () => {
  const slots = (o: Partial<Slots> = {}): Slots => ({ excluded: emptyExcluded(), mentions: [], ...o });
  const mention = (slot: string, text: string, o: Partial<Mention> = {}): Mention => ({ slot, value: text, text, start: 0, end: text.length, ...o });
  const prev: Wanted = want({
    productType: 'shoe',
    category: 'Running',
    productWords: ['shoes'],
    below: 50,
    above: 10,
    use: 'trail',
    colour: 'red',
    brand: 'Acme',
    tags: ['light'],
    budget: { max: 100 },
  });

  it('a new product starts its preferences afresh but keeps the budget, and remembers the words that named it', () => {
    const next = mergeWanted(
      prev,
      slots({
        productType: 'sock',
        mentions: [
          mention('product', 'calcetines', { form: 'calcetin' }),
          mention('category', 'ropa'),
          mention('product', 'botas', { negated: true }),
          mention('colour', 'azul'),
        ],
      }),
    );
    expect(next).toEqual({
      ...want(),
      productType: 'sock',
      category: undefined,
      productWords: ['calcetines', 'calcetin', 'ropa'],
      below: undefined,
      above: undefined,
      use: undefined,
      colour: undefined,
      brand: undefined,
      tags: undefined,
      budget: { max: 100 },
    });
  });

  it('keeps at most eight distinct product words', () => {
    const mentions = Array.from({ length: 12 }, (_, k) => mention('product', `w${k % 10}`));
    expect(mergeWanted(want(), slots({ productType: 'x', mentions })).productWords).toEqual(['w0', 'w1', 'w2', 'w3', 'w4', 'w5', 'w6', 'w7']);
  });

  it('the same product again changes nothing it has', () => {
    const next = mergeWanted(prev, slots({ productType: 'shoe' }));
    expect(next).toEqual({ ...prev, excluded: { brands: [], colours: [], categories: [], tags: [], styles: [] } });
  });

  it('a new category alone drops the product type; the same category keeps it', () => {
    expect(mergeWanted(prev, slots({ category: 'Trail' }))).toMatchObject({ productType: undefined, category: 'Trail', colour: 'red' });
    expect(mergeWanted(prev, slots({ category: 'Running' }))).toMatchObject({ productType: 'shoe', category: 'Running' });
  });

  it('a budget replaces the old one and clears "cheaper" and "dearer"', () => {
    const budget = { min: 5 };
    const next = mergeWanted(prev, slots({ budget }));
    expect(next.budget).toEqual({ min: 5 });
    expect(next.budget).not.toBe(budget);
    expect(next.below).toBeUndefined();
    expect(next.above).toBeUndefined();
    expect(mergeWanted(prev, slots()).below).toBe(50);
  });

  it('new preferences replace the old ones; tags and exclusions add up without repeats', () => {
    const next = mergeWanted(
      { ...prev, excluded: { ...emptyExcluded(), brands: ['Zed'], styles: ['retro'] } },
      slots({ use: 'road', colour: 'blue', brand: 'Bolt', tags: ['light', 'warm'], excluded: { ...emptyExcluded(), brands: ['Zed', 'Yak'], tags: ['wool'] } }),
    );
    expect(next).toMatchObject({ use: 'road', colour: 'blue', brand: 'Bolt', tags: ['light', 'warm'] });
    expect(next.excluded).toEqual({ brands: ['Zed', 'Yak'], colours: [], categories: [], tags: ['wool'], styles: ['retro'] });
    expect(mergeWanted(prev, slots()).tags).toEqual(['light']);
  });

  it('a brand or colour ruled out is no longer wanted', () => {
    const next = mergeWanted(prev, slots({ excluded: { ...emptyExcluded(), brands: ['ACME'], colours: ['Red'] } }));
    expect(next.brand).toBeUndefined();
    expect(next.colour).toBeUndefined();
    const kept = mergeWanted(prev, slots({ excluded: { ...emptyExcluded(), brands: ['Bolt'], colours: ['blue'] } }));
    expect(kept.brand).toBe('Acme');
    expect(kept.colour).toBe('red');
  });

  it('the first tags named are the tags wanted', () => {
    expect(mergeWanted(want(), slots({ tags: ['warm', 'warm'] })).tags).toEqual(['warm']);
  });

  it('a message that names nothing new leaves the request as it was', () => {
    expect(mergeWanted(prev, slots())).toEqual(prev);
    expect(mergeWanted(want({ productType: 'shoe' }), slots())).toEqual(want({ productType: 'shoe' }));
  });

  it('an exclusion list missing from either side (a request stored before it existed) counts as empty', () => {
    const old = { ...prev, excluded: { brands: ['Zed'] } } as unknown as Wanted;
    expect(mergeWanted(old, slots()).excluded).toEqual({ ...emptyExcluded(), brands: ['Zed'] });
    const bare = { excluded: { colours: ['red'] }, mentions: [] } as unknown as Slots;
    expect(mergeWanted(prev, bare).excluded).toEqual({ ...emptyExcluded(), colours: ['red'] });
  });

  it('does not change the request it started from', () => {
    const before = structuredClone(prev);
    mergeWanted(prev, slots({ productType: 'sock', excluded: { ...emptyExcluded(), brands: ['X'] } }));
    expect(prev).toEqual(before);
  });
});

// Grounded requests (grounding/): a product asked for by the words of the catalogue's titles and
// categories. The asks are written out as the plain data the session stores (stems, as readProduct
// gives them), so these tests do not depend on how a message is read.
const SOFA: ProductAsk = {
  label: 'sofa',
  variants: [
    { lang: 'en', head: 'sofa', mods: [] },
    { lang: 'es', head: 'sof', mods: [] },
  ],
  part: false,
};
const COVER: ProductAsk = { label: 'cover', variants: [{ lang: 'en', head: 'cover', mods: [] }], part: true };
/** A product no title or category of these catalogues names. */
const LAMP = (part: boolean): ProductAsk => ({ label: 'lamp', variants: [{ lang: 'en', head: 'lamp', mods: [] }], part });
const MAGAZINE: ProductAsk = {
  label: 'magazine',
  variants: [
    { lang: 'en', head: 'magazin', mods: [] },
    { lang: 'es', head: 'revist', mods: [] },
  ],
  part: false,
};

describe('itemsOfKind: a grounded request', () => {
  // No item carries a type of its own (attributes): the titles' heads decide ("sofa" twice: a type).
  const ROOM = [
    item('s1', { title: 'Oslo sofa', categories: ['Living room'] }),
    item('s2', { title: 'Lund sofa', categories: ['Sofas'] }),
    item('c1', { title: 'Cover for Oslo sofa', categories: ['Sofas'] }),
    item('t1', { title: 'Berg table', categories: ['Tables'] }),
    item('g1', { title: 'Gone sofa', categories: ['Sofas'], available: false }),
  ];

  it('the items whose titles name the product, wherever they are filed; a part only when a part is asked for', () => {
    expect(ids(itemsOfKind(ROOM, want({ ask: SOFA })))).toEqual(['s1', 's2']);
    expect(ids(itemsOfKind(ROOM, want({ ask: COVER })))).toEqual(['c1']);
    expect(ids(itemsOfKind(ROOM, want()))).toEqual(['s1', 's2', 'c1', 't1']);
  });

  it('the grounded items replace the category named, which holds a cover too', () => {
    expect(ids(itemsOfKind(ROOM, want({ productType: 'sofa' })))).toEqual(['s2', 'c1']);
    expect(ids(itemsOfKind(ROOM, want({ productType: 'sofa', ask: SOFA })))).toEqual(['s1', 's2']);
    expect(ids(itemsOfKind(ROOM, want({ category: 'Sofas', ask: SOFA })))).toEqual(['s1', 's2']);
  });

  it('when nothing grounds, the named kind without its parts, or with them when a part was asked for', () => {
    expect(ids(itemsOfKind(ROOM, want({ productType: 'sofa', ask: LAMP(false) })))).toEqual(['s2']);
    expect(ids(itemsOfKind(ROOM, want({ productType: 'sofa', ask: LAMP(true) })))).toEqual(['s2', 'c1']);
    expect(ids(itemsOfKind(ROOM, want({ ask: LAMP(false) })))).toEqual(['s1', 's2', 't1']);
    expect(ids(itemsOfKind(ROOM, want({ ask: LAMP(true) })))).toEqual(['s1', 's2', 'c1', 't1']);
  });

  // Every item carries its own type, under each of the attribute's names.
  const TYPED = [
    item('a1', { title: 'Oslo sofa', attributes: { productType: 'Sofa' } }),
    item('a2', { title: 'Lund sofa', attributes: { type: 'Sofa' } }),
    item('a3', { title: 'Cover for Lund sofa', attributes: { tipo: 'Sofa' } }),
    item('a4', { title: 'Berg table', attributes: { type: 'Table' } }),
  ];

  it("where every item of the kind named has its own type, that kind stands (the shop's word over the title's)", () => {
    expect(ids(itemsOfKind(TYPED, want({ productType: 'sofa', ask: SOFA })))).toEqual(['a1', 'a2', 'a3']);
    expect(ids(itemsOfKind(TYPED, want({ category: 'sofa', ask: SOFA })))).toEqual(['a1', 'a2', 'a3']);
    // No kind named, or one no item has: the titles decide.
    expect(ids(itemsOfKind(TYPED, want({ ask: SOFA })))).toEqual(['a1', 'a2']);
    expect(ids(itemsOfKind(TYPED, want({ productType: 'couch', ask: SOFA })))).toEqual(['a1', 'a2']);
  });

  it('one item of the kind without a type of its own: the titles decide', () => {
    const mixed = [...TYPED, item('a5', { title: 'Malmo sofa', categories: ['Sofa'] })];
    expect(ids(itemsOfKind(mixed, want({ productType: 'sofa' })))).toEqual(['a1', 'a2', 'a3', 'a5']);
    expect(ids(itemsOfKind(mixed, want({ productType: 'sofa', ask: SOFA })))).toEqual(['a1', 'a2', 'a5']);
  });

  it('asks differing only in the product grounded get their own answers from the same catalogue', () => {
    const room = fresh(ROOM);
    expect(ids(catalog.itemsOfKind(room, want({ productType: 'sofa', ask: SOFA })))).toEqual(['s1', 's2']);
    expect(ids(catalog.itemsOfKind(room, want({ productType: 'sofa', ask: COVER })))).toEqual(['c1']);
    expect(ids(catalog.itemsOfKind(room, want({ productType: 'sofa', ask: SOFA })))).toEqual(['s1', 's2']);
  });
});

describe('searchCatalog: measures', () => {
  // Seats read from the titles ("3-seat"); Dune states none.
  const SEATS = [
    item('m2', { title: 'Alba 2-seat sofa', price: 300 }),
    item('m3', { title: 'Alba 3-seat sofa', price: 500 }),
    item('m3b', { title: 'Berg 3-seat sofa', price: 900 }),
    item('mu', { title: 'Cama 3-seat sofa' }),
    item('x', { title: 'Dune sofa', price: 400 }),
  ];
  const three = (o: Partial<Wanted> = {}) => search(SEATS, want({ ask: SOFA, measures: { seats: { min: 3, max: 3 } }, ...o }));

  it('seats bind where the sofas state them: a sofa that states none is left out', () => {
    expect(three()).toEqual({ items: [SEATS[1], SEATS[2], SEATS[3]], relaxed: [] });
  });

  it('within the budget, both ends included; an unpriced sofa is outside any bound', () => {
    expect(ids(three({ budget: { max: 500 } }).items)).toEqual(['m3']);
    expect(three({ budget: { min: 900 } })).toEqual({ items: [SEATS[2]], relaxed: [] });
    expect(three({ budget: { max: 500 } }).relaxed).toEqual([]);
  });

  it('seats give way, and say so, when no sofa with them is within the budget', () => {
    expect(three({ budget: { max: 450 } })).toEqual({ items: [SEATS[0], SEATS[4]], relaxed: ['seats'] });
    // "cheap" among all the sofas: the cheapest 40 % of 300, 400, 500 and 900 is up to 400.
    expect(three({ budget: { relative: 'cheap' } })).toEqual({ items: [SEATS[0], SEATS[4]], relaxed: ['seats'] });
    // Nothing at all within the budget: nothing is shown, so nothing is said to have given way.
    expect(three({ budget: { min: 950 } })).toEqual({ items: [], relaxed: [] });
    // The only 3-seat sofa has no price: outside a minimum too, so the seats give way.
    const unpriced = [SEATS[0], SEATS[3], SEATS[4], item('y', { title: 'Eden sofa', price: 1000 })];
    const threeOf = (items: StoredItem[], budget: Wanted['budget']) => search(items, want({ ask: SOFA, measures: { seats: { min: 3, max: 3 } }, budget }));
    expect(ids(threeOf(unpriced, { min: 1 }).items)).toEqual(['m2', 'x', 'y']);
    expect(threeOf(unpriced, { min: 600 })).toEqual({ items: [unpriced[3]], relaxed: ['seats'] });
    // "premium" among the priced sofas (300, 400, 500, 1000) starts at 500: the 3-seat at 500 qualifies.
    expect(threeOf([...unpriced, SEATS[1]], { relative: 'premium' })).toEqual({ items: [SEATS[1]], relaxed: [] });
    // A preference given up is named before the seats.
    expect(three({ budget: { max: 450 }, colour: 'green' }).relaxed).toEqual(['colour', 'seats']);
  });

  const DESKS = [
    item('w1', { title: 'Oak desk', attributes: { width: 120 } }),
    item('w2', { title: 'Pine desk', attributes: { width: '160 cm' } }),
    item('w3', { title: 'Ash desk' }),
  ];
  const DESK: ProductAsk = { label: 'desk', variants: [{ lang: 'en', head: 'desk', mods: [] }], part: false };
  const desks = (measures: Wanted['measures']) => ids(search(DESKS, want({ ask: DESK, measures })).items);

  it('a dimension binds when some candidate records it, and then leaves out those that do not', () => {
    expect(desks({ width: { max: 140 } })).toEqual(['w1']);
    expect(desks({ width: { min: 150 } })).toEqual(['w2']);
    expect(desks({ width: { min: 120, max: 160 } })).toEqual(['w1', 'w2']);
    // No desk records its height: the height asked for cannot narrow anything.
    expect(desks({ height: { max: 50 } })).toEqual(['w1', 'w2', 'w3']);
    expect(desks({ width: { min: 150 }, height: { max: 50 } })).toEqual(['w2']);
    expect(desks({})).toEqual(['w1', 'w2', 'w3']);
    expect(desks(undefined)).toEqual(['w1', 'w2', 'w3']);
  });

  it('a dimension alone gives no seats way', () => {
    expect(search(DESKS, want({ ask: DESK, measures: { width: { max: 140 } } })).relaxed).toEqual([]);
  });
});

describe('searchCatalog: the words of a grounded request', () => {
  // Two Oslo sofas titled alike (one with a description), a Lund sofa, and a cover that is no candidate.
  const ROOM = [
    item('s1', { title: 'Oslo sofa', categories: ['Living room'] }),
    item('s2', { title: 'Lund sofa', categories: ['Sofas'] }),
    item('c1', { title: 'Cover for Oslo sofa', categories: ['Sofas'] }),
    item('t1', { title: 'Berg table', categories: ['Tables'] }),
    item('s3', { title: 'Oslo sofa', categories: ['Living room'], description: 'Deep seats, soft cushions and a washable fabric' }),
  ];
  // The recommender prefers the Lund sofa, then s3, then s1.
  const rank = (id: string) => ({ s2: 3, s3: 2, s1: 1 })[id] ?? 0;
  const sofas = (items: readonly StoredItem[], words?: string) => ids(search(items, want({ ask: SOFA, words }), 50, rank).items);

  it('items matching more of the words come first; items matching alike keep the recommender’s order', () => {
    expect(sofas(ROOM, 'oslo sofa')).toEqual(['s3', 's1', 's2']);
    expect(sofas(ROOM, 'lund sofa')).toEqual(['s2', 's3', 's1']);
    // On one snapshot, each request with its own words.
    const room = fresh(ROOM);
    const onRoom = (words: string) => ids(catalog.searchCatalog(room, want({ ask: SOFA, words }), rank, new Set(), 50).items);
    expect(onRoom('oslo sofa')).toEqual(['s3', 's1', 's2']);
    expect(onRoom('lund sofa')).toEqual(['s2', 's3', 's1']);
    expect(onRoom('oslo sofa')).toEqual(['s3', 's1', 's2']);
  });

  it("without words, or with words no item has, the recommender's order", () => {
    expect(sofas(ROOM)).toEqual(['s2', 's3', 's1']);
    expect(sofas(ROOM, 'zebra')).toEqual(['s2', 's3', 's1']);
    expect(ids(search(ROOM, want({ words: 'oslo sofa' }), 50, rank).items)).toEqual(['s2', 's3', 's1', 'c1', 't1']);
  });

  it('a catalogue whose items carry their own type ranks by the recommender alone', () => {
    const typed = ROOM.map((it) => ({ ...it, attributes: { type: 'Sofa' } }));
    expect(sofas(typed, 'oslo sofa')).toEqual(['s2', 's3', 's1']);
  });
});

describe('searchCatalog: a topic named with the product', () => {
  const MAGAZINES = [
    item('bon', { title: 'Bon Appetit', categories: ['Magazine Subscriptions', 'Cooking, Food & Wine'] }),
    item('gourmet', { title: 'Gourmet (1-year)', categories: ['Magazine Subscriptions', 'Lifestyle'] }),
    item('news', { title: 'Newsweek', categories: ['Magazine Subscriptions', 'News & Politics'] }),
    item('back', { title: 'Backpacker', categories: ['Magazine Subscriptions', 'Sports', 'Hiking & Outdoor Recreation'] }),
    item('trail', { title: 'Trail Runner', categories: ['Magazine Subscriptions', 'Sports'] }),
  ];
  const topic = (words?: string, o: Partial<Wanted> = {}, items: readonly StoredItem[] = MAGAZINES, exclude: ReadonlySet<string> = new Set()) =>
    ids(search(items, want({ ask: MAGAZINE, words, ...o }), 50, () => 0, exclude).items).sort();
  const count = (words?: string, o: Partial<Wanted> = {}, items: readonly StoredItem[] = MAGAZINES) =>
    countFitting(items, want({ ask: MAGAZINE, words, ...o }), new Set());

  it('keeps the candidates whose category the topic names, in either language', () => {
    expect(topic('a magazine about hiking')).toEqual(['back']);
    expect(topic('una revista de cocina')).toEqual(['bon']);
    expect(topic('a sports magazine')).toEqual(['back', 'trail']);
    // Each word narrows what the one before left: sports, then hiking.
    expect(topic('sports magazine for hiking')).toEqual(['back']);
    expect(count('a magazine about hiking')).toBe(1);
  });

  it('a topic no category names, or the product itself, narrows nothing', () => {
    expect(topic('a magazine about knitting')).toEqual(['back', 'bon', 'gourmet', 'news', 'trail']);
    expect(count('a magazine about knitting')).toBe(5);
    expect(count('magazine')).toBe(5);
    expect(count('revista')).toBe(5);
    expect(count()).toBe(5);
    // Without a grounded product the words are no request of their own.
    expect(countFitting(MAGAZINES, want({ words: 'a magazine about hiking' }), new Set())).toBe(5);
  });

  it('the product word narrows nothing even where only some categories carry it', () => {
    const ROOM = [item('s1', { title: 'Oslo sofa', categories: ['Living room'] }), item('s2', { title: 'Lund sofa', categories: ['Sofas'] })];
    expect(countFitting(ROOM, want({ ask: SOFA, words: 'a sofa' }), new Set())).toBe(2);
    expect(countFitting(ROOM, want({ ask: SOFA, words: 'a living room sofa' }), new Set())).toBe(1);
  });

  it('a single candidate, or a catalogue whose items carry their own type, is left as it is', () => {
    expect(topic('a magazine about hiking', {}, MAGAZINES, new Set(['back', 'bon', 'gourmet']))).toEqual(['news', 'trail']);
    expect(topic('a magazine about hiking', {}, MAGAZINES, new Set(['back', 'bon', 'gourmet', 'trail']))).toEqual(['news']);
    const typed = MAGAZINES.map((it) => ({ ...it, attributes: { type: 'Magazine' } }));
    expect(count('a magazine about hiking', {}, typed)).toBe(5);
    // One item with a type of its own is not every item: the topic still narrows.
    expect(count('a magazine about hiking', {}, [{ ...MAGAZINES[0], attributes: { type: 'Magazine' } }, ...MAGAZINES.slice(1)])).toBe(1);
  });
});
