import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTH, makeTestApp, type TestApp, testClock } from '../helpers.ts';
import { plantedShop } from './planted-shop.ts';

const shop = plantedShop(5, 120, 100);

async function call(t: TestApp, method: 'GET' | 'PUT' | 'POST', url: string, body?: unknown) {
  const r = await t.app.inject({ method, url, headers: AUTH, ...(body === undefined ? {} : { payload: body as object }) });
  return { status: r.statusCode, body: r.headers['content-type']?.toString().includes('json') ? r.json() : r.body };
}

describe('predictions in the profile, the export and the transparency report', () => {
  let t: TestApp;
  const who = [...shop.coffee][0];
  beforeAll(async () => {
    t = await makeTestApp({ clock: testClock(shop.now) });
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
  }, 180_000);
  afterAll(async () => t?.close());

  it('shows the same figures as the predictions route', async () => {
    const direct = (await call(t, 'GET', `/v1/users/${who}/predictions`)).body;
    const profile = (await call(t, 'GET', `/v1/users/${who}/profile`)).body;
    expect(profile.predictions.churn.probability).toBe(direct.churn.probability);
    expect(profile.predictions.nextPurchases.map((n: { category: string }) => n.category)).toEqual(
      direct.nextPurchases.map((n: { category: string }) => n.category),
    );

    const exp = (await call(t, 'GET', `/v1/users/${who}/export`)).body;
    expect(exp.predictions.churn.probability).toBe(direct.churn.probability);

    const report = (await call(t, 'GET', `/v1/users/${who}/transparency`)).body;
    const piece = report.held.find((h: { what: string }) => h.what === 'predictions');
    expect(piece.count).toBe(1);
    expect(piece.detail.churn.probability).toBe(direct.churn.probability);
    expect(piece.detail.nextPurchases.map((n: { category: string }) => n.category)).toContain('coffee');
    expect(report.summary.join(' ')).toMatch(/We predict/);
    const text = (await t.app.inject({ method: 'GET', url: `/v1/users/${who}/transparency?format=text`, headers: AUTH })).body;
    expect(text).toMatch(/- predictions \(1\)/);
  });

  it('shows none once profiling is withdrawn', async () => {
    const other = [...shop.coffee][1];
    expect((await call(t, 'PUT', `/v1/users/${other}/consent`, { profiling: false })).status).toBe(200);
    expect((await call(t, 'GET', `/v1/users/${other}/profile`)).body.predictions).toBeNull();
    const report = (await call(t, 'GET', `/v1/users/${other}/transparency`)).body;
    const piece = report.held.find((h: { what: string }) => h.what === 'predictions');
    expect(piece.count).toBe(0);
    expect(piece.notUsedFor).toContain('profiling');
    expect(report.summary.join(' ')).toMatch(/We make no predictions about you/);
  });
});
