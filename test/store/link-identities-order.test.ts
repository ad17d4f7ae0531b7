import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { storedEvent } from '../stored-event.ts';

/**
 * linkIdentities applies links in order. PostgreSQL does independent links (distinct visitors, no
 * visitor also a target) in one statement and the rest one by one: both paths, on both stores.
 */
const url = process.env.AFIN_TEST_DATABASE_URL;
const stores: Array<[string, () => Promise<Store>]> = [['sqlite', async () => new SqliteStore(':memory:')]];
if (url) stores.push(['postgres', async () => new PostgresStore({ connectionString: url, schema: `afin_test_${randomBytes(6).toString('hex')}`, max: 2 })]);

const ev = (messageId: string, subject: string, t: number) =>
  storedEvent(messageId, subject, { userId: null, anonymousId: subject.replace(/^anon:/, ''), timestamp: t });

for (const [label, open] of stores) {
  describe(`linkIdentities order: ${label}`, () => {
    const opened: Store[] = [];
    const fresh = async () => {
      const s = await open();
      await s.migrate();
      opened.push(s);
      return s;
    };
    afterAll(async () => {
      for (const s of opened) {
        if (s instanceof PostgresStore) await s.dropSchema();
        await s.close();
      }
    });

    it('links the same visitor twice in one call in order: the events follow the first, the link the last', async () => {
      const s = await fresh();
      await s.insertEvents('w', [ev('a1', 'anon:x', 1), ev('a2', 'anon:x', 2)]);
      const moved = await s.linkIdentities(
        'w',
        [
          { anonymousId: 'x', userId: 'u1', from: 'anon:x' },
          { anonymousId: 'x', userId: 'u2', from: 'anon:x' },
        ],
        5,
      );
      expect(moved).toEqual([2, 0]);
      expect((await s.eventsOf('w', 'u1')).map((e) => [e.messageId, e.userId])).toEqual([
        ['a1', 'u1'],
        ['a2', 'u1'],
      ]);
      expect(await s.resolveAnonymous('w', 'x')).toBe('u2');
    });

    it('moves a chain in order when a visitor is also a target', async () => {
      const s = await fresh();
      await s.insertEvents('w', [ev('b1', 'anon:y', 1), ev('b2', 'anon:z', 2)]);
      // anon:y's events go to anon:z first, then anon:z's (now both) to u3.
      const moved = await s.linkIdentities(
        'w',
        [
          { anonymousId: 'y', userId: 'anon:z', from: 'anon:y' },
          { anonymousId: 'z', userId: 'u3', from: 'anon:z' },
        ],
        5,
      );
      expect(moved).toEqual([1, 2]);
      expect((await s.eventsOf('w', 'u3')).map((e) => e.messageId)).toEqual(['b1', 'b2']);
    });

    it('drops each linked visitor’s profile on the one-by-one path too', async () => {
      // The dependent links' own statements (a chain): each visitor's profile goes with its events.
      const s = await fresh();
      await s.insertEvents('w', [ev('c1', 'anon:p', 1), ev('c2', 'anon:q', 2)]);
      await s.putProfiles('w', [
        { subject: 'anon:p', profile: { p: 1 } },
        { subject: 'anon:q', profile: { q: 1 } },
        { subject: 'u4', profile: { kept: true } },
      ]);
      await s.linkIdentities(
        'w',
        [
          { anonymousId: 'p', userId: 'anon:q', from: 'anon:p' },
          { anonymousId: 'q', userId: 'u4', from: 'anon:q' },
        ],
        5,
      );
      expect([...(await s.getProfiles('w', ['anon:p', 'anon:q', 'u4'])).keys()]).toEqual(['u4']);
    });

    it('links many independent visitors at once, counting per link, and drops their profiles', async () => {
      const s = await fresh();
      const visitors = Array.from({ length: 30 }, (_, i) => `v${i}`);
      await s.insertEvents(
        'w',
        visitors.flatMap((v, i) => Array.from({ length: i % 3 }, (_, k) => ev(`${v}-${k}`, `anon:${v}`, k))),
      );
      await s.putProfiles(
        'w',
        visitors.map((v) => ({ subject: `anon:${v}`, profile: { v } })),
      );
      const moved = await s.linkIdentities(
        'w',
        visitors.map((v, i) => ({ anonymousId: v, userId: `user${i % 7}`, from: `anon:${v}` })),
        9,
      );
      expect(moved).toEqual(visitors.map((_, i) => i % 3));
      expect(
        (
          await s.getProfiles(
            'w',
            visitors.map((v) => `anon:${v}`),
          )
        ).size,
      ).toBe(0);
      expect(await s.countEvents('w')).toBe(30);
      expect((await s.eventsOf('w', 'user1')).length).toBe([1, 8, 15, 22, 29].reduce((n, i) => n + (i % 3), 0));
    });
  });
}
