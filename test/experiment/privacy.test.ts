import { afterEach, describe, expect, it } from 'vitest';
import { AUTH, items, makeTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
afterEach(async () => t?.close());

const call = (method: string, url: string, body?: unknown) => t.app.inject({ method: method as 'GET', url, headers: AUTH, ...(body === undefined ? {} : { payload: body as object }) });

describe('experiments and privacy', () => {
  it("a person's assignments and exposures are in their export and gone after their erasure, also when still unwritten", async () => {
    t = await makeTestApp();
    await call('PUT', '/v1/items', items(10));
    await call('POST', '/v1/experiments', { key: 'e', variants: [{ name: 'a', weight: 1, strategy: 'popular' }, { name: 'b', weight: 1, strategy: 'random' }] });
    await call('POST', '/v1/experiments/e/start');
    await call('GET', '/v1/recommendations?userId=ana');
    await t.engine.experiments.log.flush();
    const exported = (await call('GET', '/v1/users/ana/export')).json();
    const collections = JSON.stringify(exported);
    expect(collections).toContain('assignment:e');
    expect(collections).toContain('"exposure"');

    // Served again, then erased before the exposure log wrote the new answer.
    await call('GET', '/v1/recommendations?userId=ana');
    expect((await call('DELETE', '/v1/users/ana')).statusCode).toBe(204);
    await t.engine.experiments.log.flush();
    expect(await t.engine.store.docsOfSubject('default', 'ana')).toEqual([]);
    expect(await t.engine.store.listDocs('default', 'exposure')).toEqual([]);
  });
});
