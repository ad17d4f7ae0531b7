/**
 * The guard between an LLM's reply and the customer: a reply may only name products and prices that
 * Afín itself supplied. Prices must be those of the items the tools returned this turn (a price that is
 * merely plausible is the most harmful invention), item ids must exist, and quoted or bolded product
 * names must be catalog titles. The check is deliberately literal and cheap: a rejected reply is
 * regenerated or replaced by the embedded answer, so false alarms cost a little, misses cost trust.
 */

export interface GroundingItem {
  id: string;
  title: string;
  price?: number;
  currency?: string;
}

export interface GroundingOptions {
  /**
   * What an item id looks like in a reply. With a capture group, group 1 is the id. The default only
   * catches ids the reply marks as ids ("id p-0042", "ref. p-0042", "#p-0042", "`p-0042`"), because
   * bare tokens such as "WH-1000" are often part of product names.
   */
  idPattern?: RegExp;
  /** Amounts the reply may repeat that are no item's price, such as the budget the user gave. */
  allowedAmounts?: number[];
  /** Phrases the reply may quote or bold besides product titles, such as the user's own words. */
  allowedNames?: string[];
}

export interface GroundingResult {
  ok: boolean;
  problems: string[];
}

// Equal to the cent. Half a cent absorbs float noise (0.1 + 0.2) but still tells 59.99 from 60, which
// a tolerance of a whole cent would not: "under 60 €" must not pass as the price of a 59,99 € item.
const TOLERANCE = 0.005;

// A number as prices are written in English and Spanish: 59.99, 59,99, 1,299.00, 1.299,00, 1299, and
// 12 990 with spaces grouping thousands (Spanish style guides, and locale formatting's no-break spaces).
const NUMBER = String.raw`\d{1,3}(?:[., \u00A0\u202F\u2009]\d{3})+(?:[.,]\d{1,2})?|\d+(?:[.,]\d{1,2})?`;
const BEFORE = String.raw`US\$|\$|€|£|(?:EUR|USD|GBP)(?!\p{L})`;
const AFTER = String.raw`€|\$|£|(?:EUR|USD|GBP|euros?|d[oó]lar(?:es)?|dollars?|pounds?|libras?|pavos)(?!\p{L})`;
const PRICE = new RegExp(String.raw`(?<!\p{L})(${BEFORE})\s?(${NUMBER})(?![\d])|(?<![\p{L}\p{N}.,])(${NUMBER})(?![\d])\s?(${AFTER})`, 'giu');

const DEFAULT_ID = /(?:(?<!\p{L})(?:id|ref|sku|referencia|c[oó]digo)(?!\p{L})\.?\s*[:#]?\s*|#|`)([\p{L}\p{N}][\p{L}\p{N}_.-]*\d[\p{L}\p{N}_-]*)/giu;

// Words models bold as headings rather than as product names.
const LABELS = new Set(
  (
    'price, prices, precio, precios, budget, presupuesto, total, subtotal, pros, cons, contras, ventajas, inconvenientes, ' +
    'note, nota, tip, consejo, summary, resumen, shipping, envio, delivery, entrega, warranty, garantia, option, opcion, ' +
    'options, opciones, recommendation, recomendacion, my pick, mi eleccion, why, por que, features, caracteristicas, ' +
    'size, talla, colour, color, top pick, best value, mejor opcion'
  ).split(', '),
);

// Straight quotes right after a digit are inch marks (15.6"), not quotation.
const NAMES = [/“([^”\n]{2,160})”/g, /«([^»\n]{2,160})»/g, /(?<!\d)"([^"\n]{2,160})"/g, /\*\*([^*\n]{2,160})\*\*/g, /__([^_\n]{2,160})__/g];

export function checkGrounding(
  reply: string,
  catalog: { items: ReadonlyArray<GroundingItem> },
  shown: ReadonlyArray<GroundingItem>,
  options: GroundingOptions = {},
): GroundingResult {
  const problems = new Set<string>();
  const { byId, titles } = indexOf(catalog.items);

  const offered = shown.filter((it) => typeof it.price === 'number').map((it) => ({ price: it.price!, currency: it.currency ?? byId.get(it.id)?.currency }));
  for (const mention of priceMentions(reply)) {
    const fits = mention.values.some(
      (v) =>
        offered.some((o) => Math.abs(o.price - v) <= TOLERANCE && sameCurrency(mention.currency, o.currency)) ||
        (options.allowedAmounts ?? []).some((a) => Math.abs(a - v) <= TOLERANCE),
    );
    if (!fits) problems.add(`the price "${mention.text}" is not the price of any item shown`);
  }

  for (const id of idMentions(reply, options.idPattern)) {
    if (!byId.has(id)) problems.add(`the item id "${id}" is not in the catalog`);
  }

  const allowed = (options.allowedNames ?? []).map(normalise).filter(Boolean);
  for (const name of nameMentions(reply)) {
    const n = normalise(name);
    const matches = (t: string) => containsWords(t, n) || containsWords(n, t);
    const known = titles.some(matches) || allowed.some(matches);
    if (!known) problems.add(`the product name "${name}" is not in the catalog`);
  }

  return { ok: problems.size === 0, problems: [...problems] };
}

export interface PriceMention {
  text: string;
  /** Every reading of the number: "1.299 €" may be 1299 (Spanish grouping) or 1.299. */
  values: number[];
  currency: string;
}

export function priceMentions(text: string): PriceMention[] {
  const out: PriceMention[] = [];
  for (const m of text.matchAll(PRICE)) {
    const number = m[2] ?? m[3];
    const symbol = m[1] ?? m[4];
    out.push({ text: m[0], values: readings(number), currency: currencyOf(symbol) });
  }
  return out;
}

function readings(raw: string): number[] {
  // "de 2 000 €" is 2000, but "las 3 100 € …" may be a count then a price: with a plain space, both.
  const tail = /\d \d{3}/.test(raw) ? readings(raw.slice(raw.lastIndexOf(' ') + 1)) : [];
  const s = raw.replace(/[ \u00A0\u202F\u2009]/g, '');
  const dot = s.lastIndexOf('.');
  const comma = s.lastIndexOf(',');
  if (dot < 0 && comma < 0) return [Number(s), ...tail];
  if (dot >= 0 && comma >= 0) {
    // Both present: the last one is the decimal mark, the other groups thousands.
    const [group, decimal] = dot > comma ? [',', '.'] : ['.', ','];
    return [Number(s.split(group).join('').replace(decimal, '.')), ...tail];
  }
  const parts = s.split(dot >= 0 ? '.' : ',');
  if (parts.length > 2) return [Number(parts.join('')), ...tail];
  const [whole, fraction] = parts;
  const asDecimal = Number(`${whole}.${fraction}`);
  return [...(fraction.length === 3 ? [Number(whole + fraction), asDecimal] : [asDecimal]), ...tail];
}

/** '$' is left as a class of its own: dollars and pesos of many countries share it. */
function currencyOf(symbol: string): string {
  const s = symbol.toLowerCase();
  if (s === '€' || s === 'eur' || s.startsWith('euro') || s === 'pavos') return 'EUR';
  if (s === '£' || s === 'gbp' || s.startsWith('pound') || s.startsWith('libra')) return 'GBP';
  if (s === 'usd' || s === 'us$') return 'USD';
  return '$';
}

function sameCurrency(mentioned: string, itemCurrency: string | undefined): boolean {
  if (!itemCurrency) return true;
  const c = itemCurrency.toUpperCase();
  return mentioned === '$' ? c !== 'EUR' && c !== 'GBP' : mentioned === c;
}

function idMentions(text: string, pattern: RegExp = DEFAULT_ID): string[] {
  const global = pattern.global ? pattern : new RegExp(pattern.source, `${pattern.flags}g`);
  return [...text.matchAll(global)].map((m) => (m[1] ?? m[0]).replace(/[.-]+$/, '')).filter(Boolean);
}

function nameMentions(text: string): string[] {
  const out: string[] = [];
  for (const pattern of NAMES) {
    for (const m of text.matchAll(pattern)) {
      const inner = m[1].trim();
      // "**Price:**" is a label. "**X**: …" is not skipped, because it is how models list products,
      // unless X is a common label word ("**Pros**: …").
      if (inner.endsWith(':') || LABELS.has(normalise(inner))) continue;
      // A bolded price ("**59,99 €**") is checked as a price; a name with its price ("“X” – 59,99 €"
      // inside the marks) is checked on the name part alone.
      const name = inner.replace(PRICE, ' ').trim();
      if (!/\p{L}/u.test(name)) continue;
      out.push(name);
    }
  }
  return out;
}

/** Case, accents and punctuation do not matter: "Auriculares Sony – Negro" = "auriculares sony negro". */
export function normalise(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** Whole-word containment, so that a title "Mat" is not found inside "Ultimate". */
function containsWords(haystack: string, needle: string): boolean {
  return needle !== '' && ` ${haystack} `.includes(` ${needle} `);
}

// Indexed once per catalog snapshot (10,000 titles take a few ms to normalise), not on every reply;
// snapshots are never mutated (see src/catalog/catalog.ts), so the items array is a safe key.
const indexCache = new WeakMap<object, { byId: Map<string, GroundingItem>; titles: string[] }>();
function indexOf(items: ReadonlyArray<GroundingItem>) {
  let index = indexCache.get(items);
  if (!index) {
    index = { byId: new Map(items.map((it) => [it.id, it])), titles: items.map((it) => normalise(it.title)).filter(Boolean) };
    indexCache.set(items, index);
  }
  return index;
}
