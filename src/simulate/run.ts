/**
 * `afin simulate`, one world at a time: an arm's world is a workspace holding the seeded catalogue
 * and shoppers (the same in every world), and its days pass through the HTTP API: each visitor gets
 * the page the world's engine serves, their events go back as a shop's would, and the world retrains
 * at night. Worlds share nothing but the seed, so no arm learns from another's shoppers, and they
 * can run side by side (the CLI gives each its own server and thread).
 */
import type { EventInputT } from '../domain/schemas.ts';
import { CHAT_ARM, pageQuery, randomPage, strategyOf, trainingFor, type Arm } from './arms.ts';
import { simulateEvents } from './behaviour.ts';
import { generateCatalog, type CatalogItem } from './catalog.ts';
import { CHAT_MODEL, chatSession, chatWish } from './chat.ts';
import { appealOf, createPopulation, driftTaste, type SimShopper } from './population.ts';
import { createRandom } from './random.ts';
import { ShopApiError, type ShopApi } from './shop-api.ts';
import { referenceUtility, simulateVisit, type ShownPage, type VisitWorld } from './visit.ts';

export const DAY_MS = 86_400_000;
const BATCH = 1000;
/** A month, for the shoppers' monthly budgets. */
const MONTH_DAYS = 30;
/** Shoppers visit from 07:00 to 23:00. */
const OPENING_MS = 7 * 3_600_000;

export interface WorldOptions {
  api: ShopApi;
  arm: Arm;
  /** The workspace this world lives in (created here). */
  workspace: string;
  seed: number;
  days: number;
  users: number;
  items: number;
  /** Midnight (UTC) of day 0, epoch ms; the history ends here. */
  start: number;
  /** Weeks of the demo's shopping history the world starts with, as a shop adopting Afín has (default 4). */
  historyWeeks?: number;
  /** Retrain every this many days (default 7). */
  retrainEvery?: number;
  /** Items per page (default 10). */
  pageSize?: number;
  /** Ask the engine for the arm with `?strategy=` (else see `pageQuery`); default: when the engine takes it. */
  strategies?: boolean;
  /** Send `survey` events (the engine knows the type). */
  surveys?: boolean;
  /** Moves an in-process server's clock (with `--url` the server keeps its own). */
  setClock?: (ms: number) => void;
  onProgress?: (fraction: number, note: string) => void;
  /** Serves the page instead of the API (tests: a page drawn from the shopper's true taste). */
  servePage?: (shopper: SimShopper, day: number) => ShownPage | null;
}

/** What happened to each shopper in one arm's world; arrays are aligned with the shoppers. */
export interface ArmOutcome {
  arm: Arm;
  workspace: string;
  visits: Uint32Array;
  orders: Uint32Array;
  revenue: Float64Array;
  /** Events the shopper produced (views, clicks, carts, purchases, returns, surveys). */
  events: Uint32Array;
  churned: Uint8Array;
  /** The last NPS answer, 0–10, or -1 for none. */
  nps: Int8Array;
  shown: Uint32Array;
  fitting: Uint32Array;
  /** Σ of the shown items' utility relative to the shopper's own picks (see `VisitOutcome`). */
  shownUtility: Float64Array;
  clicks: Uint32Array;
  /** Items bought, and how many of them from the served page. */
  itemsBought: Uint32Array;
  itemsBoughtFromPage: Uint32Array;
  /** Per day: visits, visits that ended with a purchase, and shoppers who bought for the first time. */
  dailyVisits: number[];
  dailyBuyingVisits: number[];
  dailyFirstBuyers: number[];
  requests: number;
  eventsSent: number;
  /** The chat arm: visits the assistant served, messages the shoppers sent, conversations that showed nothing. */
  chat: { visits: number; messages: number; empty: number };
}

export interface SimulationResult {
  seed: number;
  days: number;
  items: number;
  users: number;
  arms: ArmOutcome[];
}

function emptyOutcome(arm: Arm, workspace: string, n: number, days: number): ArmOutcome {
  return {
    arm,
    workspace,
    visits: new Uint32Array(n),
    orders: new Uint32Array(n),
    revenue: new Float64Array(n),
    events: new Uint32Array(n),
    churned: new Uint8Array(n),
    nps: new Int8Array(n).fill(-1),
    shown: new Uint32Array(n),
    fitting: new Uint32Array(n),
    shownUtility: new Float64Array(n),
    clicks: new Uint32Array(n),
    itemsBought: new Uint32Array(n),
    itemsBoughtFromPage: new Uint32Array(n),
    dailyVisits: new Array(days).fill(0),
    dailyBuyingVisits: new Array(days).fill(0),
    dailyFirstBuyers: new Array(days).fill(0),
    requests: 0,
    eventsSent: 0,
    chat: { visits: 0, messages: 0, empty: 0 },
  };
}

/** Chance a shopper who has not left visits on a given day: their usual rhythm, more when happy. */
export function visitChance(s: SimShopper): number {
  return Math.min(0.9, (s.shopper.taste.sessionsPerWeek / 7) * (0.7 + 0.6 * s.satisfaction));
}

/** The shop every world sells: the seeded catalogue, what is on sale by product type, and each item's appeal. */
export function shopOf(seed: number, items: number) {
  const catalog = generateCatalog({ seed, size: items });
  const byType = new Map<string, CatalogItem[]>();
  for (const it of catalog) {
    if (it.available === false) continue;
    const list = byType.get(it.attributes.productType) ?? [];
    list.push(it);
    byType.set(it.attributes.productType, list);
  }
  return { catalog, byType, appeal: appealOf(seed, catalog) };
}

/**
 * Whether the engine serves this arm with `?strategy=` for this key: an engine without the parameter
 * answers 400, one that keeps it from this key 403; then the simulator asks the older way.
 */
async function takesStrategy(api: ShopApi, ws: string, arm: Arm, userId: string): Promise<boolean> {
  try {
    await api.call('GET', `/v1/recommendations?${new URLSearchParams({ userId, n: '1', strategy: strategyOf(arm) })}`, undefined, ws);
    return true;
  } catch (e) {
    if (e instanceof ShopApiError && (e.status === 400 || e.status === 403)) return false;
    throw e;
  }
}

/** One arm's world, from an empty workspace to the last night. */
export async function simulateWorld(opts: WorldOptions): Promise<ArmOutcome> {
  const { api, arm, seed, days, users, start, workspace: ws } = opts;
  const pageSize = opts.pageSize ?? 10;
  const retrainEvery = opts.retrainEvery ?? 7;
  const progress = opts.onProgress ?? (() => {});
  const o = emptyOutcome(arm, ws, users, days);
  const call = (method: 'GET' | 'PUT' | 'POST', path: string, body?: unknown, inWorkspace = true) => {
    o.requests++;
    return api.call(method, path, body, inWorkspace ? ws : undefined);
  };
  const send = async (events: EventInputT[]) => {
    for (let i = 0; i < events.length; i += BATCH) {
      const batch = events.slice(i, i + BATCH).map((e) => ({ messageId: `${ws}-${++o.eventsSent}`, ...e }));
      const r = (await call('POST', '/v1/events', batch)) as { rejected: Array<{ index: number; error: string }> };
      if (r.rejected.length) throw new Error(`${ws}: ${r.rejected.length} events rejected, the first: ${r.rejected[0].error}`);
    }
  };
  const train = async () => {
    const body = trainingFor(arm);
    if (body) await call('POST', '/v1/train', body);
  };

  const { catalog, byType, appeal } = shopOf(seed, opts.items);
  const itemById = new Map(catalog.map((it) => [it.id, it]));
  const sold = new Set(byType.keys());
  const shoppers = createPopulation({ seed, count: users, catalog });
  const world: VisitWorld = { byType, appeal, referenceUtility: referenceUtility(shoppers, byType, appeal), surveys: opts.surveys ?? false };

  // The workspace, the catalogue, the shoppers' declared traits, the shop's history, a first model.
  opts.setClock?.(start - 1);
  progress(0, `${arm}: setting up`);
  await call('POST', '/v1/workspaces', { id: ws, name: `afin simulate: ${arm}` }, false);
  for (let i = 0; i < catalog.length; i += BATCH) await call('PUT', '/v1/items', catalog.slice(i, i + BATCH));
  for (const s of shoppers) await call('PUT', `/v1/users/${encodeURIComponent(s.id)}`, { traits: s.traits });
  const history = simulateEvents({ seed, catalog, shoppers: shoppers.map((s) => s.shopper), weeks: opts.historyWeeks ?? 4, now: start - 1 });
  await send(history.events);
  for (const a of history.aliases) await call('POST', '/v1/alias', a);
  await train();
  const strategies = opts.strategies ?? (await takesStrategy(api, ws, arm, shoppers[0].id));
  const setupShare = 0.1;
  progress(setupShare, `${arm}: ${history.events.length} past events, trained`);

  let outbox: EventInputT[] = [];
  let later: Array<{ at: number; event: EventInputT }> = [];
  for (let day = 0; day < days; day++) {
    const dayStart = start + day * DAY_MS;
    const visits: Array<{ at: number; i: number }> = [];
    shoppers.forEach((s, i) => {
      if (s.churned) return;
      if (day % MONTH_DAYS === 0) s.spentThisMonth = 0;
      // The same draws in every world: shoppers differ between worlds only by what they were shown.
      driftTaste(s, createRandom(seed, `drift:${s.id}:${day}`), sold);
      const come = createRandom(seed, `come:${s.id}:${day}`);
      if (come.next() < visitChance(s)) visits.push({ at: dayStart + OPENING_MS + come.int(0, 16 * 3600 - 1) * 1000, i });
    });
    visits.sort((a, b) => a.at - b.at || a.i - b.i);

    // The engine's clock reads the day's opening for the whole day. Nothing it learns from arrives
    // before night (the day's events are sent then), so its answers are those of any hour; but caches
    // that it renews on its clock (the segment baseline recounts its groups every 10 minutes) would
    // otherwise recount the same events a hundred times a simulated day.
    opts.setClock?.(dayStart + OPENING_MS);
    for (const { at, i } of visits) {
      const s = shoppers[i];
      let page = opts.servePage?.(s, day) ?? null;
      // The chat arm: in a share of visits the shopper asks the assistant, and its answer is the page
      // (a conversation that shows nothing leaves them on the usual page).
      const talk = arm === CHAT_ARM && !page ? createRandom(seed, `chat:${s.id}:${day}`) : null;
      const wish = talk && talk.next() < CHAT_MODEL.share ? chatWish(talk.fork('wish'), s, sold) : null;
      if (wish) {
        const c = await chatSession((body) => call('POST', '/v1/chat', body), s, wish, itemById);
        o.chat.visits++;
        o.chat.messages += c.turns;
        if (c.items.length) page = { items: c.items, channel: 'chat' };
        else o.chat.empty++;
      }
      if (!page) {
        const query = pageQuery(arm, s.id, pageSize, s.traits, strategies);
        if (query === null) page = { items: randomPage(catalog, pageSize, seed, s.id, day) };
        else {
          const r = (await call('GET', query)) as { recommendationId: string; items: Array<{ id: string }> };
          page = { recommendationId: r.recommendationId, items: r.items.map((x) => itemById.get(x.id)).filter((x): x is CatalogItem => !!x) };
        }
      }
      const everBought = o.orders[i] > 0;
      const v = simulateVisit(createRandom(seed, `visit:${s.id}:${day}`), s, page, world, at, `o-${s.id}-${day}`);
      o.visits[i]++;
      o.shown[i] += v.shown;
      o.fitting[i] += v.fitting;
      o.shownUtility[i] += v.shownUtility;
      o.clicks[i] += v.clicks;
      o.events[i] += v.events.length + v.returns.length;
      o.itemsBought[i] += v.bought.length;
      o.itemsBoughtFromPage[i] += v.boughtFromPage;
      o.dailyVisits[day]++;
      if (v.bought.length) {
        o.orders[i]++;
        o.revenue[i] += v.revenue;
        o.dailyBuyingVisits[day]++;
        if (!everBought) o.dailyFirstBuyers[day]++;
      }
      if (v.nps !== null) o.nps[i] = v.nps;
      if (v.churned) o.churned[i] = 1;
      outbox.push(...v.events);
      later.push(...v.returns);
    }

    // Night: the day's events reach the engine (returns when they fall due), then it may retrain.
    const night = dayStart + DAY_MS - 60_000;
    opts.setClock?.(night);
    await send([...outbox, ...later.filter((r) => r.at <= night).map((r) => r.event)]);
    outbox = [];
    later = later.filter((r) => r.at > night);
    if ((day + 1) % retrainEvery === 0 && day + 1 < days) await train();
    progress(setupShare + ((1 - setupShare) * (day + 1)) / days, `${arm}: day ${day + 1}/${days}, ${visits.length} visits`);
  }
  return o;
}

/** The worlds' outcomes as one result (they must come from the same seed, days and sizes). */
export function simulationResult(opts: { seed: number; days: number; items: number }, arms: ArmOutcome[]): SimulationResult {
  return { seed: opts.seed, days: opts.days, items: opts.items, users: arms[0]?.visits.length ?? 0, arms };
}
