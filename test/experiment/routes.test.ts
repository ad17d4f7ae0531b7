import { afterEach, describe, expect, it } from 'vitest';
import { AUTH, items, makeTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
afterEach(async () => t?.close());

async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = AUTH) {
  return t.app.inject({ method: method as 'GET', url, headers, ...(body === undefined ? {} : { payload: body as object }) });
}
const key = async (scope: string) => ({ authorization: `Bearer ${(await call('POST', '/v1/keys', { scope })).json().key}` });

const TWO = [
  { name: 'control', weight: 1, strategy: 'none' },
  { name: 'treat', weight: 1, strategy: 'popular' },
];

describe('experiment routes', () => {
  it('creates, lists, shows, starts, pauses and stops; refuses a second experiment with the same key', async () => {
    t = await makeTestApp();
    const created = await call('POST', '/v1/experiments', { key: 'home-2026', variants: TWO, primaryMetric: 'revenuePerUser', guardrailMetrics: ['churn'] });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ key: 'home-2026', status: 'draft', control: 'control', attributionWindowDays: 7, primaryMetric: 'revenuePerUser' });
    expect((await call('POST', '/v1/experiments', { key: 'home-2026', variants: TWO })).statusCode).toBe(409);
    expect((await call('POST', '/v1/experiments/home-2026/start')).json().status).toBe('running');
    expect((await call('POST', '/v1/experiments/home-2026/pause')).json().status).toBe('paused');
    expect((await call('POST', '/v1/experiments/home-2026/start')).json().status).toBe('running');
    const stopped = (await call('POST', '/v1/experiments/home-2026/stop')).json();
    expect(stopped.status).toBe('stopped');
    expect(stopped.history.map((h: { status: string }) => h.status)).toEqual(['draft', 'running', 'paused', 'running', 'stopped']);
    expect((await call('GET', '/v1/experiments')).json().experiments.map((e: { key: string }) => e.key)).toEqual(['home-2026']);
    expect((await call('GET', '/v1/experiments?status=running')).json().experiments).toEqual([]);
    expect((await call('GET', '/v1/experiments/home-2026')).json().status).toBe('stopped');
    expect((await call('GET', '/v1/experiments/nope')).statusCode).toBe(404);
  });

  it('bad bodies get a 400 naming the field', async () => {
    t = await makeTestApp();
    const cases: Array<[unknown, string]> = [
      [{ key: 'x', variants: [TWO[0]] }, 'variants'],
      [{ key: 'x', variants: [TWO[0], { ...TWO[1], weight: -1 }] }, 'variants[1].weight'],
      [{ key: 'x', variants: [TWO[0], { ...TWO[1], strategy: 'magic' }] }, 'variants[1].strategy'],
      [{ key: 'x', variants: [TWO[0], { ...TWO[1], model: 'ease' }] }, 'variants[1].model'],
      [{ key: 'x', variants: [TWO[0], { ...TWO[1], strategy: 'personalized', model: 'nonsense' }] }, 'variants[1].model'],
      [{ key: 'x', variants: [TWO[0], { ...TWO[0] }] }, 'variants[1].name'],
      [{ key: 'x', variants: TWO, control: 'nobody' }, 'control'],
      [{ key: 'x y', variants: TWO }, 'key'],
      [{ key: 'global-holdout', variants: TWO }, 'key'],
      [{ key: 'x', variants: TWO, primaryMetric: 'happiness' }, 'primaryMetric'],
      [{ key: 'x', variants: TWO, attributionWindowDays: 0 }, 'attributionWindowDays'],
      [{ key: 'x', variants: TWO, owner: 'me' }, 'owner'],
    ];
    for (const [body, field] of cases) {
      const r = await call('POST', '/v1/experiments', body);
      expect(r.statusCode, JSON.stringify(body)).toBe(400);
      expect(r.json().error.field, JSON.stringify(body)).toBe(field);
    }
    expect((await call('PUT', '/v1/settings/experiments', { globalHoldout: 0.9 })).json().error.field).toBe('globalHoldout');
  });

  it('admin keys change experiments, server keys read them and their results, public keys neither', async () => {
    t = await makeTestApp();
    await call('POST', '/v1/experiments', { key: 'e', variants: TWO });
    const server = await key('server');
    const pub = await key('public');
    expect((await call('GET', '/v1/experiments', undefined, server)).statusCode).toBe(200);
    expect((await call('GET', '/v1/experiments/e/results', undefined, server)).statusCode).toBe(200);
    expect((await call('POST', '/v1/experiments', { key: 'f', variants: TWO }, server)).statusCode).toBe(403);
    expect((await call('POST', '/v1/experiments/e/start', undefined, server)).statusCode).toBe(403);
    expect((await call('PUT', '/v1/settings/experiments', { globalHoldout: 0.1 }, server)).statusCode).toBe(403);
    for (const url of ['/v1/experiments', '/v1/experiments/e', '/v1/experiments/e/results', '/v1/settings/experiments']) {
      expect((await call('GET', url, undefined, pub)).statusCode, url).toBe(403);
    }
  });
});

describe('results through the API, on constructed traffic with a known answer', () => {
  it('assigns, logs exposures, attributes purchases that cite an answer, and reports uplift and the SRM check', async () => {
    t = await makeTestApp();
    await call('PUT', '/v1/items', items(30));
    await call(
      'POST',
      '/v1/events',
      Array.from({ length: 12 }, (_, k) => ({ type: 'purchase', userId: `old${k}`, itemId: `i${k % 4}` })),
    );
    await call('POST', '/v1/experiments', { key: 'shelf', variants: TWO, attributionWindowDays: 1 });
    await call('POST', '/v1/experiments/shelf/start');
    t.clock.advance(60_000);
    const served: Array<{ person: string; rec: string; variant: string }> = [];
    for (let p = 0; p < 80; p++) {
      const r = (await call('GET', `/v1/recommendations?userId=s${p}&n=4`)).json();
      const variant = (await call('GET', `/v1/experiments/shelf/assignments/s${p}`)).json().variant;
      served.push({ person: `s${p}`, rec: r.recommendationId, variant });
    }
    // Every treated person clicks and buys (20 €) from the answer; in control, every fourth buys anyway.
    t.clock.advance(3_600_000);
    const events = [];
    for (const [k, s] of served.entries()) {
      if (s.variant === 'treat') {
        events.push({ type: 'click', userId: s.person, itemId: 'i1', recommendationId: s.rec });
        events.push({ type: 'purchase', userId: s.person, itemId: 'i1', value: 20, recommendationId: s.rec });
      } else if (k % 4 === 0) events.push({ type: 'purchase', userId: s.person, itemId: 'i2', value: 20 });
    }
    // A purchase long after the window and not citing an answer is not attributed.
    await call('POST', '/v1/events', events);
    t.clock.advance(5 * 86_400_000);
    await call(
      'POST',
      '/v1/events',
      served.map((s) => ({ type: 'purchase', userId: s.person, itemId: 'i3', value: 1000 })),
    );

    const r = (await call('GET', '/v1/experiments/shelf/results')).json();
    const n = { control: served.filter((s) => s.variant === 'control').length, treat: served.filter((s) => s.variant === 'treat').length };
    const controlBuyers = served.filter((s, k) => s.variant === 'control' && k % 4 === 0).length;
    expect(r.people).toBe(80);
    expect(r.variants.map((v: { name: string; people: number; answers: number }) => [v.name, v.people, v.answers])).toEqual([
      ['control', n.control, n.control],
      ['treat', n.treat, n.treat],
    ]);
    expect(r.srm.observed).toEqual(n);
    expect(r.srm.mismatch).toBe(false);
    const metric = (name: string) => r.metrics.find((m: { metric: string }) => m.metric === name);
    expect(metric('conversion').values.map((v: { value: number }) => v.value)).toEqual([controlBuyers / n.control, 1]);
    expect(metric('conversion').comparisons[0].significant).toBe(true);
    expect(metric('conversion').comparisons[0].chanceToBeatControl).toBeGreaterThan(0.999);
    expect(metric('revenuePerUser').values.map((v: { value: number }) => v.value)).toEqual([(20 * controlBuyers) / n.control, 20]);
    expect(metric('ctr').values.map((v: { value: number }) => v.value)).toEqual([0, 1]);
    expect(metric('aov').values.map((v: { value: number }) => v.value)).toEqual([20, 20]);
    expect(r.summary[0]).toMatch(/^Sample ratio OK/);
  });

  it('reports the global holdout as an experiment of its own', async () => {
    t = await makeTestApp();
    await call('PUT', '/v1/items', items(10));
    await call('PUT', '/v1/settings/experiments', { globalHoldout: 0.3 });
    for (let p = 0; p < 40; p++) await call('GET', `/v1/recommendations?userId=g${p}`);
    const r = (await call('GET', '/v1/experiments/global-holdout/results')).json();
    expect(r.people).toBe(40);
    expect(r.variants.map((v: { name: string }) => v.name)).toEqual(['holdout', 'afin']);
    expect(r.variants[0].people).toBeGreaterThan(3);
    expect(r.variants[0].people + r.variants[1].people).toBe(40);
    expect((await call('GET', '/v1/settings/experiments')).json()).toEqual({ globalHoldout: 0.3, holdoutStrategy: 'none' });
  });
});
