/**
 * The vocabulary built from a catalogue (src/converse/nlu/vocabulary.ts), checked through what
 * `buildVocabulary` returns: the catalogue lists, the index's phrases and their entities. Every
 * vocabulary is built inside its test, so that a mutation of the builder is seen by these tests
 * (issue 11: the survivors of the run of 2026-12-03).
 */
import { describe, expect, it } from 'vitest';
import type { Entity, Vocabulary, VocabularyItem } from '../../../src/converse/nlu/vocabulary.ts';
import { buildVocabulary } from '../../../src/converse/nlu/vocabulary.ts';
import { COLOUR_SYNONYMS, FEATURE_SYNONYMS, PRODUCT_SYNONYMS, STYLE_SYNONYMS, USE_SYNONYMS } from '../../../src/converse/nlu/synonyms.ts';
import { tokenize } from '../../../src/text/text.ts';

type Lang = 'en' | 'es';

function all(v: Vocabulary, lang: Lang = 'en') {
  return [...v.index[lang].values()].flat();
}
/** The entities of the phrases spelt exactly `text` (folded), in index order. */
function entitiesOf(v: Vocabulary, text: string, lang: Lang = 'en'): Entity[] {
  const spelt = tokenize(text).join(' ');
  return all(v, lang)
    .filter((p) => p.words.join(' ') === spelt)
    .map((p) => p.entity);
}
function phraseOf(v: Vocabulary, text: string, lang: Lang = 'en') {
  const spelt = tokenize(text).join(' ');
  const found = all(v, lang).filter((p) => p.words.join(' ') === spelt);
  expect(found, text).toHaveLength(1);
  return found[0];
}
const product = (value: string, category: string | undefined, extra: Partial<Entity> = {}): Entity => ({
  kind: 'product',
  value,
  category,
  use: undefined,
  fromCatalog: true,
  ...extra,
});

describe('Spellings: the catalogue lists', () => {
  it('keeps the most frequent spelling of each value, trimmed, sorted, ties to the smaller', () => {
    const v = buildVocabulary([
      { attributes: { brand: ' Sony ' } },
      { attributes: { brand: 'Sony' } },
      { attributes: { brand: 'SONY' } },
      { attributes: { brand: 'zeta' } },
      { attributes: { brand: 'Zeta' } },
      { attributes: { brand: 'Alpha', size: [40, '42', true] } },
    ]);
    expect(v.catalog.brands).toEqual(['Alpha', 'Sony', 'Zeta']);
    expect(v.catalog.sizes).toEqual(['40', '42']);
  });

  it('keys values by their words, drops values with no words and values over 100 characters', () => {
    const hundred = 'a'.repeat(100);
    const v = buildVocabulary([{ tags: ['dark blue', 'darkblue', '---', hundred, 'b'.repeat(101)] }, { tags: ['Dark  Blue'] }]);
    expect(v.catalog.tags).toEqual([hundred, 'Dark  Blue', 'darkblue'].sort());
    expect(v.catalog.categories).toEqual([]);
  });

  it('reads attribute names in any case', () => {
    const v = buildVocabulary([{ attributes: { Brand: 'Acme', COLOUR: 'Burgundy' } }]);
    expect(v.catalog.brands).toEqual(['Acme']);
    expect(v.catalog.colours).toEqual(['Burgundy']);
    expect(v.catalog.tags).toEqual([]);
    expect(v.catalog.categories).toEqual([]);
  });
});

describe('keys: linking catalogue values to the shipped groups', () => {
  it('folds plurals in s and es, not in ss, and not in words of three letters', () => {
    const v = buildVocabulary([
      { categories: ['Kettles'] },
      { categories: ['Couches'] },
      { categories: ['Smart watches'] },
      { attributes: { type: 'Sunglass' } },
      { attributes: { type: 'PCs' } },
    ]);
    // "kettles" → "kettle", "couches" → "couch", "smart watches" → "smart watch", "sunglass" ← "sunglasses".
    expect(entitiesOf(v, 'hervidor', 'es')).toEqual([product('kettle', 'Kettles')]);
    expect(entitiesOf(v, 'settee')).toEqual([product('sofa', 'Couches')]);
    expect(entitiesOf(v, 'fitness tracker')).toEqual([product('smartwatch', 'Smart watches')]);
    expect(entitiesOf(v, 'shades')).toEqual([product('Sunglass', undefined)]);
    // "pcs" is not "pc": the laptop group keeps its canonical name, PCs is a type of its own.
    expect(entitiesOf(v, 'notebook')).toEqual([product('laptop', undefined, { fromCatalog: false })]);
    expect(entitiesOf(v, 'PCs')).toEqual([{ kind: 'product', value: 'PCs', fromCatalog: true }]);
  });

  it('does not give short words an es-less key, nor -ees words, nor a word its first letters', () => {
    const v = buildVocabulary([
      { categories: ['Té'] },
      { categories: ['Shoees'] },
      { attributes: { colour: 'Rot' } },
      { categories: ['Pantalones largos'] },
      { attributes: { colour: 'Blaze' }, tags: ['PCes'] },
    ]);
    expect(entitiesOf(v, 'blaze')).toEqual([{ kind: 'colour', value: 'Blaze', fromCatalog: true }]);
    expect(entitiesOf(v, 'black')).toEqual([{ kind: 'colour', value: 'black', fromCatalog: false, opposite: undefined }]);
    expect(entitiesOf(v, 'pces')).toEqual([{ kind: 'tag', value: 'PCes', fromCatalog: true }]);
    expect(entitiesOf(v, 'notebook')).toEqual([product('laptop', undefined, { fromCatalog: false })]);
    expect(entitiesOf(v, 'té', 'es')).toEqual([{ kind: 'category', value: 'Té', category: 'Té', fromCatalog: true }]);
    expect(entitiesOf(v, 'shoees')).toEqual([{ kind: 'category', value: 'Shoees', category: 'Shoees', fromCatalog: true }]);
    expect(entitiesOf(v, 'rot')).toEqual([{ kind: 'colour', value: 'Rot', fromCatalog: true }]);
    expect(entitiesOf(v, 'rojo', 'es')).toEqual([{ kind: 'colour', value: 'red', fromCatalog: false, opposite: undefined }]);
    expect(entitiesOf(v, 'pantalones largos', 'es')).toEqual([
      { kind: 'category', value: 'Pantalones largos', category: 'Pantalones largos', fromCatalog: true },
    ]);
    expect(entitiesOf(v, 'vaqueros', 'es')).toEqual([product('jeans', undefined, { fromCatalog: false })]);
    expect(entitiesOf(v, 'pantalones cortos', 'es')).toEqual([product('shorts', undefined, { fromCatalog: false })]);
  });

  it('links a four-word value through its -es plural', () => {
    const v = buildVocabulary([{ attributes: { use: 'Moverme por la ciudades' } }]);
    expect(entitiesOf(v, 'commuting')).toEqual([{ kind: 'use', value: 'Moverme por la ciudades', fromCatalog: true, opposite: undefined }]);
  });
});

describe('categoryParts: the levels and kinds of a category', () => {
  it('splits on every level separator, with or without spaces, and on every kind separator', () => {
    const v = buildVocabulary([
      { categories: ['Garden>Planters'] },
      { categories: ['Outdoor > Terrace > Parasols'] },
      { categories: ['Furniture > Tables, desks+benches'] },
      { categories: ['Hall / Rugs /'], tags: ['alfombras'] },
      { categories: ['Hall / Rugs /'], tags: ['alfombras'] },
    ]);
    const cat = (c: string) => [{ kind: 'category', value: c, category: c, fromCatalog: true }];
    for (const w of ['garden', 'planters']) expect(entitiesOf(v, w), w).toEqual(cat('Garden>Planters'));
    for (const w of ['outdoor', 'terrace', 'parasols']) expect(entitiesOf(v, w), w).toEqual(cat('Outdoor > Terrace > Parasols'));
    for (const w of ['furniture', 'tables', 'desks', 'benches']) expect(entitiesOf(v, w), w).toEqual(cat('Furniture > Tables, desks+benches'));
    // The trailing separator leaves the leaf Rugs: a tag on its items is the shop's word for it.
    for (const w of ['hall', 'rugs', 'alfombras']) expect(entitiesOf(v, w), w).toEqual(cat('Hall / Rugs /'));
    // Only the parts: never the whole path, the whole leaf or a level and its leaf together.
    const spelt = all(v).map((p) => p.words.join(' '));
    for (const w of ['garden planters', 'outdoor terrace parasols', 'tables desks benches', 'furniture tables desks benches', 'hall rugs'])
      expect(spelt, w).not.toContain(w);
    // Every key of the index is a stem, never the empty or an undefined key.
    for (const lang of ['en', 'es'] as const) for (const k of v.index[lang].keys()) expect(typeof k === 'string' && k.length > 0, String(k)).toBe(true);
  });

  it('links a category through its leaf, also with a trailing kind separator', () => {
    const v = buildVocabulary([{ categories: ['Footwear > Running shoes'] }, { categories: ['Living > Sofas,'] }]);
    expect(entitiesOf(v, 'zapatillas de correr', 'es')).toEqual([product('running shoes', 'Footwear > Running shoes', { use: 'running' })]);
    expect(entitiesOf(v, 'sofá', 'es')).toEqual([product('sofa', 'Living > Sofas,')]);
    expect(entitiesOf(v, 'living')).toEqual([]);
  });

  it('keeps a one-level category as its only phrase', () => {
    const v = buildVocabulary([{ categories: ['Garden'] }]);
    expect(
      all(v)
        .filter((p) => p.entity.kind === 'category')
        .map((p) => p.words),
    ).toEqual([['garden']]);
  });

  it('indexes no phrase for a level without words, and reads no type from it', () => {
    const v = buildVocabulary([
      { categories: ['Garden > &'], tags: ['jardinería'] },
      { categories: ['Garden > &'], tags: ['jardinería'] },
    ]);
    expect(entitiesOf(v, 'jardinería', 'es')).toEqual([{ kind: 'tag', value: 'jardinería', fromCatalog: true }]);
    expect(entitiesOf(v, 'garden')).toEqual([{ kind: 'category', value: 'Garden > &', category: 'Garden > &', fromCatalog: true }]);
    for (const lang of ['en', 'es'] as const) for (const k of v.index[lang].keys()) expect(typeof k === 'string' && k.length > 0, String(k)).toBe(true);
  });
});

describe("the shop's own words for its types (tags on one type)", () => {
  const dumbbells = (n: number, extra: (i: number) => Partial<VocabularyItem> = () => ({})): VocabularyItem[] =>
    Array.from({ length: n }, (_, i) => ({ categories: ['Fitness > Dumbbells'], attributes: { brand: 'Acme' }, ...extra(i) }));

  it('reads a tag on most items of one type as that type, a rare one as a tag', () => {
    const v = buildVocabulary(
      dumbbells(7, (i) => ({ tags: [...(i < 4 ? ['halteras'] : []), ...(i < 2 ? ['oferta'] : [])] })).concat([{ categories: ['Books'], tags: ['oferta'] }]),
    );
    const dumb = product('dumbbells', 'Fitness > Dumbbells');
    expect(entitiesOf(v, 'halteras', 'es')).toEqual([dumb]);
    expect(entitiesOf(v, 'oferta', 'es')).toEqual([{ kind: 'tag', value: 'oferta', fromCatalog: true }]);
    const w = buildVocabulary(dumbbells(7, (i) => ({ tags: i < 2 ? ['oferta'] : [] })));
    expect(entitiesOf(w, 'oferta', 'es')).toEqual([{ kind: 'tag', value: 'oferta', fromCatalog: true }]);
  });

  it("reads a tag on a category's items as that category, and on a type attribute's items as that type", () => {
    const v = buildVocabulary([
      { categories: ['Garden > Planters'], tags: ['macetas'] },
      { categories: ['Garden > Planters'], tags: ['macetas'] },
      { attributes: { product_type: 'Planter box' }, tags: ['jardineras'] },
      { attributes: { product_type: 'Planter box' }, tags: ['jardineras'] },
    ]);
    expect(entitiesOf(v, 'macetas', 'es')).toEqual([{ kind: 'category', value: 'Garden > Planters', category: 'Garden > Planters', fromCatalog: true }]);
    const box = { kind: 'product', value: 'Planter box', fromCatalog: true };
    expect(entitiesOf(v, 'planter box')).toEqual([box]);
    expect(entitiesOf(v, 'jardineras', 'es')).toEqual([box]);
  });

  it('a type attribute decides the type, only a string, and the category leaf only without one', () => {
    const v = buildVocabulary([
      { categories: ['Fitness > Dumbbells'], attributes: { type: 'Kettlebell', brand: 'Acme' }, tags: ['pesa rusa'] },
      { categories: ['Fitness > Dumbbells'], attributes: { type: 'Kettlebell', colour: 'red' }, tags: ['pesa rusa'] },
      { categories: ['Fitness > Dumbbells'], attributes: { type: 7, brand: 'Acme' }, tags: ['halteras'] },
      { categories: ['Fitness > Dumbbells'], attributes: { brand: 'Acme' }, tags: ['halteras'] },
    ]);
    expect(entitiesOf(v, 'pesa rusa', 'es')).toEqual([{ kind: 'product', value: 'Kettlebell', fromCatalog: true }]);
    expect(entitiesOf(v, 'halteras', 'es')).toEqual([product('dumbbells', 'Fitness > Dumbbells')]);
  });

  it('keeps a brand written as a tag a tag', () => {
    const v = buildVocabulary(dumbbells(3, () => ({ attributes: { brand: 'The North Face' }, tags: ['The North Face', 'thenorthface'] })));
    expect(entitiesOf(v, 'the north face').filter((e) => e.kind !== 'brand')).toEqual([{ kind: 'tag', value: 'The North Face', fromCatalog: true }]);
    expect(entitiesOf(v, 'thenorthface').filter((e) => e.kind !== 'brand')).toEqual([{ kind: 'tag', value: 'thenorthface', fromCatalog: true }]);
  });

  it('a second category with a known leaf does not take the type from the group', () => {
    const v = buildVocabulary([
      { categories: ['Accessories > Watches'] },
      { categories: ['Watches'], tags: ['relojería'] },
      { categories: ['Watches'], tags: ['relojería'] },
    ]);
    const watch = product('watch', 'Accessories > Watches');
    expect(entitiesOf(v, 'reloj', 'es')).toEqual([watch]);
    expect(entitiesOf(v, 'relojería', 'es')).toEqual([watch]);
  });
});

describe('the survivors of the rerun (2026-12-03, 07:22)', () => {
  const dumbbells = (n: number, extra: (i: number) => Partial<VocabularyItem> = () => ({})): VocabularyItem[] =>
    Array.from({ length: n }, (_, i) => ({ categories: ['Fitness > Dumbbells'], ...extra(i) }));
  const dumb = product('dumbbells', 'Fitness > Dumbbells');
  const tag = (value: string) => ({ kind: 'tag', value, fromCatalog: true });

  it('a tag on 30 % of a type (and on two items at least) is that type; on fewer, or on one item, a tag', () => {
    expect(entitiesOf(buildVocabulary(dumbbells(10, (i) => ({ tags: i < 3 ? ['halteras'] : [] }))), 'halteras', 'es')).toEqual([dumb]);
    expect(entitiesOf(buildVocabulary(dumbbells(10, (i) => ({ tags: i < 2 ? ['halteras'] : [] }))), 'halteras', 'es')).toEqual([tag('halteras')]);
    expect(entitiesOf(buildVocabulary(dumbbells(1, () => ({ tags: ['halteras'] }))), 'halteras', 'es')).toEqual([tag('halteras')]);
  });

  it('a tag on items of two types, or on items of none, stays a tag', () => {
    const two = dumbbells(3, () => ({ tags: ['halteras'] })).concat(
      Array.from({ length: 3 }, () => ({ categories: ['Fitness > Kettlebells'], tags: ['halteras'] })),
    );
    expect(entitiesOf(buildVocabulary(two), 'halteras', 'es')).toEqual([tag('halteras')]);
    expect(entitiesOf(buildVocabulary([{ tags: ['halteras'] }, { tags: ['halteras'] }]), 'halteras', 'es')).toEqual([tag('halteras')]);
  });

  it('reads an attribute name with spaces around it', () => {
    expect(buildVocabulary([{ attributes: { ' Brand ': 'Sony', ' colour': 'Red' } }]).catalog).toMatchObject({ brands: ['Sony'], colours: ['Red'] });
  });

  it('a type a shipped group claims is one product, not a second one of its own', () => {
    const v = buildVocabulary([
      { attributes: { type: 'Dumbbell' }, tags: ['halteras'] },
      { attributes: { type: 'Dumbbell' }, tags: ['halteras'] },
    ]);
    const claimed = { kind: 'product', value: 'Dumbbell', category: undefined, use: undefined, fromCatalog: true };
    expect(entitiesOf(v, 'dumbbells')).toStrictEqual([claimed]);
    // The shop's word for the type stands for the group's product too (keys present, as the group wrote them).
    expect(entitiesOf(v, 'halteras', 'es')).toStrictEqual([claimed]);
  });

  it("a category's upper levels are no name of its product", () => {
    const v = buildVocabulary(dumbbells(2));
    expect(entitiesOf(v, 'fitness dumbbells')).toEqual([]);
    expect(entitiesOf(v, 'dumbbells')).toEqual([dumb]);
  });

  it("a colour's catalogue spelling is a form of its colour", () => {
    const v = buildVocabulary([{ attributes: { colour: 'Reds' } }]);
    const red = all(v, 'es').filter((p) => p.entity.kind === 'colour' && p.entity.value === 'Reds');
    expect(red.some((p) => [p.words, ...(p.otherWords ?? [])].some((w) => w.join(' ') === 'reds'))).toBe(true);
  });
});

describe('products and categories', () => {
  it('keeps apart the types of two categories whose leaves have no words', () => {
    const v = buildVocabulary([
      { categories: ['Sofas > &'], tags: ['salón'] },
      { categories: ['Sofas > &'], tags: ['salón'] },
      { categories: ['Lamps > +'], tags: ['iluminación'] },
      { categories: ['Lamps > +'], tags: ['iluminación'] },
    ]);
    expect(entitiesOf(v, 'salón', 'es')).toEqual([product('sofa', 'Sofas > &')]);
    expect(entitiesOf(v, 'iluminación', 'es')).toEqual([product('lamp', 'Lamps > +')]);
  });

  it('a tag that is no shipped form, on few items, stays a tag', () => {
    const v = buildVocabulary([
      { categories: ['Fitness > Dumbbells'], tags: ['Stryker was here'] },
      { categories: ['Fitness > Dumbbells'] },
      { categories: ['Fitness > Dumbbells'] },
    ]);
    expect(v.catalog.categories).toEqual(['Fitness > Dumbbells']);
    expect(entitiesOf(v, 'stryker was here')).toEqual([{ kind: 'tag', value: 'Stryker was here', fromCatalog: true }]);
    expect(entitiesOf(v, 'headphones')).toEqual([product('headphones', undefined, { fromCatalog: false })]);
  });

  it('links a group to a category and a type, marks what the catalogue has, and keeps unlinked categories', () => {
    const v = buildVocabulary([{ categories: ['Kettles'], attributes: { type: 'Wristwatches' } }, { categories: ['Sofas'] }, { categories: ['Garden'] }]);
    expect(entitiesOf(v, 'hervidor', 'es')).toEqual([product('kettle', 'Kettles')]);
    expect(phraseOf(v, 'kettle').otherWords).toEqual([['kettles']]);
    expect(entitiesOf(v, 'reloj', 'es')).toEqual([product('Wristwatches', undefined)]);
    expect(entitiesOf(v, 'tent')).toEqual([product('tent', undefined, { fromCatalog: false })]);
    expect(entitiesOf(v, 'couch')).toEqual([product('sofa', 'Sofas')]);
    expect(entitiesOf(v, 'garden')).toEqual([{ kind: 'category', value: 'Garden', category: 'Garden', fromCatalog: true }]);
  });
});

describe('colours, uses, styles and features', () => {
  it("takes the catalogue's spelling from its own values or its tags, keeps its other values, and its opposites", () => {
    const v = buildVocabulary([{ attributes: { colour: ['Rojo', 'Burgundy', 'Azul marino'], material: 'Cuero' }, tags: ['Waterproof', 'Wired'] }]);
    expect(entitiesOf(v, 'crimson')).toEqual([{ kind: 'colour', value: 'Rojo', fromCatalog: true, opposite: undefined }]);
    expect(entitiesOf(v, 'rojo', 'es')).toEqual([{ kind: 'colour', value: 'Rojo', fromCatalog: true, opposite: undefined }]);
    expect(entitiesOf(v, 'burgundy')).toEqual([{ kind: 'colour', value: 'Burgundy', fromCatalog: true }]);
    expect(entitiesOf(v, 'impermeable', 'es')).toEqual([{ kind: 'feature', value: 'Waterproof', fromCatalog: true, opposite: undefined }]);
    expect(entitiesOf(v, 'waterproof')).toEqual([{ kind: 'feature', value: 'Waterproof', fromCatalog: true, opposite: undefined }]);
    expect(entitiesOf(v, 'leather')).toEqual([{ kind: 'feature', value: 'Cuero', fromCatalog: true, opposite: undefined }]);
    expect(entitiesOf(v, 'bluetooth')).toEqual([{ kind: 'feature', value: 'wireless', fromCatalog: false, opposite: 'Wired' }]);
    expect(entitiesOf(v, 'wired')).toEqual([{ kind: 'feature', value: 'Wired', fromCatalog: true, opposite: 'wireless' }]);
    // One phrase per spelling: the catalogue's own spelling of a form is not a second phrase.
    expect(phraseOf(v, 'rojo', 'es').otherWords).toEqual([['roja']]);
    expect(phraseOf(v, 'azul marino', 'es').otherWords).toBeUndefined();
    // Colours, features and styles match by their stems, nouns only as written.
    expect(phraseOf(v, 'rojo', 'es').strict).toBe(false);
    expect(phraseOf(v, 'waterproof').strict).toBe(false);
    expect(phraseOf(v, 'sporty').strict).toBe(false);
    expect(phraseOf(v, 'kettle').strict).toBe(true);
    expect(phraseOf(v, 'gaming').strict).toBe(true);
  });

  it('cue-only forms count only after a cue; every other form counts alone', () => {
    const v = buildVocabulary([{ attributes: { brand: 'Sony' } }]);
    expect(phraseOf(v, 'the beach').cueOnly).toBe(true);
    expect(phraseOf(v, 'la piscina', 'es').cueOnly).toBe(true);
    expect(phraseOf(v, 'swimming').cueOnly).toBe(false);
    expect(phraseOf(v, 'sony').cueOnly).toBe(false);
  });

  it('holds only the shipped forms and the catalogue’s own spellings', () => {
    const v = buildVocabulary([{ categories: ['Kettles'], attributes: { brand: 'The North Face', colour: 'Rojo' }, tags: ['gift idea'] }]);
    const groups = [PRODUCT_SYNONYMS, COLOUR_SYNONYMS, USE_SYNONYMS, STYLE_SYNONYMS, FEATURE_SYNONYMS].flat();
    const known = new Set(
      [...groups.flatMap((g) => [...g.en, ...g.es, ...(g.cueOnly ?? [])]), 'Kettles', 'The North Face', 'thenorthface', 'Rojo', 'gift idea'].map((f) =>
        tokenize(f).join(' '),
      ),
    );
    for (const lang of ['en', 'es'] as const)
      for (const p of all(v, lang)) {
        expect(known.has(p.words.join(' ')), p.words.join(' ')).toBe(true);
        for (const o of p.otherWords ?? []) expect(known.has(o.join(' ')), o.join(' ')).toBe(true);
      }
  });
});

describe('brands', () => {
  it('asks for a capital only for one-word brands that are short, stopwords or other words', () => {
    const v = buildVocabulary(['On', 'LG', 'Very', 'Como', 'Red', 'Sony', 'The North Face'].map((brand) => ({ attributes: { brand } })) as VocabularyItem[]);
    const cap = (b: string) =>
      all(v)
        .filter((p) => p.entity.kind === 'brand' && p.entity.value === b)
        .map((p) => [p.words.join(' '), p.capitalised, p.cueOnly]);
    expect(cap('On')).toEqual([['on', true, false]]);
    expect(cap('LG')).toEqual([['lg', true, false]]);
    expect(cap('Very')).toEqual([['very', true, false]]);
    expect(cap('Como')).toEqual([['como', true, false]]);
    expect(cap('Red')).toEqual([['red', true, false]]);
    expect(cap('Sony')).toEqual([['sony', false, false]]);
    expect(cap('The North Face')).toEqual([
      ['the north face', false, false],
      ['thenorthface', false, false],
    ]);
    expect(entitiesOf(v, 'sony')).toEqual([{ kind: 'brand', value: 'Sony', fromCatalog: true }]);
  });
});

describe('the index', () => {
  it('one phrase per stems and entity, the other spellings beside it, each once', () => {
    const v = buildVocabulary([{ attributes: { use: ['Working from home', 'Swim', 'Parties'] } }]);
    const office = phraseOf(v, 'work from home');
    expect(office.entity).toEqual({ kind: 'use', value: 'Working from home', fromCatalog: true, opposite: undefined });
    expect(office.otherWords).toEqual([['working', 'from', 'home']]);
    const swim = phraseOf(v, 'swimming');
    expect(swim.otherWords).toEqual([['swim']]);
    // Three spellings of one stem: each other spelling once, also when the catalogue repeats one.
    expect(phraseOf(v, 'party').otherWords).toEqual([['parties'], ['partying']]);
    expect(phraseOf(v, 'party').entity.value).toBe('Parties');
    // No two phrases of a list stand for the same stems and entity.
    for (const lang of ['en', 'es'] as const)
      for (const list of v.index[lang].values()) {
        const ids = list.map((p) => `${p.stems.join(' ')}|${p.entity.kind}|${p.entity.value}|${p.cueOnly}`);
        expect(new Set(ids).size).toBe(ids.length);
      }
  });

  it('keeps every phrase under its first stem, longest first, then the catalogue’s first', () => {
    const v = buildVocabulary([{ attributes: { colour: 'Azul claro' } }]);
    const list = v.index.es.get('azul') ?? [];
    expect(list.map((p) => [p.words.join(' '), p.entity.value, p.entity.fromCatalog])).toEqual([
      ['azul claro', 'Azul claro', true],
      ['azul marino', 'navy', false],
      ['azul', 'Azul claro', true],
    ]);
  });
});
