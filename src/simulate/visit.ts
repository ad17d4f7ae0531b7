/**
 * One simulated visit: the shopper looks down the page the shop served, clicks what appeals, browses
 * on their own for a while, adds to the cart, pays, and now and then answers a survey; their mood
 * follows how well what they were shown fitted, and a poor fit makes them likelier to leave for good.
 * Pure: the events come back with timestamps, nothing is sent.
 */
import type { EventInputT } from '../domain/schemas.ts';
import type { CatalogItem } from './catalog.ts';
import { TAOBAO_FUNNEL, type FunnelRates } from './funnel.ts';
import { fits, hiddenUtility, type SimShopper } from './population.ts';
import { sigmoid, type Random } from './random.ts';
import { PRODUCT_TYPES } from './vocabulary.ts';

/**
 * How shoppers behave, beyond the calibrated funnel. These are assumptions (Taobao logs no
 * impressions, moods or surveys), stated here and in the README so a reader can judge them.
 */
export const SHOPPER_MODEL = {
  /** Chance of looking one slot further down the page (a cascade: slot k is seen with 0.85^k). */
  examineDecay: 0.9,
  /** Chance of clicking a recommended item they looked at that is as good as their own picks. */
  clickAtReference: 0.15,
  /** How fast the click, cart and buy chances rise with utility (logit per utility unit). */
  clickSlope: 1.2,
  cartSlope: 1.0,
  buySlope: 0.4,
  /** Share of visits in which the shopper also browses on their own (search, category pages). */
  browseChance: 0.3,
  /** Extra item views when browsing: 1 + Poisson(this). */
  browseViews: 1.5,
  /** Returns: a base rate, plus up to this much more for items they turned out not to want. */
  returnBase: 0.02,
  returnRegret: 0.2,
  /** A page with this many items that fit is a page that had something for them (the visit scores 1). */
  enoughFitting: 3,
  /** Weight of the old mood in the new (an exponential moving average over visits). */
  moodMemory: 0.7,
  /** How much a purchase they wanted lifts the visit's score. */
  purchaseLift: 0.25,
  /** Chance, per visit, of leaving for good: a floor, plus this much times (1 − mood)². */
  churnBase: 0.003,
  churnMisfit: 0.05,
  /** Chance that a visit ends with the NPS question. */
  surveyChance: 0.15,
} as const;
export type ShopperModel = { -readonly [K in keyof typeof SHOPPER_MODEL]: number };

export interface ShownPage {
  /** The answer's `recommendationId`, sent back with clicks and purchases for attribution. */
  recommendationId?: string;
  items: CatalogItem[];
  /** Where the page was shown: the events about its items carry it (default `web`; `chat` for the assistant's answer). */
  channel?: 'web' | 'chat';
}

export interface VisitWorld {
  /** Every item on sale, by product type: what the shopper browses on their own. */
  byType: ReadonlyMap<string, CatalogItem[]>;
  appeal: ReadonlyMap<string, number>;
  /** The utility at which the funnel's calibrated rates hold: that of the items shoppers pick themselves. */
  referenceUtility: number;
  rates?: FunnelRates;
  /** Changes to {@link SHOPPER_MODEL} (tests isolate one mechanism with these). */
  model?: Partial<ShopperModel>;
  /** Send `survey` events (the engine knows the type); the answer is kept either way. */
  surveys: boolean;
}

export interface VisitOutcome {
  events: EventInputT[];
  /** Returns decided now, sent later: `at` epoch ms. */
  returns: Array<{ at: number; event: EventInputT }>;
  shown: number;
  fitting: number;
  /** Σ over the page of how much the shopper wants each item, relative to their own picks (0: as good). */
  shownUtility: number;
  clicks: number;
  carts: number;
  /** Items bought in this visit (one order). */
  bought: CatalogItem[];
  /** How many of them were found on the page the shop served. */
  boughtFromPage: number;
  revenue: number;
  /** 0–10, when asked. */
  nps: number | null;
  churned: boolean;
}

const logit = (p: number) => Math.log(p / (1 - p));
const SECOND = 1000;
const DAY = 86_400_000;

/** The mean utility of what shoppers choose when browsing on their own: the funnel's reference point. */
export function referenceUtility(shoppers: readonly SimShopper[], byType: ReadonlyMap<string, CatalogItem[]>, appeal: ReadonlyMap<string, number>): number {
  let total = 0;
  let weight = 0;
  for (const s of shoppers) {
    for (const p of s.shopper.taste.productTypes) {
      const items = byType.get(p.value);
      if (!items?.length) continue;
      const u = items.map((it) => hiddenUtility(s, it, appeal.get(it.id) ?? 0));
      const max = Math.max(...u);
      const w = u.map((x) => Math.exp(x - max));
      const sum = w.reduce((a, b) => a + b, 0);
      total += (p.weight * u.reduce((a, x, i) => a + x * w[i], 0)) / sum;
      weight += p.weight;
    }
  }
  return weight > 0 ? total / weight : 0;
}

/** What a shopper browses on their own: one of their product types (sometimes another), items by appeal to them. */
function browse(rng: Random, s: SimShopper, world: VisitWorld, meanViews: number): CatalogItem[] {
  const t = s.shopper.taste;
  const favourites = t.productTypes.filter((p) => world.byType.has(p.value));
  const type =
    favourites.length && !rng.chance(t.exploration)
      ? rng.weighted(favourites)
      : rng.weighted(PRODUCT_TYPES.filter((p) => world.byType.has(p.slug)).map((p) => ({ value: p.slug, weight: p.demand })));
  const items = world.byType.get(type) ?? [];
  if (!items.length) return [];
  const w = items.map((it) => Math.exp(hiddenUtility(s, it, world.appeal.get(it.id) ?? 0)));
  const n = 1 + rng.poisson(meanViews);
  return Array.from({ length: n }, () => items[rng.weightedIndex(w)]);
}

/**
 * One visit at `start` (epoch ms) to a page the shop served. Mutates the shopper's state (mood,
 * money spent, items owned, churn) and returns the events a shop would record.
 *
 * Each decision draws from its own stream of `rng` (the page, their own browsing, the cart and the
 * purchase of each item, the survey, leaving), so the same shopper on the same day makes the same
 * choices in every world wherever what they see is the same: worlds differ by what they were served,
 * not by luck.
 */
export function simulateVisit(rng: Random, s: SimShopper, page: ShownPage, world: VisitWorld, start: number, orderId: string): VisitOutcome {
  const m: ShopperModel = world.model ? { ...SHOPPER_MODEL, ...world.model } : SHOPPER_MODEL;
  const rates = world.rates ?? TAOBAO_FUNNEL;
  const userId = s.id;
  const clock = rng.fork('time');
  const draw = (label: string) => rng.fork(label).next();
  let t = start;
  const events: EventInputT[] = [];
  const emit = (e: Omit<EventInputT, 'userId' | 'timestamp' | 'channel'>, channel: 'web' | 'chat' = 'web') => {
    events.push({ ...e, userId, channel, timestamp: t } as EventInputT);
    t += clock.int(5, 90) * SECOND;
  };
  const z = (it: CatalogItem) => hiddenUtility(s, it, world.appeal.get(it.id) ?? 0) - world.referenceUtility;

  const fitting = page.items.filter((it) => fits(s, it)).length;
  const shownUtility = page.items.reduce((a, it) => a + z(it), 0);
  const cart: Array<{ item: CatalogItem; z: number; fromPage: boolean }> = [];
  const pageChannel = page.channel ?? 'web';
  const consider = (item: CatalogItem, fromPage: boolean) => {
    const channel = fromPage ? pageChannel : 'web';
    emit({ type: 'view', itemId: item.id }, channel);
    const zi = z(item);
    if (
      item.available !== false &&
      !cart.some((c) => c.item.id === item.id) &&
      draw(`cart:${item.id}`) < sigmoid(logit(rates.cartPerView) + m.cartSlope * zi)
    ) {
      emit({ type: 'add_to_cart', itemId: item.id, value: item.price }, channel);
      cart.push({ item, z: zi, fromPage });
    }
  };

  let clicks = 0;
  let seen = 1;
  const eyes = rng.fork('page');
  for (const item of page.items) {
    if (!eyes.chance(seen)) break;
    seen = m.examineDecay;
    if (draw(`click:${item.id}`) < sigmoid(logit(m.clickAtReference) + m.clickSlope * z(item))) {
      clicks++;
      emit({ type: 'click', itemId: item.id, ...(page.recommendationId ? { recommendationId: page.recommendationId } : {}) }, pageChannel);
      consider(item, true);
    }
  }
  const own = rng.fork('browse');
  if (own.chance(m.browseChance)) for (const item of browse(own, s, world, m.browseViews)) consider(item, false);

  const bought: CatalogItem[] = [];
  let boughtFromPage = 0;
  const returns: VisitOutcome['returns'] = [];
  let revenue = 0;
  let wanted = false;
  for (const c of cart) {
    if (s.spentThisMonth + c.item.price > s.monthlyBudget) continue;
    if (draw(`buy:${c.item.id}`) >= sigmoid(logit(rates.buyPerCart) + m.buySlope * c.z)) continue;
    emit({
      type: 'purchase',
      itemId: c.item.id,
      value: c.item.price,
      properties: { orderId, currency: 'EUR', quantity: 1 },
      ...(c.fromPage && page.recommendationId ? { recommendationId: page.recommendationId } : {}),
    });
    bought.push(c.item);
    if (c.fromPage) boughtFromPage++;
    revenue += c.item.price;
    s.spentThisMonth += c.item.price;
    s.bought.add(c.item.id);
    if (c.z > 0) wanted = true;
    const regret = rng.fork(`return:${c.item.id}`);
    if (regret.chance(m.returnBase + m.returnRegret * sigmoid(-1.5 * c.z - 1))) {
      const at = start + regret.int(2, 10) * DAY;
      returns.push({
        at,
        event: { type: 'return', userId, channel: 'web', itemId: c.item.id, value: c.item.price, timestamp: at, properties: { orderId } } as EventInputT,
      });
    }
  }

  const score = Math.min(1, fitting / m.enoughFitting + (wanted ? m.purchaseLift : 0));
  s.satisfaction = m.moodMemory * s.satisfaction + (1 - m.moodMemory) * score;
  let nps: number | null = null;
  const asked = rng.fork('survey');
  if (asked.chance(m.surveyChance)) {
    nps = Math.max(0, Math.min(10, Math.round(4 + 6 * s.satisfaction + asked.normal(0, 1.5))));
    if (world.surveys) emit({ type: 'survey' as EventInputT['type'], value: nps });
  }
  s.churned = draw('leave') < m.churnBase + m.churnMisfit * (1 - s.satisfaction) ** 2;
  return {
    events,
    returns,
    shown: page.items.length,
    fitting,
    shownUtility,
    clicks,
    carts: cart.length,
    bought,
    boughtFromPage,
    revenue,
    nps,
    churned: s.churned,
  };
}
