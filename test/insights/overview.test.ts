import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/domain/schemas.ts';
import { itemPerformance, overview } from '../../src/insights/overview.ts';
import { AUTH, items, makeTestApp, type TestApp } from '../helpers.ts';

/** The dashboard's figures: counted from events and the recommendation log, per bucket and in total. */
const H = 3_600_000;
const ev = (type: StoredEvent['type'], subject: string, at: number, more: Partial<StoredEvent> = {}): StoredEvent => ({
  messageId: `${type}-${subject}-${at}-${Math.random()}`,
  type,
  subject,
  userId: subject,
  anonymousId: null,
  itemId: null,
  value: null,
  query: null,
  channel: null,
  recommendationId: null,
  variant: null,
  timestamp: at,
  receivedAt: at,
  properties: null,
  ...more,
});

describe('overview (pure)', () => {
  const price = (id: string) => ({ a: 10, b: 25 })[id];
  const from = 0;
  const to = 4 * H;

  it('counts each bucket and the whole period, with rates over their own denominators', () => {
    const events = [
      ev('view', 'ana', 0.5 * H, { itemId: 'a' }),
      ev('click', 'ana', 0.6 * H, { itemId: 'a', recommendationId: 'r1' }),
      ev('purchase', 'ana', 0.7 * H, { itemId: 'a' }), // worth its price: 10
      ev('impression', 'bo', 0.8 * H, { itemId: 'b' }), // makes nobody active
      ev('purchase', 'cy', 2.5 * H, { itemId: 'a', value: 30, properties: { orderId: 'o9' } }),
      ev('purchase', 'cy', 2.6 * H, { itemId: 'b', value: 20, properties: { orderId: 'o9' } }), // same order
      ev('view', 'dee', 2.7 * H, { itemId: 'b' }),
      ev('view', 'late', 5 * H, { itemId: 'b' }), // after the period
    ];
    const answers = [
      { id: 'r1', createdAt: 0.55 * H, personalized: true },
      { id: 'r2', createdAt: 0.56 * H, personalized: false },
      { id: 'r3', createdAt: 2.1 * H, personalized: true },
    ];
    const o = overview({ events, answers, from, to, bucketMs: H, price });
    expect(o.series.t).toEqual([0, H, 2 * H, 3 * H]);
    expect(o.series.events).toEqual([4, 0, 3, 0]);
    expect(o.series.eventsPerMinute).toEqual([0.07, 0, 0.05, 0]);
    expect(o.series.activePeople).toEqual([1, 0, 2, 0]);
    expect(o.series.revenue).toEqual([10, 0, 50, 0]);
    expect(o.series.orders).toEqual([1, 0, 1, 0]);
    expect(o.series.conversion).toEqual([1, null, 0.5, null]);
    expect(o.series.clickThrough).toEqual([0.5, null, 0, null]);
    expect(o.series.personalizedShare).toEqual([0.5, null, 1, null]);
    expect(o.totals).toEqual({
      events: 7,
      activePeople: 3,
      answers: 3,
      clickThrough: 1 / 3,
      conversion: 2 / 3,
      revenue: 60,
      orders: 2,
      averageOrderValue: 30,
      personalizedShare: 2 / 3,
    });
  });

  it('leaves rates empty (null), not zero, when nothing happened', () => {
    const o = overview({ events: [], answers: [], from, to, bucketMs: H, price });
    expect(o.totals).toMatchObject({ events: 0, clickThrough: null, conversion: null, averageOrderValue: null, personalizedShare: null });
  });

  it('sums each item’s activity from the period start', () => {
    const p = itemPerformance(
      [
        ev('view', 'x', 10, { itemId: 'a' }),
        ev('purchase', 'x', 20, { itemId: 'a' }),
        ev('purchase', 'x', 30, { itemId: 'b', value: 5 }),
        ev('view', 'x', 1, { itemId: 'b' }),
      ],
      5,
      price,
    );
    expect(p.get('a')).toEqual({ views: 1, clicks: 0, addToCarts: 0, purchases: 1, revenue: 10 });
    expect(p.get('b')).toEqual({ views: 0, clicks: 0, addToCarts: 0, purchases: 1, revenue: 5 });
  });
});

describe('GET /v1/insights/*', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await makeTestApp();
  });
  afterEach(async () => t.close());
  const get = (url: string, headers: Record<string, string> = AUTH) => t.app.inject({ method: 'GET', url, headers });

  it('reports what the shop did through the API, and each item’s performance, best earners first', async () => {
    await t.app.inject({ method: 'PUT', url: '/v1/items', headers: AUTH, payload: items(4) });
    const now = t.clock();
    const events = [
      { type: 'view', userId: 'ana', itemId: 'i1', timestamp: new Date(now - 2 * H).toISOString() },
      { type: 'purchase', userId: 'ana', itemId: 'i1', timestamp: new Date(now - H).toISOString() },
      { type: 'purchase', userId: 'bo', itemId: 'i3', value: 99, timestamp: new Date(now - H).toISOString() },
      { type: 'view', userId: 'cy', itemId: 'i2', timestamp: new Date(now - 3 * 24 * H).toISOString() },
    ];
    expect((await t.app.inject({ method: 'POST', url: '/v1/events', headers: AUTH, payload: events })).json().accepted).toBe(4);
    const rec = await get('/v1/recommendations?userId=ana&n=3');
    expect(rec.statusCode, rec.body).toBe(200);
    await t.engine.recLog.flush();

    const r = await get('/v1/insights/overview?period=24h');
    expect(r.statusCode, r.body).toBe(200);
    const o = r.json();
    expect(o.period).toBe('24h');
    expect(o.series.t).toHaveLength(48);
    expect(o.totals).toMatchObject({ events: 3, activePeople: 2, revenue: 11 + 99, orders: 2, conversion: 1, answers: 1, personalizedShare: 1 });
    const week = (await get('/v1/insights/overview?period=7d')).json();
    expect(week.totals.events).toBe(4);

    const list = (await get('/v1/insights/items?period=7d')).json();
    expect(list.total).toBe(4);
    expect(list.items.map((i: { id: string }) => i.id)).toEqual(['i3', 'i1', 'i2', 'i0']);
    expect(list.items[1]).toMatchObject({ title: 'Item 1', price: 11, performance: { views: 1, purchases: 1, revenue: 11 } });
    expect((await get('/v1/insights/items?q=item%202')).json().items.map((i: { id: string }) => i.id)).toEqual(['i2']);
  });

  it('refuses a public key and names a bad period', async () => {
    const key = await t.app.inject({ method: 'POST', url: '/v1/keys', headers: AUTH, payload: { scope: 'public' } });
    const pub = { authorization: `Bearer ${key.json().key}` };
    expect((await get('/v1/insights/overview', pub)).statusCode).toBe(403);
    expect((await get('/v1/insights/items', pub)).statusCode).toBe(403);
    const bad = await get('/v1/insights/overview?period=2y');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('period');
    expect((await get('/v1/insights/items?limit=0')).json().error.field).toBe('limit');
  });
});
