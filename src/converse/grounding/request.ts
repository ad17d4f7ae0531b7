/**
 * What a message asks for, read against the shop's own catalogue: the product named (through the
 * shipped lexicon, either language, or through the heads the catalogue's titles use), whether it is a
 * part or accessory, and the measurements stated ("tres plazas", "for 3 people", "at least 150 cm
 * wide", "under 2 kg"). Also the explicit requests to switch language.
 */
import type { StoredItem } from '../../domain/schemas.ts';
import { STOPWORDS, stem, tokenize, type Lang } from '../../text/text.ts';
import { CHILD_WORDS, seatsIn, textHas, type CatalogShapes, type Measure } from './induce.ts';
import { LEXICON, PART_WORDS, type LexiconEntry } from './lexicon.ts';

export interface Variant {
  lang: Lang;
  head: string;
  mods: string[];
}

/** A product asked for, grounded in the catalogue's words. Plain data: it is stored with the session. */
export interface ProductAsk {
  /** The words the person used, for wording replies. */
  label: string;
  variants: Variant[];
  /** A part or accessory asked for by name: parts may answer. */
  part: boolean;
  /** Named only as what something is for ("para el escritorio"): no new request on its own. */
  purpose?: boolean;
  /** The message speaks of children: products made for them answer. */
  children?: boolean;
}

export interface Bound {
  min?: number;
  max?: number;
}

export type Measures = Partial<Record<Measure, Bound>>;

interface Form {
  entry: LexiconEntry;
  lang: Lang;
  stems: string[];
}

const FORMS: Form[] = LEXICON.filter((e) => e.kind !== 'other').flatMap((entry) => [
  ...entry.en.map((f) => ({ entry, lang: 'en' as const, stems: f.split(' ').map((w) => stem(w, 'en')) })),
  ...entry.es.map((f) => ({ entry, lang: 'es' as const, stems: f.split(' ').map((w) => stem(w, 'es')) })),
]);

function variantOf(form: string, lang: Lang): Variant {
  const words = form.split(' ').filter((w) => !(lang === 'es' && (w === 'de' || w === 'para')));
  const stems = words.map((w) => stem(w, lang));
  return lang === 'es' ? { lang, head: stems[0], mods: stems.slice(1) } : { lang, head: stems.at(-1)!, mods: stems.slice(0, -1) };
}

function askOf(entry: LexiconEntry, label: string): ProductAsk {
  const heads = [...entry.en.map((f) => f.split(' ').at(-1)!), ...entry.es.map((f) => f.split(' ')[0])];
  return {
    label,
    variants: [...entry.en.map((f) => variantOf(f, 'en')), ...entry.es.map((f) => variantOf(f, 'es'))],
    part: entry.kind === 'part' || heads.some((h) => PART_WORDS.has(h)),
  };
}

const PURPOSE = new Set(['para', 'pa', 'for']);
const ARTICLES = new Set(['el', 'la', 'los', 'las', 'un', 'una', 'mi', 'mis', 'tu', 'the', 'a', 'an', 'my', 'your']);

function isPurpose(words: readonly string[], i: number): boolean {
  for (let j = i - 1, hops = 0; j >= 0 && hops < 3; j--, hops++) {
    if (PURPOSE.has(words[j])) return true;
    if (!ARTICLES.has(words[j])) return false;
  }
  return false;
}

/** The lexicon's forms by language and first stem, each with its place in FORMS (which breaks ties). */
const BY_FIRST: Record<Lang, Map<string, Array<[number, Form]>>> = { en: new Map(), es: new Map() };
FORMS.forEach((form, k) => {
  const m = BY_FIRST[form.lang];
  const l = m.get(form.stems[0]) ?? [];
  l.push([k, form]);
  m.set(form.stems[0], l);
});

/** The product the message names, if any: the earliest, longest lexicon phrase, else a head the catalogue's titles use. */
export function readProduct(text: string, shapes: CatalogShapes): ProductAsk | undefined {
  const ask = readAsk(text, shapes);
  return ask && tokenize(text).some((w) => CHILD_WORDS.has(w)) ? { ...ask, children: true } : ask;
}

function readAsk(text: string, shapes: CatalogShapes): ProductAsk | undefined {
  const words = tokenize(text);
  const st = { en: words.map((w) => stem(w, 'en')), es: words.map((w) => stem(w, 'es')) };
  // Where each form first occurs (only the first occurrence of a form counts).
  const first = new Map<number, { i: number; form: Form }>();
  for (let i = 0; i < words.length; i++) {
    for (const lang of ['en', 'es'] as const) {
      const s = st[lang];
      for (const [k, form] of BY_FIRST[lang].get(s[i]) ?? []) {
        if (first.has(k)) continue;
        const n = form.stems.length;
        if (i + n > s.length) continue;
        let ok = true;
        for (let j = 1; j < n && ok; j++) ok = s[i + j] === form.stems[j];
        if (ok) first.set(k, { i, form });
      }
    }
  }
  let best: { i: number; n: number; form: Form; after: boolean } | undefined;
  for (const k of [...first.keys()].sort((a, b) => a - b)) {
    const { i, form } = first.get(k)!;
    const n = form.stems.length;
    // "para el escritorio", "for my scooter": what the thing is for, not the thing asked for.
    const after = isPurpose(words, i);
    const better = !best || (best.after && !after) || (best.after === after && (i < best.i || (i === best.i && n > best.n)));
    if (better) best = { i, n, form, after };
  }
  if (best) return { ...askOf(best.form.entry, words.slice(best.i, best.i + best.n).join(' ')), ...(best.after ? { purpose: true } : {}) };
  // Words the lexicon does not know: a head the catalogue's own titles use at least twice.
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    if (w.length < 3 || /\d/.test(w) || STOPWORDS.en.has(w) || STOPWORDS.es.has(w)) continue;
    for (const lang of ['en', 'es'] as const) {
      const h = st[lang][i];
      if ((shapes.heads.get(h) ?? 0) < 2) continue;
      const singular = w.replace(/(?:es|s)$/, '');
      if (!shapes.headWords.has(w) && !shapes.headWords.has(singular) && !shapes.headWords.has(`${singular}e`)) continue;
      const prev = i > 0 ? st[lang][i - 1] : undefined;
      const mods = lang === 'en' && prev && shapes.pairs.has(`${prev} ${h}`) ? [prev] : [];
      return { label: (mods.length ? words.slice(i - 1, i + 1) : [w]).join(' '), variants: [{ lang, head: h, mods }], part: PART_WORDS.has(w) };
    }
  }
  return undefined;
}

/** The available items that are the product asked for: parts only when a part was asked for. */
export function groundedItems(items: readonly StoredItem[], shapes: CatalogShapes, ask: ProductAsk): StoredItem[] {
  const match = (it: StoredItem, withMods: boolean) => {
    const s = shapes.shapes.get(it.id);
    if (!s || !it.available || (s.part && !ask.part)) return false;
    return ask.variants.some((v) => {
      const mods = () => !withMods || v.mods.every((m) => s.mods.includes(m) || textHas(s, m));
      if (s.typed) return v.lang === s.lang && s.head === v.head && mods();
      return s.categoryStems.has(v.head) && mods();
    });
  };
  const exact = items.filter((it) => match(it, true));
  const found = exact.length ? exact : items.filter((it) => match(it, false));
  // Children's versions and items filed as accessories answer a plain request only when nothing else does.
  if (ask.children) {
    const kids = found.filter((it) => shapes.shapes.get(it.id)!.children);
    if (kids.length) return kids;
  }
  const plain = found.filter((it) => {
    const s = shapes.shapes.get(it.id)!;
    return !(s.children && !ask.children) && !(s.accessoryCategory && !ask.part);
  });
  return plain.length ? plain : found;
}

// Starts only where a number starts: a match inside a run of digits would fail the same way, one start at a time (quadratic on "1234567890…").
const NUM = '(?<!\\d)(\\d+(?:[.,]\\d+)?)';
const MIN = '(?:at least|minimum|min\\.?|more than|over|no less than|al menos|como minimo|minimo|mas de|por lo menos)';
const MAX = '(?:under|below|less than|at most|max(?:imum)?\\.?|no more than|up to|lighter than|menos de|como maximo|maximo|no mas de|hasta)';

const DIMENSIONS: Array<[Exclude<Measure, 'seats' | 'weight'>, string]> = [
  ['width', '(?:wide|width|de ancho|ancho|de anchura)'],
  ['height', '(?:tall|high|height|de alto|alto|de altura)'],
  ['depth', '(?:deep|depth|de fondo|fondo|de profundidad)'],
];

function bound(kind: 'min' | 'max' | undefined, n: number): Bound {
  if (kind === 'min') return { min: n };
  if (kind === 'max') return { max: n };
  return { min: n * 0.9, max: n * 1.1 };
}

const cm = (n: number, unit: string) => (unit === 'm' ? n * 100 : unit === 'mm' ? n / 10 : n);

/** Seats, dimensions (cm) and weight (kg) stated in the message, as bounds. */
export function readMeasures(text: string): Measures {
  const f = tokenize(text.replace(/(\d),(\d)/g, '$1.$2'))
    .join(' ')
    .replace(/(\d) (\d)/g, '$1.$2');
  const out: Measures = {};
  const seats =
    seatsIn(f) ??
    seatsIn(
      f
        .replace(/\bfor (\d+|one|two|three|four|five|six)\b/, '$1 people')
        .replace(/\bpara (\d+|una|dos|tres|cuatro|cinco|seis)\b(?! (?:euros?|eur))/, '$1 personas'),
    );
  if (seats !== undefined && seats > 0 && seats < 12) out.seats = { min: seats, max: seats };
  for (const [m, words] of DIMENSIONS) {
    const re = new RegExp(`(?:(${MIN}|${MAX}) )?${NUM} ?(cm|mm|m|centimetros|metros?) ${words}|${words} (?:(${MIN}|${MAX}) )?(?:de )?${NUM} ?(cm|mm|m)`);
    const x = re.exec(f);
    if (!x) continue;
    const cue = x[1] ?? x[4];
    const n = Number(x[2] ?? x[5]);
    const unit = (x[3] ?? x[6]).startsWith('met') ? 'm' : (x[3] ?? x[6]).startsWith('cent') ? 'cm' : (x[3] ?? x[6]);
    out[m] = bound(cue ? (new RegExp(`^${MIN}$`).test(cue) ? 'min' : 'max') : undefined, cm(n, unit));
  }
  const w = new RegExp(`(?:(${MIN}|${MAX}|que pese menos de|que pese mas de|weighing less than|weighing under) )?${NUM} ?(kg|kilos?|g|gramos|grams)\\b`).exec(
    f,
  );
  if (w) {
    const n = Number(w[2]) * (/^g/.test(w[3]) ? 0.001 : 1);
    const cue = w[1];
    out.weight = bound(
      cue ? (/mas de|^(at least|minimum|min|more than|over|no less than|al menos|como minimo|minimo|por lo menos)/.test(cue) ? 'min' : 'max') : 'max',
      n,
    );
  }
  return out;
}

/** Whether an item meets the measures asked for (the caller keeps only measures the candidates record). */
export function meetsMeasures(shapes: CatalogShapes, it: StoredItem, m: Measures): boolean {
  const s = shapes.shapes.get(it.id);
  for (const [k, b] of Object.entries(m) as Array<[Measure, Bound]>) {
    const v = s?.measures[k];
    if (v === undefined || (b.min !== undefined && v < b.min) || (b.max !== undefined && v > b.max)) return false;
  }
  return true;
}

const SWITCH_EN =
  /\b(?:(?:speak|talk|answer|reply|respond|write)(?: to me)?(?: in)? english|in english,? please|english,? please|can you speak english|do you speak english|en ingles)\b/;
const SWITCH_ES =
  /\b(?:(?:habla|hablame|hablar|responde|respondeme|contesta|contestame|escribe|escribeme|responder|contestar)(?: me)?(?: en)? (?:espanol|castellano)|en (?:espanol|castellano),? por favor|in spanish|(?:speak|talk|answer|reply|respond|write)(?: to me)? in spanish|puedes hablar(?: en)? espanol)\b/;

/** An explicit request to switch language ("can you speak English?", "respóndeme en español"). */
export function requestedLanguage(text: string): Lang | null {
  const f = tokenize(text).join(' ');
  const en = SWITCH_EN.test(f);
  const es = SWITCH_ES.test(f);
  return en && !es ? 'en' : es && !en ? 'es' : null;
}
