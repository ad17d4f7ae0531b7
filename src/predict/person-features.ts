/**
 * What a person's history says at a moment (the cutoff), from their events before it only: recency,
 * frequency and money, each with its trend (the last horizon against the one before), category
 * spread, returns, dislikes and chat. Every feature has words, so a prediction can say why.
 */
import { type EventLog, KIND } from './event-log.ts';

export const DAY_MS = 86_400_000;

/** The raw facts at a cutoff, before any transform. */
export interface PersonFacts {
  recencyDays: number;
  tenureDays: number;
  /** Mean gap between the person's active days (days); the horizon when there is one active day. */
  meanGapDays: number;
  eventsLast: number;
  eventsPrev: number;
  activeDays: number;
  purchases: number;
  purchasesLast: number;
  purchasesPrev: number;
  spend: number;
  spendLast: number;
  spendPrev: number;
  categories: number;
  entropy: number;
  returns: number;
  dislikes: number;
  chats: number;
  carts: number;
}

/**
 * The facts of person p from events strictly before `cutoff`, with windows of `horizonMs`; null when
 * the person had done nothing by then. Money falls back to `valueOf`-less counts where unknown.
 */
export function personFacts(log: EventLog, p: number, cutoff: number, horizonMs: number): PersonFacts | null {
  const s = log.start[p];
  let e = log.start[p + 1];
  // The events are sorted: find the first at or after the cutoff.
  let lo = s;
  let hi = e;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (log.time[mid] < cutoff) lo = mid + 1;
    else hi = mid;
  }
  e = lo;
  if (e === s) return null;
  const f: PersonFacts = {
    recencyDays: (cutoff - log.time[e - 1]) / DAY_MS,
    tenureDays: (cutoff - log.time[s]) / DAY_MS,
    meanGapDays: 0,
    eventsLast: 0,
    eventsPrev: 0,
    activeDays: 0,
    purchases: 0,
    purchasesLast: 0,
    purchasesPrev: 0,
    spend: 0,
    spendLast: 0,
    spendPrev: 0,
    categories: 0,
    entropy: 0,
    returns: 0,
    dislikes: 0,
    chats: 0,
    carts: 0,
  };
  const days = new Set<number>();
  const perCategory = new Map<number, number>();
  let categorised = 0;
  for (let i = s; i < e; i++) {
    const t = log.time[i];
    const age = cutoff - t;
    const last = age <= horizonMs;
    const prev = !last && age <= 2 * horizonMs;
    days.add(Math.floor(t / DAY_MS));
    if (last) f.eventsLast++;
    else if (prev) f.eventsPrev++;
    const c = log.category[i];
    if (c >= 0) {
      perCategory.set(c, (perCategory.get(c) ?? 0) + 1);
      categorised++;
    }
    const v = log.value[i];
    switch (log.kind[i]) {
      case KIND.purchase: {
        f.purchases++;
        const money = Number.isFinite(v) ? Math.max(0, v) : 0;
        f.spend += money;
        if (last) {
          f.purchasesLast++;
          f.spendLast += money;
        } else if (prev) {
          f.purchasesPrev++;
          f.spendPrev += money;
        }
        break;
      }
      case KIND.return:
        f.returns++;
        break;
      case KIND.dislike:
        f.dislikes++;
        break;
      case KIND.chat:
        f.chats++;
        break;
      case KIND.cart:
        if (last) f.carts++;
        break;
    }
  }
  const firstDay = Math.floor(log.time[s] / DAY_MS);
  const lastDay = Math.floor(log.time[e - 1] / DAY_MS);
  f.activeDays = days.size;
  f.meanGapDays = days.size > 1 ? (lastDay - firstDay) / (days.size - 1) : horizonMs / DAY_MS;
  f.categories = perCategory.size;
  for (const n of perCategory.values()) {
    const q = n / categorised;
    f.entropy -= q * Math.log(q);
  }
  return f;
}

/** One feature of the churn model: its name, its value from the facts, and its words. */
export interface FeatureSpec {
  name: string;
  value: (f: PersonFacts) => number;
  words: (f: PersonFacts, horizonDays: number) => string;
}

const l1p = Math.log1p;
const n = (x: number) => (Number.isInteger(x) ? String(x) : x.toFixed(x < 10 ? 1 : 0));
const days = (x: number) => (x < 1 ? 'less than a day' : `${n(Math.round(x))} day${Math.round(x) === 1 ? '' : 's'}`);
/** `3 categories`, `1 visit`: English plurals of the nouns these words use. */
const times = (x: number, what: string) => `${n(x)} ${x === 1 ? what : /[^aeiou]y$/.test(what) ? `${what.slice(0, -1)}ies` : `${what}s`}`;

/** The churn model's features, in the order of its rows. */
export const CHURN_FEATURES: readonly FeatureSpec[] = [
  { name: 'recency', value: (f) => l1p(f.recencyDays), words: (f) => `last active ${days(f.recencyDays)} ago` },
  {
    name: 'overdue',
    value: (f) => Math.log((f.recencyDays + 1) / (f.meanGapDays + 1)),
    words: (f) => `${days(f.recencyDays)} since the last visit against a usual gap of ${days(f.meanGapDays)}`,
  },
  { name: 'tenure', value: (f) => l1p(f.tenureDays), words: (f) => `first seen ${days(f.tenureDays)} ago` },
  { name: 'frequency', value: (f) => l1p(f.eventsLast), words: (f, h) => `${times(f.eventsLast, 'event')} in the last ${days(h)}` },
  {
    name: 'frequency trend',
    value: (f) => l1p(f.eventsLast) - l1p(f.eventsPrev),
    words: (f, h) =>
      `activity ${f.eventsLast >= f.eventsPrev ? 'up' : 'down'}: ${f.eventsLast} events in the last ${days(h)} against ${f.eventsPrev} the ${days(h)} before`,
  },
  { name: 'active days', value: (f) => l1p(f.activeDays), words: (f) => `active on ${times(f.activeDays, 'day')}` },
  { name: 'purchases', value: (f) => l1p(f.purchases), words: (f) => `${times(f.purchases, 'purchase')} so far` },
  {
    name: 'purchase trend',
    value: (f) => l1p(f.purchasesLast) - l1p(f.purchasesPrev),
    words: (f, h) => `${times(f.purchasesLast, 'purchase')} in the last ${days(h)} against ${f.purchasesPrev} the ${days(h)} before`,
  },
  { name: 'monetary', value: (f) => l1p(f.spend), words: (f) => `spent ${f.spend.toFixed(2)} in all` },
  {
    name: 'monetary trend',
    value: (f) => l1p(f.spendLast) - l1p(f.spendPrev),
    words: (f, h) => `spent ${f.spendLast.toFixed(2)} in the last ${days(h)} against ${f.spendPrev.toFixed(2)} the ${days(h)} before`,
  },
  { name: 'category spread', value: (f) => l1p(f.categories), words: (f) => `shops in ${times(f.categories, 'category')}` },
  {
    name: 'category entropy',
    value: (f) => f.entropy,
    words: (f) => (f.categories <= 1 ? 'interest in a single category' : `interest spread over ${f.categories} categories`),
  },
  { name: 'returns', value: (f) => l1p(f.returns), words: (f) => `${times(f.returns, 'return')}` },
  {
    name: 'return rate',
    value: (f) => f.returns / Math.max(1, f.purchases),
    words: (f) => `returned ${Math.round((100 * f.returns) / Math.max(1, f.purchases))} % of purchases`,
  },
  { name: 'dislikes', value: (f) => l1p(f.dislikes), words: (f) => `${times(f.dislikes, 'dislike')}` },
  { name: 'chat', value: (f) => l1p(f.chats), words: (f) => `${times(f.chats, 'chat message')}` },
  { name: 'carts', value: (f) => l1p(f.carts), words: (f, h) => `${times(f.carts, 'add-to-cart')} in the last ${days(h)}` },
];

/** The features' values for one person, in CHURN_FEATURES order. */
export function churnRow(f: PersonFacts): number[] {
  return CHURN_FEATURES.map((s) => s.value(f));
}

/** The index of recency, the naive baseline's one feature. */
export const RECENCY_FEATURE = 0;
