import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { items } from '../helpers.ts';
import { bearer, makeConfiguredApp, type ConfiguredApp } from './app.ts';

let t: ConfiguredApp;
afterEach(async () => t?.close());

describe('function-level authorization (OWASP API5)', () => {
  it('a public key reaches no profile, export, consent, audit, key or admin route', async () => {
    t = await makeConfiguredApp();
    await t.call('PUT', '/v1/items', items(2));
    await t.call('POST', '/v1/events', [{ type: 'view', userId: 'ana', itemId: 'i1' }]);
    const pub = await t.key('public');
    const denied: Array<[string, string, unknown?]> = [
      ['GET', '/v1/users/ana/profile'],
      ['GET', '/v1/users/ana/export'],
      ['GET', '/v1/users/ana/transparency'],
      ['GET', '/v1/users/ana/consent'],
      ['PUT', '/v1/users/ana/consent', { personalization: false }],
      ['POST', '/v1/users/ana/objection', {}],
      ['DELETE', '/v1/users/ana'],
      ['PUT', '/v1/users/ana', { traits: {} }],
      ['POST', '/v1/alias', { anonymousId: 'a', userId: 'ana' }],
      ['GET', '/v1/audit'],
      ['GET', '/v1/privacy'],
      ['POST', '/v1/privacy/retention/run', {}],
      ['GET', '/v1/keys'],
      ['POST', '/v1/keys', { scope: 'admin' }],
      ['PATCH', '/v1/keys/key_x', { rateLimit: 1 }],
      ['DELETE', '/v1/keys/key_x'],
      ['POST', '/v1/train', {}],
      ['GET', '/v1/models'],
      ['PUT', '/v1/items', items(1)],
      ['DELETE', '/v1/items/i1'],
      ['POST', '/v1/workspaces', { id: 'x' }],
      ['GET', '/v1/workspaces'],
    ];
    for (const [m, url, body] of denied) {
      const r = await t.call(m, url, body, bearer(pub.key));
      expect(r.statusCode, `${m} ${url}`).toBe(403);
    }
    expect(await t.store.getUser('default', 'ana')).toBeNull();
    expect(await t.store.eventsOf('default', 'ana')).toHaveLength(1);
  });

  it('a server key reaches privacy data but not the audit log, retention or key management', async () => {
    t = await makeConfiguredApp();
    const srv = await t.key('server');
    expect((await t.call('GET', '/v1/users/ana/export', undefined, bearer(srv.key))).statusCode).toBe(200);
    for (const [m, url] of [
      ['GET', '/v1/audit'],
      ['POST', '/v1/privacy/retention/run'],
      ['PATCH', '/v1/keys/key_x'],
      ['GET', '/v1/keys'],
    ]) {
      expect((await t.call(m, url, {}, bearer(srv.key))).statusCode, `${m} ${url}`).toBe(403);
    }
  });

  it('every route states who may call it; only the documented ones need no key', async () => {
    t = await makeConfiguredApp();
    await t.app.ready();
    const open = t.app.afinRoutes.filter((r) => r.access === 'none').map((r) => `${r.method} ${r.url}`);
    for (const r of open)
      expect(r).toMatch(
        /^(GET \/|GET \/metrics|GET \/health|GET \/health\/live|GET \/health\/ready|GET \/readyz|GET \/openapi\.json|GET \/demo|GET \/widget\.js|GET \/sdk\.js|GET \/examples\/shop|GET \/dashboard|GET \/dashboard\/(dashboard|uplot|catalogue-import)\.(js|css)|OPTIONS \/\*|GET \/docs.*)$/,
      );
  });
});

describe('object-level authorization across workspaces (OWASP API1)', () => {
  it('a key of workspace B never reads, changes or erases a person of workspace A', async () => {
    t = await makeConfiguredApp();
    await t.call('PUT', '/v1/items', items(2));
    await t.call('POST', '/v1/events', [{ type: 'view', userId: 'ana', itemId: 'i1' }]);
    await t.call('PUT', '/v1/users/ana/consent', { marketing: true });
    await t.call('POST', '/v1/workspaces', { id: 'shop-b' });
    const b = (await t.call('POST', '/v1/keys', { scope: 'admin' }, { authorization: 'Bearer test-root-key', 'afin-workspace': 'shop-b' })).json();
    const exp = (await t.call('GET', '/v1/users/ana/export', undefined, bearer(b.key))).json();
    expect(exp.events).toEqual([]);
    expect(exp.consent.history).toEqual([]);
    expect((await t.call('DELETE', '/v1/users/ana', undefined, bearer(b.key))).statusCode).toBe(204);
    expect(await t.store.eventsOf('default', 'ana')).toHaveLength(1);
    expect((await t.call('GET', '/v1/audit', undefined, bearer(b.key))).json().entries.every((e: { action: string }) => e.action !== 'consent.update')).toBe(
      true,
    );
    expect((await t.call('GET', '/v1/users/ana/export', undefined, bearer(b.key, { 'afin-workspace': 'default' }))).statusCode).toBe(403);
  });
});

describe('property-level authorization: no mass assignment (OWASP API3)', () => {
  it('refuses unknown properties on every write body', async () => {
    t = await makeConfiguredApp();
    const cases: Array<[string, string, unknown, string]> = [
      ['POST', '/v1/keys', { scope: 'public', root: true }, 'root'],
      ['POST', '/v1/keys', { scope: 'public', workspace: 'other' }, 'workspace'],
      ['POST', '/v1/keys', { scope: 'public', hash: 'x' }, 'hash'],
      ['PATCH', '/v1/keys/key_x', { scope: 'admin' }, 'scope'],
      ['PUT', '/v1/users/ana', { traits: {}, consent: { marketing: true } }, 'consent'],
      ['PUT', '/v1/users/ana/consent', { marketing: true, history: [] }, 'history'],
      ['POST', '/v1/users/ana/objection', { personalization: true }, 'personalization'],
      ['POST', '/v1/workspaces', { id: 'x', owner: 'me' }, 'owner'],
      ['POST', '/v1/alias', { anonymousId: 'a', userId: 'b', merged: 9 }, 'merged'],
      ['POST', '/v1/train', { model: 'popularity', now: 1 }, 'now'],
    ];
    for (const [m, url, body, field] of cases) {
      const r = await t.call(m, url, body);
      expect(r.statusCode, `${m} ${url} ${field}`).toBe(400);
      expect(r.json().error.field, `${m} ${url}`).toBe(field);
    }
    const items = (await t.call('PUT', '/v1/items', [{ id: 'a', title: 'A', available: true, updatedAt: 0 }])).json();
    expect(items.rejected[0].field).toBe('[0].updatedAt');
    const events = (await t.call('POST', '/v1/events', [{ type: 'view', userId: 'u', itemId: 'a', subject: 'someone-else' }])).json();
    expect(events.rejected[0].field).toBe('[0].subject');
  });

  it('never shows a key hash or secret after creation', async () => {
    t = await makeConfiguredApp();
    const k = await t.key('server');
    const stored = (await t.store.listKeys('default'))[0];
    const list = (await t.call('GET', '/v1/keys')).body;
    expect(list).not.toContain(stored.hash);
    expect(list).not.toContain(k.key);
  });
});

describe('inventory (OWASP API9)', () => {
  it('documents every API route in the OpenAPI document and the README', async () => {
    t = await makeConfiguredApp();
    await t.app.ready();
    const spec = (await t.call('GET', '/openapi.json')).json();
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const documented = readmeRoutes(readme);
    const registered = new Set<string>();
    for (const r of t.app.afinRoutes.filter((x) => x.url.startsWith('/v1/'))) {
      const path = r.url.replace(/:(\w+)/g, '{$1}');
      expect(spec.paths[path]?.[r.method.toLowerCase()], `${r.method} ${r.url} in OpenAPI`).toBeDefined();
      registered.add(`${r.method} ${r.url}`);
    }
    // Method and path, both ways: a route missing from the table, or a row for a route that is gone.
    expect(
      [...registered].filter((r) => !documented.has(r)),
      'registered but not in the README table',
    ).toEqual([]);
    expect(
      [...documented].filter((r) => r.includes('/v1/') && !registered.has(r)),
      'in the README table but not registered',
    ).toEqual([]);
  });

  it('reads the README table as method and path pairs', () => {
    const table =
      '| route | key scope | what it does |\n|---|---|---|\n' +
      '| `GET /v1/items/:id` · `DELETE /v1/items/:id` | public · server | x |\n' +
      '| `GET` · `PUT /v1/settings/ranking` | server · admin | `{ a }` |\n| `GET /v1/chat/opener?userId=` | public | x |\n\nAfter.\n| `POST /v1/not-a-route` | x | x |\n';
    expect([...readmeRoutes(table)].sort()).toEqual([
      'DELETE /v1/items/:id',
      'GET /v1/chat/opener',
      'GET /v1/items/:id',
      'GET /v1/settings/ranking',
      'PUT /v1/settings/ranking',
    ]);
  });
});

/**
 * The `METHOD /path` pairs of the README's route table (the first table whose header starts with
 * `| route |`). A cell lists routes joined by ` · `; a bare method shares the path of the next entry
 * (`GET` · `PUT /v1/settings/ranking`).
 */
function readmeRoutes(readme: string): Set<string> {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => l.startsWith('| route |'));
  const out = new Set<string>();
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const cell = line.split('|')[1];
    const entries = cell.split('·').map((e) => e.trim().replace(/^`|`$/g, '').split(' '));
    let path = '';
    for (const [method, p] of [...entries].reverse()) {
      if (p) path = p.split('?')[0]; // `GET /v1/items/:id/similar?n=`
      out.add(`${method} ${path}`);
    }
  }
  return out;
}
