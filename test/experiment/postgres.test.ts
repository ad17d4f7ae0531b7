import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src/server/compose.ts';
import { buildApp } from '../../src/server/app.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { AUTH, ROOT_KEY, items } from '../helpers.ts';
import { suiteNotRun } from '../suite-not-run.ts';

const url = process.env.AFIN_TEST_DATABASE_URL;

if (!url) suiteNotRun('Experiments on PostgreSQL suite', 'AFIN_TEST_DATABASE_URL');
else {
  describe('experiments on two API nodes sharing one PostgreSQL', () => {
    const schema = `afin_test_${randomBytes(6).toString('hex')}`;
    const stores: PostgresStore[] = [];
    const engines: Engine[] = [];
    afterAll(async () => {
      await Promise.all(engines.map((e) => Promise.all([e.recLog.close(), e.experiments.close()])));
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

    it("both nodes serve each person the same variant; one node's results count the other's exposures and outcomes", async () => {
      const [a, b] = [await node(), await node()];
      const call = (app: typeof a, method: string, path: string, payload?: unknown) =>
        app.inject({ method: method as 'GET', url: path, headers: AUTH, ...(payload === undefined ? {} : { payload: payload as object }) });
      await call(a, 'PUT', '/v1/items', items(12));
      await call(a, 'POST', '/v1/experiments', {
        key: 'pg-exp',
        variants: [
          { name: 'control', weight: 1, strategy: 'none' },
          { name: 'pop', weight: 1, strategy: 'popular' },
        ],
      });
      await call(a, 'POST', '/v1/experiments/pg-exp/start');
      const purchases = [];
      for (let p = 0; p < 30; p++) {
        const served = (await call(p % 2 ? a : b, 'GET', `/v1/recommendations?userId=pg${p}&n=3`)).json();
        await Promise.all(engines.map((e) => e.experiments.log.flush())); // each node writes its log within a second; here, now
        const onA = (await call(a, 'GET', `/v1/experiments/pg-exp/assignments/pg${p}`)).json().variant;
        const onB = (await call(b, 'GET', `/v1/experiments/pg-exp/assignments/pg${p}`)).json().variant;
        expect(onB).toBe(onA);
        expect(served.items.length === 0).toBe(onA === 'control');
        if (onA === 'pop')
          purchases.push({ type: 'purchase', userId: `pg${p}`, itemId: served.items[0].id, value: 10, recommendationId: served.recommendationId });
      }
      await call(b, 'POST', '/v1/events', purchases);
      const r = (await call(a, 'GET', '/v1/experiments/pg-exp/results')).json();
      expect(r.people).toBe(30);
      expect(r.variants.reduce((s: number, v: { answers: number }) => s + v.answers, 0)).toBe(30);
      const conversion = r.metrics.find((m: { metric: string }) => m.metric === 'conversion');
      expect(conversion.values.map((v: { value: number }) => v.value)).toEqual([0, 1]);
      await Promise.all([a.close(), b.close()]);
    });
  });
}
