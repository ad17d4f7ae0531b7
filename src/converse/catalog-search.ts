import { LRUCache } from 'lru-cache';
import type { StoredItem } from '../domain/schemas.ts';
import { terms } from './grounding/bm25.ts';
import { TOPIC_TRANSLATIONS } from './grounding/lexicon.ts';
import { shapesOf, type Measure } from './grounding/induce.ts';
import { groundedItems, meetsMeasures, type Measures, type ProductAsk } from './grounding/request.ts';
import type { Budget, Excluded, Slots } from './nlu/slots.ts';
import { fold } from '../text/text.ts';

/** What the conversation has asked for so far: the slots that constrain a search. */
export interface Wanted extends Pick<Slots, 'category' | 'productType' | 'budget' | 'use' | 'colour' | 'brand' | 'tags' | 'excluded'> {
  /** The words the person named the product with, for catalogues whose types do not say it ("zapatillas"). */
  productWords?: string[];
  /** "Something cheaper": strictly under this price (the cheapest item shown then). */
  below?: number;
  /** "Something more expensive": strictly over this price (the dearest item shown then). */
  above?: number;
  /** The product asked for, grounded in the catalogue's own titles and categories (see grounding/). */
  ask?: ProductAsk;
  /** Seats, dimensions and weight stated, as bounds. */
  measures?: Measures;
  /** The words of the request, for ranking candidates by relevance (BM25 over the items' fields). */
  words?: string;
}

export const emptyExcluded = (): Excluded => ({ brands: [], colours: [], categories: [], tags: [], styles: [] });

/** The facets of an item a shopper talks about, read from its categories, tags and attributes. */
export interface Facets {
  kinds: Set<string>;
  brand?: string;
  colours: Set<string>;
  uses: Set<string>;
  tags: Set<string>;
}

const norm = (s: unknown) => fold(String(s)).trim();
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : v === undefined || v === null ? [] : [String(v)]);

/** Facets per catalogue item object: items are replaced, never changed in place, when the catalogue changes. */
const FACETS = new WeakMap<StoredItem, Facets>();

export function facetsOf(item: StoredItem): Facets {
  let f = FACETS.get(item);
  if (!f) FACETS.set(item, (f = readFacets(item)));
  return f;
}

function readFacets(item: StoredItem): Facets {
  const a = (item.attributes ?? {}) as Record<string, unknown>;
  const pick = (...keys: string[]) => keys.flatMap((k) => list(a[k]));
  return {
    kinds: new Set([...(item.categories ?? []), ...pick('productType', 'type', 'tipo')].map(norm)),
    brand: pick('brand', 'marca')[0],
    colours: new Set(pick('colour', 'color', 'colours', 'colors').map(norm)),
    uses: new Set(pick('use', 'uses', 'usage', 'activity').map(norm)),
    tags: new Set((item.tags ?? []).map(norm)),
  };
}

/** The price window a budget allows, given the prices of the candidates (for "cheap" and "premium"). */
function priceWindow(b: Budget | undefined, prices: readonly number[]): { min?: number; max?: number } {
  if (!b) return {};
  const w: { min?: number; max?: number } = {};
  if (b.min !== undefined) w.min = b.min;
  if (b.max !== undefined) w.max = b.max;
  if (b.around !== undefined) {
    w.min = Math.max(w.min ?? 0, b.around * 0.75);
    w.max = Math.min(w.max ?? Infinity, b.around * 1.25);
  }
  if (b.relative && prices.length > 0) {
    const sorted = [...prices].sort((x, y) => x - y);
    if (b.relative === 'cheap') w.max = Math.min(w.max ?? Infinity, sorted[Math.floor((sorted.length - 1) * 0.4)]);
    else w.min = Math.max(w.min ?? 0, sorted[Math.ceil((sorted.length - 1) * 0.6)]);
  }
  return w;
}

function hasKind(f: Facets, wanted: string): boolean {
  const w = norm(wanted);
  return f.kinds.has(w) || f.tags.has(w);
}

const words = (s: string) =>
  ` ${norm(s)
    .replace(/[^a-z0-9ñ]+/g, ' ')
    .trim()} `;

/** "running shoes" → "running shoe": the key that ties a singular to its plural. */
function singular(k: string): string {
  return k
    .split(' ')
    .map((x) => (x.length > 3 && x.endsWith('s') && !x.endsWith('ss') ? x.slice(0, -1) : x))
    .join(' ');
}

/** Available items by each kind and tag they carry (folded, and singular), per catalogue snapshot. */
const BY_KIND = new WeakMap<readonly StoredItem[], Map<string, StoredItem[]>>();

function kindIndex(items: readonly StoredItem[]): Map<string, StoredItem[]> {
  let idx = BY_KIND.get(items);
  if (idx) return idx;
  idx = new Map();
  for (const it of items) {
    if (!it.available) continue;
    const f = facetsOf(it);
    for (const k of new Set([...f.kinds, ...f.tags].flatMap((x) => [x, singular(x)]))) {
      let l = idx.get(k);
      if (!l) idx.set(k, (l = []));
      l.push(it);
    }
  }
  BY_KIND.set(items, idx);
  return idx;
}

/**
 * The available items of the kind asked for: by their categories, type and tags, or, when no item of the
 * catalogue has that kind, by the words the person used appearing in their titles ("zapatillas").
 */
export function itemsOfKind(items: readonly StoredItem[], w: Wanted): readonly StoredItem[] {
  // A turn asks for the same kind several times (is a question worth it, its options, the items shown).
  const key = JSON.stringify([w.productType, w.category, w.productWords, w.ask]);
  return memo(KINDS, items, key, () => kindOfRequest(items, w));
}

function kindOfRequest(items: readonly StoredItem[], w: Wanted): readonly StoredItem[] {
  const old = namedKind(items, w);
  if (!w.ask) return old;
  // The catalogue's own words decide where its items carry no type of their own: a category such as
  // "Sofas & armchairs" holds covers and legs too, and a request names what it means.
  const shapes = shapesOf(items);
  if (old.length && (w.productType || w.category) && old.every(hasOwnType)) return old;
  const grounded = groundedItems(items, shapes, w.ask);
  if (grounded.length) return grounded;
  return w.ask.part ? old : old.filter((it) => !shapes.shapes.get(it.id)?.part);
}

/** Per catalogue snapshot, the answers to the questions of one kind asked most recently. */
type Memo<T extends {}> = WeakMap<readonly StoredItem[], LRUCache<string, T>>;
const KINDS: Memo<readonly StoredItem[]> = new WeakMap();
const FITTING: Memo<Fitting> = new WeakMap();
/**
 * A turn asks the same few questions several times, and the conversations going on at once each keep
 * to their own request: 64 distinct requests per snapshot cover them, and an answer dropped is
 * computed again.
 */
const MEMO_SIZE = 64;

function memo<T extends {}>(cache: Memo<T>, items: readonly StoredItem[], key: string, make: () => T): T {
  let m = cache.get(items);
  if (!m) cache.set(items, (m = new LRUCache({ max: MEMO_SIZE })));
  const hit = m.get(key);
  if (hit !== undefined) return hit;
  const v = make();
  m.set(key, v);
  return v;
}

const hasOwnType = (it: StoredItem) => {
  const a = (it.attributes ?? {}) as Record<string, unknown>;
  return Boolean(a.productType ?? a.type ?? a.tipo);
};

function namedKind(items: readonly StoredItem[], w: Wanted): readonly StoredItem[] {
  if (!w.productType && !w.category) return items.filter((it) => it.available);
  const idx = kindIndex(items);
  for (const kind of [w.productType, w.category]) {
    if (!kind) continue;
    const hit = idx.get(norm(kind)) ?? idx.get(singular(norm(kind)));
    if (hit?.length) return hit;
  }
  const said = [...new Set((w.productWords ?? []).map((x) => words(x).trimEnd()).filter((x) => x.trim().length >= 3))];
  if (!said.length) return [];
  return items.filter((it) => {
    if (!it.available) return false;
    const title = words(it.title);
    return said.some((x) => title.includes(x));
  });
}

/**
 * Hard constraints: what the person asked for or ruled out. Never broken. The kind of product is not
 * checked here: the candidates are itemsOfKind already.
 */
function meetsHard(item: StoredItem, f: Facets, w: Wanted, window: { min?: number; max?: number }): boolean {
  if (!item.available) return false;
  if (window.min !== undefined && !((item.price ?? -1) >= window.min)) return false;
  if (window.max !== undefined && !((item.price ?? Infinity) <= window.max)) return false;
  const ex = w.excluded;
  if (f.brand && ex.brands.some((b) => norm(b) === norm(f.brand))) return false;
  if (ex.colours.some((c) => f.colours.has(norm(c)))) return false;
  if (ex.categories.some((c) => hasKind(f, c))) return false;
  if (ex.tags.some((t) => f.tags.has(norm(t)))) return false;
  return true;
}

export type SoftSlot = 'colour' | 'use' | 'brand' | 'tags' | 'seats';

/** Soft constraints: preferences that may be relaxed, most dispensable first, when nothing fits all. */
const SOFT_ORDER: readonly SoftSlot[] = ['colour', 'tags', 'use', 'brand'];

function meetsSoft(f: Facets, w: Wanted, slot: SoftSlot): boolean {
  switch (slot) {
    case 'colour':
      return !w.colour || f.colours.has(norm(w.colour));
    case 'use':
      return !w.use || f.uses.has(norm(w.use)) || f.tags.has(norm(w.use));
    case 'brand':
      return !w.brand || (f.brand !== undefined && norm(f.brand) === norm(w.brand));
    case 'tags':
      return !w.tags?.length || w.tags.every((t) => f.tags.has(norm(t)) || f.uses.has(norm(t)));
    case 'seats':
      return true;
  }
}

export interface SearchResult {
  items: StoredItem[];
  /** Soft constraints that had to be dropped to find anything. */
  relaxed: SoftSlot[];
}

/** The items that meet every hard constraint, unranked, and the measures that had to give way. */
interface Fitting {
  hard: readonly StoredItem[];
  relaxedMeasures: SoftSlot[];
}

function fitting(items: readonly StoredItem[], w: Wanted, exclude: ReadonlySet<string>): Fitting {
  const key = JSON.stringify([w, [...exclude].sort()]);
  return memo(FITTING, items, key, () => findFitting(items, w, exclude));
}

function findFitting(items: readonly StoredItem[], w: Wanted, exclude: ReadonlySet<string>): Fitting {
  const unbudgeted = { ...w, budget: undefined };
  let typed = itemsOfKind(items, w).filter((it) => !exclude.has(it.id) && it.available && meetsHard(it, facetsOf(it), unbudgeted, {}));
  // Measures bind where the candidates record them; seats give way (and say so) when nothing has them.
  const relaxedMeasures: SoftSlot[] = [];
  if (w.measures && Object.keys(w.measures).length) {
    const shapes = shapesOf(items);
    const applicable = Object.fromEntries(
      Object.entries(w.measures).filter(([k]) => typed.some((it) => shapes.shapes.get(it.id)?.measures[k as Measure] !== undefined)),
    ) as Measures;
    const { seats, ...rest } = applicable;
    typed = typed.filter((it) => meetsMeasures(shapes, it, rest));
    if (seats) {
      const seated = typed.filter((it) => meetsMeasures(shapes, it, { seats }));
      const window = priceWindow(
        w.budget,
        typed.map((i) => i.price).filter((p): p is number => p !== undefined),
      );
      const fits = (it: StoredItem) =>
        (window.max === undefined || (it.price ?? Infinity) <= window.max) && (window.min === undefined || (it.price ?? -1) >= window.min);
      if (seated.some(fits)) typed = seated;
      else relaxedMeasures.push('seats');
    }
  }
  const window = priceWindow(
    w.budget,
    typed.map((i) => i.price).filter((p): p is number => p !== undefined),
  );
  const hard = typed.filter(
    (it) =>
      meetsHard(it, facetsOf(it), w, window) &&
      (w.below === undefined || (it.price ?? Infinity) < w.below) &&
      (w.above === undefined || (it.price ?? -Infinity) > w.above),
  );
  return { hard, relaxedMeasures };
}

/**
 * The items that satisfy every hard constraint and as many soft ones as possible, in the order of
 * `rank` (the recommender's order for this person). Pure: the catalogue and the ranking are inputs.
 */
export function searchCatalog(items: readonly StoredItem[], w: Wanted, rank: (id: string) => number, exclude: ReadonlySet<string>, n = 3): SearchResult {
  const { relaxedMeasures } = fitting(items, w, exclude);
  const hard = forTopic(items, fitting(items, w, exclude).hard, w);
  const relevance = relevanceOf(items, w);
  // Items meeting more of the preferences come first; the recommender orders items that tie.
  const active = SOFT_ORDER.filter((s) => !meetsAllTrivially(w, s));
  const keyed = hard.map((it) => {
    const met = active.filter((s) => meetsSoft(facetsOf(it), w, s));
    return { it, met, weight: met.reduce((sum, s) => sum + (SOFT_ORDER.length - SOFT_ORDER.indexOf(s)), 0), relevance: relevance(it.id), rank: rank(it.id) };
  });
  type Keyed = (typeof keyed)[number];
  const before = (a: Keyed, b: Keyed) => b.weight - a.weight || b.relevance - a.relevance || b.rank - a.rank || a.it.id.localeCompare(b.it.id);
  const top = firstN(keyed, n, before);
  const ranked = top.map((k) => k.it);
  // A preference counts as relaxed only when none of the items shown meets it.
  const relaxed = active.filter((s) => ranked.length > 0 && !top.some((k) => k.met.includes(s)));
  return { items: ranked, relaxed: ranked.length ? [...relaxed, ...relaxedMeasures] : relaxed };
}

/** The first `n` of `xs` in a stable sort by `cmp`, without sorting all of them (a catalogue holds thousands). */
function firstN<T>(xs: readonly T[], n: number, cmp: (a: T, b: T) => number): T[] {
  if (n >= xs.length / 4) return [...xs].sort(cmp).slice(0, n);
  const top: T[] = [];
  for (const x of xs) {
    if (top.length === n && cmp(x, top[n - 1]) >= 0) continue;
    let j = top.length;
    while (j > 0 && cmp(x, top[j - 1]) < 0) j--;
    top.splice(j, 0, x);
    if (top.length > n) top.pop();
  }
  return top;
}

const OWN_TYPES = new WeakMap<readonly StoredItem[], boolean>();

/** Every item carries a type of its own (attributes.productType, type or tipo). */
function ownTypes(items: readonly StoredItem[]): boolean {
  let typed = OWN_TYPES.get(items);
  if (typed === undefined) OWN_TYPES.set(items, (typed = items.every(hasOwnType)));
  return typed;
}
const RELEVANCE = new WeakMap<readonly StoredItem[], { words: string; scores: Map<string, number>; max: number }>();

/**
 * How well an item's fields match the words of the request (BM25, coarse-grained so the
 * recommender still orders items that match alike). Only for catalogues whose items carry no type of
 * their own: there the words are all the request has.
 */
function relevanceOf(items: readonly StoredItem[], w: Wanted): (id: string) => number {
  if (!w.ask || !w.words) return () => 0;
  if (ownTypes(items)) return () => 0;
  let r = RELEVANCE.get(items);
  if (!r || r.words !== w.words) {
    const scores = shapesOf(items).bm25.score(terms(w.words));
    let max = 0;
    for (const v of scores.values()) max = Math.max(max, v);
    RELEVANCE.set(items, (r = { words: w.words, scores, max }));
  }
  const { scores, max } = r;
  return (id) => (max > 0 ? Math.round((4 * (scores.get(id) ?? 0)) / max) : 0);
}

/**
 * The other words of the request narrow the list where they name some candidates' category ("a
 * magazine about hiking", "revista de cocina"). Only for catalogues whose items carry no type of
 * their own, where the words are all the request has (as for relevance, below).
 */
function forTopic(items: readonly StoredItem[], hard: readonly StoredItem[], w: Wanted): readonly StoredItem[] {
  if (!w.ask || !w.words || hard.length <= 1 || ownTypes(items)) return hard;
  const shapes = shapesOf(items);
  const product = new Set(w.ask.variants.flatMap((v) => [v.head, ...v.mods]));
  let out = hard;
  for (const t of new Set(terms(w.words))) {
    if (product.has(t)) continue;
    const forms = [t, ...(TOPIC_TRANSLATIONS.get(t) ?? [])];
    const kept = out.filter((it) => {
      const s = shapes.shapes.get(it.id);
      return Boolean(s && forms.some((f) => s.categoryStems.has(f)));
    });
    if (kept.length && kept.length < out.length) out = kept;
  }
  return out;
}

/** How many items would be shown from (for deciding whether a question is worth asking). */
export function countFitting(items: readonly StoredItem[], w: Wanted, exclude: ReadonlySet<string>): number {
  return forTopic(items, fitting(items, w, exclude).hard, w).length;
}

function meetsAllTrivially(w: Wanted, s: SoftSlot): boolean {
  return s === 'seats' ? true : s === 'tags' ? !w.tags?.length : !w[s];
}

/** Merges a message's slots into what the conversation wants (new values replace, exclusions add up). */
export function mergeWanted(prev: Wanted, s: Slots): Wanted {
  const next: Wanted = { ...prev, excluded: { ...prev.excluded } };
  if (s.productType && s.productType !== prev.productType) {
    // A new product: its category, use, taste and price comparisons start afresh.
    next.productType = s.productType;
    next.category = s.category;
    // A few distinct words: each is looked for in every title, and a long message may name the product hundreds of times.
    next.productWords = [
      ...new Set(
        s.mentions.filter((m) => (m.slot === 'product' || m.slot === 'category') && !m.negated).flatMap((m) => (m.form ? [m.text, m.form] : [m.text])),
      ),
    ].slice(0, 8);
    next.below = undefined;
    next.above = undefined;
    next.use = undefined;
    next.colour = undefined;
    next.brand = undefined;
    next.tags = undefined;
  } else if (s.category && !s.productType) {
    if (s.category !== prev.category) next.productType = undefined;
    next.category = s.category;
  }
  if (s.budget) {
    next.budget = { ...s.budget };
    next.below = undefined;
    next.above = undefined;
  }
  if (s.use) next.use = s.use;
  if (s.colour) next.colour = s.colour;
  if (s.brand) next.brand = s.brand;
  if (s.tags?.length) next.tags = [...new Set([...(next.tags ?? []), ...s.tags])];
  for (const k of ['brands', 'colours', 'categories', 'tags', 'styles'] as const) {
    next.excluded[k] = [...new Set([...(prev.excluded[k] ?? []), ...(s.excluded[k] ?? [])])];
  }
  if (next.brand && next.excluded.brands.some((b) => norm(b) === norm(next.brand))) next.brand = undefined;
  if (next.colour && next.excluded.colours.some((c) => norm(c) === norm(next.colour))) next.colour = undefined;
  return next;
}
