/**
 * `afin eval --dataset demo`: the demo simulator's shoppers have hidden tastes (a budget per product
 * type, a reading language), so what is served can be checked against the truth. The demo store goes
 * into a fresh server through the HTTP API; each shopper's home-page list (`GET /v1/recommendations`,
 * default settings) is compared with the model alone (the trained default model scoring the same
 * history, bought items left out, nothing else): the share of top-10 items within the shopper's
 * budget, and in their language.
 */
import { topK } from '../recommend/models/top-k.ts';
import { DEFAULT_MODEL } from '../recommend/registry.ts';
import { productType } from '../simulate/catalog.ts';
import { generateDemo } from '../simulate/demo.ts';
import type { Shopper } from '../simulate/shoppers.ts';
import type { OpenServer } from './served.ts';

export interface DemoShares {
  /** Share of listed items whose price is within the shopper's budget for that product type. */
  withinBudget: number;
  /** Share of listed items (with a language) written in the shopper's language. */
  inLanguage: number;
  /** Share of shoppers whose list has at least one item over twice their budget. */
  shoppersWithPriceShock: number;
}

export interface DemoReport {
  shoppers: number;
  items: number;
  events: number;
  model: DemoShares;
  served: DemoShares;
  /** Served with the price-band and language stages turned off (what the ranking did before it used them). */
  servedWithoutProfileShaping: DemoShares;
}

interface ListedItem {
  price?: number;
  language?: string;
  productType?: string;
}

/**
 * The budget that applies to an item, as the simulated shopper judges it: their budget for its product
 * type, else the price at their usual level of that type's range (the simulator's own rule).
 */
function budgetFor(s: Shopper, slug: string | undefined): number {
  if (!slug) return s.taste.budget;
  const own = s.taste.budgets[slug];
  if (own) return own;
  const [lo, hi] = productType(slug).price;
  return lo * (hi / lo) ** Math.min(1, s.taste.priceLevel + 0.1);
}

function shares(lists: Array<{ shopper: Shopper; items: ListedItem[] }>): DemoShares {
  let priced = 0,
    within = 0,
    langed = 0,
    inLang = 0,
    shocked = 0;
  for (const { shopper, items } of lists) {
    let shock = false;
    for (const it of items) {
      if (it.price !== undefined) {
        priced++;
        const b = budgetFor(shopper, it.productType);
        if (it.price <= b) within++;
        if (it.price > 2 * b) shock = true;
      }
      if (it.language) {
        langed++;
        if (it.language === shopper.taste.language) inLang++;
      }
    }
    if (shock) shocked++;
  }
  const r = (a: number, b: number) => (b ? Math.round((a / b) * 10_000) / 10_000 : 0);
  return { withinBudget: r(within, priced), inLanguage: r(inLang, langed), shoppersWithPriceShock: r(shocked, lists.length) };
}

export async function evaluateDemo(opts: {
  seed: number;
  shoppers?: number;
  items?: number;
  weeks?: number;
  log?: (line: string) => void;
  open: OpenServer;
}): Promise<DemoReport> {
  const log = opts.log ?? (() => {});
  const server = await opts.open();
  try {
    const { call, internals: engine } = server;
    const demo = generateDemo({ seed: opts.seed, now: engine.clock(), items: opts.items ?? 300, shoppers: opts.shoppers ?? 200, weeks: opts.weeks ?? 6 });
    log(`demo store: ${demo.catalog.length} items, ${demo.shoppers.length} shoppers, ${demo.events.length} events`);
    for (let i = 0; i < demo.catalog.length; i += 1000) await call('PUT', '/v1/items', demo.catalog.slice(i, i + 1000));
    for (const s of demo.shoppers) await call('PUT', `/v1/users/${encodeURIComponent(s.id)}`, { traits: s.traits });
    const events = [...demo.events].sort((a, b) => Number(a.timestamp) - Number(b.timestamp));
    for (let i = 0; i < events.length; i += 1000) await call('POST', '/v1/events', events.slice(i, i + 1000));
    for (const a of demo.aliases) await call('POST', '/v1/alias', a);
    await call('POST', '/v1/train', {});
    log("trained; asking for each shopper's list");

    const byId = new Map(demo.catalog.map((it) => [it.id, it]));
    const listed = (ids: string[]): ListedItem[] =>
      ids.map((id) => {
        const it = byId.get(id);
        return { price: it?.price, language: it?.language, productType: it?.attributes.productType };
      });
    const served = async () => {
      const out: Array<{ shopper: Shopper; items: ListedItem[] }> = [];
      for (const s of demo.shoppers) {
        const r = (await call('GET', `/v1/recommendations?userId=${encodeURIComponent(s.id)}&n=10`)) as { items: Array<{ id: string }> };
        out.push({ shopper: s, items: listed(r.items.map((i) => i.id)) });
      }
      return out;
    };
    const servedLists = await served();

    // The model alone: the same trained model scoring each shopper's history, nothing shaped.
    const ws = 'default';
    const model = await engine.state.model(ws, DEFAULT_MODEL);
    const catalog = await engine.state.catalog(ws);
    const modelLists: Array<{ shopper: Shopper; items: ListedItem[] }> = [];
    for (const s of demo.shoppers) {
      const evs = await engine.store.eventsOf(ws, s.id);
      const bought = new Set(evs.filter((e) => e.type === 'purchase' && e.itemId).map((e) => e.itemId!));
      const history = model
        ? evs.flatMap((e) => {
            const item = e.itemId ? model.modelIndex.get(e.itemId) : undefined;
            return item === undefined ? [] : [{ item, weight: 1, time: e.timestamp }];
          })
        : [];
      const scores = new Float64Array(catalog.size).fill(Number.NaN);
      if (model && history.length) {
        const r = model.recommender.score(history, engine.clock());
        for (let k = 0; k < r.scores.length; k++) if (model.toCatalog[k] >= 0) scores[model.toCatalog[k]] = r.scores[k];
      }
      const top = topK(scores, 10, (i) => catalog.available[i] === 1 && !bought.has(catalog.items[i].id));
      modelLists.push({ shopper: s, items: listed(Array.from(top, (i) => catalog.items[i].id)) });
    }

    await call('PUT', '/v1/settings/ranking', { stages: { priceBand: false, language: false } });
    const before = await served();
    return {
      shoppers: demo.shoppers.length,
      items: demo.catalog.length,
      events: demo.events.length,
      model: shares(modelLists),
      served: shares(servedLists),
      servedWithoutProfileShaping: shares(before),
    };
  } finally {
    await server.close();
  }
}

/** A small table of a demo report. */
export function formatDemo(r: DemoReport): string {
  const row = (name: string, s: DemoShares) =>
    `${name.padEnd(36)}  ${(s.withinBudget * 100).toFixed(1).padStart(6)} %  ${(s.inLanguage * 100).toFixed(1).padStart(6)} %  ${(s.shoppersWithPriceShock * 100).toFixed(1).padStart(6)} %`;
  return [
    `demo simulator · ${r.shoppers} shoppers × ${r.items} items × ${r.events} events · top-10 home-page lists`,
    `${'list'.padEnd(36)}  ${'within budget'.padStart(8)}  ${'in language'}  ${'shoppers with an item over 2× budget'}`,
    row('model alone (default model)', r.model),
    row('served, without price band/language', r.servedWithoutProfileShaping),
    row('served (default settings)', r.served),
  ].join('\n');
}
