import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { type InvalidationBus, LocalBus, LocalHub } from '../../src/bus/bus.ts';
import { Engine } from '../../src/server/compose.ts';
import { buildApp } from '../../src/server/app.ts';
import type { Store } from '../../src/store/store.ts';
import { AUTH, ROOT_KEY, items, testClock } from '../helpers.ts';

/** Long enough that nothing in a test expires by age: only notices can freshen a cache. */
export const LONG_CACHE_MS = 60_000;

export interface TestNode {
  app: FastifyInstance;
  engine: Engine;
  get(url: string): Promise<any>;
  put(url: string, payload: unknown): Promise<any>;
  post(url: string, payload: unknown): Promise<any>;
  recs(userId: string): Promise<{ personalized: boolean; items: Array<{ id: string }> }>;
}

/** One API node over `store` (already migrated), with its own caches and, maybe, a bus. */
export async function makeNode(store: Store, bus: InvalidationBus | undefined, clock = testClock()): Promise<TestNode> {
  await store.createWorkspace({ id: 'default', name: null, createdAt: clock() });
  const engine = new Engine(store, { adminKey: ROOT_KEY }, { clock, cacheMaxAgeMs: LONG_CACHE_MS, bus, retrainAfterErasureMs: null });
  const app = await buildApp({ engine });
  const call = async (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown) => {
    const r = await app.inject({ method, url, headers: AUTH, ...(payload === undefined ? {} : { payload: payload as object }) });
    expect(r.statusCode, `${method} ${url}: ${r.body}`).toBeLessThan(300);
    return r.statusCode === 204 ? null : r.json();
  };
  return {
    app,
    engine,
    get: (url) => call('GET', url),
    put: (url, p) => call('PUT', url, p),
    post: (url, p) => call('POST', url, p),
    recs: (userId) => call('GET', `/v1/recommendations?userId=${userId}&n=5&excludeSeen=true`),
  };
}

/**
 * Two nodes over one database, sharing a clock and, when `withBus`, an in-process bus. `openStore`
 * opens another migrated connection to the same database at each call.
 */
export async function nodePair(openStore: () => Promise<Store>, withBus: boolean): Promise<{ a: TestNode; b: TestNode; clock: ReturnType<typeof testClock> }> {
  const clock = testClock();
  const hub = new LocalHub();
  const open = async () => makeNode(await openStore(), withBus ? new LocalBus(hub) : undefined, clock);
  const a = await open();
  return { a, b: await open(), clock };
}

export async function closeNodes(nodes: TestNode[]): Promise<void> {
  for (const n of nodes) {
    await n.app.close();
    await n.engine.close();
  }
}

/** Runs `check` until it passes (for buses that deliver asynchronously), at most `ms`. */
export function eventually(ms = 5000) {
  return async (check: () => Promise<void>) => {
    const until = Date.now() + ms;
    for (;;) {
      try {
        return await check();
      } catch (err) {
        if (Date.now() > until) throw err;
        await new Promise((r) => setTimeout(r, 25));
      }
    }
  };
}

/** Checks at once: an in-process bus delivers before the writing request answers. */
export const atOnce = async (check: () => Promise<void>) => check();

/** A small shop on node A, events through node B, models trained on A. */
export async function seed(a: TestNode, b: TestNode): Promise<void> {
  await a.put('/v1/items', items(10));
  const evs: object[] = [];
  for (let u = 0; u < 10; u++) {
    const base = u % 2;
    for (const k of [0, 2, 4]) evs.push({ type: 'view', userId: `u${u}`, itemId: `i${base + k}` });
    evs.push({ type: 'purchase', userId: `u${u}`, itemId: `i${base + 6}` });
    evs.push({ type: 'view', userId: `u${u}`, itemId: 'i8' });
  }
  expect((await b.post('/v1/events', evs)).accepted).toBe(evs.length);
  await a.engine.train('default');
  await a.post('/v1/events', [{ type: 'view', userId: 'x', itemId: 'i0' }]);
}

/**
 * Two nodes with caches that never expire during the test: every write on A must reach B's caches
 * through the bus — new events, an item made unavailable, ranking settings, a retrained model, a
 * consent withdrawal. `settle` waits for delivery.
 */
export async function expectBSeesAWrites(
  a: TestNode,
  b: TestNode,
  settle: (check: () => Promise<void>) => Promise<void>,
  clock: ReturnType<typeof testClock>,
): Promise<void> {
  await seed(a, b);
  await settle(async () => {
    expect((await b.get('/v1/items/i0')).id).toBe('i0');
    expect((await b.recs('x')).items.map((i) => i.id)).not.toContain('i0');
  });
  // Warm B's caches: the person's events and consent, the catalogue, the model.
  const r0 = await b.recs('x');
  expect(r0.personalized).toBe(true);
  const top = r0.items[0].id;

  // A new event on A changes B's next recommendation (it is now seen, so excluded).
  await a.post('/v1/events', [{ type: 'purchase', userId: 'x', itemId: top }]);
  let r1 = r0;
  await settle(async () => {
    r1 = await b.recs('x');
    expect(r1.items.map((i) => i.id)).not.toContain(top);
  });
  expect(r1.items.map((i) => i.id)).not.toEqual(r0.items.map((i) => i.id));

  // An item made unavailable on A disappears from B's answers.
  const next = r1.items[0].id;
  await a.put('/v1/items', [{ id: next, title: `Item ${next}`, available: false }]);
  await settle(async () => expect((await b.recs('x')).items.map((i) => i.id)).not.toContain(next));

  // Ranking settings saved on A are in force on B.
  await a.put('/v1/settings/ranking', { maxCategoryShare: 1 });
  await settle(async () => expect(await b.engine.state.ranking('default')).toEqual({ maxCategoryShare: 1 }));

  // A model retrained on A is the one B serves.
  clock.advance(60_000);
  const [info] = await a.engine.train('default');
  await settle(async () => expect((await b.engine.state.model('default', info.name))?.info.trainedAt).toBe(info.trainedAt));

  // A consent withdrawal on A is honoured by B.
  expect((await b.recs('x')).personalized).toBe(true);
  await a.put('/v1/users/x/consent', { personalization: false });
  await settle(async () => expect((await b.recs('x')).personalized).toBe(false));
}

/** Without a bus, the same writes on A leave B's caches stale: the scenario above proves the bus. */
export async function expectBStaleWithoutBus(a: TestNode, b: TestNode): Promise<void> {
  await seed(a, b);
  const r0 = await b.recs('x');
  expect(r0.personalized).toBe(true);
  const top = r0.items[0].id;
  await a.post('/v1/events', [{ type: 'purchase', userId: 'x', itemId: top }]);
  await a.put('/v1/items', [{ id: r0.items[1].id, title: 'gone', available: false }]);
  await a.put('/v1/users/x/consent', { personalization: false });
  const r1 = await b.recs('x');
  expect(r1.personalized).toBe(true);
  expect(r1.items.map((i) => i.id)).toEqual(r0.items.map((i) => i.id));
}
