import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import type { ProfileUpdater } from '../../src/store/store.ts';
import { storedEvent } from '../stored-event.ts';
import { countingInPlace } from './counting-updater.ts';
import { suiteNotRun } from '../suite-not-run.ts';

const url = process.env.AFIN_TEST_DATABASE_URL;

if (!url) suiteNotRun('PostgreSQL store mutation tests', 'AFIN_TEST_DATABASE_URL');
else {
  /**
   * What the PostgreSQL ingest path's profile cache saves, which no result shows: a group about people
   * this node wrote last reads their row versions only, not their bodies. Each test names the mutants of
   * src/store/postgres/postgres-store.ts it kills (issue 11); a store that read every body again would
   * give the same answers, only slower.
   */
  describe('PostgresStore profile reads on the ingest path', () => {
    const schema = `afin_test_${randomBytes(6).toString('hex')}`;
    let node: PostgresStore;
    let other: PostgresStore;
    /** Per profile read of the ingest path: each person's subject and whether their body came back. */
    const reads: Array<Record<string, boolean>> = [];

    beforeAll(async () => {
      node = new PostgresStore({ connectionString: url, schema, max: 2 });
      other = new PostgresStore({ connectionString: url, schema, max: 2 });
      await node.migrate();
      const watched = new WeakSet<pg.PoolClient>();
      node.pool.on('acquire', (c) => {
        if (watched.has(c)) return;
        watched.add(c);
        const query = c.query.bind(c) as (...a: unknown[]) => Promise<pg.QueryResult>;
        (c as { query: unknown }).query = async (...a: unknown[]) => {
          const res = await query(...a);
          if (typeof a[0] === 'string' && a[0].includes('IS DISTINCT FROM')) {
            reads.push(Object.fromEntries(res.rows.map((r) => [r.subject, r.body !== null])));
          }
          return res;
        };
      });
    });
    afterAll(async () => {
      await node.dropSchema();
      await node.close();
      await other.close();
    });

    const counting = countingInPlace;
    let seq = 0;
    const ingest = (s: PostgresStore, ...subjects: string[]) => ingestWith(counting, s, ...subjects);
    const ingestWith = (update: ProfileUpdater, s: PostgresStore, ...subjects: string[]) =>
      s.ingestEvents(
        'w',
        subjects.map((x) => storedEvent(`m${++seq}`, x)),
        new Set(subjects),
        update,
      );

    it('reads only the versions of the profiles it wrote last, and a body again once another node wrote it', async () => {
      // Mutants: the versions sent as `e?.version && null` (every body read again), the cache not kept
      // after the read or after the write, the cached copy used though the row changed (`r.body === null` → true).
      await node.putProfiles('w', [{ subject: 'p', profile: { n: 10 } }]);
      await ingest(node, 'p', 'q');
      await ingest(node, 'p', 'q');
      await ingest(node, 'p');
      await other.putProfiles('w', [{ subject: 'p', profile: { n: 100 } }]);
      await ingest(node, 'p', 'q');
      expect(reads).toEqual([{ p: true }, { p: false, q: false }, { p: false }, { p: true, q: false }]);
      expect(await node.getProfiles('w', ['p', 'q'])).toEqual(
        new Map([
          ['p', { n: 101 }],
          ['q', { n: 3 }],
        ]),
      );
    });

    it('caches only the profiles its updater returned: one changed in place and not returned is read again', async () => {
      // ProfileUpdater's contract: the store keeps only what the updater returns. Bug it catches: the
      // profile read for the group cached as read, so an updater that changed it in place without
      // returning it left that change in the cache, under the row's unchanged version, for the next batch.
      await other.putProfiles('w', [{ subject: 'r', profile: { n: 200 } }]);
      reads.length = 0;
      await ingestWith(
        (_inserted, current) => {
          for (const p of current.values()) p.n = 1000;
          return [];
        },
        node,
        'r',
      );
      await ingest(node, 'r');
      expect(reads).toEqual([{ r: true }, { r: true }]);
      expect(await node.getProfile('w', 'r')).toEqual({ n: 201 });
    });

    it('links independent visitors in one statement', async () => {
      // Mutant: `independent` → false, every batch of logins one by one (same results, three round trips a link).
      const texts: string[] = [];
      const query = node.pool.query.bind(node.pool) as (...a: unknown[]) => unknown;
      node.pool.query = ((...a: unknown[]) => {
        texts.push(String(a[0]));
        return query(...a);
      }) as typeof node.pool.query;
      try {
        await node.insertEvents('w', [storedEvent('v1', 'anon:v1'), storedEvent('v2', 'anon:v2')]);
        texts.length = 0;
        const links = ['v1', 'v2'].map((v) => ({ anonymousId: v, userId: `user-${v}`, from: `anon:${v}` }));
        expect(await node.linkIdentities('w', links, 5)).toEqual([1, 1]);
        expect(texts.filter((t) => t.includes('identity_links'))).toHaveLength(1);
      } finally {
        node.pool.query = query as typeof node.pool.query;
      }
    });
  });
}
