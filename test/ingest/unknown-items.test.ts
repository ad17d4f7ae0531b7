import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/server/compose.ts';
import { buildApp } from '../../src/server/app.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { AUTH, ROOT_KEY, items, testClock } from '../helpers.ts';

/**
 * Issue 20: events naming items the catalogue does not have are still stored (they count once the
 * item arrives), and the events answer lists those items with how many accepted events named each.
 * Through the HTTP API, on the embedded store and on PostgreSQL when AFIN_TEST_DATABASE_URL is set.
 */

interface Harness {
  call(method: string, url: string, payload?: unknown): Promise<LightMyRequestResponse>;
  store: Store;
  engine: Engine;
  close(): Promise<void>;
}

async function harness(store: Store, cleanup: () => Promise<void> | void): Promise<Harness> {
  const clock = testClock();
  await store.migrate();
  await store.createWorkspace({ id: 'default', name: null, createdAt: clock() });
  const engine = new Engine(store, { adminKey: ROOT_KEY }, { clock, cacheMaxAgeMs: 0, retrainAfterErasureMs: null });
  const app = await buildApp({ engine });
  return {
    store,
    engine,
    call: (method, url, payload) => app.inject({ method: method as 'GET', url, payload: payload as object, headers: AUTH }),
    async close() {
      await app.close();
      await engine.close();
      await cleanup();
    },
  };
}

const stores: Array<[string, () => Promise<Harness>]> = [
  [
    'SQLite',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'afin-unknown-items-'));
      return harness(new SqliteStore(join(dir, 'afin.db')), () => rmSync(dir, { recursive: true, force: true }));
    },
  ],
];
const pgUrl = process.env.AFIN_TEST_DATABASE_URL;
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
} else console.log('Unknown-items suite on PostgreSQL not run: set AFIN_TEST_DATABASE_URL');

describe.each(stores)('events naming items not in the catalogue (%s)', (_name, open) => {
  let h: Harness;
  beforeAll(async () => {
    h = await open();
    expect((await h.call('PUT', '/v1/items', items(4))).statusCode).toBe(200);
  });
  afterAll(async () => h?.close());

  it('stores them and lists each unknown item with how many accepted events named it', async () => {
    const batch = [
      { messageId: 'u-1', type: 'view', userId: 'ana', itemId: 'i1' },
      { messageId: 'u-2', type: 'view', userId: 'ana', itemId: 'ghost-a' },
      { messageId: 'u-3', type: 'purchase', userId: 'bo', itemId: 'ghost-b', value: 5 },
      { messageId: 'u-4', type: 'click', userId: 'bo', itemId: 'ghost-a' },
      { messageId: 'u-5', type: 'search', userId: 'bo', query: 'shoes' },
      { messageId: 'u-6', type: 'view', userId: 'bo', itemId: 'ghost-c' },
      { type: 'not-a-type', userId: 'bo', itemId: 'ghost-d' },
    ];
    const r = await h.call('POST', '/v1/events', batch);
    expect(r.statusCode).toBe(200);
    expect(r.json()).toEqual({
      accepted: 6,
      duplicates: 0,
      rejected: [expect.objectContaining({ index: 6 })],
      // In the order first named; a rejected event names nothing.
      unknownItems: [
        { itemId: 'ghost-a', events: 2 },
        { itemId: 'ghost-b', events: 1 },
        { itemId: 'ghost-c', events: 1 },
      ],
      unknownItemEvents: 4,
    });
    const stored = [...(await h.store.eventsOf('default', 'ana')), ...(await h.store.eventsOf('default', 'bo'))].map((e) => e.messageId).sort();
    expect(stored).toEqual(['u-1', 'u-2', 'u-3', 'u-4', 'u-5', 'u-6']);
  });

  it('leaves the field out when every item is known, and for duplicates (already reported when accepted)', async () => {
    const known = await h.call('POST', '/v1/events', [{ messageId: 'k-1', type: 'view', userId: 'ana', itemId: 'i2' }]);
    expect(known.json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    const again = await h.call('POST', '/v1/events', [{ messageId: 'u-2', type: 'view', userId: 'ana', itemId: 'ghost-a' }]);
    expect(again.json()).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
  });

  it('counts an item as known as soon as it is added to the catalogue', async () => {
    expect((await h.call('PUT', '/v1/items', [{ id: 'ghost-a', title: 'Arrived' }])).statusCode).toBe(200);
    const r = await h.call('POST', '/v1/events', [
      { messageId: 'a-1', type: 'view', userId: 'ana', itemId: 'ghost-a' },
      { messageId: 'a-2', type: 'view', userId: 'ana', itemId: 'ghost-b' },
    ]);
    expect(r.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [], unknownItems: [{ itemId: 'ghost-b', events: 1 }], unknownItemEvents: 1 });
  });

  it('lists at most 100 unknown items, and still counts every event', async () => {
    const r = await h.call(
      'POST',
      '/v1/events',
      Array.from({ length: 150 }, (_, i) => ({ messageId: `many-${i}`, type: 'view', userId: 'cy', itemId: `nope-${i % 120}` })),
    );
    const body = r.json() as { accepted: number; unknownItems: Array<{ itemId: string; events: number }>; unknownItemEvents: number };
    expect(body.accepted).toBe(150);
    expect(body.unknownItems).toHaveLength(100);
    expect(body.unknownItems[0]).toEqual({ itemId: 'nope-0', events: 2 });
    expect(body.unknownItems[99]).toEqual({ itemId: 'nope-99', events: 1 });
    expect(body.unknownItemEvents).toBe(150);
  });

  it('keeps events naming unknown items out of training, and trains on them once the item is added', async () => {
    // The catalogue now holds i0..i3 and ghost-a; ghost-b, ghost-c and nope-* are unknown.
    const [info] = await h.engine.train('default', { models: ['popularity'] });
    expect(info.items).toBe(5);
    await h.call('PUT', '/v1/items', [{ id: 'ghost-b', title: 'Arrived later' }]);
    const [after] = await h.engine.train('default', { models: ['popularity'] });
    expect(after.items).toBe(6);
  });
});
