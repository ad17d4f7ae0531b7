/**
 * The slot vocabulary: what a shopper can name, built from the catalog's own categories, tags and attributes
 * (brand, colour, use, style, size, type, material) and merged with the shipped bilingual synonyms, so that
 * "cascos", "auriculares" and "earbuds" all land on the catalog's "Headphones" category and "rojo" on the
 * catalog's own spelling of red. Pure: the same items give the same vocabulary.
 */
import type { ItemInput } from '../../domain/schemas.ts';
import { COLOUR_SYNONYMS, FEATURE_SYNONYMS, PRODUCT_SYNONYMS, STYLE_SYNONYMS, USE_SYNONYMS, type SynonymGroup } from './synonyms.ts';
import { STOPWORDS, stem, tokenize, type Lang } from '../../text/text.ts';

export type EntityKind = 'product' | 'category' | 'brand' | 'colour' | 'feature' | 'style' | 'use' | 'tag';

export interface Entity {
  kind: EntityKind;
  /** The slot value: the catalog's own spelling when the catalog has one, otherwise the canonical name. */
  value: string;
  /** Products and categories: the catalog category a mention filters on, when the catalog has one. */
  category?: string;
  /** Another slot the mention implies ("running shoes" → use running). */
  use?: string;
  /** Features: what is wanted when this one is excluded ("sin cable" → wireless). */
  opposite?: string;
  /** True when the value exists in the catalog. */
  fromCatalog: boolean;
}

export interface Phrase {
  /** Stemmed tokens (with the index's language stemmer). */
  stems: string[];
  /** Folded tokens as written in the form. */
  words: string[];
  /**
   * Other forms of the same entity with the same stems ("swim" beside "swimming"): one phrase stands for
   * them all, and a strict match accepts any of their spellings.
   */
  otherWords?: string[][];
  /**
   * Nouns (products, categories, brands, tags, uses) match only as written or in the plural; the stems alone
   * would tie "abriga" to "abrigo" and "speak" to "speakers". Adjectives (colours, features, styles) take
   * gender and number, so the stems decide.
   */
  strict: boolean;
  entity: Entity;
  /** Counts only after a cue word ("for work", "para casa"). */
  cueOnly: boolean;
  /** Counts only when written with a capital letter (brands that are also common words, like "On"). */
  capitalised: boolean;
}

export interface Vocabulary {
  /** Per message language: first stem -> phrases starting with it, longest first. */
  index: Record<Lang, Map<string, Phrase[]>>;
  /** The catalog's own values, for reference and for the dialogue's questions. */
  catalog: {
    categories: string[];
    brands: string[];
    colours: string[];
    uses: string[];
    styles: string[];
    sizes: string[];
    tags: string[];
  };
}

/** The parts of an item the vocabulary reads. Any `Item` (see src/domain/schemas.ts) will do. */
export type VocabularyItem = Pick<ItemInput, 'categories' | 'tags' | 'attributes'>;

const ATTRIBUTE_KEYS: Array<[RegExp, 'brand' | 'colour' | 'use' | 'style' | 'size' | 'type' | 'material']> = [
  [/^(brand|marca|manufacturer|fabricante|maker)$/, 'brand'],
  [/^(colou?rs?|colou?r_?name|colores?)$/, 'colour'],
  [/^(uses?|usage|usos?|activity|activities|actividad(es)?|sports?|deportes?)$/, 'use'],
  [/^(styles?|estilos?)$/, 'style'],
  [/^(sizes?|tallas?)$/, 'size'],
  [/^(type|product_?type|tipo|kind)$/, 'type'],
  [/^(materials?|materiale?s?)$/, 'material'],
];

/** Counts spellings per folded key so the most frequent spelling of a value wins. */
class Spellings {
  private readonly byKey = new Map<string, Map<string, number>>();
  add(value: unknown): void {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v !== 'string' && typeof v !== 'number') continue;
      const s = String(v).trim();
      if (!s || s.length > 100) continue;
      const key = tokenize(s).join(' ');
      if (!key) continue;
      let m = this.byKey.get(key);
      if (!m) this.byKey.set(key, (m = new Map()));
      m.set(s, (m.get(s) ?? 0) + 1);
    }
  }
  /** The preferred spelling of every value, sorted. */
  values(): string[] {
    const out: string[] = [];
    for (const m of this.byKey.values()) {
      let best = '';
      let n = -1;
      for (const [s, c] of m) if (c > n || (c === n && s < best)) [best, n] = [s, c];
      out.push(best);
    }
    return out.sort();
  }
}

/** "shoes" → "shoe": the plural folded by its s. */
const dropS = (w: string) => (w.length > 3 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w);

/**
 * The keys that link a catalog value to a synonym group: folded words with their plural dropped,
 * deliberately stricter than the stemmers, which would tie "gaming" to "game" and "running" to
 * "runners". A plural in -es may drop the whole ending
 * ("watches", "relojes") or only its s ("tables"): both give keys, the s-folded one first (maps keyed
 * by `keys(x)[0]` keep their keys), for phrases of up to four words.
 */
function keys(text: string): string[] {
  const t = tokenize(text);
  if (!t.length) return [];
  const first = t.map(dropS).join(' ');
  const dropEs = t.map((w) => (w.length > 4 && w.endsWith('es') && !w.endsWith('ees') ? w.slice(0, -2) : null));
  if (t.length > 4 || dropEs.every((f) => f === null)) return [first];
  let out = [''];
  t.forEach((w, i) => {
    const alts = dropEs[i] === null ? [dropS(w)] : [dropS(w), dropEs[i]!];
    out = out.flatMap((pre) => alts.map((a) => (pre ? `${pre} ${a}` : a)));
  });
  return [first, ...out.filter((k) => k !== first)];
}

function sharesKey(a: readonly string[], b: Set<string>): boolean {
  return a.some((k) => b.has(k));
}

function groupKeys(g: SynonymGroup): Set<string> {
  return new Set([...g.en, ...g.es, ...(g.cueOnly ?? [])].flatMap(keys));
}

/**
 * Splits "Electronics > Audio > Headphones" into its parts (and keeps the whole); a level that names
 * several kinds ("Tables & desks", "Sideboards, buffets & console tables") splits into each.
 */
function categoryParts(c: string): string[] {
  const parts = c.split(/\s*(?:>|\/|\||»|::)\s*/).filter(Boolean);
  const leaf = parts[parts.length - 1] ?? c;
  const kinds = leaf.split(/\s*(?:&|,|\+)\s*/).filter(Boolean);
  const all = [...parts.slice(0, -1), ...(kinds.length > 1 ? kinds : [leaf])];
  return all.length > 1 ? [c, ...all] : [c];
}

/** Builds the slot vocabulary from catalog items plus the shipped synonyms. */
export function buildVocabulary(items: readonly VocabularyItem[]): Vocabulary {
  const cats = new Spellings();
  const tags = new Spellings();
  const attr = {
    brand: new Spellings(),
    colour: new Spellings(),
    use: new Spellings(),
    style: new Spellings(),
    size: new Spellings(),
    type: new Spellings(),
    material: new Spellings(),
  };
  // Which product type each tag goes with, to read a shop's own words for its types ("mancuernas").
  const typeCount = new Map<string, number>();
  const tagTypes = new Map<string, Map<string, number>>();
  for (const it of items) {
    for (const c of it.categories ?? []) cats.add(c);
    for (const t of it.tags ?? []) tags.add(t);
    let type: string | undefined;
    for (const [k, v] of Object.entries(it.attributes ?? {})) {
      const key = k.trim().toLowerCase();
      const hit = ATTRIBUTE_KEYS.find(([re]) => re.test(key));
      if (hit) attr[hit[1]].add(v);
      if (hit?.[1] === 'type' && typeof v === 'string') type = v;
    }
    type ??= it.categories?.length ? categoryParts(it.categories[it.categories.length - 1]).slice(-1)[0] : undefined;
    if (!type) continue;
    const tk = keys(type)[0] ?? type;
    typeCount.set(tk, (typeCount.get(tk) ?? 0) + 1);
    for (const t of new Set((it.tags ?? []).map((x) => tokenize(x).join(' ')))) {
      let m = tagTypes.get(t);
      if (!m) tagTypes.set(t, (m = new Map()));
      m.set(tk, (m.get(tk) ?? 0) + 1);
    }
  }
  const categories = cats.values();
  const tagValues = tags.values();
  const catalog = {
    categories,
    brands: attr.brand.values(),
    colours: attr.colour.values(),
    uses: attr.use.values(),
    styles: attr.style.values(),
    sizes: attr.size.values(),
    tags: tagValues,
  };

  const phrases: Array<{ form: string; entity: Entity; cueOnly: boolean; capitalised: boolean }> = [];
  const claimedTags = new Set<string>();
  /** Product entities by the key of the catalogue type or category leaf they stand for. */
  const productOf = new Map<string, Entity>();
  const claimedCats = new Set<string>();
  const add = (forms: readonly string[], entity: Entity, cueOnly = false) => {
    for (const form of forms) phrases.push({ form, entity, cueOnly, capitalised: false });
  };

  // Products: shipped groups, linked to the catalog's categories, types and tags where they match.
  // A category links through its whole name or its leaf ("Shoes > Running shoes" through "running shoes").
  const categoryKeys = categories.map((c) => ({ c, keys: [c, categoryParts(c).slice(-1)[0]].flatMap((p) => keys(p)) }));
  for (const g of PRODUCT_SYNONYMS) {
    const gk = groupKeys(g);
    const cat = categoryKeys.find((x) => sharesKey(x.keys, gk))?.c;
    const type = [...attr.type.values(), ...tagValues].find((v) => sharesKey(keys(v), gk));
    if (cat) claimedCats.add(cat);
    if (type) claimedTags.add(type);
    const entity: Entity = { kind: 'product', value: type ?? g.canonical, category: cat, use: g.implies?.use, fromCatalog: Boolean(cat || type) };
    for (const v of [type, cat ? categoryParts(cat).slice(-1)[0] : undefined]) if (v) productOf.set(keys(v)[0] ?? v, entity);
    const extra = [cat ? categoryParts(cat).slice(-1)[0] : undefined, type].filter((x): x is string => Boolean(x));
    add([...g.en, ...g.es, ...extra], entity);
  }
  // Catalog categories that no group knows: matched by their own words.
  for (const c of categories) {
    if (claimedCats.has(c)) continue;
    const parts = categoryParts(c);
    const entity: Entity = { kind: 'category', value: c, category: c, fromCatalog: true };
    add(parts.length > 1 ? parts.slice(1) : parts, entity);
    const leaf = keys(parts.slice(-1)[0])[0];
    if (leaf && !productOf.has(leaf)) productOf.set(leaf, entity);
  }
  // Catalog product types (attributes.type) no group knows.
  for (const t of attr.type.values()) {
    if (claimedTags.has(t)) continue;
    claimedTags.add(t);
    const entity: Entity = { kind: 'product', value: t, fromCatalog: true };
    add([t], entity);
    productOf.set(keys(t)[0] ?? t, entity);
  }

  // Colours, uses, styles and features: the catalog's spelling when it has one.
  const linked = (groups: ReadonlyArray<SynonymGroup & { opposite?: string }>, kind: EntityKind, own: string[]) => {
    const ownClaimed = new Set<string>();
    const linkedValue = new Map<string, string>();
    const entities: Entity[] = [];
    for (const g of groups) {
      const gk = groupKeys(g);
      const hit = own.find((v) => sharesKey(keys(v), gk)) ?? tagValues.find((v) => !claimedTags.has(v) && sharesKey(keys(v), gk));
      if (hit) {
        ownClaimed.add(hit);
        claimedTags.add(hit);
      }
      const entity: Entity = { kind, value: hit ?? g.canonical, fromCatalog: Boolean(hit), opposite: g.opposite };
      linkedValue.set(g.canonical, entity.value);
      entities.push(entity);
      add([...g.en, ...g.es, ...(hit ? [hit] : [])], entity);
      add(g.cueOnly ?? [], entity, true);
    }
    for (const e of entities) if (e.opposite) e.opposite = linkedValue.get(e.opposite) ?? e.opposite;
    for (const v of own) if (!ownClaimed.has(v)) add([v], { kind, value: v, fromCatalog: true });
  };
  linked(COLOUR_SYNONYMS, 'colour', catalog.colours);
  linked(USE_SYNONYMS, 'use', catalog.uses);
  linked(STYLE_SYNONYMS, 'style', catalog.styles);
  linked(FEATURE_SYNONYMS, 'feature', attr.material.values());

  // Brands: only the catalog's own.
  const otherWords = new Set(phrases.flatMap((p) => tokenize(p.form)));
  for (const b of catalog.brands) {
    const toks = tokenize(b);
    const entity: Entity = { kind: 'brand', value: b, fromCatalog: true };
    const common = toks.length === 1 && (toks[0].length <= 2 || STOPWORDS.en.has(toks[0]) || STOPWORDS.es.has(toks[0]) || otherWords.has(toks[0]));
    phrases.push({ form: b, entity, cueOnly: false, capitalised: common });
    if (toks.length > 1) phrases.push({ form: toks.join(''), entity, cueOnly: false, capitalised: false });
  }
  // Remaining tags: a tag found only on items of one type, on a good share of them, is the shop's own word for
  // that type (a Spanish keyword such as "mancuernas" on dumbbells); the others are matched by their own words.
  const brandKeys = new Set(catalog.brands.flatMap((b) => [tokenize(b).join(' '), tokenize(b).join('')]));
  for (const t of tagValues) {
    if (claimedTags.has(t)) continue;
    const tk = tokenize(t).join(' ');
    const types = tagTypes.get(tk);
    const [only, n] = types && types.size === 1 ? [...types][0] : [undefined, 0];
    const product = only ? productOf.get(only) : undefined;
    if (product && n >= 2 && n >= 0.3 * (typeCount.get(only!) ?? Infinity) && keys(t)[0] !== only && !brandKeys.has(tk)) add([t], product);
    else add([t], { kind: 'tag', value: t, fromCatalog: true });
  }

  const index = { en: new Map<string, Phrase[]>(), es: new Map<string, Phrase[]>() } as Record<Lang, Map<string, Phrase[]>>;
  for (const lang of ['en', 'es'] as const) {
    const seen = new Map<string, Phrase>();
    for (const p of phrases) {
      const words = tokenize(p.form);
      const stems = words.map((t) => stem(t, lang));
      if (!stems.length) continue;
      const id = `${stems.join(' ')}\u0000${p.entity.kind}\u0000${p.entity.value}\u0000${p.cueOnly}`;
      const same = seen.get(id);
      if (same) {
        const spelt = words.join(' ');
        if (same.words.join(' ') !== spelt && !same.otherWords?.some((w) => w.join(' ') === spelt)) (same.otherWords ??= []).push(words);
        continue;
      }
      let list = index[lang].get(stems[0]);
      if (!list) index[lang].set(stems[0], (list = []));
      const strict = !['colour', 'feature', 'style'].includes(p.entity.kind);
      const phrase: Phrase = { stems, words, strict, entity: p.entity, cueOnly: p.cueOnly, capitalised: p.capitalised };
      seen.set(id, phrase);
      list.push(phrase);
    }
    for (const list of index[lang].values())
      list.sort((a, b) => b.stems.length - a.stems.length || Number(b.entity.fromCatalog) - Number(a.entity.fromCatalog));
  }
  return { index, catalog };
}
