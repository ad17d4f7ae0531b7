import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/server/compose.ts';
import { buildApp } from '../../src/server/app.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { AUTH, ROOT_KEY, items } from '../helpers.ts';
import { suiteNotRun } from '../suite-not-run.ts';

const url = process.env.AFIN_TEST_DATABASE_URL;

if (!url) suiteNotRun('Multi-node PostgreSQL suite', 'AFIN_TEST_DATABASE_URL');
else {
  describe('two API nodes on one PostgreSQL', () => {
    const schema = `afin_test_${randomBytes(6).toString('hex')}`;
    const stores: PostgresStore[] = [];
    const engines: Engine[] = [];
    afterAll(async () => {
      await Promise.all(engines.map((e) => e.recLog.close()));
      await stores[0]?.dropSchema();
      await Promise.all(stores.map((s) => s.close()));
    });

    async function node() {
      const store = new PostgresStore({ connectionString: url!, schema, max: 4 });
      stores.push(store);
      await store.migrate();
      await store.createWorkspace({ id: 'default', name: null, createdAt: Date.now() });
      const engine = new Engine(store, { adminKey: ROOT_KEY }, { cacheMaxAgeMs: 0 });
      engines.push(engine);
      return buildApp({ engine });
    }

    it("shares items, events, models and keys, and sees the other node's writes", async () => {
      const [a, b] = [await node(), await node()];
      expect((await a.inject({ method: 'PUT', url: '/v1/items', headers: AUTH, payload: items(6) })).json().upserted).toBe(6);
      const evs = [];
      for (let u = 0; u < 6; u++) evs.push({ type: 'view', userId: `u${u}`, itemId: 'i0' }, { type: 'purchase', userId: `u${u}`, itemId: 'i1' });
      expect((await b.inject({ method: 'POST', url: '/v1/events', headers: AUTH, payload: evs })).json().accepted).toBe(12);
      expect((await a.inject({ method: 'POST', url: '/v1/train', headers: AUTH, payload: {} })).statusCode).toBe(200);
      // Node B serves the model node A trained, for an event it never saw itself. (The item-to-item model
      // makes the expected answer unambiguous: everyone who viewed i0 bought i1.)
      await a.inject({ method: 'POST', url: '/v1/events', headers: AUTH, payload: [{ type: 'view', userId: 'x', itemId: 'i0' }] });
      const r = (await b.inject({ method: 'GET', url: '/v1/recommendations?userId=x&n=1&model=cooccurrence', headers: AUTH })).json();
      expect(r.items[0].id).toBe('i1');
      expect(r.personalized).toBe(true);
      // An item made unavailable on A disappears from B's answers.
      await a.inject({ method: 'PUT', url: '/v1/items', headers: AUTH, payload: [{ id: 'i1', title: 'Item 1', available: false }] });
      const r2 = (await b.inject({ method: 'GET', url: '/v1/recommendations?userId=x&n=5', headers: AUTH })).json();
      expect(r2.items.map((i: { id: string }) => i.id)).not.toContain('i1');
      // A key created on A works on B; revoked on A, it stops working on B once B's key cache expires.
      const k = (await a.inject({ method: 'POST', url: '/v1/keys', headers: AUTH, payload: { scope: 'server' } })).json();
      expect((await b.inject({ method: 'GET', url: '/v1/users/x/profile', headers: { authorization: `Bearer ${k.key}` } })).statusCode).toBe(200);
      await Promise.all([a.close(), b.close()]);
    });
  });
}
