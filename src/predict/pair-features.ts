/**
 * The propensity model's features for one person and one category: how recently and how much the
 * person engaged with the category, how popular it is, whether a re-buy is due, and how active the
 * person is overall. Every feature has words.
 */
import type { PairFacts } from './category-facts.ts';
import { logit } from './logistic.ts';
import type { PersonFacts } from './person-features.ts';
import { DAY_MS } from './person-features.ts';
import type { NextPurchase } from './repurchase.ts';

export interface PairContext {
  pair: PairFacts;
  /** The person's categorised events. */
  total: number;
  person: PersonFacts;
  cutoff: number;
  /** The category's share of the shop's purchases, smoothed. */
  popularity: number;
  /** The uncalibrated re-buy chance, or null if never bought in the category. */
  rebuy: number | null;
  /** The expected next purchase, or null if never bought in the category. */
  next: NextPurchase | null;
  categoryName: string;
}

export interface PairFeatureSpec {
  name: string;
  value: (c: PairContext) => number;
  words: (c: PairContext, horizonDays: number) => string;
}

const l1p = Math.log1p;
const days = (x: number) => {
  const r = Math.round(x);
  return x < 1 ? 'less than a day' : `${r} day${r === 1 ? '' : 's'}`;
};
const times = (x: number, what: string) => `${x} ${what}${x === 1 ? '' : 's'}`;
const since = (c: PairContext) => Math.max(0, (c.cutoff - c.pair.lastTouch) / DAY_MS);

export const PAIR_FEATURES: readonly PairFeatureSpec[] = [
  { name: 'category recency', value: (c) => l1p(since(c)), words: (c) => `last looked at ${c.categoryName} ${days(since(c))} ago` },
  { name: 'category views', value: (c) => l1p(c.pair.views), words: (c) => `${times(c.pair.views, 'view')} in ${c.categoryName}` },
  {
    name: 'recent category views',
    value: (c) => l1p(c.pair.viewsLast),
    words: (c, h) => `${times(c.pair.viewsLast, 'view')} in ${c.categoryName} in the last ${days(h)}`,
  },
  { name: 'category carts', value: (c) => l1p(c.pair.carts), words: (c) => `${times(c.pair.carts, 'add-to-cart')} in ${c.categoryName}` },
  { name: 'category likes', value: (c) => l1p(c.pair.likes), words: (c) => `${times(c.pair.likes, 'like or rating')} in ${c.categoryName}` },
  { name: 'category dislikes', value: (c) => l1p(c.pair.dislikes), words: (c) => `${times(c.pair.dislikes, 'dislike')} in ${c.categoryName}` },
  {
    name: 'category purchases',
    value: (c) => l1p(c.pair.purchases.length),
    words: (c) => `bought in ${c.categoryName} ${times(c.pair.purchases.length, 'time')}`,
  },
  {
    name: 'category share',
    value: (c) => c.pair.events / Math.max(1, c.total),
    words: (c) => `${Math.round((100 * c.pair.events) / Math.max(1, c.total))} % of their activity is in ${c.categoryName}`,
  },
  {
    name: 'category popularity',
    value: (c) => Math.log(c.popularity),
    words: (c) => `${c.categoryName} takes ${(100 * c.popularity).toFixed(1)} % of the shop's purchases`,
  },
  {
    name: 're-buy due',
    value: (c) => (c.rebuy === null ? 0 : logit(c.rebuy)),
    words: (c, h) =>
      c.rebuy === null
        ? `never bought in ${c.categoryName}`
        : `a re-buy in ${c.categoryName} has a ${Math.round(100 * c.rebuy)} % chance in ${days(h)} by its rhythm`,
  },
  {
    name: 'has bought',
    value: (c) => (c.rebuy === null ? 0 : 1),
    words: (c) => (c.rebuy === null ? `never bought in ${c.categoryName}` : `has bought in ${c.categoryName}`),
  },
  { name: 'person frequency', value: (c) => l1p(c.person.eventsLast), words: (c, h) => `${times(c.person.eventsLast, 'event')} in the last ${days(h)}` },
  { name: 'person recency', value: (c) => l1p(c.person.recencyDays), words: (c) => `last active ${days(c.person.recencyDays)} ago` },
  { name: 'person purchases', value: (c) => l1p(c.person.purchases), words: (c) => `${times(c.person.purchases, 'purchase')} in all` },
];

/** The index of category recency, the naive baseline's one feature. */
export const CATEGORY_RECENCY_FEATURE = 0;

export function pairRow(c: PairContext): number[] {
  return PAIR_FEATURES.map((s) => s.value(c));
}

const r1 = (x: number) => Math.round(x * 10) / 10;

/**
 * The next-purchase model's features (pairs with a purchase only): the re-buy rhythm's chance, and
 * whether the person is still around to act on it (recent in the category, recent at all).
 */
export const NEXT_FEATURES: readonly PairFeatureSpec[] = [
  {
    name: 're-buy rhythm',
    value: (c) => logit(c.rebuy ?? 1e-6),
    words: (c, h) => {
      const n = c.next!;
      const own = n.ownIntervals > 0 ? `bought ${n.ownIntervals + 1} times, about every ${r1(n.ownDays!)} days; ` : '';
      return `${own}shoppers re-buy in ${c.categoryName} about every ${r1(n.categoryDays)} days: a ${Math.round(100 * (c.rebuy ?? 0))} % chance in ${days(h)} by this rhythm`;
    },
  },
  PAIR_FEATURES[CATEGORY_RECENCY_FEATURE],
  {
    name: 'person recency',
    value: (c) => l1p(c.person.recencyDays),
    words: (c) => `last active ${days(c.person.recencyDays)} ago`,
  },
  {
    name: 'own re-buys',
    value: (c) => l1p(c.next?.ownIntervals ?? 0),
    words: (c) => `re-bought in ${c.categoryName} ${times(c.next?.ownIntervals ?? 0, 'time')}`,
  },
];

export function nextRow(c: PairContext): number[] {
  return NEXT_FEATURES.map((s) => s.value(c));
}
