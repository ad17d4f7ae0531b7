import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTH, items, makeTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeEach(async () => (t = await makeTestApp()));
afterEach(async () => t.close());

const post = (url: string, payload: unknown) => t.app.inject({ method: 'POST', url, payload: payload as object, headers: AUTH });
const put = (url: string, payload: unknown) => t.app.inject({ method: 'PUT', url, payload: payload as object, headers: AUTH });
const get = (url: string) => t.app.inject({ method: 'GET', url, headers: AUTH });
const recs = async (q: string) => {
  const r = await get(`/v1/recommendations?${q}`);
  expect(r.statusCode, r.body).toBe(200);
  return r.json() as { recommendationId: string; personalized: boolean; model: string; items: Array<{ id: string; score: number; reasons: string[] }> };
};

/**
 * Two taste groups: "even" people view i0, i2, i4 and buy i6; "odd" people view i1, i3, i5 and buy i7.
 * i8 and i9 are popular with everyone (trending).
 */
async function seedShop() {
  await put('/v1/items', items(12));
  const evs: object[] = [];
  const day = 86_400_000;
  for (let u = 0; u < 10; u++) {
    const even = u % 2 === 0;
    const base = even ? 0 : 1;
    for (const k of [0, 2, 4]) evs.push({ type: 'view', userId: `u${u}`, itemId: `i${base + k}`, timestamp: t.clock() - 3 * day });
    evs.push({ type: 'purchase', userId: `u${u}`, itemId: `i${base + 6}`, timestamp: t.clock() - 2 * day });
    evs.push({ type: 'view', userId: `u${u}`, itemId: 'i8', timestamp: t.clock() - day });
    evs.push({ type: 'view', userId: `u${u}`, itemId: 'i9', timestamp: t.clock() - day });
  }
  expect((await post('/v1/events', evs)).json().accepted).toBe(evs.length);
}

describe('GET /v1/recommendations', () => {
  it('answers the contract shape, with reasons and a recommendationId', async () => {
    await seedShop();
    const r = await recs('userId=u0&n=3');
    expect(r.recommendationId).toMatch(/^rec_/);
    expect(r.items).toHaveLength(3);
    for (const it of r.items) {
      expect(typeof it.score).toBe('number');
      expect(it.reasons.length).toBeGreaterThan(0);
    }
  });

  it('gives every answer its own id of 12 random bytes, past the first few hundred', async () => {
    await put('/v1/items', items(3));
    const ids = new Set<string>();
    for (let k = 0; k < 300; k++) {
      const id = (await recs('n=1')).recommendationId;
      expect(id).toMatch(/^rec_[A-Za-z0-9_-]{16}$/);
      ids.add(id);
    }
    expect(ids.size).toBe(300);
  });

  it("recommends within the person's taste and never what they bought", async () => {
    await seedShop();
    await post('/v1/events', [
      { type: 'view', userId: 'new-even', itemId: 'i0' },
      { type: 'view', userId: 'new-even', itemId: 'i2' },
    ]);
    const r = await recs('userId=new-even&n=3');
    expect(r.personalized).toBe(true);
    expect(r.items[0].id).toBe('i6');
    expect(r.items[0].reasons[0]).toMatch(/^Because you viewed Item [02]$/);
    const buyer = await recs('userId=u0&n=12');
    expect(buyer.items.map((i) => i.id)).not.toContain('i6');
    const replenish = await recs('userId=u0&n=12&includePurchased=true');
    expect(replenish.items.map((i) => i.id)).toContain('i6');
  });

  it('a new event changes the next answer without retraining', async () => {
    await seedShop();
    await post('/v1/train', {});
    await post('/v1/events', [{ type: 'view', userId: 'fresh', itemId: 'i1' }]);
    const before = await recs('userId=fresh&n=1');
    expect(before.items[0].id).not.toBe('i6');
    await post('/v1/events', [
      { type: 'view', userId: 'fresh', itemId: 'i0' },
      { type: 'view', userId: 'fresh', itemId: 'i2' },
      { type: 'view', userId: 'fresh', itemId: 'i4' },
    ]);
    const after = await recs('userId=fresh&n=1');
    expect(after.items[0].id).toBe('i6');
  });

  it('gives a person with no history the trending items, not personalised', async () => {
    await seedShop();
    // Trending weighs purchases above views: make i8 and i9 clearly the hottest.
    const crowd = Array.from({ length: 40 }, (_, k) => ({ type: 'view', userId: `crowd${k}`, itemId: k % 2 ? 'i8' : 'i9' }));
    await post('/v1/events', crowd);
    const r = await recs('userId=stranger&n=2');
    expect(r.personalized).toBe(false);
    expect(r.model).toBe('trending');
    expect(r.items.map((i) => i.id).sort()).toEqual(['i8', 'i9']);
    expect(r.items[0].reasons[0]).toMatch(/^Trending/);
  });

  it('never returns an unavailable or deleted item, and honours every filter', async () => {
    await seedShop();
    await put('/v1/items', [{ id: 'i8', title: 'Item 8', available: false, categories: ['even'], price: 18 }]);
    await t.app.inject({ method: 'DELETE', url: '/v1/items/i9', headers: AUTH });
    const all = await recs('userId=u1&n=20');
    const ids = all.items.map((i) => i.id);
    expect(ids).not.toContain('i8');
    expect(ids).not.toContain('i9');
    const filtered = await recs('userId=u1&n=20&category=odd&minPrice=12&maxPrice=17&exclude=i3');
    expect(filtered.items.length).toBeGreaterThan(0);
    for (const it of filtered.items) {
      const n = Number(it.id.slice(1));
      expect(n % 2).toBe(1);
      expect(10 + n).toBeGreaterThanOrEqual(12);
      expect(10 + n).toBeLessThanOrEqual(17);
      expect(it.id).not.toBe('i3');
    }
    expect(filtered.items.some((i) => i.reasons.some((r) => r.startsWith('Matches: odd')))).toBe(true);
    const unseen = await recs('userId=u1&n=20&excludeSeen=true');
    for (const id of ['i1', 'i3', 'i5', 'i7']) expect(unseen.items.map((i) => i.id)).not.toContain(id);
  });

  it('on an item page, the item in view drives the answer and is not repeated', async () => {
    await seedShop();
    const r = await recs('userId=stranger&context=item&itemId=i1&n=3');
    expect(r.items.map((i) => i.id)).not.toContain('i1');
    expect(['i3', 'i5', 'i7']).toContain(r.items[0].id);
  });

  it('answers non-personalised when the person withdrew consent to personalization', async () => {
    await seedShop();
    await put('/v1/users/u0/consent', { personalization: false });
    const r = await recs('userId=u0&n=3');
    expect(r.personalized).toBe(false);
    expect(r.items.every((i) => !i.reasons.some((x) => x.startsWith('Because you')))).toBe(true);
  });

  it('logs each answer under its recommendationId', async () => {
    await seedShop();
    const r = await recs('userId=u0&n=2');
    await t.engine.recLog.flush();
    const doc = await t.engine.store.getDoc('default', 'recommendation', r.recommendationId);
    expect(doc?.subject).toBe('u0');
    // The compact form: one row per item, its id first (reasons and evidence by reference).
    expect(((doc?.body.i ?? []) as Array<[string]>).map((row) => row[0])).toEqual(r.items.map((i) => i.id));
  });

  it('works on an empty shop and a shop with items but no events', async () => {
    expect((await recs('userId=x&n=3')).items).toEqual([]);
    await put('/v1/items', items(3));
    const r = await recs('userId=x&n=3');
    expect(r.items).toHaveLength(3);
    expect(r.model).toBe('catalog');
  });

  it.each([
    ['n=zero', 'n'],
    ['n=0', 'n'],
    ['n=101', 'n'],
    ['context=garage', 'context'],
    ['maxPrice=-1', 'maxPrice'],
    ['excludeSeen=maybe', 'excludeSeen'],
    ['colour=red', 'colour'],
    ['model=magic', 'model'],
    ['minPrice=50&maxPrice=10', 'minPrice'],
  ])('rejects %s naming the field', async (q, field) => {
    const r = await get(`/v1/recommendations?userId=u&${q}`);
    expect(r.statusCode).toBe(400);
    expect(r.json().error.field).toBe(field);
  });
});

describe('similar items and training', () => {
  it('GET /v1/items/:id/similar answers co-engaged items first, then same-category fill', async () => {
    await seedShop();
    const r = (await get('/v1/items/i0/similar?n=5')).json();
    const ids = r.items.map((i: { id: string }) => i.id);
    expect(ids).not.toContain('i0');
    expect(['i2', 'i4', 'i6']).toContain(ids[0]);
    expect(r.items[0].reasons[0]).toMatch(/^Often chosen together with Item 0/);
    expect((await get('/v1/items/nope/similar')).statusCode).toBe(404);
  });

  it('POST /v1/train trains, stores and reports the models', async () => {
    await seedShop();
    const r = await post('/v1/train', {});
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.model).toContain('cooccurrence');
    expect(typeof body.seconds).toBe('number');
    expect(new Date(body.trainedAt).getTime()).toBe(t.clock());
    const models = (await get('/v1/models'))
      .json()
      .models.map((m: { name: string }) => m.name)
      .sort();
    expect(models).toEqual(['cooccurrence', 'hybrid', 'popularity', 'trending']);
    expect((await post('/v1/train', { model: 'nope' })).json().error.field).toBe('model');
  });

  it('a trained model is reloaded from the store after a restart', async () => {
    await seedShop();
    await post('/v1/train', {});
    t = await t.restart();
    const stored = await t.engine.state.model('default', 'cooccurrence');
    expect(stored?.info.interactions).toBe(60);
  });
});

describe('GET /v1/recommendations/:id/why', () => {
  it('returns the evidence behind each item: the event, the scores, the rules', async () => {
    await seedShop();
    await post('/v1/events', [{ type: 'view', userId: 'w', itemId: 'i0' }]);
    const r = await recs('userId=w&n=3&maxPrice=30');
    const why = (await get(`/v1/recommendations/${r.recommendationId}/why`)).json();
    expect(why.userId).toBe('w');
    expect(why.items.map((i: { id: string }) => i.id)).toEqual(r.items.map((i) => i.id));
    const first = why.items[0];
    expect(first.evidence.basedOn).toMatchObject({ itemId: 'i0', title: 'Item 0', event: { type: 'view' } });
    expect(first.evidence.personalScore).toBeGreaterThan(0);
    expect(why.rules).toContain('price ≤ 30');
    expect(why.rules).toContain('only available items');
    expect((await get('/v1/recommendations/rec_missing/why')).statusCode).toBe(404);
  });
});

describe('ranking settings', () => {
  it('pins, buries and filters by attribute through PUT /v1/settings/ranking, and the answer explains them', async () => {
    await seedShop();
    await put('/v1/items', [
      { id: 'i10', title: 'Item 10', categories: ['even'], price: 20, attributes: { brand: 'Acme' } },
      { id: 'i11', title: 'Item 11', categories: ['odd'], price: 21, attributes: { brand: 'Acme' } },
    ]);
    const r = await put('/v1/settings/ranking', {
      rules: [
        { kind: 'pin', itemId: 'i11', position: 1, name: 'spring promo' },
        { kind: 'bury', match: { itemIds: ['i6'] } },
      ],
    });
    expect(r.statusCode).toBe(200);
    const a = await recs('userId=u0&n=5');
    expect(a.items[0].id).toBe('i11');
    expect(a.items[0].reasons).toContain('Featured');
    const why = (await get(`/v1/recommendations/${a.recommendationId}/why`)).json();
    expect(why.rules).toContain('rule: spring promo');
    await put('/v1/settings/ranking', { rules: [{ kind: 'filter', match: { attribute: { key: 'brand', value: 'acme' } } }] });
    const b = await recs('userId=u0&n=5');
    expect(b.items.map((i) => i.id).sort()).toEqual(['i10', 'i11']);
    const bad = await put('/v1/settings/ranking', { rules: [{ kind: 'boost', match: {}, factor: 2 }] });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.field).toMatch(/^rules\[0\]\.match/);
  });

  it('keeps a page from being all one category', async () => {
    await put(
      '/v1/items',
      Array.from({ length: 12 }, (_, i) => ({ id: `s${i}`, title: `Shoe ${i}`, categories: [i < 8 ? 'shoes' : 'socks'], price: 10 })),
    );
    const evs = Array.from({ length: 8 }, (_, i) => ({ type: 'view', userId: `v${i}`, itemId: `s${i}` }));
    await post('/v1/events', evs);
    const r = await recs('userId=nobody&n=4');
    const shoes = r.items.filter((i) => Number(i.id.slice(1)) < 8).length;
    expect(shoes).toBe(2);
  });
});

describe('a shop with nothing to learn from yet', () => {
  it('answers recommendations (not 500) when the only events are chat and searches, and trains what it can', async () => {
    await put('/v1/items', items(4));
    await post('/v1/events', [
      { type: 'chat', userId: 'c1', query: 'hello' },
      { type: 'search', userId: 'c1', query: 'shoes' },
    ]);
    const r = await recs('userId=c1&n=3');
    expect(r.items).toHaveLength(3);
    expect(r.personalized).toBe(false);
    const trained = await post('/v1/train', {});
    expect(trained.statusCode).toBe(200);
    expect(trained.json().models.map((m: { name: string }) => m.name)).not.toContain('hybrid');
  });
});
