import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import type { ConsentChange } from '../../src/domain/schemas.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';

/**
 * consentHistories, the ingest path's one read of a whole batch's consent: per person the same list,
 * in the same order, as consentHistory gives, and nobody else's rows (issue 13).
 */
const url = process.env.AFIN_TEST_DATABASE_URL;
const adapters: Array<[string, () => Promise<Store>]> = [['sqlite', async () => new SqliteStore(':memory:')]];
if (url) adapters.push(['postgres', async () => new PostgresStore({ connectionString: url, schema: `afin_test_${randomBytes(6).toString('hex')}`, max: 2 })]);

const change = (at: number, purposes: ConsentChange['purposes'], source = 'api'): ConsentChange => ({
  purposes,
  source,
  policyVersion: at % 2 ? `v${at}` : null,
  at,
});

for (const [name, open] of adapters) {
  describe(`consentHistories on ${name}`, () => {
    const opened: Store[] = [];
    afterAll(async () => {
      for (const s of opened) {
        if (s instanceof PostgresStore) await s.dropSchema();
        await s.close();
      }
    });
    const fresh = async () => {
      const s = await open();
      opened.push(s);
      await s.migrate();
      return s;
    };

    it("gives each asked person's history as consentHistory does, oldest first, and leaves out people with none", async () => {
      const s = await fresh();
      // Interleaved writes, so that per-person order comes from the sequence, not from the rows' position.
      await s.appendConsent('w1', 'ana', change(5, { profiling: true }));
      await s.appendConsent('w1', 'bo', change(3, { marketing: true }));
      await s.appendConsent('w1', 'ana', change(2, { profiling: false }, 'banner'));
      await s.appendConsent('w1', 'anon:v1', change(7, { personalization: false }));
      await s.appendConsent('w1', 'ana', change(9, { chatMemory: true }));
      await s.appendConsent('w1', 'o"dd\\name ü', change(4, { profiling: false }));
      // Ids a shopper's client can send (valid JSON escapes): a lone surrogate must find its own rows too,
      // or a person's "no" would be missed and their events profiled.
      await s.appendConsent('w1', 'lone \ud800', change(6, { profiling: false }));
      await s.appendConsent('w1', 'low \udc00 end', change(8, { profiling: false }));
      // Another workspace's rows about the same people are not theirs here.
      await s.appendConsent('w2', 'ana', change(1, { profiling: true }));
      await s.appendConsent('w2', 'cy', change(1, { profiling: true }));

      const asked = ['ana', 'cy', 'bo', 'anon:v1', 'nobody', 'o"dd\\name ü', 'ana', 'lone \ud800', 'low \udc00 end'];
      const got = await s.consentHistories('w1', asked);
      expect([...got.keys()].sort()).toEqual(['ana', 'anon:v1', 'bo', 'lone \ud800', 'low \udc00 end', 'o"dd\\name ü']);
      for (const id of new Set(asked)) {
        const one = await s.consentHistory('w1', id);
        if (one.length === 0) expect(got.has(id), id).toBe(false);
        else expect(got.get(id), id).toEqual(one);
      }
      expect(got.get('ana')!.map((c) => c.at)).toEqual([5, 2, 9]);
      // consentHistory itself finds those rows (PostgreSQL's batched point reads once missed them).
      expect((await s.consentHistory('w1', 'lone \ud800')).map((c) => c.at)).toEqual([6]);
      expect(got.get('low \udc00 end')!.map((c) => c.at)).toEqual([8]);
      expect([...(await s.consentHistories('w2', asked)).keys()].sort()).toEqual(['ana', 'cy']);
      expect((await s.consentHistories('w1', [])).size).toBe(0);
    });
  });
}
