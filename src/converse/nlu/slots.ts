/**
 * Slot extraction for the shop assistant, English and Spanish: product type and catalog category, budget in
 * its many spoken forms, intended use, colour, brand, size, style, wanted features, negations ("not Apple",
 * "nada de rosa", "sin cable"), ordinal references to the items on screen ("the second one", "los dos
 * primeros"), comparatives ("cheaper", "más caro"), and a few conversational cues (tone, "another colour",
 * quantity). Pure: text in, typed object out.
 */
import { numberPattern, parseNumber } from './numbers.ts';
import { PHRASES_EN } from '../../text/phrases-en.ts';
import { PHRASES_ES } from '../../text/phrases-es.ts';
import { SIZE_WORDS } from './synonyms.ts';
import { STOPWORDS, fold, normalize, stem, tokenize, tokenizeWithOffsets, type Lang, type Token } from '../../text/text.ts';
import type { Entity, Phrase, Vocabulary } from './vocabulary.ts';

export type Currency = 'EUR' | 'USD' | 'GBP';

export interface Budget {
  min?: number;
  max?: number;
  around?: number;
  /** "cheap", "barato", "budget" → cheap; "premium", "gama alta" → premium. */
  relative?: 'cheap' | 'premium';
  currency?: Currency;
}

/**
 * What the person asked of the assistant's way of speaking ("be brief", "de usted"); `tone.ts`'s
 * requestedStyle turns it into the reply's Tone and Address.
 */
export type ToneRequest = 'brief' | 'detailed' | 'informal' | 'formal' | 'technical' | 'simple';
export type Changeable = 'colour' | 'brand' | 'size' | 'style' | 'model';

export interface Mention {
  slot: string;
  value: string | number | number[];
  /** The words as written. */
  text: string;
  start: number;
  end: number;
  negated?: boolean;
  /** The vocabulary's own form when the words as written differ from it (a typo: "sapatillas" → "zapatillas"). */
  form?: string;
}

export interface Excluded {
  brands: string[];
  colours: string[];
  categories: string[];
  /** Features and catalog tags ("sin cable" → the wired feature). */
  tags: string[];
  styles: string[];
}

export interface Slots {
  /** A catalog category (the catalog's own spelling), usable as a recommendation filter. */
  category?: string;
  /** The product type asked for: the catalog's own type or tag when it has one, else a canonical English name. */
  productType?: string;
  budget?: Budget;
  use?: string;
  colour?: string;
  brand?: string;
  size?: string;
  style?: string;
  /** Wanted features and catalog tags ("wireless", "waterproof"). */
  tags?: string[];
  excluded: Excluded;
  /** 1-based positions in the list on screen; negative counts from the end (-1 = the last). */
  ordinals?: number[];
  comparative?: 'cheaper' | 'pricier';
  /** Only meaningful with a tone_request intent. */
  tone?: ToneRequest;
  /** "another colour", "otra marca": what the person wants changed. */
  change?: Changeable[];
  quantity?: number;
  /** Everything understood, with where it was written (for explanations and highlighting). */
  mentions: Mention[];
}

// ---------------------------------------------------------------------------------------------- helpers

interface Ctx {
  lang: Lang;
  /** Folded text, same offsets as the original. */
  f: string;
  original: string;
  /**
   * 1 where a character is already understood. A mask, not a list of spans: a message of many short
   * matches ("1 € 1 € …") would otherwise check each match against every earlier one.
   */
  consumed: Uint8Array;
  slots: Slots;
}

function overlaps(ctx: Ctx, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (ctx.consumed[i]) return true;
  return false;
}

function consume(ctx: Ctx, s: number, e: number): void {
  ctx.consumed.fill(1, s, e);
}

function mention(ctx: Ctx, slot: string, value: Mention['value'], s: number, e: number, negated = false, form?: string): void {
  ctx.slots.mentions.push({ slot, value, text: ctx.original.slice(s, e), start: s, end: e, ...(negated ? { negated } : {}), ...(form ? { form } : {}) });
}

/** Runs a global regex over the folded text, skipping matches that overlap consumed spans. */
function scan(ctx: Ctx, re: RegExp, fn: (m: RegExpExecArray) => unknown): void {
  re.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(ctx.f))) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    const s = m.index;
    const e = s + m[0].length;
    if (overlaps(ctx, s, e)) continue;
    if (fn(m) !== false) consume(ctx, s, e);
  }
}

const b = '(?<![a-z0-9])';
const e = '(?![a-z0-9])';

// ---------------------------------------------------------------------------------------------- budget

const CUR_PRE = '(?:€|\\$|£|eur|usd|us\\$|gbp)';
const CUR_POST = `(?:€|\\$|£|eur(?:o|os)?${e}|dolar(?:es)?${e}|dollars?${e}|bucks${e}|usd${e}|pounds?${e}|libras?${e}|gbp${e}|quid${e}|pavos${e}|pelas${e})`;
const UNITS = `(?:(?:kg|kilos?|g|gr|grams?|gramos|cm|mm|m|metros?|meters?|metres?|inch(?:es)?|pulgadas?|km|years?|anos|months?|meses|days?|dias|hours?|horas|h|minutes?|minutos|min|gb|tb|mb|w|watts?|vatios|mah|l|litros?|liters?|litres?|percent|por ciento|pcs|pieces|piezas|unidades|units?|pairs?|pares|people|personas|ninos|kids|x|veces|times)${e}|%|"|º|ª)`;

function amountPattern(lang: Lang): string {
  return `(?:${CUR_PRE}\\s*)?${numberPattern(lang)}(?:\\s*${CUR_POST})?(?!\\s*${UNITS})`;
}

function currencyOf(s: string): Currency | undefined {
  if (/€|eur/.test(s) || /pavos|pelas/.test(s)) return 'EUR';
  if (/£|gbp|pound|libra|quid/.test(s)) return 'GBP';
  if (/\$|usd|dolar|dollar|bucks/.test(s)) return 'USD';
  return undefined;
}

function parseAmount(s: string, lang: Lang): { value: number; currency?: Currency } | undefined {
  const m = new RegExp(numberPattern(lang)).exec(s);
  if (!m) return undefined;
  const value = parseNumber(m[0], lang);
  if (value === undefined) return undefined;
  return { value, currency: currencyOf(s.replace(m[0], ' ')) };
}

type BudgetKind = 'max' | 'min' | 'around' | 'range';
/** Cues; `weak` ones need a currency or a price word elsewhere ("up to 10" could be anything). */
const BUDGET_CUES: Array<{ kind: BudgetKind; pre?: string; post?: string; join?: string; weak?: boolean }> = [
  { kind: 'range', pre: '(?:between|entre)', join: '(?:and|y|-|–)' },
  {
    kind: 'max',
    pre: '(?:under|below|less than|lower than|cheaper than|no more than|not more than|not over|no higher than|at most|max(?:imum)?|budget(?: is| of)?(?: about| around| max)?|my budget is|price limit(?: of)?|spend(?:ing)? (?:up to|max|at most|no more than)|i can spend|i can only spend|i want to spend|<=?|menos de|por debajo de|inferior(?:es)? a|como mucho|como maximo|maximo|no mas de|que no pase(?:n)? de|que no supere(?:n)?|que no llegue(?:n)? a|mas barat[oa]s? que|presupuesto(?: maximo)?(?: de| es de| es)?|mi presupuesto es(?: de)?|puedo gastar(?: hasta)?|quiero gastar(?: como mucho)?|me quiero gastar|gastarme|limite de)',
  },
  { kind: 'range', pre: '(?:from|de|desde)', join: '(?:to|a|hasta|-|–)', weak: true },
  { kind: 'max', pre: "(?:up to|upto|within|hasta|tengo|i have|i've got|ive got)", weak: true },
  {
    kind: 'min',
    pre: '(?:over|above|more than|at least|starting at|min(?:imum)?|no less than|>=?|mas de|por encima de|superior(?:es)? a|como minimo|minimo|al menos|por lo menos)',
  },
  { kind: 'min', pre: '(?:from|desde|a partir de)', weak: true },
  {
    kind: 'around',
    pre: '(?:around|about|approximately|approx\\.?|roughly|circa|~|something like|close to|in the region of|more or less|unos|unas|alrededor de|aproximadamente|mas o menos|cerca de|en torno a|rondando|rondan|por unos)',
  },
  { kind: 'around', pre: '(?:sobre|tipo|like)', weak: true },
  { kind: 'max', post: '(?:max|maximum|tops|or less|or under|at most|o menos|como mucho|como maximo|maximo|max\\.?)' },
  { kind: 'min', post: '(?:or more|at least|o mas|como minimo|minimo|para arriba|or above|and up)' },
  { kind: 'min', post: '(?:plus|\\+)', weak: true },
  { kind: 'around', post: '(?:or so|ish|-ish|more or less|aprox(?:imadamente)?|mas o menos|o asi|o por ahi)' },
];

const PRICE_WORDS =
  /(?<![a-z])(?:price|prices|cost|costs|budget|spend|euros?|dollars?|pounds?|precio|precios|cuesta|cuestan|coste|presupuesto|gastar|pagar|pay|paying)(?![a-z])/;

function setBudget(ctx: Ctx, patch: Partial<Budget>, s: number, e2: number): void {
  const bud = (ctx.slots.budget ??= {});
  for (const [k, v] of Object.entries(patch) as Array<[keyof Budget, never]>) if (v !== undefined && bud[k] === undefined) bud[k] = v;
  const { currency: _c, ...shown } = patch;
  mention(
    ctx,
    'budget',
    Object.values(shown)
      .filter((v) => typeof v === 'number')
      .join('-') || String(patch.relative ?? ''),
    s,
    e2,
  );
}

function extractBudget(ctx: Ctx): void {
  const A = amountPattern(ctx.lang);
  const priceContext = PRICE_WORDS.test(ctx.f) || new RegExp(CUR_PRE + '|' + CUR_POST).test(ctx.f);
  for (const cue of BUDGET_CUES) {
    let re: RegExp;
    if (cue.kind === 'range') re = new RegExp(`${b}${cue.pre}\\s+(${A})\\s*${cue.join}\\s*(${A})`, 'g');
    else if (cue.pre) re = new RegExp(`${b}${cue.pre}\\s*(${A})`, 'g');
    else re = new RegExp(`(${A})\\s*${cue.post}(?![a-z0-9])`, 'g');
    scan(ctx, re, (m) => {
      const first = parseAmount(m[1], ctx.lang);
      if (!first) return false;
      const hasCurrency = currencyOf(m[0].replace(/\d/g, '')) !== undefined;
      if (cue.weak && !hasCurrency && !priceContext) return false;
      if (cue.kind === 'range') {
        const second = parseAmount(m[2], ctx.lang);
        if (!second) return false;
        const [lo, hi] = first.value <= second.value ? [first.value, second.value] : [second.value, first.value];
        setBudget(ctx, { min: lo, max: hi, currency: first.currency ?? second.currency }, m.index, m.index + m[0].length);
      } else {
        setBudget(ctx, { [cue.kind]: first.value, currency: first.currency }, m.index, m.index + m[0].length);
      }
    });
  }
  // A range with a currency and no cue: "100-200 €", "50 to 80 euros".
  scan(ctx, new RegExp(`(${A})\\s*(?:-|–|to|a)\\s*(${A})`, 'g'), (m) => {
    if (!currencyOf(m[0].replace(/\d/g, '')) && !priceContext) return false;
    const x = parseAmount(m[1], ctx.lang);
    const y = parseAmount(m[2], ctx.lang);
    if (!x || !y || y.value <= x.value) return false;
    setBudget(ctx, { min: x.value, max: y.value, currency: x.currency ?? y.currency }, m.index, m.index + m[0].length);
  });
  // A bare amount with a currency: "60 €", "$50", "cincuenta euros".
  const bare = new RegExp(`(?:${CUR_PRE}\\s*${numberPattern(ctx.lang)}|${numberPattern(ctx.lang)}\\s*${CUR_POST})`, 'g');
  scan(ctx, bare, (m) => {
    const a = parseAmount(m[0], ctx.lang);
    if (!a) {
      // "one €50": a lone "one" is no number, but the currency after it may begin an amount.
      bare.lastIndex = m.index + 1;
      return false;
    }
    setBudget(ctx, { around: a.value, currency: a.currency }, m.index, m.index + m[0].length);
  });
}

// ------------------------------------------------------------------------------- comparatives, relative

const COMPARATIVES: Array<['cheaper' | 'pricier', RegExp]> = [
  [
    'cheaper',
    new RegExp(
      `${b}(?:cheaper|less expensive|less pricey|lower[- ]priced|lower price|more affordable|more economical|more budget|too (?:expensive|pricey|much)|(?:over|out of|above) my budget|mas (?:barat|economic|asequible)[a-z]*|menos car[oa]s?|(?:demasiado|muy|bastante|algo) car[oa]s?|(?:baja|bajar|rebaja) (?:el|un poco el)? ?precio|precio mas bajo|se (?:me )?(?:va|sale) del presupuesto)${e}`,
      'g',
    ),
  ],
  [
    'pricier',
    new RegExp(
      `${b}(?:pricier|more expensive|higher[- ]end|more premium|better quality|higher quality|upmarket|up ?market|i can spend more|mas car[oa]s?|mas premium|de (?:mas|mejor) calidad|(?:de )?gama mas alta|de mas nivel|puedo gastar mas|mejores? calidad)${e}`,
      'g',
    ),
  ],
];

const RELATIVE: Array<['cheap' | 'premium', RegExp]> = [
  [
    'cheap',
    new RegExp(
      `${b}(?:cheap(?:est)?|inexpensive|affordable|budget|low[- ]cost|economical|bargain|barat(?:it)?[oa]s?|lo mas barat[oa]|economic[oa]s?|asequibles?|low cost|de bajo coste|sin gastar mucho|gastar poco)${e}`,
      'g',
    ),
  ],
  [
    'premium',
    new RegExp(
      `${b}(?:premium|high[- ]end|top[- ]of[- ]the[- ](?:range|line)|luxury|luxurious|top quality|best quality|gama alta|alta gama|de lujo|lujos[oa]s?|de calidad|top de gama|(?:algo|something) (?:car[oa]|expensive|pricey))${e}`,
      'g',
    ),
  ],
];

const NOT_EXPENSIVE = new RegExp(
  `${b}(?:not (?:too |very |that |so |overly )?(?:expensive|pricey)|nothing (?:too )?(?:expensive|pricey)|no (?:muy |demasiado |tan )?car[oa]s?|nada car[oa]s?|que no sea(?:n)? (?:muy |demasiado |tan )?car[oa]s?)${e}`,
  'g',
);

function extractPriceWords(ctx: Ctx): void {
  scan(ctx, NOT_EXPENSIVE, (m) => {
    (ctx.slots.budget ??= {}).relative ??= 'cheap';
    mention(ctx, 'budget', 'cheap', m.index, m.index + m[0].length);
  });
  for (const [value, re] of COMPARATIVES) {
    scan(ctx, re, (m) => {
      ctx.slots.comparative ??= value;
      mention(ctx, 'comparative', value, m.index, m.index + m[0].length);
    });
  }
  for (const [value, re] of RELATIVE) {
    scan(ctx, re, (m) => {
      const bud = (ctx.slots.budget ??= {});
      bud.relative ??= value;
      mention(ctx, 'budget', value, m.index, m.index + m[0].length);
    });
  }
}

// ---------------------------------------------------------------------------------------------- ordinals

const ORDINAL_WORDS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
  last: -1,
  primer: 1,
  primero: 1,
  primera: 1,
  primeros: 1,
  primeras: 1,
  segundo: 2,
  segunda: 2,
  segundos: 2,
  segundas: 2,
  tercer: 3,
  tercero: 3,
  tercera: 3,
  cuarto: 4,
  cuarta: 4,
  quinto: 5,
  quinta: 5,
  sexto: 6,
  sexta: 6,
  septimo: 7,
  septima: 7,
  octavo: 8,
  octava: 8,
  noveno: 9,
  novena: 9,
  decimo: 10,
  decima: 10,
  ultimo: -1,
  ultima: -1,
  ultimos: -1,
  ultimas: -1,
  penultimo: -2,
  penultima: -2,
};
const ORD = `(?:${Object.keys(ORDINAL_WORDS)
  .sort((x, y) => y.length - x.length)
  .join('|')})`;
const NOT_ORDINAL = new RegExp(
  `${b}(?:first (?:time|of all|thing|name|class|aid|hand)|at first|at last|last (?:time|week|month|year|night|weekend|order|purchase|season)|(?:a|one|just a|wait a) second|second hand|second-hand|primera vez|por primera|primero de todo|lo primero|segunda mano|un segundo|ultima vez|por ultimo|lo ultimo|(?:el|la|mi|tu|su|my|your) (?:ultim[oa]|last) (?:vez|semana|mes|ano|pedido|compra|order|purchase|time)|cuarto de|el cuarto de|mi cuarto|un cuarto)${e}`,
  'g',
);

function range(n: number, from: 1 | -1): number[] {
  return from === 1 ? Array.from({ length: n }, (_, i) => i + 1) : Array.from({ length: n }, (_, i) => i - n);
}

function extractOrdinals(ctx: Ctx): void {
  const N = numberPattern(ctx.lang);
  const out: number[] = [];
  const push = (xs: number[], s: number, e2: number) => {
    for (const x of xs) if (!out.includes(x)) out.push(x);
    mention(ctx, 'ordinals', xs, s, e2);
  };
  // Blank out the non-ordinal uses first ("first time", "segunda mano").
  scan(ctx, NOT_ORDINAL, () => true);
  // "the first two", "los dos primeros", "las 3 últimas", "top 3".
  scan(ctx, new RegExp(`${b}(?:the )?(first|last|top|primer[oa]s|ultim[oa]s)\\s+(${N})(?!\\s*${CUR_POST})${e}`, 'g'), (m) => {
    const n = parseNumber(m[2], ctx.lang);
    if (!n || n > 10) return false;
    push(range(n, /^(last|ultim)/.test(m[1]) ? -1 : 1), m.index, m.index + m[0].length);
  });
  scan(ctx, new RegExp(`${b}(?:the |l[oa]s )?(${N})\\s+(first|last|primer[oa]s|ultim[oa]s)${e}`, 'g'), (m) => {
    const n = parseNumber(m[1], ctx.lang);
    if (!n || n > 10) return false;
    push(range(n, /^(last|ultim)/.test(m[2]) ? -1 : 1), m.index, m.index + m[0].length);
  });
  // "number 2", "option 3", "#2", "el número 2", "la opción 3", "item 4", "2nd", "3º".
  scan(
    ctx,
    new RegExp(
      `${b}(?:number|no\\.|nr\\.?|option|item|choice|product|numero|opcion|producto|articulo|modelo)\\s*#?\\s*(\\d{1,2})${e}|#(\\d{1,2})${e}|${b}(\\d{1,2})(?:\\s*(?:st|nd|rd|th|º|ª)|o|a)${e}`,
      'g',
    ),
    (m) => {
      const n = Number(m[1] ?? m[2] ?? m[3]);
      // Past the list ("Chanel No. 22") it is still a number, not words to read: its "no" is no negation.
      if (!n || n > 20) return;
      push([n], m.index, m.index + m[0].length);
    },
  );
  // "compare 1 and 3", "compara el 1 y el 3", "2 vs 3": plain numbers that can only be positions in the list.
  const pos = '(?:(?:the|el|la|number|numbers|numero|numeros|option|opcion)\\s+)?(\\d{1,2})';
  scan(
    ctx,
    new RegExp(
      `${b}(?:compare|comparing|compara|comparar|comparame|compareme)\\s+${pos}\\s*(?:and|y|e|vs\\.?|versus|with|con|,|&)\\s*${pos}${e}|${b}(\\d{1,2})\\s*(?:vs\\.?|versus)\\s*(\\d{1,2})${e}`,
      'g',
    ),
    (m) => {
      const a = Number(m[1] ?? m[3]);
      const c = Number(m[2] ?? m[4]);
      if (!a || !c || a > 10 || c > 10 || a === c) return false;
      push([a, c], m.index, m.index + m[0].length);
    },
  );
  // Single ordinal words.
  scan(ctx, new RegExp(`${b}${ORD}${e}`, 'g'), (m) => {
    push([ORDINAL_WORDS[m[0]]], m.index, m.index + m[0].length);
  });
  // "both", "ambos", "los dos", "the two".
  if (!out.length) {
    scan(ctx, new RegExp(`${b}(?:both|ambos|ambas|the two|l[oa]s dos|these two|those two|estos dos|estas dos|esos dos|esas dos)${e}`, 'g'), (m) => {
      push([1, 2], m.index, m.index + m[0].length);
    });
  }
  if (out.length) ctx.slots.ordinals = out;
}

// ---------------------------------------------------------------------------------------------- size

const LETTER_SIZES = 'xxxs|xxs|xs|s|m|l|xl|xxl|xxxl|2xl|3xl';
/** The size words as the folded text spells them ("pequeña" → "pequena"), keyed without hyphens or spaces. */
const sizeKey = (w: string) => w.replace(/[- ]/g, '');
const SIZE_BY_KEY = new Map(Object.entries(SIZE_WORDS).map(([w, size]) => [sizeKey(fold(w)), size]));
const SIZE_WORD_RE = Object.keys(SIZE_WORDS)
  .map(fold)
  .sort((x, y) => y.length - x.length)
  .map((w) => w.replace(/[- ]/g, '[- ]?'))
  .join('|');

function normalSize(v: string): string {
  const t = v.trim().replace(',', '.');
  if (new RegExp(`^(?:${LETTER_SIZES})$`).test(t)) return t.toUpperCase();
  const word = SIZE_BY_KEY.get(sizeKey(t));
  if (word) return word;
  if (/^(?:unica|one size)$/.test(t)) return 'one size';
  return t;
}

function extractSize(ctx: Ctx): void {
  const value = `(${LETTER_SIZES}|\\d{1,2}(?:[.,]5)?|${SIZE_WORD_RE}|unica|one size)`;
  const cues = `(?:size|sz|talla|tallas|calzo(?: un| el)?|gasto(?: la| una| un)?|uso(?: la| el| una| un)?|i wear(?: a| an| size)?|i'?m an?|i am an?|i take(?: a| an)?|in (?:a )?size|en (?:la )?talla|de (?:la )?talla|en (?:una )?talla)`;
  scan(ctx, new RegExp(`${b}${cues}\\s+${value}${e}`, 'g'), (m) => {
    if (/^(?:i'?m an?|i am an?)$/.test(m[0].slice(0, m[0].length - m[1].length).trim()) && /^\d/.test(m[1]) && Number(m[1]) < 4) return false;
    const v = normalSize(m[1]);
    ctx.slots.size ??= v;
    mention(ctx, 'size', v, m.index, m.index + m[0].length);
  });
  // Standalone unambiguous letter sizes.
  scan(ctx, new RegExp(`${b}(xxxs|xxs|xs|xl|xxl|xxxl|2xl|3xl)${e}`, 'g'), (m) => {
    const v = normalSize(m[1]);
    ctx.slots.size ??= v;
    mention(ctx, 'size', v, m.index, m.index + m[0].length);
  });
  // "in M" / "en L": capital letter in the original.
  const re = /(?<![\p{L}\d])(?:in|en|a|an|una?)\s+([SML])(?![\p{L}\d])/gu;
  let m: RegExpExecArray | null;
  while ((m = re.exec(ctx.original))) {
    const s = m.index;
    const e2 = s + m[0].length;
    if (overlaps(ctx, s, e2)) continue;
    consume(ctx, s, e2);
    ctx.slots.size ??= m[1];
    mention(ctx, 'size', m[1], s, e2);
  }
  // Screens: 15", 27 pulgadas.
  scan(ctx, new RegExp(`${b}(\\d{1,2}(?:[.,]\\d)?)\\s*(?:"|''|inch(?:es)?${e}|pulgadas?${e})`, 'g'), (m) => {
    const v = `${m[1].replace(',', '.')}"`;
    ctx.slots.size ??= v;
    mention(ctx, 'size', v, m.index, m.index + m[0].length);
  });
}

// ------------------------------------------------------------------------------- tone, change, quantity

const TONES: Array<[ToneRequest, RegExp]> = [
  [
    'simple',
    new RegExp(
      `${b}(?:less technical|no jargon|avoid (?:the )?jargon|simple (?:words|terms|language)|plain (?:english|words|language)|like i'?m (?:five|5)|like i am (?:five|5)|menos tecnic[oa]|sin tecnicismos|evita (?:los )?tecnicismos|palabras sencillas|lenguaje sencillo|como si tuviera (?:cinco|5) anos)${e}`,
      'g',
    ),
  ],
  [
    'informal',
    new RegExp(
      `${b}(?:(?:be|talk|speak|more)(?: to me)? (?:more )?(?:casual(?:ly)?|informal(?:ly)?|friendly|relaxed)|like a friend|less formal|(?:don'?t|do not) be (?:so )?formal|de tu|tuteame|tutearme|tutear|tuteo|mas cercan[oa]|como a un amig[oa]|no seas tan formal|sin formalidades|mas informal|mas relajad[oa])${e}`,
      'g',
    ),
  ],
  [
    'formal',
    new RegExp(
      `${b}(?:(?:be|more|speak|talk)(?: to me)? (?:more )?(?:formal(?:ly)?|professional(?:ly)?)|formally|de usted|tratame de usted|con (?:mas )?formalidad|mas formal|mas profesional|se (?:mas )?profesional)${e}`,
      'g',
    ),
  ],
  [
    'brief',
    new RegExp(
      `${b}(?:(?:be|keep it|keep (?:it|your answers|answers)) (?:more |very )?(?:brief|concise|short)|short(?:er)? (?:answers?|replies|please)|answer (?:briefly|in one line)|in one line|less (?:chatty|words|text)|fewer words|tl;? ?dr|(?:get )?to the point|be direct|summari[sz]e|sh?orter please|se (?:mas )?(?:breve|concis[oa]|direct[oa])|respuestas? (?:mas )?(?:cortas?|breves?)|mas (?:corto|breve|concis[oa])|resumel[oa]|resume|resumen|en una linea|menos palabras|al grano|no te enrolles|sin rodeos|brevemente)${e}`,
      'g',
    ),
  ],
  [
    'detailed',
    new RegExp(
      `${b}(?:in (?:more )?detail|more detail(?:s|ed)?|(?:be )?more detailed|explain (?:more|it more|in detail|thoroughly)|elaborate|longer answers|(?:con )?mas detalles?|en detalle|a fondo|explicate mas|explicamelo (?:en detalle|mejor|mas)|respuestas mas largas|mas detallad[oa])${e}`,
      'g',
    ),
  ],
  [
    'technical',
    new RegExp(`${b}(?:(?:be |more |mas )?technical|(?:se |mas )tecnic[oa]|technical (?:details|specs)|datos tecnicos|detalles tecnicos)${e}`, 'g'),
  ],
];

function extractTone(ctx: Ctx): void {
  for (const [tone, re] of TONES) {
    scan(ctx, re, (m) => {
      ctx.slots.tone ??= tone;
      mention(ctx, 'tone', tone, m.index, m.index + m[0].length);
    });
  }
}

const CHANGE_WORDS: Array<[Changeable, string]> = [
  ['colour', 'colou?rs?|colores|color'],
  ['brand', 'brands?|marcas?|makers?'],
  ['size', 'sizes?|tallas?'],
  ['style', 'styles?|estilos?|looks?'],
  ['model', 'models?|modelos?|versions?|versiones|version'],
];

function extractChange(ctx: Ctx): void {
  for (const [what, words] of CHANGE_WORDS) {
    scan(
      ctx,
      new RegExp(
        `${b}(?:another|other|different|otr[oa]s?|distint[oa]s?|diferentes?)\\s+(?:${words})${e}|${b}(?:${words})\\s+(?:distint[oa]s?|diferentes?)${e}`,
        'g',
      ),
      (m) => {
        const list = (ctx.slots.change ??= []);
        if (!list.includes(what)) list.push(what);
        mention(ctx, 'change', what, m.index, m.index + m[0].length);
      },
    );
  }
}

function extractQuantity(ctx: Ctx): void {
  const N = numberPattern(ctx.lang);
  const after = `(?:of (?:those|them|these|it|each)|de (?:esos|esas|estos|estas|ellos|ellas|cada)|units?|unidades|pairs?|pares|items?|articulos|x)`;
  const verbs = `(?:add|buy|take|order|get|i'?ll take|i want|anade|agrega|pon|ponme|quiero|compra|comprame|pide|mete|me llevo|dame)`;
  const re = new RegExp(`${b}(${N})\\s+${after}${e}|${b}${verbs}\\s+(${N})(?!\\s*(?:${CUR_POST}|${UNITS}|first|last|primer|ultim))${e}`, 'g');
  scan(ctx, re, (m) => {
    const n = parseNumber(m[1] ?? m[2], ctx.lang);
    if (!n || n > 99) return false;
    ctx.slots.quantity ??= n;
    mention(ctx, 'quantity', n, m.index, m.index + m[0].length);
  });
}

// ---------------------------------------------------------------------------------------------- entities

const NEGATORS_1 = new Set([
  'not',
  'no',
  'without',
  'except',
  'excepting',
  'excluding',
  'never',
  'nor',
  'hate',
  'dislike',
  'avoid',
  'sin',
  'excepto',
  'salvo',
  'menos',
  'ni',
  'nunca',
  'odio',
  'odia',
  'detesto',
  'evita',
  'evitar',
  'tampoco',
  'allergic',
  'alergico',
  'alergica',
  'nothing',
  'none',
  'dont',
  'doesnt',
]);
const NEGATOR_PHRASES = [
  'anything but',
  'other than',
  'rather than',
  'instead of',
  'apart from',
  'nada de',
  'nada en',
  'en vez de',
  'en lugar de',
  'que no sea',
  'que no sean',
  'no more',
  'not a fan of',
  'no soporto',
  'cant stand',
  'can not stand',
];
/** After these, "no"/"not" is not a negation of what follows. */
const NEGATION_EXCEPTIONS = new Set([
  'tienes',
  'teneis',
  'tiene',
  'tienen',
  'hay',
  'habra',
  'vendeis',
  'venden',
  'you',
  'mind',
  'only',
  'problem',
  'matter',
  'sure',
  'worries',
  'se',
  'importa',
]);
const CLITICS = new Set(['lo', 'la', 'los', 'las', 'me', 'te', 'le', 'les', 'nos', 'os', 'se']);
const BOUNDARIES = new Set(['but', 'pero', 'sino', 'instead', 'however', 'although', 'aunque', 'though', 'whereas', 'mientras']);
/** These end a negation only once it has caught something: "no Apple, quiero Sony" but "no quiero Apple". */
const SOFT_BOUNDARIES = new Set([
  'prefer',
  'prefiero',
  'rather',
  'mejor',
  'want',
  'quiero',
  'busco',
  'show',
  'ensename',
  'muestrame',
  'solo',
  'only',
  'just',
  'like',
  'love',
  'gusta',
  'gustan',
  'encanta',
]);
const AFTER_NEGATORS = new Set(['no', 'not', 'tampoco', 'free']);

function gapHasPunctuation(ctx: Ctx, from: number, to: number): boolean {
  return /[,.;:!?¿¡()]/.test(ctx.f.slice(from, to));
}

function isNegator(tokens: Token[], i: number): number {
  const t = tokens[i].norm;
  for (const p of NEGATOR_PHRASES) {
    const words = p.split(' ');
    if (words.every((w, k) => tokens[i + k]?.norm === w)) return words.length;
  }
  if (!NEGATORS_1.has(t)) return 0;
  const next = tokens[i + 1]?.norm;
  if ((t === 'no' || t === 'not' || t === 'dont' || t === 'doesnt') && next && NEGATION_EXCEPTIONS.has(next)) return 0;
  if ((t === 'no' || t === 'not') && next && CLITICS.has(next) && tokens[i + 2] && NEGATION_EXCEPTIONS.has(tokens[i + 2].norm)) return 0;
  return 1;
}

const CUE_WORDS = new Set(['for', 'to', 'at', 'in', 'during', 'when', 'while', 'on', 'para', 'pa', 'de', 'en', 'al', 'a', 'cuando', 'durante', 'por']);
const SKIPPABLE = new Set(['the', 'a', 'an', 'my', 'your', 'some', 'el', 'la', 'los', 'las', 'un', 'una', 'mi', 'mis', 'tu', 'tus', 'ir', 'go', 'going']);

function hasCue(tokens: Token[], i: number): boolean {
  for (let j = i - 1, hops = 0; j >= 0 && hops < 3; j--, hops++) {
    const t = tokens[j].norm;
    if (CUE_WORDS.has(t)) return true;
    if (!SKIPPABLE.has(t)) return false;
  }
  return false;
}

/** The same noun, allowing for the plural: "reloj"/"relojes", "battery"/"batteries", "luz"/"luces". */
function sameNoun(a: string, w: string): boolean {
  if (a === w) return true;
  const [s, l] = a.length < w.length ? [a, w] : [w, a];
  if (l === s + 's' || l === s + 'es') return true;
  if (s.endsWith('y') && l === s.slice(0, -1) + 'ies') return true;
  if (s.endsWith('z') && l === s.slice(0, -1) + 'ces') return true;
  return false;
}

interface EntityHit {
  entity: Entity;
  start: number;
  end: number;
  /** Token index range. */
  i: number;
  j: number;
  /** Set when the words were a typo of this form. */
  form?: string;
}

// ---------------------------------------------------------------------------------------------- typos

/** Words people really write (from the shipped phrases): never read as typos of something else. */
let knownWords: Set<string> | null = null;
function known(): Set<string> {
  if (knownWords) return knownWords;
  knownWords = new Set<string>();
  for (const set of [PHRASES_EN, PHRASES_ES]) for (const list of Object.values(set)) for (const text of list) for (const w of tokenize(text)) knownWords.add(w);
  return knownWords;
}

const FUZZY_KINDS = new Set(['product', 'category', 'use', 'colour']);
/** A typo candidate and its place in the vocabulary's order, which decides between two forms a word is one edit from. */
interface Fuzzy {
  p: Phrase;
  k: number;
}
const fuzzyCache = new WeakMap<Vocabulary, Partial<Record<Lang, Map<number, Fuzzy[]>>>>();

/**
 * One-word products, categories, uses and colours of five letters or more: what a typo is matched
 * against, by length (one edit changes the length by at most one, so a word is compared with three lists).
 */
function fuzzyPhrases(vocab: Vocabulary, lang: Lang): Map<number, Fuzzy[]> {
  let c = fuzzyCache.get(vocab);
  if (!c) fuzzyCache.set(vocab, (c = {}));
  let byLength = c[lang];
  if (!byLength) {
    byLength = new Map();
    let k = 0;
    for (const p of [...vocab.index[lang].values()].flat()) {
      if (p.words.length !== 1 || p.words[0].length < 5 || !FUZZY_KINDS.has(p.entity.kind) || p.capitalised) continue;
      const list = byLength.get(p.words[0].length) ?? [];
      list.push({ p, k: k++ });
      byLength.set(p.words[0].length, list);
    }
    c[lang] = byLength;
  }
  return byLength;
}

/** Whether `a` becomes `b` with one edit: a letter added, dropped, changed, or two neighbours swapped. */
function oneEdit(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  if (a.length === b.length) return a.slice(i + 1) === b.slice(i + 1) || (a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2));
  return a.length < b.length ? a.slice(i) === b.slice(i + 1) : a.slice(i + 1) === b.slice(i);
}

/** A product, use or colour the token is a one-letter typo of ("dres", "weding", "sapatillas"). */
function typoOf(ctx: Ctx, vocab: Vocabulary, tokens: Token[], i: number, seen: Map<string, Phrase[]>): Phrase | undefined {
  const w = tokens[i].norm;
  if (w.length < 4 || /\d/.test(w) || STOPWORDS[ctx.lang].has(w) || known().has(w)) return undefined;
  // The candidates depend on the word only (a message repeating a word compares it once); the cue on where it stands.
  let near = seen.get(w);
  if (!near) {
    const byLength = fuzzyPhrases(vocab, ctx.lang);
    near = [w.length - 1, w.length, w.length + 1]
      .flatMap((n) => byLength.get(n) ?? [])
      .filter((f) => oneEdit(w, f.p.words[0]))
      .sort((x, y) => x.k - y.k)
      .map((f) => f.p);
    seen.set(w, near);
  }
  return near.find((p) => !p.cueOnly || hasCue(tokens, i));
}

function matchEntities(ctx: Ctx, vocab: Vocabulary, tokens: Token[]): EntityHit[] {
  const stems = tokens.map((t) => stem(t.norm, ctx.lang));
  const index = vocab.index[ctx.lang];
  const hits: EntityHit[] = [];
  const typos = new Map<string, Phrase[]>();
  for (let i = 0; i < tokens.length; ) {
    let best: EntityHit | undefined;
    for (const p of index.get(stems[i]) ?? []) {
      const n = p.stems.length;
      if (i + n > tokens.length) continue;
      let ok = true;
      for (let k = 1; k < n && ok; k++) ok = stems[i + k] === p.stems[k];
      if (!ok) continue;
      if (n > 1 && gapHasPunctuation(ctx, tokens[i].end, tokens[i + n - 1].start)) continue;
      if (p.capitalised && !/^\p{Lu}/u.test(tokens[i].raw)) continue;
      if (p.cueOnly && !hasCue(tokens, i)) continue;
      if (p.strict && ![p.words, ...(p.otherWords ?? [])].some((ws) => ws.every((w, k) => sameNoun(tokens[i + k].norm, w)))) continue;
      best = { entity: p.entity, start: tokens[i].start, end: tokens[i + n - 1].end, i, j: i + n };
      break; // the list is sorted longest first
    }
    if (!best) {
      const typo = typoOf(ctx, vocab, tokens, i, typos);
      if (typo) best = { entity: typo.entity, start: tokens[i].start, end: tokens[i].end, i, j: i + 1, form: typo.words[0] };
    }
    if (best) {
      hits.push(best);
      i = best.j;
    } else i++;
  }
  return hits;
}

function negatedHits(ctx: Ctx, tokens: Token[], hits: EntityHit[]): Set<EntityHit> {
  const negated = new Set<EntityHit>();
  const starts = new Map(hits.map((h) => [h.i, h]));
  const inHit = new Set(hits.flatMap((h) => Array.from({ length: h.j - h.i }, (_, k) => h.i + k)));
  for (let i = 0; i < tokens.length; i++) {
    if (inHit.has(i)) continue;
    const len = isNegator(tokens, i);
    if (!len) continue;
    // The scope: up to 6 tokens, until punctuation or a word that turns the sentence around.
    let k = i + len;
    let seen = 0;
    let caught = false;
    while (k < tokens.length && seen < 6) {
      if (gapHasPunctuation(ctx, tokens[k - 1].end, tokens[k].start)) break;
      const h = starts.get(k);
      if (h) {
        negated.add(h);
        caught = true;
        k = h.j;
        seen = 0;
        continue;
      }
      if (BOUNDARIES.has(tokens[k].norm) || (caught && SOFT_BOUNDARIES.has(tokens[k].norm))) break;
      // The next negator's own scope reaches at least as far as this one would from here, so stopping
      // keeps the result and makes "no no no …" linear instead of one walk to the end per "no".
      if (!inHit.has(k) && isNegator(tokens, k)) break;
      k++;
      seen++;
    }
  }
  // "rojo no", "Apple tampoco", "plastic-free"
  for (const h of hits) {
    const next = tokens[h.j];
    if (!next || !AFTER_NEGATORS.has(next.norm)) continue;
    if (gapHasPunctuation(ctx, tokens[h.j - 1].end, next.start)) continue;
    const after = tokens[h.j + 1];
    if (next.norm === 'free' || !after || gapHasPunctuation(ctx, next.end, after.start) || ['thanks', 'gracias', 'please', 'porfa', 'por'].includes(after.norm))
      negated.add(h);
  }
  return negated;
}

function pushUnique(list: string[], v: string): void {
  if (!list.includes(v)) list.push(v);
}

function applyEntities(ctx: Ctx, vocab: Vocabulary): void {
  const tokens = tokenizeWithOffsets(ctx.original).filter((t) => !overlaps(ctx, t.start, t.end));
  const hits = matchEntities(ctx, vocab, tokens);
  const negated = negatedHits(ctx, tokens, hits);
  const s = ctx.slots;
  for (const h of hits) {
    const en = h.entity;
    const neg = negated.has(h);
    mention(ctx, en.kind === 'feature' ? 'tags' : en.kind, en.value, h.start, h.end, neg, h.form);
    if (neg) {
      switch (en.kind) {
        case 'brand':
          pushUnique(s.excluded.brands, en.value);
          break;
        case 'colour':
          pushUnique(s.excluded.colours, en.value);
          break;
        case 'product':
        case 'category':
          pushUnique(s.excluded.categories, en.category ?? en.value);
          break;
        case 'style':
          pushUnique(s.excluded.styles, en.value);
          break;
        case 'feature':
        case 'tag':
          pushUnique(s.excluded.tags, en.value);
          if (en.opposite) pushUnique((s.tags ??= []), en.opposite);
          break;
        case 'use':
          break;
      }
      continue;
    }
    switch (en.kind) {
      case 'product':
        s.productType ??= en.value;
        if (en.category) s.category ??= en.category;
        if (en.use) s.use ??= en.use;
        break;
      case 'category':
        s.category ??= en.category ?? en.value;
        break;
      case 'brand':
        s.brand ??= en.value;
        break;
      case 'colour':
        s.colour ??= en.value;
        break;
      case 'style':
        s.style ??= en.value;
        break;
      case 'use':
        s.use ??= en.value;
        break;
      case 'feature':
      case 'tag':
        pushUnique((s.tags ??= []), en.value);
        break;
    }
  }
}

// ---------------------------------------------------------------------------------------------- entry point

/** Extracts the slots of one message. `vocabulary` comes from `buildVocabulary(items)`. */
export function extractSlots(text: string, lang: Lang, vocabulary: Vocabulary): Slots {
  const n = normalize(text);
  const slots: Slots = { excluded: { brands: [], colours: [], categories: [], tags: [], styles: [] }, mentions: [] };
  const ctx: Ctx = { lang, f: n.folded, original: n.original, consumed: new Uint8Array(n.folded.length), slots };
  extractTone(ctx);
  extractChange(ctx);
  extractSize(ctx);
  extractBudget(ctx);
  extractPriceWords(ctx);
  extractQuantity(ctx);
  extractOrdinals(ctx);
  applyEntities(ctx, vocabulary);
  slots.mentions.sort((x, y) => x.start - y.start);
  return slots;
}
