import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AUTH, items, makeTestApp, type TestApp } from '../helpers.ts';

let t: TestApp;
beforeEach(async () => (t = await makeTestApp()));
afterEach(async () => t.close());

const call = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, key?: string, payload?: unknown, extra: Record<string, string> = {}) =>
  t.app.inject({ method, url, payload: payload as object, headers: { ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra } });

async function newKey(scope: string, headers = AUTH) {
  const r = await t.app.inject({ method: 'POST', url: '/v1/keys', headers, payload: { scope } });
  expect(r.statusCode).toBe(201);
  return r.json() as { id: string; key: string; scope: string; workspace: string };
}

describe('keys and scopes', () => {
  it('answers /health without a key and 401 without or with a wrong key', async () => {
    expect((await call('GET', '/health')).json()).toEqual({ status: 'ok' });
    const none = await call('GET', '/v1/recommendations?userId=u');
    expect(none.statusCode).toBe(401);
    expect(none.json().error.code).toBe('unauthorized');
    expect((await call('GET', '/v1/recommendations?userId=u', 'afin_public_wrong')).statusCode).toBe(401);
    expect((await t.app.inject({ method: 'GET', url: '/v1/keys', headers: { authorization: 'Basic abc' } })).statusCode).toBe(401);
  });

  it('stores keys hashed, shows the secret once, and lists them without it', async () => {
    const k = await newKey('server');
    expect(k.key).toMatch(/^afin_server_/);
    const stored = await t.engine.store.listKeys('default');
    expect(JSON.stringify(stored)).not.toContain(k.key);
    const list = (await call('GET', '/v1/keys', k.key)).statusCode;
    expect(list).toBe(403);
    const listed = (await t.app.inject({ method: 'GET', url: '/v1/keys', headers: AUTH })).json().keys;
    expect(listed.map((x: { id: string }) => x.id)).toContain(k.id);
    expect(JSON.stringify(listed)).not.toContain(k.key);
  });

  it('a public key may send events and read recommendations, but not profiles, items writes or admin routes', async () => {
    await t.app.inject({ method: 'PUT', url: '/v1/items', headers: AUTH, payload: items(3) });
    const pub = (await newKey('public')).key;
    expect((await call('POST', '/v1/events', pub, [{ type: 'view', userId: 'u', itemId: 'i1' }])).statusCode).toBe(200);
    expect((await call('GET', '/v1/recommendations?userId=u', pub)).statusCode).toBe(200);
    expect((await call('GET', '/v1/items/i1', pub)).statusCode).toBe(200);
    for (const [m, url, body] of [
      ['GET', '/v1/users/u/profile'],
      ['GET', '/v1/users/u/export'],
      ['PUT', '/v1/items', items(1)],
      ['POST', '/v1/train', {}],
      ['POST', '/v1/keys', { scope: 'admin' }],
      ['DELETE', '/v1/users/u'],
      ['GET', '/v1/workspaces'],
    ] as const) {
      const r = await call(m, url, pub, body);
      expect(r.statusCode, `${m} ${url}`).toBe(403);
      expect(r.json().error.code).toBe('forbidden');
    }
  });

  it('a server key may ingest and read profiles but not train or manage keys', async () => {
    const srv = (await newKey('server')).key;
    expect((await call('PUT', '/v1/items', srv, items(2))).statusCode).toBe(200);
    expect((await call('GET', '/v1/users/u/profile', srv)).statusCode).toBe(200);
    expect((await call('POST', '/v1/train', srv, {})).statusCode).toBe(403);
    expect((await call('POST', '/v1/keys', srv, { scope: 'server' })).statusCode).toBe(403);
  });

  it('a revoked key stops working', async () => {
    const k = await newKey('admin');
    expect((await call('GET', '/v1/keys', k.key)).statusCode).toBe(200);
    expect((await call('DELETE', `/v1/keys/${k.id}`, ROOT())).statusCode).toBe(204);
    expect((await call('GET', '/v1/keys', k.key)).statusCode).toBe(401);
  });

  it('the root key is created and printed once when none is configured', async () => {
    const { KeyService } = await import('../../src/keys/key-service.ts');
    const keys = new KeyService(t.engine.store);
    const first = await keys.ensureRootKey();
    expect(first).toMatch(/^afin_admin_/);
    expect(await keys.ensureRootKey()).toBeNull();
    const p = await keys.authenticate(first!, 'default');
    expect(p.root).toBe(true);
  });
});

function ROOT() {
  return AUTH.authorization.slice('Bearer '.length);
}

describe('workspaces', () => {
  it('isolates items, events and keys per workspace', async () => {
    expect((await call('POST', '/v1/workspaces', ROOT(), { id: 'shop-b' })).statusCode).toBe(201);
    expect((await call('POST', '/v1/workspaces', ROOT(), { id: 'shop-b' })).statusCode).toBe(409);
    const inB = { 'afin-workspace': 'shop-b' };
    await call('PUT', '/v1/items', ROOT(), [{ id: 'same', title: 'In A' }]);
    await call('PUT', '/v1/items', ROOT(), [{ id: 'same', title: 'In B' }], inB);
    expect((await call('GET', '/v1/items/same', ROOT())).json().title).toBe('In A');
    expect((await call('GET', '/v1/items/same', ROOT(), undefined, inB)).json().title).toBe('In B');
    const bKey = (await newKey('admin', { ...AUTH, ...inB })).key;
    expect((await call('GET', '/v1/items/same', bKey)).json().title).toBe('In B');
    // A workspace key cannot reach another workspace, even by asking.
    expect((await call('GET', '/v1/items/same', bKey, undefined, { 'afin-workspace': 'default' })).statusCode).toBe(403);
    await call('POST', '/v1/events', bKey, [{ messageId: 'x', type: 'view', userId: 'u', itemId: 'same' }]);
    expect(await t.engine.store.countEvents('default')).toBe(0);
    expect(await t.engine.store.countEvents('shop-b')).toBe(1);
    // The same messageId in another workspace is not a duplicate.
    expect((await call('POST', '/v1/events', ROOT(), [{ messageId: 'x', type: 'view', userId: 'u', itemId: 'same' }])).json().accepted).toBe(1);
    expect((await call('POST', '/v1/workspaces', bKey, { id: 'shop-c' })).statusCode).toBe(403);
    expect((await call('GET', '/v1/items/same', ROOT(), undefined, { 'afin-workspace': 'nope' })).statusCode).toBe(404);
    const list = (await call('GET', '/v1/workspaces', ROOT())).json().workspaces.map((w: { id: string }) => w.id);
    expect(list).toEqual(['default', 'shop-b']);
  });
});

describe('errors', () => {
  it('answers malformed input with a 4xx naming the field, never a 5xx', async () => {
    const cases: Array<[string, string, unknown, Record<string, string>?]> = [
      ['PUT', '/v1/items', '{"id":', { 'content-type': 'application/json' }],
      ['PUT', '/v1/items', 'x'.repeat(10), { 'content-type': 'text/plain' }],
      ['POST', '/v1/events', JSON.stringify([{ type: 'view', userId: 'u'.repeat(300), itemId: 'i' }]), { 'content-type': 'application/json' }],
      [
        'POST',
        '/v1/events',
        // Written by hand: JSON.stringify would turn 1e400 (Infinity) into null.
        '[{"type":"view","userId":"u","itemId":"i","value":1e400}]',
        { 'content-type': 'application/json' },
      ],
      ['PUT', '/v1/users/%00', JSON.stringify({ traits: {} }), { 'content-type': 'application/json' }],
      ['GET', '/v1/items/' + 'z'.repeat(900), undefined],
      ['POST', '/v1/alias', JSON.stringify({ anonymousId: 1 }), { 'content-type': 'application/json' }],
      ['PUT', '/v1/users/u/consent', JSON.stringify({ personalization: 'yes' }), { 'content-type': 'application/json' }],
      ['POST', '/v1/keys', JSON.stringify({ scope: 'god' }), { 'content-type': 'application/json' }],
      ['GET', '/v1/recommendations?userId=u&n=1&n=2', undefined],
      ['GET', '/v1/nowhere', undefined],
    ];
    for (const [method, url, payload, headers] of cases) {
      const r = await t.app.inject({ method: method as 'GET', url, payload: payload as string, headers: { ...AUTH, ...(headers ?? {}) } });
      expect(r.statusCode, `${method} ${url.slice(0, 40)} → ${r.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, `${method} ${url.slice(0, 40)}`).toBeLessThan(500);
      expect(r.json().error.code).toBeTypeOf('string');
      expect(r.json().error.message).toBeTypeOf('string');
    }
  });

  it('rejects a deeply nested element by index and keeps the rest of the batch', async () => {
    const payload = '[' + '['.repeat(5000) + ']'.repeat(5000) + ',{"type":"search","userId":"u","query":"ok"}]';
    const r = await t.app.inject({ method: 'POST', url: '/v1/events', payload, headers: { ...AUTH, 'content-type': 'application/json' } });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ accepted: 1, rejected: [{ index: 0, field: '[0]' }] });
  });

  it('limits the body size', async () => {
    const huge = JSON.stringify([{ id: 'a', title: 'A', description: 'x'.repeat(9 * 1024 * 1024) }]);
    const r = await t.app.inject({ method: 'PUT', url: '/v1/items', payload: huge, headers: { ...AUTH, 'content-type': 'application/json' } });
    expect(r.statusCode).toBe(413);
    expect(r.json().error.code).toBe('payload_too_large');
  });

  it('every error code in the catalogue is documented in the README', async () => {
    const { ERRORS } = await import('../../src/domain/errors.ts');
    const { readFileSync } = await import('node:fs');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    for (const code of Object.keys(ERRORS)) expect(readme, code).toContain(`\`${code}\``);
  });
});

describe('OpenAPI', () => {
  it('serves the spec with every contract route, and browsable docs', async () => {
    const spec = (await call('GET', '/openapi.json')).json();
    for (const p of [
      '/v1/items',
      '/v1/events',
      '/v1/recommendations',
      '/v1/items/{id}/similar',
      '/v1/train',
      '/v1/users/{id}/profile',
      '/v1/alias',
      '/v1/keys',
      '/v1/workspaces',
    ]) {
      expect(Object.keys(spec.paths), p).toContain(p);
    }
    expect(spec.paths['/v1/recommendations'].get.parameters.map((x: { name: string }) => x.name)).toContain('excludeSeen');
    const docs = await call('GET', '/docs/');
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/html/);
  });
});
