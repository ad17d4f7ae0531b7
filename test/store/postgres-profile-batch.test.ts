import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { IngestService } from '../../src/ingest/ingest-service.ts';
import { WorkspaceState } from '../../src/recommend/workspace-state.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { suiteNotRun } from '../suite-not-run.ts';
import { storedEvent } from '../stored-event.ts';

/**
 * The PostgreSQL ingest writes a group's profiles as one JSON array of the objects (serialised once):
 * each stored body must still be, to the byte, JSON.stringify of the profile, as the SQLite store and
 * putProfiles write it (issue 13).
 */
const url = process.env.AFIN_TEST_DATABASE_URL;

if (!url) suiteNotRun('PostgreSQL profile batch write', 'AFIN_TEST_DATABASE_URL');
else {
  describe('PostgreSQL ingest profile bodies', () => {
    const store = new PostgresStore({ connectionString: url, schema: `afin_test_${randomBytes(6).toString('hex')}`, max: 2 });
    afterAll(async () => {
      await store.dropSchema();
      await store.close();
    });

    it('stores each profile of a group as exactly JSON.stringify(profile)', async () => {
      await store.migrate();
      const odd = ['q"uote', 'back\\slash', 'nul\u0000', 'lone \ud800', 'emoji 😀', 'ls \u2028 ps \u2029', 'tab\t nl\n', '{"not":"json"}'];
      const subjects = ['a', 'b', 'c', 'anon:d'];
      const profileOf = (s: string, n: number) => ({
        version: 1,
        subject: s,
        n,
        names: Object.fromEntries(odd.map((k, i) => [k, i / 7])),
        list: [...odd, null, 1e21, -0, 0.1 + 0.2],
        nested: { deeper: { x: odd[subjects.indexOf(s) % odd.length] } },
      });
      const written = new Map<string, Record<string, unknown>>();
      const r = await store.ingestEvents(
        'w',
        subjects.map((s, i) => storedEvent(`m${i}`, s, { timestamp: 1000 + i })),
        new Set(subjects),
        (inserted) =>
          inserted.map((e, i) => {
            const profile = profileOf(e.subject, i);
            written.set(e.subject, profile);
            return { subject: e.subject, profile };
          }),
      );
      expect(r.inserted).toHaveLength(4);
      const { rows } = await store.pool.query('SELECT subject, body FROM profiles WHERE workspace = $1 ORDER BY subject', ['w']);
      expect(rows.map((row) => row.subject)).toEqual([...subjects].sort());
      for (const row of rows) expect(row.body, row.subject).toBe(JSON.stringify(written.get(row.subject)));
    });

    it('keeps counting the profile of a person whose id holds a lone surrogate, batch after batch', async () => {
      await store.migrate();
      // PostgreSQL stores the id with U+FFFD for the lone surrogate: the profile read back must still be theirs.
      const ingest = new IngestService(store, new WorkspaceState(store, 0, () => 2_000_000));
      const userId = 'lone \ud800 user';
      for (let b = 0; b < 3; b++) {
        const r = await ingest.postEvents('odd', [
          { type: 'view', userId, itemId: 'i1', timestamp: 1_000_000 + b },
          { type: 'view', userId: 'plain', itemId: 'i1', timestamp: 1_000_000 + b },
        ]);
        expect(r.accepted).toBe(2);
      }
      const counts = async (s: string) => {
        const p = (await store.getProfile('odd', s)) as { events: Record<string, { count: number }> } | null;
        return p && Object.values(p.events).reduce((a, c) => a + c.count, 0);
      };
      expect(await counts('plain')).toBe(3);
      expect(await counts(userId)).toBe(3);
      expect(await store.eventsOf('odd', userId)).toHaveLength(3);
    });
  });
}
