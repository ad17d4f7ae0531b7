import { describe, expect, it } from 'vitest';
import { EventInput } from '../../src/domain/schemas.ts';
import type { Arm } from '../../src/simulate/arms.ts';
import { CHAT_MODEL } from '../../src/simulate/chat.ts';
import { fits, hiddenUtility, type SimShopper } from '../../src/simulate/population.ts';
import { shopOf, simulateWorld, type ArmOutcome, type WorldOptions } from '../../src/simulate/run.ts';
import { ShopApiError, type Method, type ShopApi } from '../../src/simulate/shop-api.ts';

const START = Date.UTC(2025, 2, 3);

/**
 * A stand-in for Afín that accepts what the simulator sends (checking every event against the real
 * event schema) and records the requests. `strategies`: whether it takes `?strategy=`; its pages are
 * the first items of the catalogue.
 */
function fakeShop(opts: { strategies: boolean; catalogIds: string[] }) {
  const requests: Array<{ method: Method; path: string; workspace?: string }> = [];
  const chats: Array<{ userId: string; message: string; sessionId?: string }> = [];
  const channels = new Map<string, number>();
  let rejectedEvents = 0;
  const api: ShopApi = {
    async call(method, path, body, workspace) {
      requests.push({ method, path, workspace });
      if (method === 'POST' && path === '/v1/events') {
        const events = body as unknown[];
        rejectedEvents += events.filter((e) => !EventInput.safeParse(e).success).length;
        for (const e of events as Array<{ channel?: string }>) channels.set(e.channel ?? '', (channels.get(e.channel ?? '') ?? 0) + 1);
        return { accepted: events.length, duplicates: 0, rejected: [] };
      }
      // The assistant: one question (no items) in a new session, then three items.
      if (method === 'POST' && path === '/v1/chat') {
        const b = body as { userId: string; message: string; sessionId?: string };
        chats.push(b);
        if (!b.sessionId) return { sessionId: `s-${chats.length}`, reply: 'What budget?', items: [] };
        return { sessionId: b.sessionId, reply: 'Have a look', items: opts.catalogIds.slice(0, 3).map((id) => ({ id, title: id, reasons: [] })) };
      }
      if (method === 'GET' && path.startsWith('/v1/recommendations')) {
        const q = new URL(path, 'http://x').searchParams;
        if (q.has('strategy') && !opts.strategies) throw new ShopApiError(method, path, 403, '{"error":{"code":"forbidden"}}');
        return {
          recommendationId: `rec-${requests.length}`,
          personalized: false,
          model: 'x',
          items: opts.catalogIds.slice(0, Number(q.get('n'))).map((id) => ({ id, score: 1, reasons: [] })),
        };
      }
      return {};
    },
  };
  return { api, requests, chats, channels, rejected: () => rejectedEvents };
}

const base = (arm: Arm, api: ShopApi, extra: Partial<WorldOptions> = {}): WorldOptions => ({
  api,
  arm,
  workspace: `w-${arm}`,
  seed: 5,
  days: 10,
  users: 60,
  items: 200,
  start: START,
  historyWeeks: 1,
  ...extra,
});

/** The page an engine that knew the hidden taste would serve: the items that fit best. */
function oraclePage(seed: number, items: number) {
  const { catalog, appeal } = shopOf(seed, items);
  return (s: SimShopper) => ({
    items: catalog
      .filter((it) => fits(s, it))
      .sort((a, b) => hiddenUtility(s, b, appeal.get(b.id)) - hiddenUtility(s, a, appeal.get(a.id)))
      .slice(0, 10),
  });
}

const total = (xs: ArrayLike<number>) => Array.from(xs).reduce((a, b) => a + b, 0);
const buyers = (o: ArmOutcome) => Array.from(o.orders).filter((x) => x > 0).length;

describe('simulateWorld', () => {
  it('gives the same outcome for the same seed, and another for another seed', async () => {
    const ids = shopOf(5, 200).catalog.map((i) => i.id);
    const a = await simulateWorld(base('popular', fakeShop({ strategies: false, catalogIds: ids }).api));
    const b = await simulateWorld(base('popular', fakeShop({ strategies: false, catalogIds: ids }).api));
    const c = await simulateWorld(base('popular', fakeShop({ strategies: false, catalogIds: ids }).api, { seed: 6 }));
    expect(b).toEqual(a);
    expect(c.visits).not.toEqual(a.visits);
    expect(total(a.visits)).toBeGreaterThan(60);
  });

  it('an arm that serves what fits the hidden taste sells more, keeps more shoppers and pleases them more than random', async () => {
    const opts = { users: 200, days: 21, items: 200, seed: 5 };
    const oracle = await simulateWorld(base('personalized', fakeShop({ strategies: false, catalogIds: [] }).api, { ...opts, servePage: oraclePage(5, 200) }));
    const random = await simulateWorld(base('random', fakeShop({ strategies: false, catalogIds: [] }).api, opts));
    expect(total(oracle.fitting) / total(oracle.shown)).toBeGreaterThan(0.9);
    expect(total(random.fitting) / total(random.shown)).toBeLessThan(0.2);
    expect(buyers(oracle)).toBeGreaterThan(1.3 * buyers(random));
    expect(total(oracle.itemsBoughtFromPage)).toBeGreaterThan(5 * Math.max(1, total(random.itemsBoughtFromPage)));
    expect(total(oracle.churned)).toBeLessThan(total(random.churned) / 2);
    expect(total(oracle.visits)).toBeGreaterThan(total(random.visits));
    const meanNps = (o: ArmOutcome) => total(Array.from(o.nps).filter((x) => x >= 0)) / Array.from(o.nps).filter((x) => x >= 0).length;
    expect(meanNps(oracle)).toBeGreaterThan(meanNps(random) + 2);
  });

  it('asks the API for each visit’s page in its own workspace, sends valid events each night and retrains weekly', async () => {
    const ids = shopOf(5, 200).catalog.map((i) => i.id);
    const shop = fakeShop({ strategies: true, catalogIds: ids });
    const o = await simulateWorld(base('segment', shop.api, { days: 14, retrainEvery: 7 }));
    const pages = shop.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/recommendations'));
    // One probe of ?strategy=, then one page per visit.
    expect(pages).toHaveLength(total(o.visits) + 1);
    expect(pages.every((r) => r.workspace === 'w-segment' && r.path.includes('strategy=segment'))).toBe(true);
    expect(shop.requests.filter((r) => r.path === '/v1/workspaces')).toEqual([{ method: 'POST', path: '/v1/workspaces', workspace: undefined }]);
    // The first model before day 1, and after day 7 (not after the last day).
    expect(shop.requests.filter((r) => r.path === '/v1/train')).toHaveLength(2);
    expect(shop.rejected()).toBe(0);
    expect(o.eventsSent).toBeGreaterThan(total(o.visits));
  });

  it('the chat arm: in a share of visits the shopper asks the assistant, answers its question, and its items are the page', async () => {
    const ids = shopOf(5, 200).catalog.map((i) => i.id);
    const shop = fakeShop({ strategies: true, catalogIds: ids });
    const o = await simulateWorld(base('personalized+chat', shop.api, { users: 150 }));
    const visits = total(o.visits);
    expect(visits).toBeGreaterThan(200);
    // Drawn per visit with chance CHAT_MODEL.share (0.25): within about three standard deviations.
    expect(o.chat.visits / visits).toBeGreaterThan(CHAT_MODEL.share - 0.09);
    expect(o.chat.visits / visits).toBeLessThan(CHAT_MODEL.share + 0.09);
    // Each conversation: the wish, then "doesn't matter" to the question in the same session; no page asked for.
    expect(o.chat.messages).toBe(2 * o.chat.visits);
    expect(o.chat.empty).toBe(0);
    expect(shop.chats).toHaveLength(o.chat.messages);
    const firsts = shop.chats.filter((c) => !c.sessionId);
    expect(firsts).toHaveLength(o.chat.visits);
    expect(firsts.every((c) => /^(I'm looking for|Busco) \S/.test(c.message))).toBe(true);
    expect(shop.chats.filter((c) => c.sessionId).every((c) => c.message === "doesn't matter" || c.message === 'me da igual')).toBe(true);
    const pages = shop.requests.filter((r) => r.method === 'GET' && r.path.startsWith('/v1/recommendations'));
    expect(pages).toHaveLength(visits - o.chat.visits + 1);
    expect(pages.every((r) => r.path.includes('strategy=personalized&') || r.path.endsWith('strategy=personalized'))).toBe(true);
    // The chat's pages hold 3 items, the others 10; what shoppers did with the chat's items is on the chat channel.
    expect(total(o.shown)).toBe(3 * o.chat.visits + 10 * (visits - o.chat.visits));
    expect(shop.channels.get('chat')).toBeGreaterThan(0);
    expect(shop.rejected()).toBe(0);
    expect(shop.requests.filter((r) => r.path === '/v1/train')).toHaveLength(2);
  });

  it('asks the older way when the engine refuses ?strategy= (popular: the popularity model; random: drawn here)', async () => {
    const ids = shopOf(5, 200).catalog.map((i) => i.id);
    const popular = fakeShop({ strategies: false, catalogIds: ids });
    await simulateWorld(base('popular', popular.api));
    const pages = popular.requests.filter((r) => r.method === 'GET').slice(1);
    expect(pages.length).toBeGreaterThan(0);
    expect(pages.every((r) => r.path.includes('model=popularity') && !r.path.includes('strategy'))).toBe(true);

    const random = fakeShop({ strategies: false, catalogIds: ids });
    const o = await simulateWorld(base('random', random.api));
    expect(random.requests.filter((r) => r.method === 'GET')).toHaveLength(1); // the probe only
    expect(total(o.shown)).toBe(10 * total(o.visits));
    expect(random.requests.filter((r) => r.path === '/v1/train')).toHaveLength(0);
  });
});
