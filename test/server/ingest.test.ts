import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTH, items, makeTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeEach(async () => (t = await makeTestApp()));
afterEach(async () => t.close());

const post = (url: string, payload: unknown, headers = AUTH) => t.app.inject({ method: 'POST', url, payload: payload as object, headers });
const put = (url: string, payload: unknown, headers = AUTH) => t.app.inject({ method: 'PUT', url, payload: payload as object, headers });
const get = (url: string, headers = AUTH) => t.app.inject({ method: 'GET', url, headers });

describe('items', () => {
  it('upserts a batch, rejecting bad elements by index while storing the good ones', async () => {
    const r = await put('/v1/items', [...items(3), { id: 'bad' }, { id: 'x', title: 'X', price: -1 }]);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.upserted).toBe(3);
    expect(body.rejected.map((x: { index: number }) => x.index)).toEqual([3, 4]);
    expect(body.rejected[0].field).toBe('[3].title');
    expect(body.rejected[1].field).toBe('[4].price');
    expect((await get('/v1/items/i2')).json().title).toBe('Item 2');
    expect((await get('/v1/items/bad')).statusCode).toBe(404);
  });

  it('updates and deletes items', async () => {
    await put('/v1/items', items(2));
    await put('/v1/items', [{ id: 'i1', title: 'Renamed', available: false }]);
    const it1 = (await get('/v1/items/i1')).json();
    expect(it1.title).toBe('Renamed');
    expect(it1.available).toBe(false);
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/items/i0', headers: AUTH })).statusCode).toBe(204);
    expect((await get('/v1/items/i0')).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: '/v1/items/i0', headers: AUTH })).statusCode).toBe(404);
  });

  it('refuses unknown fields and batches over 1,000', async () => {
    const r = await put('/v1/items', [{ id: 'a', title: 'A', secret: 1 }]);
    expect(r.json().rejected[0].field).toBe('[0].secret');
    const big = await put('/v1/items', items(1001));
    expect(big.statusCode).toBe(413);
    expect(big.json().error).toMatchObject({ code: 'batch_too_large', field: 'body' });
  });
});

describe('events', () => {
  it('stores good events, rejects bad ones by index, and counts repeated messageIds as duplicates', async () => {
    await put('/v1/items', items(4));
    const evs = [
      { messageId: 'm1', type: 'view', userId: 'u1', itemId: 'i1' },
      { messageId: 'm2', type: 'purchase', userId: 'u1', itemId: 'i2' },
      { messageId: 'm3', type: 'view', userId: 'u1' },
      { messageId: 'm4', type: 'teleport', userId: 'u1', itemId: 'i1' },
      { messageId: 'm5', type: 'view', itemId: 'i1' },
      { messageId: 'm1', type: 'view', userId: 'u1', itemId: 'i1' },
    ];
    const r = (await post('/v1/events', evs)).json();
    expect(r.accepted).toBe(2);
    expect(r.duplicates).toBe(1);
    expect(r.rejected.map((x: { index: number; field: string }) => [x.index, x.field])).toEqual([
      [2, '[2].itemId'],
      [3, '[3].type'],
      [4, '[4].userId'],
    ]);
    const again = (await post('/v1/events', evs.slice(0, 2))).json();
    expect(again).toMatchObject({ accepted: 0, duplicates: 2 });
    expect(await t.engine.store.countEvents('default')).toBe(2);
  });

  it('keeps duplicates out across a restart', async () => {
    await post('/v1/events', [{ messageId: 'keep', type: 'search', userId: 'u', query: 'shoes' }]);
    t = await t.restart();
    const r = (await post('/v1/events', [{ messageId: 'keep', type: 'search', userId: 'u', query: 'shoes' }])).json();
    expect(r).toMatchObject({ accepted: 0, duplicates: 1 });
  });

  it('refuses timestamps far in the future and a body that is not a list of objects', async () => {
    const r = (await post('/v1/events', [{ type: 'view', userId: 'u', itemId: 'i', timestamp: t.clock() + 3 * 86_400_000 }])).json();
    expect(r.rejected[0].field).toBe('[0].timestamp');
    const bad = await t.app.inject({ method: 'POST', url: '/v1/events', payload: '"nope"', headers: { ...AUTH, 'content-type': 'application/json' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toBe('body');
  });

  it('merges an anonymous history into the user on alias, and routes later anonymous events to them', async () => {
    await put('/v1/items', items(4));
    await post('/v1/events', [
      { messageId: 'a1', type: 'view', anonymousId: 'anon-1', itemId: 'i1' },
      { messageId: 'a2', type: 'add_to_cart', anonymousId: 'anon-1', itemId: 'i3' },
    ]);
    const alias = await post('/v1/alias', { anonymousId: 'anon-1', userId: 'ana' });
    expect(alias.statusCode).toBe(200);
    expect(alias.json().merged).toBe(2);
    await post('/v1/events', [{ messageId: 'a3', type: 'view', anonymousId: 'anon-1', itemId: 'i2' }]);
    const events = await t.engine.store.eventsOf('default', 'ana');
    expect(events.map((e) => e.messageId)).toEqual(['a1', 'a2', 'a3']);
    const profile = (await get('/v1/users/ana/profile')).json();
    expect(profile.features.events.view.count).toBe(2);
    expect(profile.funnelStage).toBe('considering');
  });

  it('an event carrying both ids identifies the visitor', async () => {
    await post('/v1/events', [{ messageId: 'b1', type: 'view', anonymousId: 'anon-2', itemId: 'i1' }]);
    await post('/v1/events', [{ messageId: 'b2', type: 'view', anonymousId: 'anon-2', userId: 'bo', itemId: 'i2' }]);
    expect((await t.engine.store.eventsOf('default', 'bo')).map((e) => e.messageId)).toEqual(['b1', 'b2']);
  });
});

describe('users and profiles', () => {
  it('merges traits and reports the real-time profile', async () => {
    await put('/v1/items', items(6));
    await put('/v1/users/u1', { traits: { name: 'Ana', language: 'es' } });
    const u = (await put('/v1/users/u1', { traits: { role: 'buyer' } })).json();
    expect(u.traits).toEqual({ name: 'Ana', language: 'es', role: 'buyer' });
    await post('/v1/events', [
      { type: 'view', userId: 'u1', itemId: 'i1', channel: 'web' },
      { type: 'purchase', userId: 'u1', itemId: 'i3', channel: 'store' },
    ]);
    const p = (await get('/v1/users/u1/profile')).json();
    expect(p.language).toBe('es');
    expect(p.funnelStage).toBe('customer');
    expect(p.affinities.categories[0].name).toBe('odd');
    expect(p.channels).toEqual({ web: 1, store: 1 });
    expect(p.segments).toContain('stage:customer');
    expect(p.consent.personalization).toBe(true);
  });

  it('rejects bad traits naming the field', async () => {
    const r = await put('/v1/users/u1', { traits: { language: 'fr' } });
    expect(r.statusCode).toBe(400);
    expect(r.json().error.field).toBe('traits.language');
  });
});
