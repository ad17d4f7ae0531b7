/**
 * The catalogues the chat evaluation runs on: the demo generator's store cut by department
 * (electronics, sport, fashion, home), a small hand-written kitchen shop whose product types the
 * generator does not know, and, on request, the real IKEA catalogue read from the shared data folder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'csv-parse/sync';
import { generateCatalog } from '../../simulate/index.ts';
import { otherShopItems } from './other-shop.ts';
import type { CatalogName } from './types.ts';

export type { EvalItem } from './types.ts';
import type { EvalItem } from './types.ts';

const DEMO_SEED = 2024;
const DEMO_SIZE = 1400;

let demo: EvalItem[] | null = null;
function demoItems(): EvalItem[] {
  return (demo ??= generateCatalog({ seed: DEMO_SEED, size: DEMO_SIZE }) as EvalItem[]);
}

type Row = [id: string, title: string, type: string, price: number, brand: string, colour: string, uses: string[], tags: string[], description: string];

/** A small kitchen shop written by hand: its own types, brands and Spanish search words. */
const KITCHEN: Row[] = [
  [
    'k-01',
    'Hervo Classic Electric Kettle 1.7 L',
    'kettle',
    29.99,
    'Hervo',
    'white',
    ['everyday'],
    ['kettle', 'hervidor'],
    'A 1.7 litre electric kettle with auto shut-off.',
  ],
  [
    'k-02',
    'Hervo Glass Kettle with LED',
    'kettle',
    39.99,
    'Hervo',
    'silver',
    ['everyday'],
    ['kettle', 'hervidor', 'glass'],
    'Borosilicate glass kettle that lights up blue as it boils.',
  ],
  [
    'k-03',
    'Tetera eléctrica Calda Retro',
    'kettle',
    54.99,
    'Calda',
    'red',
    ['everyday'],
    ['kettle', 'hervidor', 'vintage'],
    'Hervidor de estilo retro, 1,5 litros, acero inoxidable.',
  ],
  [
    'k-04',
    'Calda Temperature Control Kettle',
    'kettle',
    79.99,
    'Calda',
    'black',
    ['tea'],
    ['kettle', 'hervidor'],
    'Five temperature presets for green, white and black tea.',
  ],
  [
    'k-05',
    'Pava Mini Travel Kettle',
    'kettle',
    19.99,
    'Pava',
    'white',
    ['travel'],
    ['kettle', 'hervidor', 'compact'],
    'A 0.5 litre dual-voltage kettle for trips.',
  ],
  ['k-06', 'Pava Quiet Boil Kettle', 'kettle', 44.99, 'Pava', 'pink', ['everyday'], ['kettle', 'hervidor'], 'A quiet 1.7 litre kettle in pastel pink.'],
  ['k-07', 'Tostadora Crujo 2 ranuras', 'toaster', 24.99, 'Crujo', 'white', ['breakfast'], ['toaster', 'tostadora'], 'Tostadora de dos ranuras con 7 niveles.'],
  [
    'k-08',
    'Crujo 4-Slice Toaster',
    'toaster',
    49.99,
    'Crujo',
    'silver',
    ['breakfast', 'family'],
    ['toaster', 'tostadora'],
    'Four wide slots with bagel and defrost settings.',
  ],
  [
    'k-09',
    'Calda Retro Toaster',
    'toaster',
    64.99,
    'Calda',
    'red',
    ['breakfast'],
    ['toaster', 'tostadora', 'vintage'],
    'A chrome-trimmed retro toaster with a crumb tray.',
  ],
  [
    'k-10',
    'Hervo Compact Toaster',
    'toaster',
    19.99,
    'Hervo',
    'black',
    ['breakfast'],
    ['toaster', 'tostadora', 'compact'],
    'A small two-slice toaster for small kitchens.',
  ],
  ['k-11', 'Pava Long Slot Toaster', 'toaster', 39.99, 'Pava', 'pink', ['breakfast'], ['toaster', 'tostadora'], 'Two long slots for artisan bread.'],
  [
    'k-12',
    'Molta Espresso Machine 15 bar',
    'coffee maker',
    189,
    'Molta',
    'black',
    ['espresso'],
    ['coffee maker', 'cafetera'],
    'A 15 bar pump espresso machine with a steam wand.',
  ],
  [
    'k-13',
    'Molta Drip Coffee Maker',
    'coffee maker',
    49.99,
    'Molta',
    'black',
    ['everyday'],
    ['coffee maker', 'cafetera'],
    'A 12-cup drip coffee maker with a timer.',
  ],
  [
    'k-14',
    'Cafetera italiana Brasa 6 tazas',
    'coffee maker',
    29.99,
    'Brasa',
    'silver',
    ['espresso'],
    ['coffee maker', 'cafetera', 'moka'],
    'Cafetera moka de aluminio para 6 tazas.',
  ],
  [
    'k-15',
    'Brasa Pod Coffee Machine',
    'coffee maker',
    89.99,
    'Brasa',
    'red',
    ['everyday'],
    ['coffee maker', 'cafetera'],
    'A pod machine that brews in 30 seconds.',
  ],
  [
    'k-16',
    'Molta Bean-to-Cup Machine',
    'coffee maker',
    449,
    'Molta',
    'silver',
    ['espresso'],
    ['coffee maker', 'cafetera'],
    'Grinds beans and froths milk at the touch of a button.',
  ],
  [
    'k-17',
    'Brasa French Press 1 L',
    'coffee maker',
    24.99,
    'Brasa',
    'black',
    ['everyday'],
    ['coffee maker', 'cafetera'],
    'A double-walled steel French press.',
  ],
  [
    'k-18',
    'Batidora de vaso Turbo Vita 1000 W',
    'blender',
    79.99,
    'Vita',
    'black',
    ['smoothies'],
    ['blender', 'batidora'],
    'Batidora de vaso de 1000 W con vaso de cristal.',
  ],
  [
    'k-19',
    'Vita Personal Blender',
    'blender',
    34.99,
    'Vita',
    'green',
    ['smoothies', 'travel'],
    ['blender', 'batidora', 'compact'],
    'Blend straight into a to-go bottle.',
  ],
  ['k-20', 'Crujo Hand Blender Set', 'blender', 44.99, 'Crujo', 'white', ['soups'], ['blender', 'batidora'], 'A stick blender with whisk and chopper.'],
  [
    'k-21',
    'Vita Pro High-Speed Blender',
    'blender',
    229,
    'Vita',
    'silver',
    ['smoothies'],
    ['blender', 'batidora'],
    'A 2 hp blender that makes nut butters and hot soup.',
  ],
  ['k-22', 'Molta Smoothie Blender', 'blender', 59.99, 'Molta', 'pink', ['smoothies'], ['blender', 'batidora'], 'A 700 W jug blender with two travel cups.'],
  [
    'k-23',
    'Sartén antiadherente Forja 28 cm',
    'frying pan',
    34.99,
    'Forja',
    'black',
    ['everyday'],
    ['frying pan', 'sartén'],
    'Sartén de aluminio forjado apta para inducción.',
  ],
  ['k-24', 'Forja Cast Iron Skillet 26 cm', 'frying pan', 49.99, 'Forja', 'black', ['everyday'], ['frying pan', 'sartén'], 'A pre-seasoned cast iron skillet.'],
  [
    'k-25',
    'Hierro Ceramic Frying Pan 24 cm',
    'frying pan',
    29.99,
    'Hierro',
    'green',
    ['everyday'],
    ['frying pan', 'sartén'],
    'A PFAS-free ceramic non-stick pan.',
  ],
  [
    'k-26',
    'Hierro Steel Frying Pan 30 cm',
    'frying pan',
    69.99,
    'Hierro',
    'silver',
    ['everyday'],
    ['frying pan', 'sartén'],
    'A tri-ply stainless steel pan for searing.',
  ],
  [
    'k-27',
    'Forja Wok 32 cm',
    'frying pan',
    39.99,
    'Forja',
    'black',
    ['asian cooking'],
    ['frying pan', 'sartén', 'wok'],
    'A carbon steel wok with a wooden handle.',
  ],
  [
    'k-28',
    'Juego de cuchillos Filo 5 piezas',
    'knife set',
    89.99,
    'Filo',
    'black',
    ['everyday'],
    ['knife set', 'cuchillos'],
    'Cinco cuchillos de acero alemán con taco de madera.',
  ],
  ['k-29', 'Filo Chef Knife 20 cm', 'knife set', 49.99, 'Filo', 'silver', ['everyday'], ['knife set', 'cuchillos'], 'A forged 20 cm chef knife.'],
  ['k-30', 'Hierro Knife Block Set', 'knife set', 129, 'Hierro', 'brown', ['everyday'], ['knife set', 'cuchillos'], 'Seven knives in an oak block.'],
  [
    'k-31',
    'Filo Starter Knife Trio',
    'knife set',
    24.99,
    'Filo',
    'red',
    ['everyday'],
    ['knife set', 'cuchillos'],
    'Paring, utility and chef knife for a first kitchen.',
  ],
  [
    'k-32',
    'Forja Santoku Knife',
    'knife set',
    39.99,
    'Forja',
    'black',
    ['everyday'],
    ['knife set', 'cuchillos'],
    'A Japanese-style santoku with a granton edge.',
  ],
];

function kitchenItems(): EvalItem[] {
  return KITCHEN.map(([id, title, type, price, brand, colour, uses, tags, description]) => ({
    id,
    title,
    description,
    price,
    currency: 'EUR',
    available: true,
    categories: ['kitchen', type],
    tags: [...tags, ...uses, colour],
    attributes: { brand, colour, uses, productType: type },
  }));
}

/** The items of a named catalogue (a fresh copy each time). */
export function catalogItems(name: CatalogName): EvalItem[] {
  if (name === 'kitchen') return kitchenItems();
  if (name === 'othershop') return otherShopItems();
  if (name === 'ikea') return (ikeaCache ??= ikeaItems()).map((it) => structuredClone(it));
  if (name === 'amazon') return (amazonCache ??= amazonItems()).map((it) => structuredClone(it));
  return structuredClone(demoItems().filter((it) => it.categories[0] === name));
}

let ikeaCache: EvalItem[] | null = null;
let amazonCache: EvalItem[] | null = null;

export const CATALOGS: readonly CatalogName[] = ['electronics', 'sport', 'fashion', 'home', 'kitchen'];

/** The product kinds of an item, as a person would name them: its categories, type and tags. */
export function kindsOf(it: EvalItem): Set<string> {
  const a = it.attributes;
  const out = new Set<string>([...it.categories, ...(it.tags ?? [])].map((s) => s.toLowerCase()));
  if (typeof a.productType === 'string') out.add(a.productType.toLowerCase());
  return out;
}

export function colourOf(it: EvalItem): string | undefined {
  const c = it.attributes.colour ?? it.attributes.color;
  return typeof c === 'string' ? c.toLowerCase() : undefined;
}

export function brandOf(it: EvalItem): string | undefined {
  const b = it.attributes.brand;
  return typeof b === 'string' ? b : undefined;
}

// ------------------------------------------------------------------------------------------ IKEA

/** `../shared/data` next to the project root (the project never copies it). */
export const SHARED_DATA = process.env.AFIN_SHARED_DATA ?? fileURLToPath(new URL('../../../../shared/data', import.meta.url));
const IKEA_DIR = join(SHARED_DATA, 'catalog-ikea-sa-2020');
const AMAZON_DIR = join(SHARED_DATA, 'amazon-reviews-2018-giftcards-magazines');

/** The columns of the IKEA scrape this reader uses. */
type IkeaColumn = 'item_id' | 'name' | 'category' | 'price' | 'sellable_online' | 'link' | 'short_description' | 'designer' | 'width' | 'depth' | 'height';

/**
 * The rows of the IKEA scrape: `;`-separated, a byte-order mark, decimal commas. The scrape writes
 * inches as a quote ("Bracket for TV, 37-55 \""): the quote is dropped, as a title with a lone quote
 * reads badly in a reply.
 */
function ikeaRows(file: string): Array<Record<IkeaColumn, string>> {
  const rows: Array<Record<IkeaColumn, string>> = parse(readFileSync(file, 'utf8'), { delimiter: ';', bom: true, columns: true, skip_empty_lines: true });
  for (const row of rows) for (const k of Object.keys(row) as IkeaColumn[]) row[k] = row[k].replaceAll('"', '');
  return rows;
}

const IKEA_COLOURS = ['black', 'white', 'grey', 'blue', 'red', 'green', 'beige', 'pink', 'yellow', 'brown', 'orange', 'turquoise', 'silver', 'gold'];

/**
 * The IKEA Saudi Arabia catalogue (2020 scrape) as Afín items: one item per product id (first
 * category wins), price in SAR, the colour read from the product URL when it names one.
 */
export function ikeaItems(dir = IKEA_DIR): EvalItem[] {
  const seen = new Set<string>();
  const out: EvalItem[] = [];
  for (const f of ikeaRows(join(dir, 'ikea.csv'))) {
    const id = f.item_id;
    if (!id || seen.has(id)) continue;
    seen.add(id);
    const name = f.name.trim();
    const short = f.short_description.replace(/\s+/g, ' ').trim();
    const category = f.category.trim();
    const price = Number(f.price.replace(',', '.'));
    const link = f.link;
    const slug = /\/p\/([^/]+)-s?\d+\/?$/.exec(link)?.[1] ?? '';
    const colour = IKEA_COLOURS.find((c) => slug.split('-').includes(c));
    // The scrape put some products' long text in the designer column ("104.246.21 KNOPPARP sofa is …").
    const rawDesigner = f.designer.trim();
    const spilled = /^\d{3}\.\d{3}\.\d{2}\s/.test(rawDesigner);
    const designer = spilled ? '' : rawDesigner;
    const dims: Record<string, number> = {};
    for (const k of ['width', 'depth', 'height'] as const) {
      const raw = f[k].trim();
      const v = Number(raw.replace(',', '.'));
      if (raw && raw !== 'NA' && Number.isFinite(v) && v > 0) dims[k] = v;
    }
    out.push({
      id: `ikea-${id}`,
      title: `${name} ${short}`.trim(),
      description: spilled ? `${short}. ${rawDesigner.replace(/^\d{3}\.\d{3}\.\d{2}\s/, '')}` : short,
      price: Number.isFinite(price) ? price : 0,
      currency: 'SAR',
      available: f.sellable_online === 'TRUE',
      categories: [category],
      tags: [],
      attributes: { brand: 'IKEA', ...(colour ? { colour } : {}), ...(designer ? { designer } : {}), ...dims },
    });
  }
  return out;
}

// ------------------------------------------------------------------------------------------ Amazon

const unescapeHtml = (s: string) =>
  s
    .replace(/&amp;/g, '&')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .trim();

/**
 * The Amazon 2018 product metadata for Gift Cards and Magazine Subscriptions as Afín items: one per
 * asin with a clean title (the scrape left HTML in some), categories as one path, brand and price as
 * given (most magazines have none: they stay without a price).
 */
function amazonItems(dir = AMAZON_DIR): EvalItem[] {
  const out: EvalItem[] = [];
  const seen = new Set<string>();
  for (const file of ['meta_Gift_Cards.json', 'meta_Magazine_Subscriptions.json']) {
    for (const line of readFileSync(join(dir, file), 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const m = JSON.parse(line) as { asin: string; title?: string; category?: string[]; brand?: string; price?: string; description?: string[] };
      const title = unescapeHtml(m.title ?? '');
      if (!m.asin || seen.has(m.asin) || !title || /[<>{}]/.test(title) || title.length > 200) continue;
      // The path ends where the scrape appended sentences of marketing text to it.
      const path: string[] = [];
      for (const c of (m.category ?? []).map(unescape)) {
        if (!c || /[<>.!]/.test(c) || c.length >= 60) break;
        path.push(c);
      }
      if (!path.length) continue;
      seen.add(m.asin);
      const price = /^\$[\d,]+(\.\d+)?$/.test(m.price ?? '') ? Number(m.price!.slice(1).replace(/,/g, '')) : undefined;
      const description = unescapeHtml((m.description ?? []).join(' ').replace(/<[^>]*>/g, ' ')).slice(0, 600);
      out.push({
        id: `amz-${m.asin}`,
        title,
        description,
        ...(price !== undefined ? { price } : {}),
        currency: 'USD',
        available: true,
        categories: [[...new Set(path)].join(' > ')],
        tags: [],
        attributes: { ...(m.brand ? { brand: unescapeHtml(m.brand) } : {}) },
      } as EvalItem);
    }
  }
  return out;
}
