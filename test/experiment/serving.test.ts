import { afterEach, describe, expect, it } from 'vitest';
import { AUTH, items, makeTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
afterEach(async () => t?.close());

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = AUTH) {
  return t.app.inject({ method: method as 'GET', url, headers, ...(body === undefined ? {} : { payload: body as object }) });
}

/** A shop with a few people and purchases, an experiment between two strategies, started. */
async function shopWithExperiment(variants: unknown[], extra: Record<string, unknown> = {}) {
  t = await makeTestApp();
  await call('PUT', '/v1/items', items(30));
  const events = [];
  for (let p = 0; p < 8; p++) for (let k = 0; k < 3; k++) events.push({ type: 'purchase', userId: `buyer${p}`, itemId: `i${(p * 3 + k) % 10}` });
  await call('POST', '/v1/events', events);
  const created = await call('POST', '/v1/experiments', { key: 'exp1', variants, ...extra });
  expect(created.statusCode, created.body).toBe(201);
  expect((await call('POST', '/v1/experiments/exp1/start')).statusCode).toBe(200);
}

describe('serving a variant', () => {
  it("serves each person their variant's strategy, sticky, and logs one exposure per answer", async () => {
    await shopWithExperiment([
      { name: 'control', weight: 1, strategy: 'none' },
      { name: 'pop', weight: 1, strategy: 'popular' },
    ]);
    const seen = new Map<string, string>();
    for (let p = 0; p < 40; p++) {
      const r = (await call('GET', `/v1/recommendations?userId=person${p}&n=5`)).json();
      const v = (await t.engine.experiments.assignmentOf('default', 'exp1', `person${p}`)).variant!;
      seen.set(`person${p}`, v);
      // The answer names the experiment and the variant that chose it.
      expect([r.experiment, r.variant]).toEqual(['exp1', v]);
      if (v === 'control') expect(r.items).toEqual([]);
      else {
        expect(r.items.length).toBe(5);
        expect(r.model).toBe('popularity');
        expect(r.items[0].reasons).toEqual(['Popular in the shop']);
      }
    }
    expect(new Set(seen.values())).toEqual(new Set(['control', 'pop']));
    // Sticky: a second answer gives the same variant, and each answer is one exposure.
    for (let p = 0; p < 5; p++) await call('GET', `/v1/recommendations?userId=person${p}&n=5`);
    await t.engine.experiments.log.flush();
    const exposures = await t.engine.store.listDocs('default', 'exposure', { limit: 1000 });
    expect(exposures).toHaveLength(45);
    for (const d of exposures) expect(d.body.variant).toBe(seen.get(String(d.body.person)));
    expect(exposures.every((d) => d.body.propensity === 0.5)).toBe(true);
  });

  it('leaves out a person without personalization consent: not assigned, the default answer', async () => {
    await shopWithExperiment([
      { name: 'a', weight: 1, strategy: 'none' },
      { name: 'b', weight: 1, strategy: 'none' },
    ]);
    await call('PUT', '/v1/users/olga/consent', { personalization: false });
    const r = (await call('GET', '/v1/recommendations?userId=olga')).json();
    expect(r.items.length).toBeGreaterThan(0); // the default (non-personalised) path, not the holdout's empty page
    expect((await t.engine.experiments.assignmentOf('default', 'exp1', 'olga')).variant).toBeNull();
  });

  it("keeps a visitor's variant once they sign in", async () => {
    await shopWithExperiment([
      { name: 'a', weight: 1, strategy: 'none' },
      { name: 'b', weight: 1, strategy: 'popular' },
    ]);
    // Visitors whose own hash would put them elsewhere as users: find one.
    const { assignVariant } = await import('../../src/experiment/assignment.ts');
    const variants = [
      { name: 'a', weight: 1 },
      { name: 'b', weight: 1 },
    ];
    let k = 0;
    while (assignVariant('exp1', `anon:v${k}`, variants).name === assignVariant('exp1', `user${k}`, variants).name) k++;
    await call('GET', `/v1/recommendations?anonymousId=v${k}`);
    const asVisitor = (await t.engine.experiments.assignmentOf('default', 'exp1', `anon:v${k}`)).variant;
    await call('POST', '/v1/alias', { anonymousId: `v${k}`, userId: `user${k}` });
    await call('GET', `/v1/recommendations?userId=user${k}`);
    const asUser = await t.engine.experiments.assignmentOf('default', 'exp1', `user${k}`);
    expect(asUser.variant).toBe(asVisitor);
    expect(asUser.from).toBe(`anon:v${k}`);
  });

  it("serves the default path when paused, and refuses a stopped experiment's restart", async () => {
    await shopWithExperiment([
      { name: 'a', weight: 1, strategy: 'none' },
      { name: 'b', weight: 1, strategy: 'none' },
    ]);
    expect((await call('GET', '/v1/recommendations?userId=zoe')).json().items).toEqual([]);
    expect((await call('POST', '/v1/experiments/exp1/pause')).json().status).toBe('paused');
    t.clock.advance(5000); // past the running-experiments cache
    expect((await call('GET', '/v1/recommendations?userId=zoe')).json().items.length).toBeGreaterThan(0);
    expect((await call('POST', '/v1/experiments/exp1/stop')).json().status).toBe('stopped');
    const again = await call('POST', '/v1/experiments/exp1/start');
    expect(again.statusCode).toBe(409);
    expect(again.json().error.field).toBe('status');
  });

  it("lays a personalized variant's ranking settings over the workspace's, for that variant only", async () => {
    const bury = { rules: [{ kind: 'exclude', match: { itemIds: ['i0', 'i1', 'i2', 'i3', 'i4', 'i5', 'i6', 'i7', 'i8', 'i9'] } }] };
    await shopWithExperiment([
      { name: 'plain', weight: 1, strategy: 'personalized' },
      { name: 'ruled', weight: 1, strategy: 'personalized', settings: bury },
    ]);
    let both = 0;
    for (let p = 0; p < 30; p++) {
      const r = (await call('GET', `/v1/recommendations?userId=buyer${p % 8}x${p}&n=10`)).json();
      const v = (await t.engine.experiments.assignmentOf('default', 'exp1', `buyer${p % 8}x${p}`)).variant;
      const bestSellers = r.items.filter((it: { id: string }) => Number(it.id.slice(1)) < 10).length;
      if (v === 'ruled') expect(bestSellers).toBe(0);
      else expect(bestSellers).toBeGreaterThan(0);
      both |= v === 'ruled' ? 1 : 2;
    }
    expect(both).toBe(3);
  });

  it('serves only the contexts the experiment names', async () => {
    await shopWithExperiment(
      [
        { name: 'a', weight: 1, strategy: 'none' },
        { name: 'b', weight: 1, strategy: 'none' },
      ],
      { contexts: ['email'] },
    );
    expect((await call('GET', '/v1/recommendations?userId=zoe&context=home')).json().items.length).toBeGreaterThan(0);
    expect((await call('GET', '/v1/recommendations?userId=zoe&context=email')).json().items).toEqual([]);
  });

  it("puts the global holdout's share aside from every experiment", async () => {
    await shopWithExperiment([
      { name: 'a', weight: 1, strategy: 'popular' },
      { name: 'b', weight: 1, strategy: 'popular' },
    ]);
    expect((await call('PUT', '/v1/settings/experiments', { globalHoldout: 0.5 })).statusCode).toBe(200);
    let held = 0;
    for (let p = 0; p < 60; p++) {
      const r = (await call('GET', `/v1/recommendations?userId=h${p}`)).json();
      const g = (await t.engine.experiments.assignmentOf('default', 'global-holdout', `h${p}`)).variant;
      const e = (await t.engine.experiments.assignmentOf('default', 'exp1', `h${p}`)).variant;
      if (g === 'holdout') {
        held++;
        expect(r.items).toEqual([]);
        expect(e).toBeNull();
      } else expect(e).not.toBeNull();
    }
    expect(held).toBeGreaterThan(15);
    expect(held).toBeLessThan(45);
  });
});

describe('the strategy parameter', () => {
  it('is served to a server key: each arm on demand, through the route', async () => {
    t = await makeTestApp();
    await call('PUT', '/v1/items', items(5));
    const server = (await call('POST', '/v1/keys', { scope: 'server' })).json().key;
    const r = await call('GET', '/v1/recommendations?userId=a&strategy=popular&n=3', undefined, { authorization: `Bearer ${server}` });
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json().model).toBe('popularity');
    expect((await call('GET', '/v1/recommendations?userId=a&strategy=none')).json().items).toEqual([]);
  });

  it('is refused to a public key (a browser must not pick its own arm)', async () => {
    t = await makeTestApp();
    await call('PUT', '/v1/items', items(5));
    const pub = (await call('POST', '/v1/keys', { scope: 'public' })).json().key;
    const r = await call('GET', '/v1/recommendations?userId=a&strategy=random', undefined, { authorization: `Bearer ${pub}` });
    expect(r.statusCode).toBe(403);
    expect(r.json().error.field).toBe('strategy');
  });

  it('serves each strategy directly from the service for a trusted caller', async () => {
    t = await makeTestApp();
    await call('PUT', '/v1/items', items(20));
    await call('POST', '/v1/events', [
      { type: 'purchase', userId: 'b', itemId: 'i3' },
      { type: 'purchase', userId: 'c', itemId: 'i3' },
      { type: 'purchase', userId: 'c', itemId: 'i4' },
    ]);
    const serve = (strategy: string, userId = 'a') =>
      t.engine.recommend.recommend('default', { userId, n: 5, context: 'home', strategy } as never, { mayChooseStrategy: true });
    const random1 = await serve('random');
    expect(random1.model).toBe('random');
    expect((await serve('random')).items.map((i) => i.id)).toEqual(random1.items.map((i) => i.id)); // same person, same day
    const others = await Promise.all(['x1', 'x2', 'x3'].map((u) => serve('random', u)));
    expect(others.some((o) => o.items.map((i) => i.id).join() !== random1.items.map((i) => i.id).join())).toBe(true);
    expect((await serve('popular')).items[0].id).toBe('i3');
    expect((await serve('segment')).items[0].id).toBe('i3');
    expect((await serve('none')).items).toEqual([]);
    expect((await serve('personalized')).model).not.toBe('random');
  });
});

describe('the segment baseline', () => {
  it('serves each declared-trait group its own best sellers, and recounts as the shop grows', async () => {
    t = await makeTestApp();
    await call('PUT', '/v1/items', items(20));
    const people = [
      ['r1', 'running'],
      ['r2', 'running'],
      ['h1', 'hiking'],
      ['h2', 'hiking'],
    ];
    for (const [id, interest] of people) await call('PUT', `/v1/users/${id}`, { traits: { interest, country: 'ES' } });
    await call('POST', '/v1/events', [
      { type: 'purchase', userId: 'r1', itemId: 'i5' },
      { type: 'purchase', userId: 'r2', itemId: 'i5' },
      { type: 'purchase', userId: 'h1', itemId: 'i7' },
      { type: 'purchase', userId: 'h2', itemId: 'i7' },
      { type: 'purchase', userId: 'h2', itemId: 'i8' },
    ]);
    for (const [id, interest] of [
      ['newRunner', 'running'],
      ['newHiker', 'hiking'],
    ])
      await call('PUT', `/v1/users/${id}`, { traits: { interest } });
    const segment = (userId: string) =>
      t.engine.recommend.recommend('default', { userId, n: 3, context: 'home', strategy: 'segment' } as never, { mayChooseStrategy: true });
    const runner = await segment('newRunner');
    expect(runner.items[0].id).toBe('i5');
    expect(runner.items[0].reasons[0]).toBe('A best seller with shoppers like you (into running)');
    expect((await segment('newHiker')).items[0].id).toBe('i7');
    // Runners now buy i9 in bulk: after the growth check, runners see it first.
    await call(
      'POST',
      '/v1/events',
      Array.from({ length: 150 }, (_, k) => ({ type: 'purchase', userId: `r${(k % 2) + 1}`, itemId: 'i9' })),
    );
    t.clock.advance(11_000);
    await segment('newRunner'); // notices the growth and recounts in the background
    let first = '';
    for (let tries = 0; tries < 50 && first !== 'i9'; tries++) {
      await new Promise((r) => setTimeout(r, 100));
      first = (await segment('newRunner')).items[0].id;
    }
    expect(first).toBe('i9');
    expect((await segment('newHiker')).items[0].id).toBe('i7');
  });
});
