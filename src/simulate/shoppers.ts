import { priceAt, productType, type CatalogItem } from './catalog.ts';
import { clamp, createRandom, type Random, type Seed, type Weighted } from './random.ts';
import {
  BRANDS,
  CATEGORY_SHARE,
  CHANNEL_BASE,
  CHANNELS,
  FIRST_NAMES,
  LAST_NAMES,
  PRODUCT_TYPES,
  TIER_PRICE_LEVEL,
  type Category,
  type Channel,
  type Lang,
  type Use,
} from './vocabulary.ts';

export type Activity = 'low' | 'medium' | 'high';

/**
 * What a simulated shopper really likes. The engine never sees this: it only sees the events the
 * shopper produces, so the taste is the ground truth a recommender should recover.
 */
export interface ShopperTaste {
  /** Favourite categories, heaviest first; weights sum to 1. */
  categories: Weighted<Category>[];
  /** Favourite product types (slugs such as `running-shoes`), heaviest first; weights sum to 1. */
  productTypes: Weighted<string>[];
  /** Preferred brands. */
  brands: string[];
  /** Intended uses the shopper shops for (`running`, `gaming`, `office`…). */
  uses: Use[];
  /** Where in each type's price range the shopper usually buys: 0 cheapest, 1 dearest. */
  priceLevel: number;
  /** Usual maximum per item in EUR, for the shopper's top product type. */
  budget: number;
  /** Usual maximum per item in EUR for each favourite product type. */
  budgets: Record<string, number>;
  /** How strongly prices over budget put the shopper off: about 0.3 (relaxed) to 1.5 (strict). */
  priceSensitivity: number;
  /** The language the shopper reads and writes; Spanish speakers lean to Spanish items. */
  language: Lang;
  /** Share of sessions per channel; sums to 1. */
  channels: Record<Channel, number>;
  /** Average visits per week. */
  sessionsPerWeek: number;
  activity: Activity;
  /** Share of visits spent browsing outside the favourite product types. */
  exploration: number;
  /** The shopper stops visiting after this many weeks, or never (`null`). */
  churnAfterWeeks: number | null;
}

export interface Shopper {
  /** `u-001`, `u-002`, … */
  id: string;
  /** The body of `PUT /v1/users/:id`. */
  traits: { name: string; language: Lang };
  /** Hidden ground truth. */
  taste: ShopperTaste;
}

export interface ShopperOptions {
  seed: Seed;
  /** Number of shoppers (default 200). */
  count?: number;
  /** The catalog they shop in: favourite types and brands are drawn from what it sells. */
  catalog: CatalogItem[];
  /** Length of the simulation in weeks, so churners stop part-way (default 6). */
  weeks?: number;
  /** Share of Spanish-speaking shoppers (default 0.5). */
  spanishShare?: number;
  /** Share of shoppers who churn before the end (default 0.12). */
  churnShare?: number;
}

function roundBudget(x: number): number {
  if (x < 20) return Math.max(5, Math.round(x));
  if (x < 200) return Math.round(x / 5) * 5;
  return Math.round(x / 50) * 50;
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Weights normalised to sum to 1, with a floor so that no favourite is negligible. */
function normalised(raw: number[], floor: number): number[] {
  const lifted = raw.map((w) => w + floor);
  const sum = lifted.reduce((a, b) => a + b, 0);
  return lifted.map((w) => w / sum);
}

function makeTaste(rng: Random, lang: Lang, sold: { types: Set<string>; brands: Set<string> }, weeks: number, churnShare: number): ShopperTaste {
  // Categories the catalog sells, by share; 1 to 3 favourites.
  const available = (Object.keys(CATEGORY_SHARE) as Category[]).filter((c) => PRODUCT_TYPES.some((t) => t.category === c && sold.types.has(t.slug)));
  const nCats = Math.min(
    available.length,
    rng.weighted([
      { value: 1, weight: 0.4 },
      { value: 2, weight: 0.45 },
      { value: 3, weight: 0.15 },
    ]),
  );
  const cats: Category[] = [];
  while (cats.length < nCats) {
    const c = rng.weighted(available.filter((x) => !cats.includes(x)).map((x) => ({ value: x, weight: CATEGORY_SHARE[x] })));
    cats.push(c);
  }
  const catWeights = normalised(rng.simplex(cats.length), 0.3).sort((a, b) => b - a);

  // 1 or 2 favourite product types per favourite category (3 sometimes for the top one).
  const types: Weighted<string>[] = [];
  cats.forEach((c, i) => {
    const pool = PRODUCT_TYPES.filter((t) => t.category === c && sold.types.has(t.slug));
    const n = Math.min(pool.length, i === 0 && rng.chance(0.2) ? 3 : rng.chance(0.55) ? 2 : 1);
    const chosen: typeof pool = [];
    while (chosen.length < n) {
      chosen.push(rng.weighted(pool.filter((t) => !chosen.includes(t)).map((t) => ({ value: t, weight: t.demand }))));
    }
    const shares = normalised(rng.simplex(n), 0.4);
    chosen.forEach((t, j) => {
      types.push({ value: t.slug, weight: catWeights[i] * shares[j] });
    });
  });
  types.sort((a, b) => b.weight - a.weight);
  const categories = cats.map((c, i) => ({ value: c, weight: round(catWeights[i], 3) }));

  const priceLevel = round(clamp(rng.normal(0.45, 0.2), 0.05, 0.95), 2);
  const budgets: Record<string, number> = {};
  for (const t of types) budgets[t.value] = roundBudget(priceAt(productType(t.value), priceLevel + 0.1));

  // Brands of the favourite categories whose tier suits the shopper's price level.
  const brandPool = BRANDS.filter((b) => cats.includes(b.category) && sold.brands.has(b.name));
  const nBrands = Math.min(brandPool.length, rng.chance(0.6) ? 1 : 2);
  const brands: string[] = [];
  while (brands.length < nBrands) {
    const options = brandPool.filter((b) => !brands.includes(b.name));
    brands.push(
      rng.weighted(
        options.map((b) => ({
          value: b.name,
          weight: Math.exp(-4 * Math.abs(TIER_PRICE_LEVEL[b.tier] - priceLevel)) * (b.category === cats[0] ? 2 : 1),
        })),
      ),
    );
  }

  // Uses come from the top product types.
  const usePool = [...new Set(types.slice(0, 2).flatMap((t) => productType(t.value).uses))];
  const uses = rng.sample(usePool, rng.chance(0.5) ? 1 : 2);

  const lean = CHANNELS.map((c) => CHANNEL_BASE[c] * rng.logNormal(1, 0.7));
  const leanSum = lean.reduce((a, b) => a + b, 0);
  const channels = Object.fromEntries(CHANNELS.map((c, i) => [c, round(lean[i] / leanSum, 3)])) as Record<Channel, number>;

  const sessionsPerWeek = round(clamp(rng.logNormal(2.2, 0.55), 0.4, 9), 1);
  const activity: Activity = sessionsPerWeek < 1.5 ? 'low' : sessionsPerWeek < 3.5 ? 'medium' : 'high';
  const churns = weeks >= 2 && rng.chance(churnShare);

  return {
    categories,
    productTypes: types.map((t) => ({ value: t.value, weight: round(t.weight, 3) })),
    brands,
    uses,
    priceLevel,
    budget: budgets[types[0].value],
    budgets,
    priceSensitivity: round(rng.uniform(0.3, 1.5), 2),
    language: lang,
    channels,
    sessionsPerWeek,
    activity,
    exploration: round(rng.uniform(0.1, 0.3), 2),
    churnAfterWeeks: churns ? rng.int(1, weeks - 1) : null,
  };
}

/** Seeded shoppers (ids `u-001`, `u-002`, …) with hidden tastes drawn from what `catalog` sells. */
export function generateShoppers({ seed, count = 200, catalog, weeks = 6, spanishShare = 0.5, churnShare = 0.12 }: ShopperOptions): Shopper[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError('count must be a non-negative integer');
  if (count > 0 && catalog.length === 0) throw new RangeError('shoppers need a catalog with at least one item');
  const sold = {
    types: new Set(catalog.map((i) => i.attributes.productType)),
    brands: new Set(catalog.map((i) => i.attributes.brand)),
  };
  const rng = createRandom(seed, 'shoppers');
  const width = Math.max(3, String(count).length);
  const shoppers: Shopper[] = [];
  for (let n = 1; n <= count; n++) {
    const lang: Lang = rng.chance(spanishShare) ? 'es' : 'en';
    const name = `${rng.choice(FIRST_NAMES[lang])} ${rng.choice(LAST_NAMES[lang])}`;
    shoppers.push({
      id: `u-${String(n).padStart(width, '0')}`,
      traits: { name, language: lang },
      taste: makeTaste(rng, lang, sold, weeks, churnShare),
    });
  }
  return shoppers;
}
