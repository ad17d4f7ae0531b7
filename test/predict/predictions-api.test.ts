import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PREDICTOR_BLOB } from '../../src/predict/predict-service.ts';
import { AUTH, makeTestApp, type TestApp, testClock } from '../helpers.ts';
import { DAY, plantedShop } from './planted-shop.ts';

const shop = plantedShop(5, 120, 100);

async function call(t: TestApp, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, headers: Record<string, string> = AUTH) {
  const r = await t.app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
  return { status: r.statusCode, body: r.body ? r.json() : null };
}

/** A shop whose history the test app holds: the planted shop's items and events, up to its `now`. */
async function shopApp(): Promise<TestApp> {
  const t = await makeTestApp({ clock: testClock(shop.now) });
  const items = [...new Map(shop.events.map((e) => [e.item, { id: e.item, title: e.item, categories: [e.category], price: e.value ?? 20 }])).values()];
  expect((await call(t, 'PUT', '/v1/items', items)).status).toBe(200);
  const events = shop.events.map((e) => ({
    type: e.type,
    userId: e.person,
    itemId: e.item,
    timestamp: e.time,
    ...(e.value === null ? {} : { value: e.value }),
  }));
  for (let k = 0; k < events.length; k += 1000) expect((await call(t, 'POST', '/v1/events', events.slice(k, k + 1000))).status).toBe(200);
  return t;
}

describe('GET /v1/users/:id/predictions', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await shopApp();
  }, 120_000);
  afterAll(async () => t?.close());

  it('answers each figure with its top reasons in words, learning the predictors on first use', async () => {
    const buyer = [...shop.coffee].find((p) => !shop.unhappy.has(p))!;
    const r = await call(t, 'GET', `/v1/users/${buyer}/predictions?days=7`);
    expect(r.status).toBe(200);
    const b = r.body;
    expect(b).toMatchObject({ userId: buyer, days: 7, trainedAt: new Date(shop.now).toISOString() });
    expect(b.horizonDays).toBe(25);
    expect(b.churn.horizonDays).toBe(25);
    expect(b.churn.probability).toBeGreaterThanOrEqual(0);
    expect(b.churn.probability).toBeLessThanOrEqual(1);
    expect(b.churn.factors.length).toBe(3);
    for (const f of b.churn.factors) {
      expect(Object.keys(f).sort()).toEqual(['effect', 'feature', 'text', 'weight']);
      expect(['raises', 'lowers']).toContain(f.effect);
      expect(typeof f.text).toBe('string');
    }
    const coffee = b.nextPurchases.find((n: { category: string }) => n.category === 'coffee');
    expect(coffee).toBeDefined();
    expect(Date.parse(coffee.expectedAt)).toBeGreaterThan(shop.now - 10 * DAY);
    expect(coffee.intervalDays).toBeGreaterThan(5);
    expect(coffee.intervalDays).toBeLessThan(10);
    expect(coffee.factors[0].text).toMatch(/coffee/);
    expect(b.propensities.length).toBeGreaterThan(0);
    const ps = b.propensities.map((p: { probability: number }) => p.probability);
    expect(ps).toEqual([...ps].sort((x, y) => y - x));
    expect(await t.engine.store.getBlob('default', PREDICTOR_BLOB)).not.toBeNull();
  });

  it('asks for a window of days, and a longer one is never less likely', async () => {
    const who = shop.events.at(-1)!.person;
    const short = await call(t, 'GET', `/v1/users/${who}/predictions?days=2&n=30`);
    const long = await call(t, 'GET', `/v1/users/${who}/predictions?days=60&n=30`);
    expect(short.body.days).toBe(2);
    for (const p of short.body.propensities) {
      const q = long.body.propensities.find((x: { category: string }) => x.category === p.category);
      expect(q.probability).toBeGreaterThanOrEqual(p.probability);
    }
  });

  it('makes no prediction about a person who withdrew profiling consent or was erased: 403 naming the consent', async () => {
    const [a, b] = shop.events.map((e) => e.person).filter((p, i, all) => all.indexOf(p) === i);
    expect((await call(t, 'GET', `/v1/users/${a}/predictions`)).status).toBe(200);
    expect((await call(t, 'PUT', `/v1/users/${a}/consent`, { profiling: false })).status).toBe(200);
    const r = await call(t, 'GET', `/v1/users/${a}/predictions`);
    expect(r.status).toBe(403);
    expect(r.body.error).toMatchObject({ code: 'forbidden', field: 'consent.profiling' });
    expect(r.body.error.message).toMatch(/profiling consent/);
    expect((await call(t, 'DELETE', `/v1/users/${b}`)).status).toBe(204);
    expect((await call(t, 'GET', `/v1/users/${b}/predictions`)).body.error.field).toBe('consent.profiling');
  });

  it('answers 404 for a person with no history, and 400 naming the field for bad input', async () => {
    const r = await call(t, 'GET', '/v1/users/nobody/predictions');
    expect(r.status).toBe(404);
    expect(r.body.error).toMatchObject({ code: 'not_found', field: 'id' });
    for (const [q, field] of [
      ['days=0', 'days'],
      ['days=366', 'days'],
      ['days=abc', 'days'],
      ['n=31', 'n'],
      ['extra=1', 'extra'],
    ]) {
      const bad = await call(t, 'GET', `/v1/users/p1/predictions?${q}`);
      expect(bad.status, q).toBe(400);
      expect(bad.body.error.field, q).toBe(field);
    }
  });

  it('is closed to public keys', async () => {
    const pub = await call(t, 'POST', '/v1/keys', { scope: 'public' });
    const r = await call(t, 'GET', '/v1/users/p1/predictions', undefined, { authorization: `Bearer ${pub.body.key}` });
    expect(r.status).toBe(403);
    const srv = await call(t, 'POST', '/v1/keys', { scope: 'server' });
    expect((await call(t, 'GET', '/v1/users/p1/predictions', undefined, { authorization: `Bearer ${srv.body.key}` })).status).toBe(200);
  });

  it('relearns after the models are trained again', async () => {
    t.clock.advance(3_600_000);
    expect((await call(t, 'POST', '/v1/train', {})).status).toBe(200);
    t.clock.advance(60_000);
    const r = await call(t, 'GET', '/v1/users/p1/predictions');
    expect(r.body.trainedAt).toBe(new Date(shop.now + 3_660_000).toISOString());
  }, 60_000);
});

describe('a shop with too little history', () => {
  it('answers 409 saying how much history the predictions need', async () => {
    const t = await makeTestApp();
    try {
      await call(t, 'PUT', '/v1/items', [{ id: 'a', title: 'A', categories: ['x'] }]);
      // An event at this very moment is not history yet.
      await call(t, 'POST', '/v1/events', [{ type: 'view', userId: 'ana', itemId: 'a' }]);
      expect((await call(t, 'GET', '/v1/users/ana/predictions')).status).toBe(404);
      await call(t, 'POST', '/v1/events', [{ type: 'view', userId: 'ana', itemId: 'a', timestamp: t.clock() - 60_000 }]);
      const r = await call(t, 'GET', '/v1/users/ana/predictions');
      expect(r.status).toBe(409);
      expect(r.body.error.code).toBe('conflict');
      expect(r.body.error.message).toMatch(/days of history/);
      // A refused request stores nothing: the finding stays in this node's memory.
      expect(await t.engine.store.getBlob('default', PREDICTOR_BLOB)).toBeNull();
      // The history grows: an hour on, the predictors look again (and are learnt once it is long enough).
      const day = 86_400_000;
      await call(t, 'POST', '/v1/events', [
        { type: 'view', userId: 'ana', itemId: 'a', timestamp: t.clock() - 40 * day },
        { type: 'view', userId: 'bob', itemId: 'a', timestamp: t.clock() - 39 * day },
        { type: 'purchase', userId: 'bob', itemId: 'a', timestamp: t.clock() - 20 * day },
      ]);
      expect((await call(t, 'GET', '/v1/users/ana/predictions')).status).toBe(409);
      t.clock.advance(3_600_001);
      const later = await call(t, 'GET', '/v1/users/ana/predictions');
      expect(later.status).toBe(200);
      expect(later.body.horizonDays).toBe(10);
    } finally {
      await t.close();
    }
  });
});
