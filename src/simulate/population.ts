/**
 * The simulator's shoppers: the demo's shoppers (hidden taste from `shoppers.ts`) plus what a
 * long-running simulation needs — a hidden style, a monthly budget, declared traits a segment-based
 * shop would group them by, and a mood (satisfaction) that drives their visits and their churn.
 * Tastes drift: favourite product types come and go, the usual price level wanders.
 */
import { itemAppeal, utility } from './behaviour.ts';
import { priceAt, productType, type CatalogItem } from './catalog.ts';
import { clamp, createRandom, type Random, type Seed } from './random.ts';
import { generateShoppers, type Shopper } from './shoppers.ts';
import { CATEGORIES, CATEGORY_SHARE, PALETTES, PRODUCT_TYPES, type Category, type Colour, type Lang } from './vocabulary.ts';

/** What a shopper tells the shop about themselves at sign-up: what a segment-based shop groups by. */
export interface DeclaredTraits {
  name: string;
  language: Lang;
  /** `18-24`, `25-34`, `35-44`, `45-54`, `55+`. */
  ageBand: string;
  /** A city. */
  location: string;
  /** The category they said they are interested in; their real top category a bit over half the time. */
  interest: Category;
}

/** One simulated shopper: the hidden truth the engine must recover, and the state that evolves. */
export interface SimShopper {
  id: string;
  /** Sent with `PUT /v1/users/:id`. */
  traits: DeclaredTraits;
  /** The demo shopper whose taste (`shopper.taste`) drifts during the run: a private copy per world. */
  shopper: Shopper;
  /** Hidden style: colours they like (none for a shopper who only reads). */
  colours: Colour[];
  /** What they are willing to spend in a 30-day month, EUR. */
  monthlyBudget: number;
  /** Spent in the current month. */
  spentThisMonth: number;
  /** 0 (fed up) to 1 (delighted): a moving average of how well what they were shown fitted. */
  satisfaction: number;
  /** Item ids already bought: nobody buys the same pair of boots twice. */
  bought: Set<string>;
  churned: boolean;
}

const AGE_BANDS = ['18-24', '25-34', '35-44', '45-54', '55+'] as const;
const CITIES: Record<Lang, string[]> = {
  es: ['Madrid', 'Barcelona', 'Valencia', 'Sevilla', 'Bilbao', 'Zaragoza'],
  en: ['London', 'Manchester', 'Dublin', 'Edinburgh', 'Bristol', 'Leeds'],
};
/** Which age bands lean to which categories: a weak, plausible link, so the segment baseline has something to use. */
const AGE_LEAN: Record<Category, number[]> = {
  electronics: [1.4, 1.4, 1, 0.8, 0.6],
  sport: [1.3, 1.3, 1.1, 0.8, 0.6],
  fashion: [1.4, 1.2, 1, 0.9, 0.7],
  home: [0.5, 0.9, 1.3, 1.3, 1.2],
  books: [0.8, 0.8, 1, 1.2, 1.5],
};

/** The budget for a product type at a price level (a bit above the level, as in `shoppers.ts`). */
function budgetFor(typeSlug: string, priceLevel: number): number {
  return Math.round(priceAt(productType(typeSlug), Math.min(1, priceLevel + 0.1)));
}

function declare(rng: Random, shopper: Shopper): DeclaredTraits {
  const t = shopper.taste;
  const top = t.categories[0].value;
  const second = t.categories[1]?.value;
  const r = rng.next();
  const interest: Category = r < 0.55 ? top : r < 0.75 && second ? second : rng.choice(CATEGORIES);
  const ageBand = AGE_BANDS[rng.weightedIndex(AGE_LEAN[top])];
  return { name: shopper.traits.name, language: t.language, ageBand, location: rng.choice(CITIES[t.language]), interest };
}

export interface PopulationOptions {
  seed: Seed;
  count: number;
  catalog: CatalogItem[];
}

/** Seeded shoppers for a simulation; call again (same options) for an identical copy for another world. */
export function createPopulation({ seed, count, catalog }: PopulationOptions): SimShopper[] {
  // Churn is the simulator's own (a hazard that depends on what they are shown), not the demo's fixed dates.
  const shoppers = generateShoppers({ seed, count, catalog, churnShare: 0 });
  const rng = createRandom(seed, 'population');
  return shoppers.map((shopper) => {
    const own = rng.fork(shopper.id);
    const t = shopper.taste;
    const palettes = t.categories.flatMap((c) => PALETTES[c.value]);
    const colours = palettes.length ? own.sample([...new Set(palettes)], own.chance(0.5) ? 1 : 2) : [];
    const typical = t.productTypes.reduce((s, p) => s + p.weight * (t.budgets[p.value] ?? t.budget), 0);
    return {
      id: shopper.id,
      traits: declare(own, shopper),
      shopper,
      colours,
      monthlyBudget: Math.round(typical * own.logNormal(2.5, 0.5)),
      spentThisMonth: 0,
      satisfaction: 0.5,
      bought: new Set<string>(),
      churned: false,
    };
  });
}

/** The per-item appeal every shopper shares (the demo's), by item id. */
export function appealOf(seed: Seed, catalog: readonly CatalogItem[]): Map<string, number> {
  return itemAppeal(seed, catalog);
}

/** How much the shopper wants the item now, on the logit scale: the demo's utility plus style and "already have it". */
export function hiddenUtility(s: SimShopper, item: CatalogItem, appeal = 0): number {
  let u = utility(s.shopper, item, appeal);
  const colour = item.attributes.colour;
  if (colour && s.colours.includes(colour)) u += 0.5;
  if (s.bought.has(item.id)) u -= 3;
  return u;
}

/**
 * Whether an item fits the shopper's true taste right now: one of their current favourite product
 * types, within their budget for it, and not something they already bought. The simulator's yardstick
 * for "relevant", never shown to the engine.
 */
export function fits(s: SimShopper, item: CatalogItem): boolean {
  const t = s.shopper.taste;
  const type = item.attributes.productType;
  if (!t.productTypes.some((p) => p.value === type)) return false;
  return item.price <= (t.budgets[type] ?? t.budget) && !s.bought.has(item.id);
}

/** Daily chance that one favourite product type is replaced by another (a new hobby, a baby, a move). */
export const DRIFT_PER_DAY = 1 / 21;

/**
 * One day of drift: the usual price level wanders a little, and now and then the least favourite
 * product type gives way to a new one. Mutates the shopper's (private) taste.
 */
export function driftTaste(s: SimShopper, rng: Random, sold: ReadonlySet<string>): void {
  const t = s.shopper.taste;
  t.priceLevel = clamp(t.priceLevel + rng.normal(0, 0.01), 0.05, 0.95);
  if (!rng.chance(DRIFT_PER_DAY)) return;
  const candidates = PRODUCT_TYPES.filter((p) => sold.has(p.slug) && !t.productTypes.some((f) => f.value === p.slug));
  if (!candidates.length) return;
  const next = rng.weighted(candidates.map((p) => ({ value: p, weight: p.demand * CATEGORY_SHARE[p.category] })));
  const leaving = t.productTypes[t.productTypes.length - 1];
  t.productTypes = [...t.productTypes.slice(0, -1), { value: next.slug, weight: leaving.weight }].sort((a, b) => b.weight - a.weight);
  delete t.budgets[leaving.value];
  t.budgets[next.slug] = budgetFor(next.slug, t.priceLevel);
  const byCategory = new Map<Category, number>();
  for (const p of t.productTypes) {
    const c = productType(p.value).category;
    byCategory.set(c, (byCategory.get(c) ?? 0) + p.weight);
  }
  t.categories = [...byCategory].map(([value, weight]) => ({ value, weight })).sort((a, b) => b.weight - a.weight);
  t.budget = t.budgets[t.productTypes[0].value];
}
