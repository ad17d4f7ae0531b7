/**
 * A file's columns as Afín's fields: a column mapping (`--map id=item_id,title=name`), presets for
 * the product exports shops already have (Shopify, WooCommerce), constants (`--set currency=SAR`) and
 * the typing every CSV cell needs (lists, amounts, yes/no). Pure functions over one record.
 */
import { parseAmount } from './import-detect.ts';

export type ImportKind = 'items' | 'events';

export const FIELDS: Record<ImportKind, readonly string[]> = {
  items: ['id', 'title', 'description', 'categories', 'tags', 'price', 'currency', 'attributes', 'imageUrl', 'language', 'available'],
  events: ['messageId', 'type', 'userId', 'anonymousId', 'itemId', 'value', 'query', 'channel', 'recommendationId', 'variant', 'timestamp', 'properties'],
};
const LIST_FIELDS = new Set(['categories', 'tags']);
const NUMBER_FIELDS = new Set(['price', 'value']);
const ID_FIELDS = new Set(['id', 'messageId', 'userId', 'anonymousId', 'itemId', 'recommendationId']);

/** Where a target field's value comes from: the first non-empty of these columns (a list joins them all). */
export type Mapping = Record<string, string[]>;

export interface Preset {
  kind: ImportKind;
  about: string;
  columns: Mapping;
  /** How list columns separate their entries (default `|`). */
  listSeparator?: Record<string, string>;
  /** Category paths such as `Clothing > Shirts` keep their last step. */
  leafOf?: readonly string[];
  /** Fields written as HTML, kept as plain text. */
  html?: readonly string[];
  /** Rows that are not products of their own (a WooCommerce variation). */
  skip?: (get: (column: string) => string | undefined) => boolean;
  /** A row that is a whole call of another system, read by its own mapping into none, one or several records. */
  expand?: (rec: Record<string, unknown>) => { events: Record<string, unknown>[] } | { error: string } | { ignored: string };
}

export const PRESETS: Record<string, Preset> = {
  shopify: {
    kind: 'items',
    about: "Shopify's product export (Products → Export): one item per Handle; variant and image rows add nothing",
    columns: {
      id: ['Handle'],
      title: ['Title'],
      description: ['Body (HTML)'],
      categories: ['Product Category', 'Type'],
      tags: ['Tags'],
      price: ['Variant Price'],
      imageUrl: ['Image Src'],
      available: ['Status'],
      'attributes.vendor': ['Vendor'],
      'attributes.sku': ['Variant SKU'],
    },
    listSeparator: { tags: ',', categories: ',' },
    leafOf: ['categories'],
    html: ['description'],
  },
  woocommerce: {
    kind: 'items',
    about: "WooCommerce's product export (Products → Export): simple and variable products; variations are left out",
    columns: {
      id: ['ID', 'SKU'],
      title: ['Name'],
      description: ['Description', 'Short description'],
      categories: ['Categories'],
      tags: ['Tags'],
      price: ['Sale price', 'Regular price'],
      imageUrl: ['Images'],
      available: ['In stock?'],
      'attributes.sku': ['SKU'],
    },
    listSeparator: { tags: ',', categories: ',' },
    leafOf: ['categories'],
    html: ['description'],
    skip: (get) => get('Type')?.toLowerCase() === 'variation',
  },
};

/** True when `field` is one of Afín's for the kind, or an `attributes.x` / `properties.x` entry. */
export function isTarget(kind: ImportKind, field: string): boolean {
  const nested = kind === 'items' ? 'attributes.' : 'properties.';
  return FIELDS[kind].includes(field) || (field.startsWith(nested) && field.length > nested.length);
}

/** `id=item_id,title=name` (repeatable) as a mapping; throws naming a bad pair or an unknown field. */
export function parseMapping(kind: ImportKind, specs: readonly string[]): Mapping {
  const out: Mapping = {};
  for (const spec of specs)
    for (const pair of spec.split(',')) {
      if (!pair.trim()) continue;
      const eq = pair.indexOf('=');
      const target = pair.slice(0, eq).trim();
      const source = pair.slice(eq + 1).trim();
      if (eq < 0 || !target || !source) throw new Error(`--map: "${pair}" is not field=column`);
      if (!isTarget(kind, target))
        throw new Error(`--map: "${target}" is not a field of ${kind} (${FIELDS[kind].join(', ')}, or ${kind === 'items' ? 'attributes' : 'properties'}.NAME)`);
      out[target] = [source];
    }
  return out;
}

/** `currency=SAR` (repeatable) as constants for every row. */
export function parseConstants(kind: ImportKind, specs: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const field = spec.slice(0, eq).trim();
    if (eq < 0 || !isTarget(kind, field)) throw new Error(`--set: "${spec}" is not field=value with a field of ${kind}`);
    out[field] = spec.slice(eq + 1);
  }
  return out;
}

export interface MapOptions {
  kind: ImportKind;
  /** The preset's columns with the `--map` pairs laid over them. */
  mapping: Mapping;
  constants: Record<string, string>;
  decimalComma: boolean;
  preset?: Preset;
}

/** A cell or a JSON value by column name, or by a dotted path into nested JSON (`product.id`). */
function lookup(rec: Record<string, unknown>, column: string): unknown {
  if (column in rec) return rec[column];
  let v: unknown = rec;
  for (const part of column.split('.')) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[part];
  }
  return v;
}

const present = (v: unknown) => v !== undefined && v !== null && !(typeof v === 'string' && v.trim() === '');

const TRUE = /^(true|t|1|yes|y|si|sí|instock|in stock|active|published|publish|visible)$/i;
const FALSE = /^(false|f|0|no|n|outofstock|out of stock|draft|archived|hidden|private)$/i;

/** HTML as the text a shopper reads: tags dropped, common entities decoded, whitespace collapsed. */
export function htmlToText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<br\s*\/?>|<\/p>|<\/li>/gi, '\n')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ')
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;|&apos;/g, "'")
    .replace(/[ \t]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim()
    .slice(0, 20_000);
}

/** One value typed for its field: lists split, amounts read, yes/no as booleans, epoch milliseconds as numbers. */
function typed(field: string, values: unknown[], o: MapOptions): unknown {
  if (LIST_FIELDS.has(field)) {
    const sep = o.preset?.listSeparator?.[field] ?? '|';
    const leaf = o.preset?.leafOf?.includes(field);
    const out: string[] = [];
    for (const v of values) {
      const parts = Array.isArray(v) ? v.map(String) : String(v).split(sep);
      for (const p of parts) {
        const s = (leaf ? p.split('>').pop()! : p).trim();
        if (s && !out.includes(s)) out.push(s);
      }
    }
    return out;
  }
  const v = values[0];
  if (typeof v !== 'string') return ID_FIELDS.has(field) && typeof v === 'number' ? String(v) : v;
  const s = v.trim();
  if (NUMBER_FIELDS.has(field)) return parseAmount(s, o.decimalComma) ?? s;
  if (field === 'available') return TRUE.test(s) ? true : FALSE.test(s) ? false : s;
  if (field === 'timestamp') return /^\d+$/.test(s) ? Number(s) : s;
  // A list of image links: the first is the item's picture.
  if (field === 'imageUrl') return s.split(/,\s*(?=https?:)/)[0];
  if (o.preset?.html?.includes(field)) return htmlToText(s);
  // Scraped and exported text often pads with runs of spaces (`Bar table,          51x51 cm`).
  if (field === 'title' || field === 'description') return s.replace(/[ \t]{2,}/g, ' ');
  return s;
}

/**
 * One record as the object the API takes, or null for a row the preset leaves out. Columns named as
 * Afín's fields pass through unless mapped; other columns are left out and reported in `ignored`.
 */
export function mapRecord(rec: Record<string, unknown>, o: MapOptions, ignored?: Set<string>): Record<string, unknown> | null {
  const get = (c: string) => {
    const v = lookup(rec, c);
    return present(v) ? String(v) : undefined;
  };
  if (o.preset?.skip?.(get)) return null;
  const out: Record<string, unknown> = {};
  const nestedKey = o.kind === 'items' ? 'attributes' : 'properties';
  const nested: Record<string, unknown> = {};
  const put = (field: string, value: unknown) => {
    if (field.startsWith(`${nestedKey}.`)) nested[field.slice(nestedKey.length + 1)] = value;
    else out[field] = value;
  };
  const used = new Set<string>();
  for (const [field, columns] of Object.entries(o.mapping)) {
    const values: unknown[] = [];
    for (const c of columns) {
      used.add(c);
      const v = lookup(rec, c);
      if (present(v)) values.push(v);
      if (values.length && !LIST_FIELDS.has(field)) break;
    }
    if (values.length) put(field, typed(field, values, o));
  }
  for (const [column, v] of Object.entries(rec)) {
    if (used.has(column) || o.mapping[column]) continue;
    if (!isTarget(o.kind, column)) {
      ignored?.add(column);
      continue;
    }
    if (!present(v)) continue;
    if (column === nestedKey && typeof v === 'object') Object.assign(nested, v);
    else put(column, column.includes('.') || typeof v !== 'string' ? v : typed(column, [v], o));
  }
  for (const [field, value] of Object.entries(o.constants)) if (!(field in out)) put(field, typed(field, [value], o));
  if (Object.keys(nested).length) out[nestedKey] = nested;
  return out;
}
