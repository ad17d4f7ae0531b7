import { afterEach, describe, expect, it } from 'vitest';
import { items } from '../helpers.ts';
import { bearer, makeConfiguredApp, type ConfiguredApp } from './app.ts';

let t: ConfiguredApp;
afterEach(async () => t?.close());

describe('security headers', () => {
  it('are on every answer: success, error, unknown route', async () => {
    t = await makeConfiguredApp();
    for (const [url, headers, status] of [
      ['/health', {}, 200],
      ['/v1/items/x', {}, 401],
      ['/v1/nowhere', { authorization: 'Bearer test-root-key' }, 404],
      ['/v1/users/ana/export', { authorization: 'Bearer test-root-key' }, 200],
    ] as const) {
      const r = await t.app.inject({ method: 'GET', url, headers });
      expect(r.statusCode, url).toBe(status);
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['referrer-policy']).toBe('no-referrer');
      // SECURITY.md (API8) lists it: another site's window may not keep a handle on ours.
      expect(r.headers['cross-origin-opener-policy']).toBe('same-origin');
      expect(r.headers['content-security-policy']).toContain("default-src 'none'");
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['x-powered-by']).toBeUndefined();
    }
    const docs = await t.app.inject({ method: 'GET', url: '/docs/' });
    expect(docs.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(docs.headers['cross-origin-opener-policy']).toBe('same-origin');
  });

  it('never put a stack trace or internal detail in an answer', async () => {
    t = await makeConfiguredApp();
    t.app.get('/v1/boom', { config: { access: 'none' } }, async () => {
      throw new Error('SQLITE_CORRUPT at /secret/path/afin.db');
    });
    const r = await t.app.inject({ method: 'GET', url: '/v1/boom' });
    expect(r.statusCode).toBe(500);
    expect(r.json()).toEqual({ error: { code: 'internal', message: 'Internal error' } });
    expect(r.body).not.toMatch(/secret|at \/|\.ts:/);
  });
});

describe('CORS per key', () => {
  it('answers preflights without a key, describing what the API accepts', async () => {
    t = await makeConfiguredApp();
    const r = await t.app.inject({
      method: 'OPTIONS',
      url: '/v1/events',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST' },
    });
    expect(r.statusCode).toBe(204);
    expect(r.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(r.headers['access-control-allow-headers']).toContain('authorization');
    expect(r.headers['access-control-allow-headers']).toContain('x-request-id');
  });

  it('lets a public key be used only from its allowed origins', async () => {
    t = await makeConfiguredApp();
    await t.call('PUT', '/v1/items', items(2));
    const pub = await t.key('public', { allowedOrigins: ['https://shop.example', 'http://localhost:3000'] });
    const ok = await t.call('GET', '/v1/items/i1', undefined, bearer(pub.key, { origin: 'https://shop.example' }));
    expect(ok.statusCode).toBe(200);
    expect(ok.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(ok.headers.vary).toContain('Origin');
    // Browser code can read the request id (to quote it to support) and when to retry.
    expect(String(ok.headers['access-control-expose-headers']).split(/,\s*/)).toEqual(expect.arrayContaining(['x-request-id', 'retry-after']));
    const evil = await t.call('POST', '/v1/events', [{ type: 'view', userId: 'u', itemId: 'i1' }], bearer(pub.key, { origin: 'https://evil.example' }));
    expect(evil.statusCode).toBe(403);
    expect(evil.json().error).toMatchObject({ code: 'forbidden', field: 'Origin' });
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    expect(await t.store.countEvents('default')).toBe(0);
    // Server-to-server calls carry no Origin and are unaffected.
    expect((await t.call('GET', '/v1/items/i1', undefined, bearer(pub.key))).statusCode).toBe(200);
  });

  it('gives no CORS headers to a key without allowed origins; origins can be changed and cleared', async () => {
    t = await makeConfiguredApp();
    await t.call('PUT', '/v1/items', items(2));
    const pub = await t.key('public');
    const r = await t.call('GET', '/v1/items/i1', undefined, bearer(pub.key, { origin: 'https://shop.example' }));
    expect(r.statusCode).toBe(200);
    expect(r.headers['access-control-allow-origin']).toBeUndefined();
    expect((await t.call('PATCH', `/v1/keys/${pub.id}`, { allowedOrigins: ['https://shop.example'] })).json()).toEqual({
      id: pub.id,
      allowedOrigins: ['https://shop.example'],
      rateLimit: null,
      requireUserToken: false,
    });
    const now = await t.call('GET', '/v1/items/i1', undefined, bearer(pub.key, { origin: 'https://shop.example' }));
    expect(now.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect((await t.call('GET', '/v1/items/i1', undefined, bearer(pub.key, { origin: 'https://other.example' }))).statusCode).toBe(403);
    await t.call('PATCH', `/v1/keys/${pub.id}`, { allowedOrigins: ['*'] });
    expect((await t.call('GET', '/v1/items/i1', undefined, bearer(pub.key, { origin: 'https://other.example' }))).headers['access-control-allow-origin']).toBe(
      'https://other.example',
    );
  });

  it('refuses origins that are not origins', async () => {
    t = await makeConfiguredApp();
    for (const o of ['shop.example', 'https://shop.example/path', 'javascript:alert(1)', 'https://a.example, https://b.example']) {
      const r = await t.call('POST', '/v1/keys', { scope: 'public', allowedOrigins: [o] });
      expect(r.statusCode, o).toBe(400);
      expect(r.json().error.field).toBe('allowedOrigins[0]');
    }
  });
});
