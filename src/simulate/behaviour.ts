import type { EventInputT, EventType } from '../domain/schemas.ts';
import { productType, type CatalogItem } from './catalog.ts';
import { createRandom, seedToState, sigmoid, type Random, type Seed } from './random.ts';
import type { Shopper } from './shoppers.ts';
import { PRODUCT_TYPES, USES, type Channel, type Lang } from './vocabulary.ts';

/** An anonymous visitor later identified as a known user: the body of `POST /v1/alias`. */
export interface AliasPair {
  anonymousId: string;
  userId: string;
}

export interface SimulationOptions {
  seed: Seed;
  catalog: CatalogItem[];
  shoppers: Shopper[];
  /** How many weeks of history to simulate, ending at `now` (default 6). */
  weeks?: number;
  /** The end of the simulated history, epoch milliseconds. No event is later than this. */
  now: number;
}

export interface Simulation {
  /** Valid `POST /v1/events` bodies, sorted by timestamp, each with a deterministic `messageId`. */
  events: EventInputT[];
  /** Anonymous ids and the users they turned out to be, in the order they were identified. */
  aliases: AliasPair[];
}

const SECOND = 1000;
const HOUR = 3600 * SECOND;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;

/** When people shop, by hour of the day: a lunchtime bump and an evening peak. */
const HOUR_WEIGHTS = [0.3, 0.15, 0.1, 0.05, 0.05, 0.1, 0.3, 0.6, 0.9, 1, 1.1, 1.3, 1.6, 1.5, 1.1, 1, 1.1, 1.3, 1.6, 2, 2.2, 2, 1.4, 0.7];

/** How much a shopper wants an item, on a logit scale. Exported for tests and the eval harness. */
export function utility(shopper: Shopper, item: CatalogItem, appeal = 0): number {
  const t = shopper.taste;
  const a = item.attributes;
  const type = productType(a.productType);
  let u = appeal;
  if (t.productTypes.some((p) => p.value === a.productType)) u += 1.0;
  const cat = t.categories.find((c) => c.value === item.categories[0]);
  if (cat) u += 0.4 + 0.6 * cat.weight;
  if (t.brands.includes(a.brand)) u += 1.0;
  if (a.uses.some((x) => t.uses.includes(x))) u += 0.6;
  if (item.language === t.language) u += 0.4;
  // Price: a penalty above the shopper's budget for this type, and a pull towards their usual level.
  const [lo, hi] = type.price;
  const itemLevel = Math.log(item.price / lo) / Math.log(hi / lo);
  const budget = t.budgets[a.productType] ?? lo * (hi / lo) ** Math.min(1, t.priceLevel + 0.1);
  u -= t.priceSensitivity * 2.5 * Math.max(0, Math.log(item.price / budget));
  u -= 0.8 * Math.abs(itemLevel - t.priceLevel);
  return u;
}

interface Ctx {
  rng: Random;
  now: number;
  shopper: Shopper;
  userNo: number;
  out: Array<{ e: EventInputT; order: number }>;
  aliases: Array<{ pair: AliasPair; at: number }>;
  byType: Map<string, CatalogItem[]>;
  appeal: Map<string, number>;
  usedAnonIds: Set<string>;
}

function sessionStarts(ctx: Ctx, from: number, to: number, count: number): number[] {
  const { rng } = ctx;
  const latest = to - 2 * HOUR;
  if (latest <= from) return [];
  const days = Math.max(1, Math.floor((latest - from) / DAY));
  const firstDay = Math.floor(from / DAY) * DAY;
  const starts: number[] = [];
  for (let i = 0; i < count; i++) {
    let t = -1;
    for (let tries = 0; tries < 6 && (t < from || t > latest); tries++) {
      t = firstDay + rng.int(0, days) * DAY + rng.weightedIndex(HOUR_WEIGHTS) * HOUR + rng.int(0, 3599) * SECOND;
    }
    if (t < from || t > latest) t = Math.floor(rng.uniform(from, latest));
    starts.push(t);
  }
  return starts.sort((a, b) => a - b);
}

function pickType(ctx: Ctx): string | undefined {
  const { rng, shopper, byType } = ctx;
  const favourites = shopper.taste.productTypes.filter((p) => byType.has(p.value));
  if (favourites.length && !rng.chance(shopper.taste.exploration)) return rng.weighted(favourites);
  const all = PRODUCT_TYPES.filter((t) => byType.has(t.slug));
  return all.length ? rng.weighted(all.map((t) => ({ value: t.slug, weight: t.demand }))) : undefined;
}

function searchQuery(rng: Random, typeSlug: string, lang: Lang, shopper: Shopper): string {
  const type = productType(typeSlug);
  const use = rng.choice(shopper.taste.uses);
  const r = rng.next();
  if (r < 0.5) return type.keyword[lang];
  if (r < 0.8) return `${type.keyword[lang]} ${lang === 'en' ? 'for' : 'para'} ${USES[use][lang]}`;
  return lang === 'en' ? `${type.keyword.en} under ${shopper.taste.budget} €` : `${type.keyword.es} por menos de ${shopper.taste.budget} €`;
}

function chatMessage(rng: Random, typeSlug: string, shopper: Shopper): string {
  const type = productType(typeSlug);
  const lang = shopper.taste.language;
  const use = USES[rng.choice(shopper.taste.uses)][lang];
  const budget = shopper.taste.budgets[typeSlug] ?? shopper.taste.budget;
  return lang === 'en'
    ? `Hi! I'm looking for ${type.keyword.en} for ${use}, ideally under ${budget} €.`
    : `¡Hola! Busco ${type.keyword.es} para ${use}, a ser posible por menos de ${budget} €.`;
}

/** One visit. Returns nothing; pushes events and aliases into the context. */
function simulateSession(ctx: Ctx, start: number, index: number): void {
  const { rng, shopper, now } = ctx;
  const userId = shopper.id;
  const typeSlug = pickType(ctx);
  if (!typeSlug) return;
  const items = ctx.byType.get(typeSlug)!;
  const scores = items.map((it) => utility(shopper, it, ctx.appeal.get(it.id) ?? 0));
  const expScores = scores.map((u) => Math.exp(u));
  const pick = () => {
    const i = rng.weightedIndex(expScores);
    return { item: items[i], u: scores[i] };
  };

  const channel = rng.weighted(Object.entries(shopper.taste.channels).map(([c, w]) => ({ value: c as Channel, weight: w })));
  let t = start;
  let anonymousId: string | undefined;
  let identified = true;
  if ((channel === 'web' || channel === 'app') && rng.chance(index === 0 ? 0.45 : 0.06)) {
    do anonymousId = `anon-${rng.int(0, 0xffffffff).toString(16).padStart(8, '0')}`;
    while (ctx.usedAnonIds.has(anonymousId));
    ctx.usedAnonIds.add(anonymousId);
    identified = false;
  }
  const identify = () => {
    if (identified || !anonymousId) return;
    identified = true;
    ctx.aliases.push({ pair: { anonymousId, userId }, at: t });
  };
  const emit = (type: EventType, ch: string, extra: Partial<EventInputT> = {}, at = t) => {
    if (at > now) return;
    const who = !anonymousId ? { userId } : identified ? { userId, anonymousId } : { anonymousId };
    ctx.out.push({ e: { type, ...who, channel: ch, timestamp: at, ...extra }, order: ctx.out.length });
    if (at === t) t += rng.int(8, 150) * SECOND;
  };
  const order = `o-${ctx.userNo}-${index + 1}`;
  const buy = (item: CatalogItem, u: number, ch: string) => {
    emit('purchase', ch, { itemId: item.id, value: item.price, properties: { orderId: order, currency: 'EUR', quantity: 1 } });
    const rated = rng.chance(0.3);
    const later = t + rng.int(2, 12) * DAY + rng.int(0, 12) * HOUR;
    const stars = Math.max(1, Math.min(5, Math.round(3.3 + 0.6 * u + rng.normal(0, 0.8))));
    if (rated) emit('rating', rng.chance(0.6) ? 'email' : 'web', { itemId: item.id, value: stars }, later);
    if (rng.chance(0.03 + (stars <= 2 ? 0.25 : 0))) {
      emit(
        'return',
        channel === 'store' ? 'store' : 'web',
        { itemId: item.id, value: item.price, properties: { orderId: order } },
        later + rng.int(1, 8) * DAY,
      );
    }
  };

  if (channel === 'store') {
    // A till receipt: the loyalty card identifies the shopper; nothing is browsed online.
    if (!rng.chance(0.65)) return;
    const n = rng.chance(0.2) ? 2 : 1;
    for (let k = 0; k < n; k++) {
      const { item, u } = pick();
      buy(item, u, 'store');
    }
    return;
  }

  let browse: Channel = channel;
  if (channel === 'email') {
    emit('email_open', 'email', { properties: { campaign: `newsletter-${Math.floor(start / WEEK)}` } });
    if (!rng.chance(0.55)) return;
    emit('email_click', 'email', { itemId: pick().item.id });
    browse = 'web';
  } else if (channel === 'chat') {
    emit('chat', 'chat', { properties: { message: chatMessage(rng, typeSlug, shopper) } });
  } else if (rng.chance(0.35)) {
    emit('search', channel, { query: searchQuery(rng, typeSlug, shopper.taste.language, shopper) });
  }

  const cart: Array<{ item: CatalogItem; u: number }> = [];
  const views = Math.min(8, 1 + rng.poisson(2.2));
  for (let v = 0; v < views; v++) {
    const { item, u } = pick();
    if (browse !== 'chat' && rng.chance(0.35)) emit('click', browse, { itemId: item.id });
    emit('view', browse, { itemId: item.id });
    if (u > 1.5 && rng.chance(0.06)) emit('like', browse, { itemId: item.id });
    else if (u < -0.5 && rng.chance(0.08)) emit('dislike', browse, { itemId: item.id });
    if (!cart.some((c) => c.item === item) && item.available && rng.chance(sigmoid(-4.3 + u))) {
      identify();
      emit('add_to_cart', browse, { itemId: item.id, value: item.price });
      cart.push({ item, u });
    }
  }
  identify();
  if (cart.length && rng.chance(0.65)) {
    for (const c of cart) if (rng.chance(sigmoid(0.6 + 0.4 * c.u))) buy(c.item, c.u, browse);
  }
}

/**
 * Each item's hidden appeal beyond what a shopper's taste explains (a good photo, a well-known line),
 * on the logit scale of {@link utility}; the same for every shopper, drawn once per seed.
 */
export function itemAppeal(seed: Seed, catalog: readonly CatalogItem[]): Map<string, number> {
  const rng = createRandom(seed, 'behaviour').fork('appeal');
  return new Map(catalog.map((it) => [it.id, rng.normal(0, 0.6)]));
}

/**
 * Simulate `weeks` of shopping ending at `now`: visits on every channel, browsing driven by each
 * shopper's hidden taste, a plausible funnel (view → add to cart → purchase), ratings and returns a
 * few days later, anonymous first visits that are identified later, and a few churners who stop.
 */
export function simulateEvents({ seed, catalog, shoppers, weeks = 6, now }: SimulationOptions): Simulation {
  if (!Number.isFinite(now) || now < 0) throw new RangeError('now must be epoch milliseconds');
  if (!(weeks > 0)) throw new RangeError('weeks must be positive');
  const appeal = itemAppeal(seed, catalog);
  const root = createRandom(seed, 'behaviour');
  const byType = new Map<string, CatalogItem[]>();
  for (const it of catalog) {
    const list = byType.get(it.attributes.productType) ?? [];
    list.push(it);
    byType.set(it.attributes.productType, list);
  }
  const out: Ctx['out'] = [];
  const aliases: Ctx['aliases'] = [];
  const usedAnonIds = new Set<string>();
  const from = now - weeks * WEEK;

  shoppers.forEach((shopper, n) => {
    const rng = root.fork(`shopper:${shopper.id}`);
    const ctx: Ctx = { rng, now, shopper, userNo: n + 1, out, aliases, byType, appeal, usedAnonIds };
    const churn = shopper.taste.churnAfterWeeks;
    const until = churn !== null && churn < weeks ? from + churn * WEEK : now;
    const activeWeeks = (until - from) / WEEK;
    const count = Math.max(1, rng.poisson(shopper.taste.sessionsPerWeek * activeWeeks));
    sessionStarts(ctx, from, until, count).forEach((start, i) => {
      simulateSession(ctx, start, i);
    });
  });

  out.sort((a, b) => (a.e.timestamp as number) - (b.e.timestamp as number) || a.order - b.order);
  const tag = `sim-${seedToState(seed).toString(36)}`;
  const width = Math.max(6, String(out.length).length);
  const events = out.map(({ e }, i) => ({ messageId: `${tag}-${String(i + 1).padStart(width, '0')}`, ...e }));
  aliases.sort((a, b) => a.at - b.at);
  return { events, aliases: aliases.map((a) => a.pair) };
}
