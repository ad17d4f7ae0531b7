import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/domain/schemas.ts';
import { NUDGE_COLLECTION } from '../../src/nudge/index.ts';
import { DAY, plantedShop } from '../predict/planted-shop.ts';
import { type NudgeApp, nudgeApp } from './app.ts';

const HOUR = 3_600_000;
/** Thursday 15 January 2026, noon UTC. */
const THU_NOON = Date.UTC(2026, 0, 15, 12);
/** 20:30 in UTC is outside the quiet hours (21 → 8); in Madrid it is 21:30, inside them. */
const QUIET_ZONE = 'Europe/Madrid';

const ITEMS = [
  ...Array.from({ length: 6 }, (_, i) => ({ id: `c${i}`, title: `Coffee ${i}`, categories: ['coffee'], price: 10 + i, currency: 'EUR' })),
  { id: 'lamp', title: 'Desk lamp', categories: ['home'], price: 50, currency: 'EUR' },
  { id: 'kettle', title: 'Kettle', categories: ['home'], price: 40, currency: 'EUR' },
  { id: 'boots', title: 'Boots', categories: ['shoes'], price: 80, currency: 'EUR', available: false },
];

type Ev = Record<string, unknown>;
interface Case {
  /** The person's own events (timestamps in ms). */
  events(u: string): Ev[];
  /** Workspace-level steps before the people's events (a first evaluation, a catalogue change…). */
  before?(t: NudgeApp): Promise<void>;
  after?(t: NudgeApp): Promise<void>;
  params?: Record<string, unknown>;
  /** When the nudge should fire (at 20:30 UTC, so the Madrid person is in quiet hours). */
  fireAt: number;
}

const ROLES = ['ok', 'noconsent', 'quiet', 'capped', 'gone'] as const;

/**
 * One trigger against five people with the same signal: the one who should get it, one without
 * marketing consent, one whose clock is in quiet hours, one who already had a chat nudge an hour ago
 * (the cap is 1 a day), and one erased whose events came back into the store behind ingest's back
 * (an import): only the first is nudged, each of the others is counted under its guard.
 */
async function checkTrigger(t: NudgeApp, trigger: string, c: Case, prefix = trigger) {
  const u = Object.fromEntries(ROLES.map((r) => [r, `${prefix}-${r}`])) as Record<(typeof ROLES)[number], string>;
  const put = await t.call('PUT', '/v1/nudges/triggers', { triggers: { [trigger]: { enabled: true, holdout: 0, ...c.params } } });
  expect(put.status).toBe(200);
  await c.before?.(t);
  for (const r of ROLES) {
    if (r !== 'noconsent') expect((await t.call('PUT', `/v1/users/${u[r]}/consent`, { marketing: true })).status).toBe(200);
    expect((await t.call('PUT', `/v1/users/${u[r]}`, { traits: { timeZone: r === 'quiet' ? QUIET_ZONE : 'UTC' } })).status).toBe(200);
    const evs = c.events(u[r]).map((e) => ({ userId: u[r], ...e }));
    const res = await t.call('POST', '/v1/events', evs);
    expect(res.body.accepted, JSON.stringify(res.body)).toBe(evs.length);
  }
  await c.after?.(t);
  const goneEvents = await t.engine.store.eventsOf('default', u.gone);
  expect((await t.call('DELETE', `/v1/users/${u.gone}`)).status).toBe(204);
  await t.engine.store.insertEvents(
    'default',
    goneEvents.map((e: StoredEvent) => ({ ...e, messageId: `${e.messageId}-again` })),
  );
  t.clock.set(c.fireAt);
  await t.engine.store.putDocs('default', [
    {
      collection: NUDGE_COLLECTION,
      id: `ndg_prior_${prefix}`,
      subject: u.capped,
      createdAt: c.fireAt - HOUR,
      body: { userId: u.capped, trigger: 'abandoned_cart', key: 'x', channel: 'chat', status: 'waiting', updatedAt: c.fireAt - HOUR, deliveries: [] },
    },
  ]);

  const run = await t.call('POST', '/v1/nudges/run', {});
  expect(run.status).toBe(200);
  const mine = run.body.fired.filter((f: { userId: string }) => f.userId.startsWith(`${prefix}-`));
  expect(mine.map((f: { userId: string; trigger: string }) => [f.userId, f.trigger])).toEqual([[u.ok, trigger]]);
  expect(run.body.suppressed.consent).toBeGreaterThanOrEqual(1);
  expect(run.body.suppressed.quietHours).toBeGreaterThanOrEqual(1);
  expect(run.body.suppressed.cap).toBeGreaterThanOrEqual(1);
  expect(run.body.suppressed.erased).toBeGreaterThanOrEqual(1);

  const listed = await t.call('GET', `/v1/users/${u.ok}/nudges`);
  expect(listed.status).toBe(200);
  const [n] = listed.body.nudges;
  expect(n).toMatchObject({ trigger, channel: 'chat', status: 'waiting' });
  expect(n.signal.kind).toBe(trigger);
  expect(n.signal.text.length).toBeGreaterThan(10);
  expect(n.message.length).toBeGreaterThan(5);
  // The assistant opens the person's next conversation with it.
  const session = await t.call('GET', `/v1/chat/${n.sessionId}`);
  expect(session.status).toBe(200);
  expect(session.body.turns[0]).toMatchObject({ role: 'assistant', text: n.message });
  for (const r of ['noconsent', 'quiet', 'gone'] as const) expect((await t.call('GET', `/v1/users/${u[r]}/nudges`)).body.nudges).toEqual([]);

  // A signal fires once: the next minute's run leaves it alone.
  const again = await t.call('POST', '/v1/nudges/run', {});
  expect(again.body.fired.filter((f: { userId: string }) => f.userId === u.ok)).toEqual([]);
  return n;
}

describe('each trigger fires for the person it is built for, and each guard stops it', () => {
  let t: NudgeApp;
  afterEach(async () => t?.close());
  const fresh = async () => {
    t = await nudgeApp(THU_NOON);
    expect((await t.call('PUT', '/v1/items', ITEMS)).status).toBe(200);
    return t;
  };
  const evening = THU_NOON + 8.5 * HOUR;

  it('abandoned cart: an item added 8 hours ago and not bought (after 4 hours)', async () => {
    const n = await checkTrigger(await fresh(), 'abandoned_cart', {
      params: { afterHours: 4 },
      events: () => [{ type: 'add_to_cart', itemId: 'lamp', timestamp: THU_NOON }],
      fireAt: evening,
    });
    expect(n.items.map((i: { id: string }) => i.id)).toEqual(['lamp']);
    expect(n.message).toMatch(/Desk lamp/);
  });

  it('abandoned cart: not before the hours set, and not once bought', async () => {
    const t = await fresh();
    await t.call('PUT', '/v1/nudges/triggers', { triggers: { abandoned_cart: { enabled: true, holdout: 0, afterHours: 6 } } });
    for (const u of ['early', 'bought']) await t.call('PUT', `/v1/users/${u}/consent`, { marketing: true });
    await t.call('POST', '/v1/events', [
      { type: 'add_to_cart', userId: 'early', itemId: 'lamp', timestamp: THU_NOON },
      { type: 'add_to_cart', userId: 'bought', itemId: 'lamp', timestamp: THU_NOON - 20 * HOUR },
      { type: 'purchase', userId: 'bought', itemId: 'lamp', timestamp: THU_NOON - 19 * HOUR },
    ]);
    t.clock.set(THU_NOON + 5 * HOUR);
    expect((await t.call('POST', '/v1/nudges/run', {})).body.fired).toEqual([]);
    t.clock.set(THU_NOON + 6.5 * HOUR);
    expect((await t.call('POST', '/v1/nudges/run', {})).body.fired.map((f: { userId: string }) => f.userId)).toEqual(['early']);
  });

  it('price drop on an item viewed before it', async () => {
    const n = await checkTrigger(await fresh(), 'price_drop', {
      events: () => [{ type: 'view', itemId: 'kettle', timestamp: THU_NOON - HOUR }],
      after: async (t) => void expect((await t.call('PUT', '/v1/items', [{ ...ITEMS[7], price: 30 }])).status).toBe(200),
      fireAt: evening,
    });
    expect(n.signal.detail).toMatchObject({ itemId: 'kettle', oldPrice: 40, newPrice: 30 });
    expect(n.message).toMatch(/30/);
  });

  it('back in stock on an item viewed while it was out', async () => {
    const n = await checkTrigger(await fresh(), 'back_in_stock', {
      events: () => [{ type: 'view', itemId: 'boots', timestamp: THU_NOON - HOUR }],
      after: async (t) => void expect((await t.call('PUT', '/v1/items', [{ ...ITEMS[8], available: true }])).status).toBe(200),
      fireAt: evening,
    });
    expect(n.items.map((i: { id: string }) => i.id)).toEqual(['boots']);
  });

  it('a new item in a category the person clearly prefers', async () => {
    const n = await checkTrigger(await fresh(), 'new_item_match', {
      // The first evaluation learns the catalogue as it is; only items added after it are new.
      before: async (t) => void expect((await t.call('POST', '/v1/nudges/run', {})).status).toBe(200),
      events: () => [0, 1, 2, 3, 4].map((i) => ({ type: 'view', itemId: `c${i}`, timestamp: THU_NOON - (i + 1) * HOUR })),
      after: async (t) =>
        void expect((await t.call('PUT', '/v1/items', [{ id: 'grinder', title: 'Coffee grinder', categories: ['coffee'], price: 60 }])).status).toBe(200),
      fireAt: evening,
    });
    expect(n.items.map((i: { id: string }) => i.id)).toEqual(['grinder']);
    expect(n.signal.detail).toMatchObject({ category: 'coffee', events: 5 });
  });

  it('a reminder asked for in the chat, in Spanish ("recuérdamelo el viernes"), due Friday', async () => {
    const n = await checkTrigger(await fresh(), 'reminder', {
      params: { hour: 10 },
      events: () => [
        { type: 'view', itemId: 'lamp', timestamp: THU_NOON - HOUR },
        { type: 'chat', query: 'vale, recuérdamelo el viernes', timestamp: THU_NOON },
      ],
      fireAt: THU_NOON + DAY + 8.5 * HOUR,
    });
    expect(n.signal.detail.dueAt).toBe(new Date(Date.UTC(2026, 0, 16, 10)).toISOString());
    expect(n.items.map((i: { id: string }) => i.id)).toEqual(['lamp']);
  });
});

describe('the two triggers built on predictions', () => {
  const shop = plantedShop(5, 120, 100);
  let t: NudgeApp;
  /** 20:30 UTC on the shop's last day. */
  const fireAt = Math.floor(shop.now / DAY) * DAY + 20.5 * HOUR;

  beforeAll(async () => {
    t = await nudgeApp(fireAt);
    const items = [...new Map(shop.events.map((e) => [e.item, { id: e.item, title: e.item, categories: [e.category], price: e.value ?? 20 }])).values()];
    expect((await t.call('PUT', '/v1/items', items)).status).toBe(200);
    const events = shop.events.map((e) => ({
      type: e.type,
      userId: e.person,
      itemId: e.item,
      timestamp: e.time,
      ...(e.value === null ? {} : { value: e.value }),
    }));
    for (let k = 0; k < events.length; k += 1000) expect((await t.call('POST', '/v1/events', events.slice(k, k + 1000))).status).toBe(200);
  }, 180_000);
  afterAll(async () => t?.close());

  /** The planted person whose figure qualifies, their events to copy onto the five test people. */
  async function personWhere(test: (p: any) => boolean, among: Iterable<string>): Promise<Ev[]> {
    for (const p of among) {
      const r = await t.call('GET', `/v1/users/${p}/predictions`);
      if (r.status === 200 && test(r.body))
        return shop.events
          .filter((e) => e.person === p)
          .map((e) => ({ type: e.type, itemId: e.item, timestamp: e.time, ...(e.value === null ? {} : { value: e.value }) }));
    }
    throw new Error('no planted person qualifies');
  }

  it('replenishment: a coffee buyer whose next purchase is due within the lead days', async () => {
    const events = await personWhere((b) => b.nextPurchases.some((n: any) => n.category === 'coffee' && n.daysUntil <= 2), shop.coffee);
    const n = await checkTrigger(t, 'replenishment', { params: { leadDays: 2 }, events: () => events, fireAt });
    expect(n.signal.detail.category).toBe('coffee');
    expect(n.message).toMatch(/coffee/);
  }, 120_000);

  it('churn risk above the threshold', async () => {
    const events = await personWhere((b) => b.churn.probability >= 0.5, shop.unhappy);
    const n = await checkTrigger(t, 'churn_risk', { params: { threshold: 0.5 }, events: () => events, fireAt }, 'churn');
    expect(n.signal.detail.probability).toBeGreaterThanOrEqual(0.5);
  }, 120_000);
});
