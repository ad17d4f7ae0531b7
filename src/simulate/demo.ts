import type { Lang } from '../text/text.ts';
import type { EventInputT } from '../domain/schemas.ts';
import { simulateEvents, type AliasPair } from './behaviour.ts';
import { generateCatalog, productType, type CatalogItem } from './catalog.ts';
import type { Seed } from './random.ts';
import { generateShoppers, type Shopper } from './shoppers.ts';
import { CATEGORY_NAMES, CHANNELS } from './vocabulary.ts';

export interface DemoOptions {
  seed: Seed;
  /** The end of the simulated history, epoch milliseconds. */
  now: number;
  /** Catalog size (default 300). */
  items?: number;
  /** Number of shoppers (default 200). */
  shoppers?: number;
  /** Weeks of history (default 6). */
  weeks?: number;
}

export interface Demo {
  catalog: CatalogItem[];
  shoppers: Shopper[];
  events: EventInputT[];
  aliases: AliasPair[];
}

/** The whole demo store: catalog, shoppers with hidden tastes, their events and identity aliases. */
export function generateDemo({ seed, now, items = 300, shoppers = 200, weeks = 6 }: DemoOptions): Demo {
  const catalog = generateCatalog({ seed, size: items });
  const people = generateShoppers({ seed, count: shoppers, catalog, weeks });
  const { events, aliases } = simulateEvents({ seed, catalog, shoppers: people, weeks, now });
  return { catalog, shoppers: people, events, aliases };
}

/** English plural names of product types, for summaries. */
const PLURALS: Record<string, string> = {
  'childrens-books': 'children’s books',
  'tech-books': 'programming books',
  cookware: 'frying pans',
  bedding: 'duvet covers',
  backpacks: 'hiking backpacks',
  dumbbells: 'dumbbell sets',
};
function plural(slug: string): string {
  return PLURALS[slug] ?? slug.replace(/-/g, ' ');
}

const CHANNEL_NAMES: Record<string, string> = { web: 'the website', app: 'the app', store: 'the shop', email: 'email', chat: 'chat' };

function list(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/**
 * A one-paragraph, human-readable summary of a shopper's hidden taste, e.g. "Loves Sport (running
 * shoes, yoga mats) and Books (novels). Prefers Veloz. Shops for running. Usually spends up to 85 € on
 * running shoes (mid-range, price-conscious). Mostly uses the app. Reads Spanish. Visits about 2.4
 * times a week (medium activity)."
 */
export function tasteOf(shopper: Shopper): string {
  const t = shopper.taste;
  const cats = t.categories.map((c) => {
    const types = t.productTypes.filter((p) => productType(p.value).category === c.value).map((p) => plural(p.value));
    return `${CATEGORY_NAMES[c.value].en} (${types.join(', ')})`;
  });
  const topType = plural(t.productTypes[0].value);
  const strictness = t.priceSensitivity >= 1.1 ? 'price-conscious' : t.priceSensitivity <= 0.6 ? 'flexible on price' : 'watches the price';
  const level = t.priceLevel >= 0.65 ? 'premium' : t.priceLevel <= 0.3 ? 'budget' : 'mid-range';
  const channels = CHANNELS.filter((c) => t.channels[c] >= 0.15).sort((a, b) => t.channels[b] - t.channels[a]);
  const parts = [
    `Loves ${list(cats)}.`,
    t.brands.length ? `Prefers ${list(t.brands)}.` : '',
    t.uses.length ? `Shops for ${list(t.uses)}.` : '',
    `Usually spends up to ${t.budget} € on ${topType} (${level}, ${strictness}).`,
    `Mostly uses ${list(channels.map((c) => CHANNEL_NAMES[c]))}.`,
    `Reads ${t.language === 'es' ? 'Spanish' : 'English'}.`,
    `Visits about ${t.sessionsPerWeek === 1 ? 'once' : `${t.sessionsPerWeek} times`} a week (${t.activity} activity)${t.churnAfterWeeks !== null ? `, and stops after week ${t.churnAfterWeeks}` : ''}.`,
  ];
  return parts.filter(Boolean).join(' ');
}

/** One entry of `GET /v1/demo/shoppers`. */
export interface DemoShopperSummary {
  id: string;
  name: string;
  language: Lang;
  taste: string;
  favouriteCategories: string[];
  budget: number;
}

/** What the demo page shows about a shopper: the answer shape of `GET /v1/demo/shoppers`. */
export function demoShopperSummary(shopper: Shopper): DemoShopperSummary {
  return {
    id: shopper.id,
    name: shopper.traits.name,
    language: shopper.traits.language,
    taste: tasteOf(shopper),
    favouriteCategories: shopper.taste.categories.map((c) => c.value),
    budget: shopper.taste.budget,
  };
}

export interface DemoStats {
  items: number;
  shoppers: number;
  events: number;
  purchases: number;
  aliases: number;
  byType: Record<string, number>;
}

/** Counts for logs and progress output. */
export function demoStats(demo: Demo): DemoStats {
  const byType: Record<string, number> = {};
  for (const e of demo.events) byType[e.type] = (byType[e.type] ?? 0) + 1;
  return {
    items: demo.catalog.length,
    shoppers: demo.shoppers.length,
    events: demo.events.length,
    purchases: byType.purchase ?? 0,
    aliases: demo.aliases.length,
    byType,
  };
}
