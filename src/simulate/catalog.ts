import type { ItemInput } from '../domain/schemas.ts';
import { clamp, createRandom, type Random, type Seed } from './random.ts';
import {
  BOOK_WORDS,
  BRANDS,
  CATEGORIES,
  CATEGORY_SHARE,
  COLOURS,
  FIRST_NAMES,
  LAST_NAMES,
  LINE_SUFFIXES,
  LINES,
  PALETTES,
  PRODUCT_TYPES,
  TIER_PRICE_LEVEL,
  USES,
  type Brand,
  type Category,
  type Colour,
  type Lang,
  type ProductType,
  type Text,
  type Tier,
  type Use,
} from './vocabulary.ts';

/**
 * The attributes every generated item carries. Values are canonical English slugs whatever the
 * item's language, so filters, tags and profiles line up across languages.
 */
export type CatalogAttributes = {
  brand: string;
  productType: string;
  /** The main intended use, e.g. `running`. */
  use: Use;
  /** All intended uses, the main one first. */
  uses: Use[];
  tier: Tier;
  /** Absent for books. */
  colour?: Colour;
  line?: string;
  variant?: string;
  author?: string;
  pages?: number;
};

/**
 * A generated item: a valid `Item` input with the optional fields the generator always fills.
 *
 * Languages: each item is written in ONE language, given by `language` (about half `es`, half `en`):
 * its title and description are in that language, as in a bilingual shop whose products come from
 * Spanish and English suppliers. Categories, tags and attribute values stay canonical English slugs;
 * Spanish items also carry their Spanish search keyword (e.g. `auriculares`) as a tag.
 */
export type CatalogItem = ItemInput & {
  title: string;
  description: string;
  /** `[category, productType]`, e.g. `['electronics', 'headphones']`. */
  categories: [Category, string];
  tags: string[];
  price: number;
  currency: 'EUR';
  attributes: CatalogAttributes;
  language: Lang;
  available: boolean;
};

export interface CatalogOptions {
  seed: Seed;
  /** Number of items (default 300). */
  size?: number;
  /** Share of items written in Spanish (default 0.5). */
  spanishShare?: number;
  /** Share of items marked unavailable (default 0.04). */
  unavailableShare?: number;
}

const TYPES_BY_CATEGORY = new Map<Category, ProductType[]>(CATEGORIES.map((c) => [c, PRODUCT_TYPES.filter((t) => t.category === c)]));
const BRANDS_BY_CATEGORY = new Map<Category, Brand[]>(CATEGORIES.map((c) => [c, BRANDS.filter((b) => b.category === c)]));
const TYPE_BY_SLUG = new Map(PRODUCT_TYPES.map((t) => [t.slug, t]));

/** The product type of a slug such as `running-shoes`. */
export function productType(slug: string): ProductType {
  const t = TYPE_BY_SLUG.get(slug);
  if (!t) throw new Error(`unknown product type ${slug}`);
  return t;
}

/** A price in a type's range at `level` (0 cheapest, 1 dearest), on a log scale. */
export function priceAt(type: ProductType, level: number): number {
  const [lo, hi] = type.price;
  return lo * (hi / lo) ** clamp(level, 0, 1);
}

/** Round to a shop-like price: 12.99, 49.99, 129.99, 1249. */
export function shopPrice(x: number): number {
  let p: number;
  if (x < 20) p = Math.max(1, Math.round(x)) - 0.01;
  else if (x < 200) p = Math.round(x / 5) * 5 - 0.01;
  else if (x < 1000) p = Math.round(x / 10) * 10 - 0.01;
  else p = Math.round(x / 50) * 50 - 1;
  return Math.round(p * 100) / 100;
}

function slugify(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

function padId(prefix: string, n: number, total: number, minWidth: number): string {
  return `${prefix}-${String(n).padStart(Math.max(minWidth, String(total).length), '0')}`;
}

function bookTitle(rng: Random, type: ProductType, lang: Lang): string {
  const w = BOOK_WORDS;
  const pick = (t: Text) => t[lang];
  switch (type.slug) {
    case 'novels': {
      const place = rng.choice(w.place);
      return lang === 'en' ? `${pick(rng.choice(w.novelNoun))} of ${place}` : `${pick(rng.choice(w.novelNoun))} de ${place}`;
    }
    case 'cookbooks': {
      const c = rng.choice(w.cuisine);
      return lang === 'en' ? `${c.en} Cooking at Home` : `Cocina ${c.es} en casa`;
    }
    case 'travel-guides': {
      const d = rng.choice(w.destination);
      return lang === 'en' ? `${d.en} Travel Guide` : `Guía de ${d.es}`;
    }
    case 'tech-books': {
      const tech = rng.choice(w.tech);
      if (rng.chance(0.5)) return lang === 'en' ? `Learning ${tech}` : `Aprende ${tech}`;
      return lang === 'en' ? `${tech} in Practice` : `${tech} en la práctica`;
    }
    default:
      return `${pick(rng.choice(w.animal))} ${lang === 'en' ? 'and' : 'y'} ${pick(rng.choice(w.thing))}`;
  }
}

function makeItem(rng: Random, index: number, size: number, opts: Required<Omit<CatalogOptions, 'seed'>>): CatalogItem {
  const category = rng.weighted(CATEGORIES.map((c) => ({ value: c, weight: CATEGORY_SHARE[c] })));
  const type = rng.weighted(TYPES_BY_CATEGORY.get(category)!.map((t) => ({ value: t, weight: Math.sqrt(t.demand) })));
  const brand = rng.choice(BRANDS_BY_CATEGORY.get(category)!);
  const lang: Lang = rng.chance(opts.spanishShare) ? 'es' : 'en';
  const level = clamp(rng.normal(TIER_PRICE_LEVEL[brand.tier], 0.15), 0.02, 0.98);
  const price = shopPrice(priceAt(type, level));
  const uses: Use[] = rng.sample(type.uses, type.uses.length > 1 && rng.chance(0.5) ? 2 : 1);
  const use = uses[0];
  const features = rng.sample(type.features, 2).map((f) => f[lang]);
  const tags = new Set<string>([type.slug, category, ...uses, brand.tier, slugify(brand.name)]);
  if (lang === 'es') tags.add(type.keyword.es);

  let title: string;
  let description: string;
  const attributes: CatalogAttributes = { brand: brand.name, productType: type.slug, use, uses, tier: brand.tier };
  if (category === 'books') {
    const author = `${rng.choice(FIRST_NAMES[lang])} ${rng.choice(LAST_NAMES[lang])}`;
    title = bookTitle(rng, type, lang);
    attributes.author = author;
    attributes.pages = rng.int(type.slug === 'childrens-books' ? 24 : 160, type.slug === 'childrens-books' ? 48 : 520);
    description =
      lang === 'en'
        ? `${type.name.en} by ${author}. ${features.join(' ')} Published by ${brand.name}.`
        : `${type.name.es} de ${author}. ${features.join(' ')} Publicado por ${brand.name}.`;
  } else {
    const colour = rng.choice(PALETTES[category]);
    const variant = type.variants.length ? rng.choice(type.variants) : undefined;
    const line = `${rng.choice(LINES)} ${rng.choice(LINE_SUFFIXES)}`.trim();
    const c = COLOURS[colour];
    const core =
      lang === 'en'
        ? [brand.name, line, variant?.en, type.name.en].filter(Boolean).join(' ')
        : [type.name.es, variant?.es, brand.name, line].filter(Boolean).join(' ');
    title = `${core} - ${c[lang]}`;
    description =
      lang === 'en'
        ? `${core}, ideal for ${USES[use].en}. ${features.join(' ')} Colour: ${c.en.toLowerCase()}.`
        : `${core}, ideal para ${USES[use].es}. ${features.join(' ')} Color: ${c.es.toLowerCase()}.`;
    Object.assign(attributes, { colour, line, ...(variant ? { variant: slugify(variant.en) } : {}) });
    tags.add(colour);
    if (variant) tags.add(slugify(variant.en));
  }

  return {
    id: padId('p', index + 1, size, 4),
    title,
    description,
    categories: [category, type.slug],
    tags: [...tags],
    price,
    currency: 'EUR',
    attributes,
    language: lang,
    available: !rng.chance(opts.unavailableShare),
  };
}

/** A seeded, bilingual demo catalog of `size` items (ids `p-0001`, `p-0002`, …). */
export function generateCatalog({ seed, size = 300, spanishShare = 0.5, unavailableShare = 0.04 }: CatalogOptions): CatalogItem[] {
  if (!Number.isInteger(size) || size < 0) throw new RangeError('size must be a non-negative integer');
  const rng = createRandom(seed, 'catalog');
  const items: CatalogItem[] = [];
  for (let i = 0; i < size; i++) items.push(makeItem(rng, i, size, { size, spanishShare, unavailableShare }));
  return items;
}
