import { afterEach, describe, expect, it } from 'vitest';
import { bearer, makeConfiguredApp, type ConfiguredApp } from '../security/app.ts';

let t: ConfiguredApp;
afterEach(async () => t?.close());

describe('key settings', () => {
  it('stores allowed origins and a rate limit with the key, lists them, changes and clears them', async () => {
    t = await makeConfiguredApp();
    const created = (await t.call('POST', '/v1/keys', { scope: 'public', name: 'web', allowedOrigins: ['https://shop.example'], rateLimit: 50 })).json();
    expect(created).toMatchObject({ scope: 'public', name: 'web', allowedOrigins: ['https://shop.example'], rateLimit: 50 });
    const listed = () => t.call('GET', '/v1/keys').then((r) => r.json().keys.find((k: { id: string }) => k.id === created.id));
    expect(await listed()).toMatchObject({ allowedOrigins: ['https://shop.example'], rateLimit: 50, lastUsedAt: null });
    await t.call('PATCH', `/v1/keys/${created.id}`, { rateLimit: null });
    expect(await listed()).toMatchObject({ allowedOrigins: ['https://shop.example'], rateLimit: null });
    expect((await t.call('PATCH', '/v1/keys/key_nope', { rateLimit: 1 })).statusCode).toBe(404);
    expect((await t.call('PATCH', `/v1/keys/${created.id}`, { rateLimit: -1 })).statusCode).toBe(400);
    expect((await t.call('DELETE', `/v1/keys/${created.id}`)).statusCode).toBe(204);
    expect(await t.store.getDoc('default', 'key-settings', created.id)).toBeNull();
  });

  it('records when a key was last used', async () => {
    t = await makeConfiguredApp();
    const k = await t.key('server');
    await t.call('GET', '/v1/users/u/consent', undefined, bearer(k.key));
    await new Promise((r) => setTimeout(r, 20));
    const row = (await t.call('GET', '/v1/keys')).json().keys.find((x: { id: string }) => x.id === k.id);
    expect(row.lastUsedAt).toBe(new Date(t.clock()).toISOString());
  });

  it('a key of another workspace cannot be changed', async () => {
    t = await makeConfiguredApp();
    await t.call('POST', '/v1/workspaces', { id: 'shop-b' });
    const inB = (await t.call('POST', '/v1/keys', { scope: 'public' }, { authorization: 'Bearer test-root-key', 'afin-workspace': 'shop-b' })).json();
    expect((await t.call('PATCH', `/v1/keys/${inB.id}`, { allowedOrigins: ['*'] })).statusCode).toBe(404);
  });
});
