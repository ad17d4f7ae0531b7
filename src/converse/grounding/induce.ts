/**
 * What the shop's own catalogue says its products are, induced once per catalogue snapshot: for each
 * item the head of its title ("Cover for 1-seat module" is a cover, "2-seat sofa" a sofa with 2 seats,
 * "Saco de dormir Kimba" a saco), whether it is a part or an accessory of something else, and the
 * measurements it carries (seats, width, depth, height, weight), plus a BM25 index over its fields.
 * Pure; cached per items array (the catalogue replaces the array whenever an item changes).
 */
import type { StoredItem } from '../../domain/schemas.ts';
import { COLOUR_SYNONYMS } from '../nlu/synonyms.ts';
import { fold, STOPWORDS, stem, tokenize, tokenizeWithOffsets, type Lang } from '../../text/text.ts';
import { LEXICON, PART_WORDS } from './lexicon.ts';
import { Bm25, terms, type Fields } from './bm25.ts';

export type Measure = 'seats' | 'width' | 'depth' | 'height' | 'weight';

export interface ItemShape {
  lang: Lang;
  /** Stem of the title's head noun, in the title's language; '' when the title names no type. */
  head: string;
  /** Stems of the other words of the title's main clause (modifiers, in either order). */
  mods: string[];
  /** The head is a type the catalogue uses more than once (or a lexicon word): titles say what the item is. */
  typed: boolean;
  /** A part or an accessory of another product ("Cover for …", "Legs for …", "Funda para …"). */
  part: boolean;
  /** Stems of the category path words (both analysers), for items whose titles name no type. */
  categoryStems: Set<string>;
  /** Stems of every word of the item's text by field (title, categories, tags, description); see `textHas`. */
  text: Fields;
  measures: Partial<Record<Measure, number>>;
  headWord: string;
  /** Made for children ("Children's desk chair", "silla infantil"): shown for a plain request only when nothing else fits. */
  children: boolean;
  /** Filed under the shop's accessories or spare parts: likewise. */
  accessoryCategory: boolean;
}

export interface CatalogShapes {
  shapes: Map<string, ItemShape>;
  /** Heads used by the catalogue, with how many items carry them. */
  heads: Map<string, number>;
  /** The head words as the titles write them (folded), so a word only matches as written or in the plural. */
  headWords: Set<string>;
  /** Modifier + head pairs the titles use ("coffee table"), keyed `mod head`. */
  pairs: Set<string>;
  /** BM25 over title, category, tags and description (built at first use). */
  readonly bm25: Bm25;
  /** Whether any item carries each measure. */
  has: Set<Measure>;
  ms: number;
}

const COLOURS = new Set(COLOUR_SYNONYMS.flatMap((g) => [...g.en, ...g.es, g.canonical]).flatMap((f) => tokenize(f)));
const NUMBER_WORDS: Record<string, number> = {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  un: 1,
  una: 1,
  uno: 1,
  dos: 2,
  tres: 3,
  cuatro: 4,
  cinco: 5,
  seis: 6,
};
const SPANISH_CUES = new Set(['de', 'para', 'con', 'del', 'y', 'sin']);
const LEXICON_ES = new Set(LEXICON.flatMap((e) => e.es.map((f) => f.split(' ')[0])));
const LEXICON_PRODUCT_HEADS = new Set(
  LEXICON.filter((e) => e.kind === 'product').flatMap((e) => [...e.en.map((f) => f.split(' ').at(-1)!), ...e.es.map((f) => f.split(' ')[0])]),
);

const LEXICON_HEAD_WORDS: ReadonlySet<string> = new Set([...LEXICON_PRODUCT_HEADS, ...PART_WORDS]);

const MEASURE_KEYS: Array<[RegExp, Measure, number]> = [
  [/^(width|ancho|anchura)(_?cm)?$/, 'width', 1],
  [/^(depth|fondo|profundidad)(_?cm)?$/, 'depth', 1],
  [/^(height|alto|altura)(_?cm)?$/, 'height', 1],
  [/^(weight|peso)(_?kg)?$/, 'weight', 1],
  [/^(weight|peso)_?g$/, 'weight', 0.001],
  [/^(seats|plazas|seating)$/, 'seats', 1],
];

function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v !== 'string') return undefined;
  const m = /(\d+(?:[.,]\d+)?)\s*(kg|g|cm|mm|m)?\b/i.exec(v);
  if (!m) return undefined;
  const n = Number(m[1].replace(',', '.'));
  const unit = (m[2] ?? '').toLowerCase();
  return unit === 'g' ? n / 1000 : unit === 'mm' ? n / 10 : unit === 'm' ? n * 100 : n;
}

/** Seats named in a text: "3-seat", "three-seat", "2 plazas", "for 4 people", "6 personas". */
export function seatsIn(folded: string): number | undefined {
  const m = /(?<!\d)(\d+|one|two|three|four|five|six|una|uno|dos|tres|cuatro|cinco|seis)[- ](?:seats?|seater|plazas?|asientos?|personas|people|persons)\b/.exec(
    folded,
  );
  if (!m) return undefined;
  return /\d/.test(m[1]) ? Number(m[1]) : NUMBER_WORDS[m[1]];
}

/** Words that say a product is made for children, folded. */
export const CHILD_WORDS: ReadonlySet<string> = new Set([
  'children',
  'childrens',
  'child',
  'childs',
  'kids',
  'kid',
  'junior',
  'baby',
  'toddler',
  'infantil',
  'infantiles',
  'ninos',
  'ninas',
  'nino',
  'nina',
  'bebe',
  'juvenil',
]);
const ACCESSORY_CATEGORY = /\b(?:accessor(?:y|ies)|accesorios?|spare parts?|repuestos?|recambios?)\b/;

/** "3-Pack", "2 pcs": how many come in the box, not what the item is. */
const PACK_WORDS = new Set(['pack', 'packs', 'pcs', 'pieces', 'piece', 'units', 'unidades', 'uds', 'count', 'ct']);

const CUT_EN = /,|\(|\s[-–]\s|\s(?:with|for|in|without)\s/;
const CUT_ES = /,|\(|\s[-–]\s|\s(?:para|con|sin|en)\s/;

/** Whether a stem occurs anywhere in the item's text. */
export function textHas(s: ItemShape, stem: string): boolean {
  for (const field in s.text) if (s.text[field].includes(stem)) return true;
  return false;
}

/** Items of a category share the analysed category text (see shapesOf), and so its set of stems. */
const SETS = new WeakMap<readonly string[], Set<string>>();
function setOf(xs: readonly string[]): Set<string> {
  let s = SETS.get(xs);
  if (!s) SETS.set(xs, (s = new Set(xs)));
  return s;
}

function shapeOf(it: StoredItem, fields: Fields): ItemShape {
  const title = it.title ?? '';
  const titleWords = tokenize(title);
  const folded = titleWords.join(' ');
  const attrs = (it.attributes ?? {}) as Record<string, unknown>;
  const brandWords = new Set(['brand', 'marca', 'manufacturer'].flatMap((k) => (typeof attrs[k] === 'string' ? tokenize(attrs[k] as string) : [])));
  const firstWords = titleWords.slice(0, 3);
  const lang: Lang =
    it.language === 'es' || it.language === 'en' ? it.language : firstWords.some((w) => SPANISH_CUES.has(w)) && LEXICON_ES.has(firstWords[0]) ? 'es' : 'en';
  const cut = (lang === 'es' ? CUT_ES : CUT_EN).exec(` ${title} `.replace(/\s+/g, ' '));
  const clause = cut ? ` ${title} `.slice(0, cut.index) : title;
  const forClause = cut !== null && /\s(?:for|para)\s/.test(cut[0]);
  // Names in capitals (IKEA's "KNOPPARP"), brands, colours, numbers and seat counts say nothing of the type.
  const words = tokenizeWithOffsets(clause)
    .filter((t) => !(t.raw.length >= 2 && t.raw === t.raw.toUpperCase() && /\p{Lu}/u.test(t.raw)))
    .map((t) => t.norm)
    .filter(
      (w, k, all) =>
        !brandWords.has(w) &&
        !COLOURS.has(w) &&
        !/\d/.test(w) &&
        !STOPWORDS[lang].has(w) &&
        !(lang === 'es' && w === 'de') &&
        !(
          (w === 'seat' || w === 'seater' || w === 'plazas' || w === 'plaza' || PACK_WORDS.has(w)) &&
          k > 0 &&
          (/\d/.test(all[k - 1]) || all[k - 1] in NUMBER_WORDS)
        ) &&
        !(w in NUMBER_WORDS),
    );
  const headWord = (lang === 'es' ? words[0] : words.at(-1)) ?? '';
  const head = headWord ? stem(headWord, lang) : '';
  const mods = (lang === 'es' ? words.slice(1) : words.slice(0, -1)).map((w) => stem(w, lang));
  const leading = lang === 'es' ? words[0] : words[0];
  const part =
    PART_WORDS.has(headWord) ||
    (lang === 'en' && words.length > 1 && PART_WORDS.has(leading ?? '') && !LEXICON_PRODUCT_HEADS.has(leading ?? '')) ||
    (forClause && !LEXICON_PRODUCT_HEADS.has(headWord));
  const categoryStems = setOf(fields.category);
  const measures: Partial<Record<Measure, number>> = {};
  for (const [k, v] of Object.entries(attrs)) {
    const key = k.trim().toLowerCase();
    const hit = MEASURE_KEYS.find(([re]) => re.test(key));
    const n = hit ? numberOf(v) : undefined;
    if (hit && n !== undefined && n > 0) measures[hit[1]] = n * hit[2];
  }
  const seats = seatsIn(folded);
  if (seats !== undefined && !part) measures.seats ??= seats;
  const children = titleWords.some((w) => CHILD_WORDS.has(w));
  const accessoryCategory = (it.categories ?? []).some((c) => ACCESSORY_CATEGORY.test(fold(c)));
  return { lang, head, mods, typed: false, part, categoryStems, text: fields, measures, headWord, children, accessoryCategory };
}

const CACHE = new WeakMap<readonly StoredItem[], CatalogShapes>();

/** The catalogue's shapes, induced at first use for this snapshot of its items. */
export function shapesOf(items: readonly StoredItem[]): CatalogShapes {
  let c = CACHE.get(items);
  if (c) return c;
  const t0 = performance.now();
  const shapes = new Map<string, ItemShape>();
  const heads = new Map<string, number>();
  const headWords = new Set<string>();
  const pairs = new Set<string>();
  const has = new Set<Measure>();
  const docs: Array<{ id: string; fields: Fields }> = [];
  // Categories and tags repeat across a catalogue: each distinct text is analysed once.
  const seen = new Map<string, string[]>();
  const shared = (text: string) => {
    let t = seen.get(text);
    if (!t) seen.set(text, (t = terms(text)));
    return t;
  };
  for (const it of items) {
    const fields: Fields = {
      title: terms(it.title ?? ''),
      category: shared((it.categories ?? []).join(' ')),
      tags: shared((it.tags ?? []).join(' ')),
      description: terms((it.description ?? '').slice(0, 400)),
    };
    const s = shapeOf(it, fields);
    shapes.set(it.id, s);
    if (s.head) heads.set(s.head, (heads.get(s.head) ?? 0) + 1);
    if (s.headWord) headWords.add(s.headWord);
    for (const m of s.mods) pairs.add(`${m} ${s.head}`);
    for (const k of Object.keys(s.measures) as Measure[]) has.add(k);
    docs.push({ id: it.id, fields });
  }
  // A lexicon word as written (or its plural), not its stem: "Backpacker" is a magazine's name, not a backpack.
  const lexiconWord = (w: string) =>
    LEXICON_HEAD_WORDS.has(w) || LEXICON_HEAD_WORDS.has(w.replace(/(?:es|s)$/, '')) || LEXICON_HEAD_WORDS.has(w.replace(/s$/, ''));
  for (const s of shapes.values()) s.typed = Boolean(s.head) && ((heads.get(s.head) ?? 0) >= 2 || lexiconWord(s.headWord));
  // The index is built at its first use: a catalogue whose items carry their own type never ranks by words.
  let index: Bm25 | undefined;
  c = {
    shapes,
    heads,
    headWords,
    pairs,
    has,
    ms: performance.now() - t0,
    get bm25() {
      return (index ??= new Bm25(docs, { title: 3, category: 1.5, tags: 1, description: 0.5 }));
    },
  };
  CACHE.set(items, c);
  return c;
}
