import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { suiteNotRun } from '../suite-not-run.ts';

const url = process.env.AFIN_TEST_DATABASE_URL;

if (!url) suiteNotRun('PostgreSQL consent reads', 'AFIN_TEST_DATABASE_URL');
else {
  /** Consent reads asked together (the ingest path's whole batch) share one query and stay per person. */
  describe('PostgresStore consent reads in one turn', () => {
    const schema = `afin_test_${randomBytes(6).toString('hex')}`;
    let store: PostgresStore;
    beforeAll(async () => {
      store = new PostgresStore({ connectionString: url, schema, max: 2 });
      await store.migrate();
    });
    afterAll(async () => {
      await store.dropSchema();
      await store.close();
    });

    it('answers each person with their own history, in order, in one query, and sees writes made before the call', async () => {
      const at = (n: number) => ({ purposes: { profiling: n % 2 === 0 }, source: 'api', policyVersion: `v${n}`, at: n });
      await store.appendConsent('w', 'u1', at(1));
      await store.appendConsent('w', 'u2', at(2));
      await store.appendConsent('w', 'u1', at(3));
      await store.appendConsent('other', 'u3', at(4));
      const queries: string[] = [];
      const query = store.pool.query.bind(store.pool);
      store.pool.query = ((text: string, ...rest: unknown[]) => {
        queries.push(text);
        return (query as (...a: unknown[]) => unknown)(text, ...rest);
      }) as typeof store.pool.query;
      try {
        const [u1, u2, u3, again] = await Promise.all(['u1', 'u2', 'u3', 'u1'].map((u) => store.consentHistory('w', u)));
        expect(u1).toEqual([at(1), at(3)]);
        expect(again).toEqual([at(1), at(3)]);
        expect(again).not.toBe(u1);
        expect(u2).toEqual([at(2)]);
        expect(u3).toEqual([]); // u3's consent is in another workspace
        expect(queries.filter((q) => q.includes('FROM consent'))).toHaveLength(1);
        await store.appendConsent('w', 'u2', at(6));
        expect(await store.consentHistory('w', 'u2')).toEqual([at(2), at(6)]);
      } finally {
        store.pool.query = query;
      }
    });
  });
}
