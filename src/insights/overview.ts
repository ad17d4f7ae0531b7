import type { StoredEvent } from '../domain/schemas.ts';
import { orderIdOf } from '../domain/orders.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The periods the dashboard offers, each with a bucket small enough to show a shape and few enough points to draw. */
export const PERIODS = {
  '1h': { spanMs: HOUR, bucketMs: MINUTE },
  '24h': { spanMs: DAY, bucketMs: 30 * MINUTE },
  '7d': { spanMs: 7 * DAY, bucketMs: 6 * HOUR },
  '30d': { spanMs: 30 * DAY, bucketMs: DAY },
} as const;
export type Period = keyof typeof PERIODS;

/** What the overview needs of one logged recommendation answer. */
export interface ServedAnswer {
  id: string;
  createdAt: number;
  personalized: boolean;
}

export interface OverviewInput {
  /** The events at or after `from` (later ones than `to` are ignored). */
  events: Iterable<StoredEvent>;
  answers: Iterable<ServedAnswer>;
  from: number;
  to: number;
  bucketMs: number;
  /** An item's price, for purchases sent without a `value`. */
  price: (itemId: string) => number | undefined;
}

/** Rates are null where their denominator is 0 (no answer served, nobody active): a chart leaves a gap, not a false 0. */
export interface OverviewFigures {
  events: number;
  activePeople: number;
  answers: number;
  /** Share of recommendation answers with a later click citing their `recommendationId`. */
  clickThrough: number | null;
  /** Share of active people who bought. */
  conversion: number | null;
  revenue: number;
  orders: number;
  averageOrderValue: number | null;
  /** Share of recommendation answers that were personalised (not the fallback for an unknown or opted-out person). */
  personalizedShare: number | null;
}

export interface Overview {
  from: number;
  to: number;
  bucketMs: number;
  totals: OverviewFigures;
  /** One entry per bucket, the bucket's start in `t`; `eventsPerMinute` is the bucket's events over its minutes. */
  series: { t: number[]; eventsPerMinute: number[] } & { [K in keyof OverviewFigures]: Array<OverviewFigures[K]> };
}

interface Tally {
  events: number;
  people: Set<string>;
  buyers: Set<string>;
  answers: number;
  personalized: number;
  clickedAnswers: number;
  revenue: number;
  orders: Set<string>;
}
const tally = (): Tally => ({
  events: 0,
  people: new Set(),
  buyers: new Set(),
  answers: 0,
  personalized: 0,
  clickedAnswers: 0,
  revenue: 0,
  orders: new Set(),
});
const ratio = (n: number, d: number) => (d > 0 ? n / d : null);

function figures(t: Tally): OverviewFigures {
  return {
    events: t.events,
    activePeople: t.people.size,
    answers: t.answers,
    clickThrough: ratio(t.clickedAnswers, t.answers),
    conversion: ratio(t.buyers.size, t.people.size),
    revenue: Math.round(t.revenue * 100) / 100,
    orders: t.orders.size,
    averageOrderValue: t.orders.size > 0 ? Math.round((t.revenue / t.orders.size) * 100) / 100 : null,
    personalizedShare: ratio(t.personalized, t.answers),
  };
}

/**
 * The shop's activity per time bucket and over the whole period, from its events and the log of
 * recommendation answers. Impressions are sent by pages, not done by people, so they count as
 * events but make nobody active. A purchase without `value` is worth the item's price; purchases
 * sharing an order id are one order. An answer counts as clicked in the bucket it was served in.
 */
export function overview(input: OverviewInput): Overview {
  const { from, to, bucketMs } = input;
  const n = Math.max(1, Math.ceil((to - from) / bucketMs));
  const buckets = Array.from({ length: n }, tally);
  const all = tally();
  const bucketOf = (t: number) => (t < from || t >= to ? -1 : Math.min(n - 1, Math.floor((t - from) / bucketMs)));

  const clicked = new Set<string>();
  let purchases = 0;
  for (const e of input.events) {
    const k = bucketOf(e.timestamp);
    if (k < 0) continue;
    if (e.type === 'click' && e.recommendationId) clicked.add(e.recommendationId);
    for (const t of [buckets[k], all]) {
      t.events++;
      if (e.type !== 'impression') t.people.add(e.subject);
      if (e.type === 'purchase') {
        t.buyers.add(e.subject);
        t.revenue += e.value ?? (e.itemId ? input.price(e.itemId) : undefined) ?? 0;
        t.orders.add(orderIdOf(e.properties) ?? `event:${purchases}`);
      }
    }
    if (e.type === 'purchase') purchases++;
  }
  for (const a of input.answers) {
    const k = bucketOf(a.createdAt);
    if (k < 0) continue;
    for (const t of [buckets[k], all]) {
      t.answers++;
      if (a.personalized) t.personalized++;
      if (clicked.has(a.id)) t.clickedAnswers++;
    }
  }

  const perBucket = buckets.map(figures);
  const column = <K extends keyof OverviewFigures>(key: K) => perBucket.map((f) => f[key]);
  return {
    from,
    to,
    bucketMs,
    totals: figures(all),
    series: {
      t: buckets.map((_, i) => from + i * bucketMs),
      eventsPerMinute: perBucket.map((f) => Math.round((f.events / (bucketMs / MINUTE)) * 100) / 100),
      events: column('events'),
      activePeople: column('activePeople'),
      answers: column('answers'),
      clickThrough: column('clickThrough'),
      conversion: column('conversion'),
      revenue: column('revenue'),
      orders: column('orders'),
      averageOrderValue: column('averageOrderValue'),
      personalizedShare: column('personalizedShare'),
    },
  };
}

/** Per item over the period: how often it was viewed, clicked, put in a cart and bought, and what it earned. */
export interface ItemPerformance {
  views: number;
  clicks: number;
  addToCarts: number;
  purchases: number;
  revenue: number;
}

export function itemPerformance(events: Iterable<StoredEvent>, from: number, price: (itemId: string) => number | undefined): Map<string, ItemPerformance> {
  const out = new Map<string, ItemPerformance>();
  for (const e of events) {
    if (!e.itemId || e.timestamp < from) continue;
    let p = out.get(e.itemId);
    if (!p) out.set(e.itemId, (p = { views: 0, clicks: 0, addToCarts: 0, purchases: 0, revenue: 0 }));
    if (e.type === 'view') p.views++;
    else if (e.type === 'click') p.clicks++;
    else if (e.type === 'add_to_cart') p.addToCarts++;
    else if (e.type === 'purchase') {
      p.purchases++;
      p.revenue = Math.round((p.revenue + (e.value ?? price(e.itemId) ?? 0)) * 100) / 100;
    }
  }
  return out;
}
