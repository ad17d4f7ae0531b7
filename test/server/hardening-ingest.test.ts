import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parseIsoTime } from '../../src/domain/schemas.ts';
import { Engine } from '../../src/server/compose.ts';
import { buildApp } from '../../src/server/app.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { AUTH, ROOT_KEY, items, testClock } from '../helpers.ts';

/**
 * Issue 8, items 1, 4, 10 and 11: what a probe with a public key sent that the ingest path took in.
 * Each case runs on the embedded store, and on PostgreSQL when AFIN_TEST_DATABASE_URL is set.
 */

interface Harness {
  call(method: string, url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  store: Store;
  close(): Promise<void>;
}

async function sqliteHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'afin-harden-'));
  const store = new SqliteStore(join(dir, 'afin.db'));
  return harness(store, () => rmSync(dir, { recursive: true, force: true }));
}

async function harness(store: Store, cleanup: () => Promise<void> | void): Promise<Harness> {
  const clock = testClock();
  await store.migrate();
  await store.createWorkspace({ id: 'default', name: null, createdAt: clock() });
  const engine = new Engine(store, { adminKey: ROOT_KEY }, { clock, cacheMaxAgeMs: 0, retrainAfterErasureMs: null });
  const app = await buildApp({ engine });
  return {
    store,
    call: (method, url, payload, headers = AUTH) => app.inject({ method: method as 'GET', url, payload: payload as object, headers }),
    async close() {
      await app.close();
      await engine.close();
      await cleanup();
    },
  };
}

const pgUrl = process.env.AFIN_TEST_DATABASE_URL;
const stores: Array<[string, () => Promise<Harness>]> = [['SQLite', sqliteHarness]];
if (pgUrl) {
  stores.push([
    'PostgreSQL',
    async () => {
      const schema = `afin_test_${randomBytes(6).toString('hex')}`;
      return harness(new PostgresStore({ connectionString: pgUrl, schema, max: 4 }), async () => {
        const admin = new PostgresStore({ connectionString: pgUrl, schema, max: 1 });
        await admin.dropSchema();
        await admin.close();
      });
    },
  ]);
} else console.log('Hardening ingest suite on PostgreSQL not run: set AFIN_TEST_DATABASE_URL');

/** `{"a":{"a":…1…}}`, `depth` objects deep, as JSON text (JSON.stringify would overflow on the deep ones). */
const nestedJson = (depth: number) => '{"a":'.repeat(depth - 1) + '{"a":1}' + '}'.repeat(depth - 1);

describe.each(stores)('ingest hardening (%s)', (_name, open) => {
  let h: Harness;
  beforeAll(async () => {
    h = await open();
    await h.call('PUT', '/v1/items', items(6));
  });
  afterAll(async () => h?.close());

  it('refuses a rating outside 1–5 and extreme values by index, stores the rest, and training still works', async () => {
    const r = await h.call('POST', '/v1/events', [
      { type: 'rating', userId: 'rx', itemId: 'i5', value: 1e100 },
      { type: 'rating', userId: 'rx', itemId: 'i5', value: 7 },
      { type: 'rating', userId: 'rx', itemId: 'i5', value: 0 },
      { type: 'rating', userId: 'rx', itemId: 'i5', value: -0 },
      { type: 'rating', userId: 'rx', itemId: 'i4', value: 4.5 },
      { type: 'purchase', userId: 'rx', itemId: 'i3', value: 1e308 },
      { type: 'view', userId: 'rx', itemId: 'i3', value: -1e100 },
      { type: 'purchase', userId: 'rx', itemId: 'i2', value: 59.9 },
    ]);
    expect(r.statusCode).toBe(200);
    const body = r.json();
    expect(body.accepted).toBe(2);
    expect(body.rejected.map((x: { field: string }) => x.field)).toEqual(['[0].value', '[1].value', '[2].value', '[3].value', '[5].value', '[6].value']);
    expect((await h.store.eventsOf('default', 'rx')).map((e) => e.value).sort()).toEqual([4.5, 59.9]);
    const price = (await h.call('PUT', '/v1/items', [{ id: 'p1', title: 'P', price: 1e100 }])).json();
    expect(price.error.field).toBe('[0].price');
    const evs = [];
    for (let u = 0; u < 6; u++) for (const i of [u, (u + 1) % 6]) evs.push({ type: 'rating', userId: `r${u}`, itemId: `i${i}`, value: 1 + ((u + i) % 5) });
    await h.call('POST', '/v1/events', evs);
    expect((await h.call('POST', '/v1/train', {})).statusCode).toBe(200);
  });

  it('refuses properties nested deeper than 8 or larger than 16 KB by index and stores the rest of the batch, even 20,000 deep', async () => {
    const good = Array.from({ length: 997 }, (_, i) => ({ messageId: `deep-ok-${i}`, type: 'view', userId: `d${i % 10}`, itemId: 'i1', properties: { n: i } }));
    const raw =
      `[${good.map((e) => JSON.stringify(e)).join(',')},` +
      `{"messageId":"deep-20000","type":"view","userId":"d1","itemId":"i1","properties":${nestedJson(20_000)}},` +
      `{"messageId":"deep-9","type":"view","userId":"d1","itemId":"i1","properties":${nestedJson(9)}},` +
      `{"messageId":"deep-8","type":"view","userId":"d1","itemId":"i1","properties":${nestedJson(8)}}]`;
    const r = await h.call('POST', '/v1/events', raw, { ...AUTH, 'content-type': 'application/json' });
    expect(r.statusCode).toBe(200);
    expect(r.json().accepted).toBe(998);
    expect(r.json().rejected.map((x: { index: number; field: string }) => [x.index, x.field])).toEqual([
      [997, '[997].properties'],
      [998, '[998].properties'],
    ]);
    expect(r.json().rejected[0].error).toMatch(/at most 8 levels/);
    const big = await h.call('POST', '/v1/events', [
      { type: 'view', userId: 'd1', itemId: 'i1', properties: { text: 'x'.repeat(17 * 1024) } },
      { type: 'view', userId: 'd1', itemId: 'i1', properties: { text: 'x'.repeat(15 * 1024) } },
    ]);
    expect(big.json()).toMatchObject({ accepted: 1, rejected: [{ index: 0, field: '[0].properties' }] });
    expect(big.json().rejected[0].error).toMatch(/16 KB/);
    expect(await h.store.countEvents('default')).toBeGreaterThanOrEqual(999);
  });

  it('refuses item attributes nested too deep or too large by index and stores the other items', async () => {
    const raw =
      `[{"id":"a1","title":"A1","attributes":${nestedJson(20_000)}},{"id":"a2","title":"A2","attributes":{"brand":"acme","size":{"eu":42}}},` +
      `{"id":"a3","title":"A3","attributes":{"blob":"${'y'.repeat(17 * 1024)}"}}]`;
    const r = await h.call('PUT', '/v1/items', raw, { ...AUTH, 'content-type': 'application/json' });
    expect(r.statusCode).toBe(200);
    expect(r.json().upserted).toBe(1);
    expect(r.json().rejected.map((x: { field: string }) => x.field)).toEqual(['[0].attributes', '[2].attributes']);
    expect((await h.call('GET', '/v1/items/a2')).json().attributes).toEqual({ brand: 'acme', size: { eu: 42 } });
    expect((await h.call('GET', '/v1/items/a1')).statusCode).toBe(404);
  });

  it('never answers 5xx to a 20,000-deep body on any ingest route', async () => {
    const deep = nestedJson(20_000);
    for (const [m, url, body] of [
      ['POST', '/v1/events', `{"type":"view","userId":"z","itemId":"i1","properties":${deep}}`],
      ['PUT', '/v1/users/z', `{"traits":${deep}}`],
      ['PUT', '/v1/users/z', `{"traits":{"x":${deep}}}`],
      ['POST', '/v1/alias', `{"anonymousId":${deep},"userId":"z"}`],
      ['POST', '/v1/chat', `{"userId":"z","message":${deep}}`],
      ['PUT', '/v1/settings/ranking', `{"rules":[{"kind":"boost","match":${deep},"factor":2}]}`],
    ] as const) {
      const r = await h.call(m, url, body, { ...AUTH, 'content-type': 'application/json' });
      expect(r.statusCode, `${m} ${url}`).toBeGreaterThanOrEqual(400);
      expect(r.statusCode, `${m} ${url}`).toBeLessThan(500);
    }
  });

  it('keeps user ids and anonymous visitors apart: a user id may not start with "anon:"', async () => {
    await h.call('POST', '/v1/events', [{ messageId: 'carol-1', type: 'view', anonymousId: 'carol-anon', itemId: 'i2' }]);
    const ev = await h.call('POST', '/v1/events', [
      { type: 'view', userId: 'anon:carol-anon', itemId: 'i3' },
      { type: 'view', userId: 'carol', itemId: 'i3' },
    ]);
    expect(ev.json()).toMatchObject({ accepted: 1, rejected: [{ index: 0, field: '[0].userId' }] });
    const refused: Array<[string, string, unknown, string]> = [
      ['GET', '/v1/users/anon:carol-anon/export', undefined, 'id'],
      ['GET', '/v1/users/anon%3Acarol-anon/transparency', undefined, 'id'],
      ['GET', '/v1/users/anon:carol-anon/profile', undefined, 'id'],
      ['GET', '/v1/users/anon:carol-anon/consent', undefined, 'id'],
      ['PUT', '/v1/users/anon:carol-anon/consent', { personalization: false }, 'id'],
      ['POST', '/v1/users/anon:carol-anon/objection', {}, 'id'],
      ['POST', '/v1/users/anon:carol-anon/token', {}, 'id'],
      ['PUT', '/v1/users/anon:carol-anon', { traits: { name: 'x' } }, 'id'],
      ['DELETE', '/v1/users/anon:carol-anon', undefined, 'id'],
      ['GET', '/v1/recommendations?userId=anon:carol-anon', undefined, 'userId'],
      ['GET', '/v1/chat/opener?userId=anon:carol-anon', undefined, 'userId'],
      ['POST', '/v1/chat', { userId: 'anon:carol-anon', message: 'what do you know about me?' }, 'userId'],
      ['POST', '/v1/alias', { anonymousId: 'x', userId: 'anon:carol-anon' }, 'userId'],
      ['POST', '/v1/events', { type: 'view', userId: 'anon:carol-anon', itemId: 'i1' }, 'userId'],
    ];
    for (const [m, url, body, field] of refused) {
      const r = await h.call(m, url, body);
      expect(r.statusCode, `${m} ${url}`).toBe(400);
      expect(r.json().error.field, `${m} ${url}`).toMatch(new RegExp(`(^|\\.)${field}$`));
    }
    // The visitor is untouched, and still reachable as an anonymous visitor.
    expect((await h.store.eventsOf('default', 'anon:carol-anon')).map((e) => e.messageId)).toEqual(['carol-1']);
    expect((await h.call('GET', '/v1/recommendations?anonymousId=carol-anon')).statusCode).toBe(200);
    // Ids merely containing the prefix elsewhere are ordinary user ids.
    expect((await h.call('GET', '/v1/users/user-anon:1/export')).statusCode).toBe(200);
  });

  it('refuses impossible and out-of-range timestamps, strictly', async () => {
    const cases = [
      '-271821-04-20T00:00:00Z',
      '2020-02-30',
      '2021-02-29T10:00:00Z',
      '2020-13-01',
      '2020-01-01T24:00:00Z',
      '1969-12-31T23:59:59Z',
      '+275760-09-13T00:00:00Z',
      'Jan 5 2020',
      '2020-1-5',
    ];
    const r = await h.call('POST', '/v1/events', [
      ...cases.map((timestamp) => ({ type: 'view', userId: 'ts', itemId: 'i1', timestamp })),
      { type: 'view', userId: 'ts', itemId: 'i1', timestamp: -1 },
      { type: 'view', userId: 'ts', itemId: 'i1', timestamp: 8.64e15 },
      { messageId: 'ts-leap', type: 'view', userId: 'ts', itemId: 'i1', timestamp: '2024-02-29' },
      { messageId: 'ts-offset', type: 'view', userId: 'ts', itemId: 'i1', timestamp: '2025-06-01T12:30:00.250+02:00' },
      { messageId: 'ts-ms', type: 'view', userId: 'ts', itemId: 'i1', timestamp: 1_700_000_000_000 },
    ]);
    expect(r.json().accepted).toBe(3);
    expect(r.json().rejected.map((x: { field: string }) => x.field)).toEqual(Array.from({ length: cases.length + 2 }, (_, i) => `[${i}].timestamp`));
    const stored = new Map((await h.store.eventsOf('default', 'ts')).map((e) => [e.messageId, e.timestamp]));
    expect(stored.get('ts-leap')).toBe(Date.UTC(2024, 1, 29));
    expect(stored.get('ts-offset')).toBe(Date.UTC(2025, 5, 1, 10, 30, 0, 250));
    expect(stored.get('ts-ms')).toBe(1_700_000_000_000);
  });
});

describe('strict ISO 8601', () => {
  it('reads a time without an offset as UTC, and refuses dates that do not exist', () => {
    expect(parseIsoTime('2026-01-15T12:00:00')).toBe(Date.UTC(2026, 0, 15, 12));
    expect(parseIsoTime('2026-01-15T12:00:00.000Z')).toBe(Date.UTC(2026, 0, 15, 12));
    expect(parseIsoTime('2026-01-15T12:00-0130')).toBe(Date.UTC(2026, 0, 15, 13, 30));
    expect(parseIsoTime('9999-12-31T23:59:59.999Z')).toBe(Date.UTC(9999, 11, 31, 23, 59, 59, 999));
    for (const bad of [
      '2020-02-30',
      '2019-02-29',
      '2020-04-31',
      '2020-00-10',
      '2020-01-01T12:60:00Z',
      '2020-01-01T12:00:00+25:00',
      '2020-01-01T12:00:00ZZ',
      ' 2020-01-01',
      '20200101',
    ]) {
      expect(parseIsoTime(bad), bad).toBeNaN();
    }
  });
});

describe('the HTTP shell', () => {
  let h: Harness;
  afterEach(async () => h?.close());

  it('answers 415 to a body that is not JSON, as the README says', async () => {
    h = await sqliteHarness();
    for (const type of ['text/plain', 'text/plain; charset=utf-8', 'application/x-www-form-urlencoded', 'application/xml']) {
      const r = await h.call('POST', '/v1/events', '[{"type":"view","userId":"u","itemId":"i1"}]', { ...AUTH, 'content-type': type });
      expect(r.statusCode, type).toBe(415);
      expect(r.json().error.code).toBe('unsupported_media_type');
    }
    expect(await h.store.countEvents('default')).toBe(0);
  });

  it('answers 404 to an unknown route for every valid key, and 401 without one', async () => {
    h = await sqliteHarness();
    for (const scope of ['public', 'server', 'admin'] as const) {
      const key = (await h.call('POST', '/v1/keys', { scope })).json().key as string;
      const r = await h.call('GET', '/v1/no-such-route', undefined, { authorization: `Bearer ${key}` });
      expect(r.statusCode, scope).toBe(404);
      expect(r.json().error.code).toBe('not_found');
      expect((await h.call('POST', '/v1/users/u/nothing-here', {}, { authorization: `Bearer ${key}` })).statusCode, scope).toBe(404);
    }
    expect((await h.call('GET', '/v1/no-such-route', undefined, {})).statusCode).toBe(401);
  });
});
