/**
 * The behaviour every Store adapter must share. Each adapter's test file calls `runStoreContract`
 * with an `open` that returns a new store instance on the same database every time it is called
 * (so durability can be checked by closing one instance and reading through another).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent, StoredItem, StoredKey } from '../../src/domain/schemas.ts';
import type { Doc, ProfileUpdater, Store } from '../../src/store/store.ts';
import { storedEvent } from '../stored-event.ts';

export function runStoreContract(label: string, open: () => Promise<Store>, cleanup?: (s: Store) => Promise<void>): void {
  describe(`Store contract: ${label}`, () => {
    let store: Store;
    // Every test works in its own workspaces so the tests stay independent on one shared database.
    const run = Math.random().toString(36).slice(2, 8);
    let seq = 0;
    const freshWs = () => `w${run}-${++seq}`;

    beforeAll(async () => {
      store = await open();
      await store.migrate();
    });
    afterAll(async () => {
      if (!store) return;
      if (cleanup) await cleanup(store);
      await store.close();
    });

    const ev = (messageId: string, subject: string, timestamp: number, extra: Partial<StoredEvent> = {}): StoredEvent =>
      storedEvent(messageId, subject, { timestamp, receivedAt: timestamp + 1, ...extra });
    const item = (id: string, title: string, extra: Partial<StoredItem> = {}): StoredItem => ({ id, title, available: true, updatedAt: 1000, ...extra });
    const ids = (events: StoredEvent[]) => events.map((e) => e.messageId);
    const scanAll = async (ws: string, opts: { since?: number; pageSize?: number }) => {
      const pages: StoredEvent[][] = [];
      for await (const page of store.scanEvents(ws, opts)) pages.push(page);
      return pages;
    };

    describe('migrations', () => {
      it('migrate() again, on this and on a second instance, is a no-op that keeps the data', async () => {
        const ws = freshWs();
        await store.createWorkspace({ id: ws, name: 'kept', createdAt: 5 });
        await store.upsertItems(ws, [item('a', 'A')]);
        await store.migrate();
        const other = await open();
        try {
          await other.migrate();
          await other.migrate();
          expect(await other.getWorkspace(ws)).toEqual({ id: ws, name: 'kept', createdAt: 5 });
        } finally {
          await other.close();
        }
        expect(await store.getItem(ws, 'a')).toEqual(item('a', 'A'));
      });
    });

    describe('workspaces', () => {
      it('creates once, reads back, lists in id order', async () => {
        const a = freshWs();
        const b = `${a}-b`;
        const at = Date.UTC(2025, 0, 2);
        expect(await store.createWorkspace({ id: b, name: null, createdAt: at })).toBe(true);
        expect(await store.createWorkspace({ id: a, name: 'Shop', createdAt: at + 1 })).toBe(true);
        expect(await store.createWorkspace({ id: a, name: 'Other', createdAt: at + 2 })).toBe(false);
        expect(await store.getWorkspace(a)).toEqual({ id: a, name: 'Shop', createdAt: at + 1 });
        expect(await store.getWorkspace(b)).toEqual({ id: b, name: null, createdAt: at });
        expect(await store.getWorkspace(`${a}-missing`)).toBeNull();
        const listed = (await store.listWorkspaces()).map((w) => w.id);
        expect(listed).toEqual([...listed].sort());
        expect(listed.indexOf(a)).toBeGreaterThanOrEqual(0);
        expect(listed.indexOf(b)).toBe(listed.indexOf(a) + 1);
        expect(typeof (await store.listWorkspaces())[0].createdAt).toBe('number');
        const all = await store.listWorkspaces();
        expect(all.find((w) => w.id === a)).toEqual({ id: a, name: 'Shop', createdAt: at + 1 });
        expect(all.find((w) => w.id === b)).toEqual({ id: b, name: null, createdAt: at });
      });
    });

    describe('items', () => {
      it('upserts, updates, gets, lists in code-point order and deletes', async () => {
        const ws = freshWs();
        const full = item('b', 'Trail shoe', {
          description: 'Light',
          categories: ['shoes', 'running'],
          tags: ['trail'],
          price: 59.9,
          currency: 'EUR',
          attributes: { size: [42, 43], nested: { ok: true } },
          imageUrl: 'https://example.com/b.png',
          language: 'es',
          updatedAt: 1234,
        });
        expect(await store.upsertItems(ws, [full, item('a', 'Sock'), item('B', 'Cap')])).toBe(3);
        expect(await store.getItem(ws, 'b')).toEqual(full);
        // Binary order: upper case sorts before lower case in both adapters, whatever the locale.
        expect((await store.listItems(ws)).map((i) => i.id)).toEqual(['B', 'a', 'b']);

        await store.upsertItems(ws, [{ ...full, title: 'Trail shoe v2', available: false, updatedAt: 2000 }]);
        expect(await store.getItem(ws, 'b')).toEqual({ ...full, title: 'Trail shoe v2', available: false, updatedAt: 2000 });
        expect(await store.listItems(ws)).toHaveLength(3);

        expect(await store.deleteItem(ws, 'b')).toBe(true);
        expect(await store.deleteItem(ws, 'b')).toBe(false);
        expect(await store.getItem(ws, 'b')).toBeNull();
        expect(await store.getItem(ws, 'never')).toBeNull();
        expect((await store.listItems(ws)).map((i) => i.id)).toEqual(['B', 'a']);
      });

      it('keeps the last version when one batch repeats an id', async () => {
        const ws = freshWs();
        expect(await store.upsertItems(ws, [item('x', 'first'), item('x', 'second')])).toBe(2);
        expect((await store.getItem(ws, 'x'))?.title).toBe('second');
        expect(await store.listItems(ws)).toHaveLength(1);
        expect(await store.upsertItems(ws, [])).toBe(0);
      });

      it('keeps the same item id apart in two workspaces', async () => {
        const a = freshWs();
        const b = freshWs();
        await store.upsertItems(a, [item('same', 'in A')]);
        await store.upsertItems(b, [item('same', 'in B')]);
        expect((await store.getItem(a, 'same'))?.title).toBe('in A');
        expect((await store.getItem(b, 'same'))?.title).toBe('in B');
        expect(await store.deleteItem(a, 'same')).toBe(true);
        expect(await store.getItem(a, 'same')).toBeNull();
        expect((await store.getItem(b, 'same'))?.title).toBe('in B');
        expect(await store.listItems(a)).toEqual([]);
      });
    });

    describe('events', () => {
      it('round-trips every field, nulls included', async () => {
        const ws = freshWs();
        const full = ev('m-full', 'u1', 1_700_000_000_123, {
          type: 'rating',
          anonymousId: 'anon-1',
          value: 4.25,
          query: 'zapatillas baratas',
          channel: 'web',
          recommendationId: 'r-1',
          variant: 'B',
          properties: { nested: { list: [1, 'two', null] }, ñ: 'ü', nul: 'a\u0000b' },
        });
        const bare = ev('m-bare', 'anon:x', 1_700_000_000_124, { type: 'search', userId: null, itemId: null });
        expect(await store.insertEvents(ws, [full, bare])).toEqual({ inserted: [full, bare], duplicates: 0 });
        expect(await store.eventsOf(ws, 'u1')).toEqual([full]);
        expect(await store.eventsOf(ws, 'anon:x')).toEqual([bare]);
        const [stored] = await store.eventsOf(ws, 'u1');
        expect(typeof stored.timestamp).toBe('number');
        expect(typeof stored.receivedAt).toBe('number');
      });

      it('skips duplicate messageIds inside one batch and across batches, keeping input order', async () => {
        const ws = freshWs();
        const e1 = ev('m1', 'u', 10);
        const e2 = ev('m2', 'u', 20);
        const e1again = ev('m1', 'u', 99, { type: 'purchase' });
        expect(await store.insertEvents(ws, [e1, e2, e1again])).toEqual({ inserted: [e1, e2], duplicates: 1 });
        expect(await store.eventsOf(ws, 'u')).toEqual([e1, e2]);

        const e5 = ev('m5', 'u', 50);
        const e4 = ev('m4', 'u', 40);
        const e3 = ev('m3', 'u', 30);
        const res = await store.insertEvents(ws, [e5, e2, e4, e1, e3, e4]);
        expect(res.inserted).toEqual([e5, e4, e3]);
        expect(res.duplicates).toBe(3);
        expect(await store.countEvents(ws)).toBe(5);
        expect(await store.insertEvents(ws, [])).toEqual({ inserted: [], duplicates: 0 });
      });

      it('treats messageIds per workspace', async () => {
        const a = freshWs();
        const b = freshWs();
        await store.insertEvents(a, [ev('same', 'u', 1)]);
        expect((await store.insertEvents(b, [ev('same', 'u', 1)])).inserted).toHaveLength(1);
        expect(await store.countEvents(a)).toBe(1);
        expect(await store.countEvents(b)).toBe(1);
      });

      it('stores a batch of 500 with duplicates in one call', async () => {
        const ws = freshWs();
        await store.insertEvents(ws, [ev('big-0', 's0', 0), ev('big-7', 's7', 7)]);
        const batch = Array.from({ length: 500 }, (_, i) => ev(`big-${i % 450}`, `s${i % 13}`, i));
        const res = await store.insertEvents(ws, batch);
        expect(res.duplicates).toBe(52);
        expect(res.inserted).toHaveLength(448);
        expect(ids(res.inserted)).toEqual(
          batch
            .slice(0, 450)
            .map((e) => e.messageId)
            .filter((id) => id !== 'big-0' && id !== 'big-7'),
        );
        expect(await store.countEvents(ws)).toBe(450);
      });

      it('keeps acknowledged events after close, for another instance on the same database', async () => {
        const ws = freshWs();
        const first = await open();
        await first.migrate();
        const events = [ev('d1', 'u', 1), ev('d2', 'u', 2), ev('d1', 'u', 3)];
        expect((await first.insertEvents(ws, events)).inserted).toHaveLength(2);
        await first.close();

        const second = await open();
        try {
          await second.migrate();
          expect(await second.eventsOf(ws, 'u')).toEqual(events.slice(0, 2));
          expect(await second.insertEvents(ws, [ev('d2', 'u', 2)])).toEqual({ inserted: [], duplicates: 1 });
        } finally {
          await second.close();
        }
        expect(await store.countEvents(ws)).toBe(2);
      });

      it('eventsOf sorts by time, then arrival, and a limit keeps the newest', async () => {
        const ws = freshWs();
        await store.insertEvents(ws, [ev('t300', 'u', 300), ev('t100', 'u', 100), ev('t200a', 'u', 200)]);
        await store.insertEvents(ws, [ev('t200b', 'u', 200), ev('other', 'v', 150)]);
        expect(ids(await store.eventsOf(ws, 'u'))).toEqual(['t100', 't200a', 't200b', 't300']);
        expect(ids(await store.eventsOf(ws, 'u', 2))).toEqual(['t200b', 't300']);
        expect(ids(await store.eventsOf(ws, 'u', 3))).toEqual(['t200a', 't200b', 't300']);
        expect(ids(await store.eventsOf(ws, 'u', 10))).toEqual(['t100', 't200a', 't200b', 't300']);
        expect(await store.eventsOf(ws, 'nobody')).toEqual([]);
      });

      it('scanEvents pages in insertion order and honours since', async () => {
        const ws = freshWs();
        // Times run backwards so insertion order and time order disagree.
        const all = Array.from({ length: 7 }, (_, i) => ev(`s${i}`, `u${i % 2}`, 1000 - i * 100));
        await store.insertEvents(ws, all.slice(0, 4));
        await store.insertEvents(freshWs(), [ev('elsewhere', 'u0', 1000)]);
        await store.insertEvents(ws, all.slice(4));

        const pages = await scanAll(ws, { pageSize: 3 });
        expect(pages.map((p) => p.length)).toEqual([3, 3, 1]);
        expect(pages.flat()).toEqual(all);

        const exact = await scanAll(ws, { pageSize: 7 });
        expect(exact.map((p) => p.length)).toEqual([7]);
        expect((await scanAll(ws, {})).flat()).toEqual(all);

        // since is inclusive: ts 1000, 900, 800, 700 (s0..s3) are at or after 700.
        const recent = await scanAll(ws, { since: 700, pageSize: 2 });
        expect(recent.map((p) => p.length)).toEqual([2, 2]);
        expect(ids(recent.flat())).toEqual(['s0', 's1', 's2', 's3']);
        expect(await scanAll(ws, { since: 5000 })).toEqual([]);
        expect(await scanAll(freshWs(), { pageSize: 3 })).toEqual([]);
      });

      it('reassigns, deletes by subject and by age, and counts', async () => {
        const ws = freshWs();
        const anon = (id: string, ts: number, userId: string | null = null) => ev(id, 'anon:a', ts, { userId, anonymousId: 'a' });
        await store.insertEvents(ws, [anon('a1', 10), anon('a2', 20, 'known-before'), ev('k1', 'u1', 15), ev('x1', 'u2', 5)]);
        expect(await store.countEvents(ws)).toBe(4);

        expect(await store.reassignEvents(ws, 'anon:a', 'u1')).toBe(2);
        expect(await store.eventsOf(ws, 'anon:a')).toEqual([]);
        const moved = await store.eventsOf(ws, 'u1');
        expect(ids(moved)).toEqual(['a1', 'k1', 'a2']);
        expect(moved.map((e) => e.subject)).toEqual(['u1', 'u1', 'u1']);
        // A missing userId becomes the new subject; one already set is kept.
        expect(moved.map((e) => e.userId)).toEqual(['u1', 'u1', 'known-before']);
        expect(moved[0].anonymousId).toBe('a');
        expect(await store.reassignEvents(ws, 'anon:a', 'u1')).toBe(0);

        expect(await store.deleteEventsBefore(ws, 15)).toBe(2); // x1 (5) and a1 (10); k1 at 15 stays
        expect(ids(await store.eventsOf(ws, 'u1'))).toEqual(['k1', 'a2']);
        await store.insertEvents(ws, [ev('t1', 'u1', 20, { type: 'chat', itemId: null }), ev('t2', 'u2', 21, { type: 'chat', itemId: null })]);
        expect(await store.deleteEventsOf(ws, 'u1', ['chat', 'search'])).toBe(1);
        expect(await store.deleteEventsOf(ws, 'u1', [])).toBe(0);
        expect(ids(await store.eventsOf(ws, 'u2'))).toEqual(['t2']);
        await store.deleteEventsOf(ws, 'u2');
        expect(await store.deleteEventsOf(ws, 'u1')).toBe(2);
        expect(await store.deleteEventsOf(ws, 'u1')).toBe(0);
        expect(await store.countEvents(ws)).toBe(0);
        expect(await store.countEvents(freshWs())).toBe(0);
      });

      it('deletes only in its own workspace', async () => {
        const a = freshWs();
        const b = freshWs();
        await store.insertEvents(a, [ev('e', 'u', 1)]);
        await store.insertEvents(b, [ev('e', 'u', 1)]);
        expect(await store.deleteEventsOf(a, 'u')).toBe(1);
        expect(await store.deleteEventsBefore(a, 100)).toBe(0);
        expect(await store.reassignEvents(a, 'u', 'v')).toBe(0);
        expect(ids(await store.eventsOf(b, 'u'))).toEqual(['e']);
      });
    });

    describe('users', () => {
      it('creates, merges traits, keeps createdAt, deletes', async () => {
        const ws = freshWs();
        expect(await store.getUser(ws, 'u')).toBeNull();
        const created = await store.putUser(ws, 'u', { name: 'Ana', plan: 'free', n: 1 }, 100);
        expect(created).toEqual({ id: 'u', traits: { name: 'Ana', plan: 'free', n: 1 }, createdAt: 100, updatedAt: 100 });
        expect(await store.getUser(ws, 'u')).toEqual(created);

        const merged = await store.putUser(ws, 'u', { plan: 'pro', vip: true, n: null }, 200);
        expect(merged).toEqual({ id: 'u', traits: { name: 'Ana', plan: 'pro', n: null, vip: true }, createdAt: 100, updatedAt: 200 });
        expect(await store.getUser(ws, 'u')).toEqual(merged);
        expect((await store.putUser(ws, 'u', {}, 300)).traits).toEqual(merged.traits);

        expect(await store.getUser(freshWs(), 'u')).toBeNull();
        expect(await store.deleteUser(ws, 'u')).toBe(true);
        expect(await store.deleteUser(ws, 'u')).toBe(false);
        expect(await store.getUser(ws, 'u')).toBeNull();
        expect(await store.putUser(ws, 'u', { again: 1 }, 400)).toEqual({ id: 'u', traits: { again: 1 }, createdAt: 400, updatedAt: 400 });
      });

      it('loses no trait when two writes race on a new user', async () => {
        const ws = freshWs();
        await Promise.all([store.putUser(ws, 'r', { a: 1 }, 10), store.putUser(ws, 'r', { b: 2 }, 10)]);
        expect((await store.getUser(ws, 'r'))?.traits).toEqual({ a: 1, b: 2 });
      });
    });

    describe('ingestEvents (events and profiles in one transaction)', () => {
      const counting: ProfileUpdater = (inserted, current) => {
        const out = new Map<string, { n: number; ids: string[] }>();
        for (const e of inserted) {
          const p = out.get(e.subject) ?? { ...((current.get(e.subject) as { n: number; ids: string[] }) ?? { n: 0, ids: [] }) };
          out.set(e.subject, { n: p.n + 1, ids: [...p.ids, e.messageId] });
        }
        return [...out].map(([subject, profile]) => ({ subject, profile }));
      };

      it('updates the profiles of inserted events only, and only of allowed subjects', async () => {
        const ws = freshWs();
        const r = await store.ingestEvents(ws, [ev('g1', 'a', 1), ev('g2', 'b', 2), ev('g1', 'a', 3)], new Set(['a']), counting);
        expect(r.duplicates).toBe(1);
        expect(ids(r.inserted)).toEqual(['g1', 'g2']);
        expect(await store.getProfile(ws, 'a')).toEqual({ n: 1, ids: ['g1'] });
        expect(await store.getProfile(ws, 'b')).toBeNull();
        const again = await store.ingestEvents(ws, [ev('g1', 'a', 1), ev('g3', 'a', 4)], new Set(['a']), counting);
        expect(ids(again.inserted)).toEqual(['g3']);
        expect(await store.getProfile(ws, 'a')).toEqual({ n: 2, ids: ['g1', 'g3'] });
      });

      it('shows the updater only the profiles of subjects that may be profiled', async () => {
        const ws = freshWs();
        await store.putProfiles(ws, [
          { subject: 'ok', profile: { n: 1, ids: [] } },
          { subject: 'no', profile: { n: 9, ids: [] } },
        ]);
        const seen: string[] = [];
        await store.ingestEvents(ws, [ev('h1', 'ok', 1), ev('h2', 'no', 2)], new Set(['ok']), (inserted, current) => {
          seen.push(...current.keys());
          return counting(inserted, current);
        });
        expect(seen).toEqual(['ok']);
        expect(await store.getProfile(ws, 'no')).toEqual({ n: 9, ids: [] });
        expect(await store.getProfile(ws, 'ok')).toEqual({ n: 2, ids: ['h1'] });
      });

      it('loses no profile update when many batches about the same people run at once', async () => {
        const ws = freshWs();
        const batches = Array.from({ length: 24 }, (_, k) => [ev(`c${k}-a`, 'p1', k), ev(`c${k}-b`, 'p2', k), ev(`c${k}-c`, k % 2 ? 'p1' : 'p3', k)]);
        await Promise.all(batches.map((b) => store.ingestEvents(ws, b, new Set(['p1', 'p2', 'p3']), counting)));
        const p1 = (await store.getProfile(ws, 'p1')) as { n: number };
        const p2 = (await store.getProfile(ws, 'p2')) as { n: number };
        const p3 = (await store.getProfile(ws, 'p3')) as { n: number };
        expect([p1.n, p2.n, p3.n]).toEqual([36, 24, 12]);
      });

      it('concurrent batches repeating a messageId store it once, count it once in the profile and once as a duplicate', async () => {
        const ws = freshWs();
        const [r1, r2] = await Promise.all([
          store.ingestEvents(ws, [ev('dup-1', 'a', 1), ev('own-1', 'a', 2)], new Set(['a']), counting),
          store.ingestEvents(ws, [ev('own-2', 'a', 3), ev('dup-1', 'a', 1)], new Set(['a']), counting),
        ]);
        expect(r1.inserted.length + r2.inserted.length).toBe(3);
        expect(r1.duplicates + r2.duplicates).toBe(1);
        expect([...ids(r1.inserted), ...ids(r2.inserted)].sort()).toEqual(['dup-1', 'own-1', 'own-2']);
        const p = (await store.getProfile(ws, 'a')) as { n: number; ids: string[] };
        expect({ n: p.n, ids: [...p.ids].sort() }).toEqual({ n: 3, ids: ['dup-1', 'own-1', 'own-2'] });
      });

      it('a failing batch among concurrent ones loses only its own events', async () => {
        const ws = freshWs();
        const boom: ProfileUpdater = () => {
          throw new Error('boom');
        };
        const results = await Promise.allSettled([
          store.ingestEvents(ws, [ev('k1', 'a', 1)], new Set(['a']), counting),
          store.ingestEvents(ws, [ev('k2', 'a', 2)], new Set(['a']), boom),
          store.ingestEvents(ws, [ev('k3', 'a', 3)], new Set(['a']), counting),
        ]);
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
        expect(ids(await store.eventsOf(ws, 'a'))).toEqual(['k1', 'k3']);
        // Concurrent batches may commit in either order (PostgreSQL's lock queue decides), so the
        // profile's ids are compared as a set.
        const profile = (await store.getProfile(ws, 'a')) as { n: number; ids: string[] };
        expect({ n: profile.n, ids: [...profile.ids].sort() }).toEqual({ n: 2, ids: ['k1', 'k3'] });
      });

      it('a batch that changes profiles in place and then fails leaves no trace in them, among concurrent batches about the same people', async () => {
        const ws = freshWs();
        // Counts in place, as the ingest path's updater does, so a store that hands one batch's
        // unwritten result to the next (group commit) must not keep what a failed batch did to it.
        const inPlace =
          (fail: boolean): ProfileUpdater =>
          (inserted, current) => {
            const changed = new Map<string, Record<string, unknown>>();
            for (const e of inserted) {
              const p = current.get(e.subject) ?? { n: 0, ids: [] };
              p.n = (p.n as number) + 1;
              p.ids = [...(p.ids as string[]), e.messageId];
              changed.set(e.subject, p);
            }
            if (fail) throw new Error('boom');
            return [...changed].map(([subject, profile]) => ({ subject, profile }));
          };
        const results = await Promise.allSettled(
          Array.from({ length: 6 }, (_, k) => store.ingestEvents(ws, [ev(`ip${k}-a`, 'a', k), ev(`ip${k}-b`, 'b', k)], new Set(['a', 'b']), inPlace(k === 2))),
        );
        expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected', 'fulfilled', 'fulfilled', 'fulfilled']);
        const kept = ['ip0', 'ip1', 'ip3', 'ip4', 'ip5'];
        for (const s of ['a', 'b']) {
          const p = (await store.getProfile(ws, s)) as { n: number; ids: string[] };
          expect({ n: p.n, ids: [...p.ids].sort() }).toEqual({ n: 5, ids: kept.map((k) => `${k}-${s}`) });
        }
        expect(await store.countEvents(ws)).toBe(10);
        // The next batch starts from the stored profile, not from an object the failed batch changed.
        await store.ingestEvents(ws, [ev('ip6-a', 'a', 6)], new Set(['a']), inPlace(false));
        expect(((await store.getProfile(ws, 'a')) as { n: number }).n).toBe(6);
      });

      it('keeps only the profiles its updater returns: one changed in place and not returned is not what the next batch starts from', async () => {
        const ws = freshWs();
        await store.ingestEvents(ws, [ev('lp1', 'a', 1)], new Set(['a']), counting);
        await store.ingestEvents(ws, [ev('lp2', 'a', 2)], new Set(['a']), (_inserted, current) => {
          for (const p of current.values()) p.n = 1000;
          return [];
        });
        expect(await store.getProfile(ws, 'a')).toEqual({ n: 1, ids: ['lp1'] });
        await store.ingestEvents(ws, [ev('lp3', 'a', 3)], new Set(['a']), counting);
        expect(await store.getProfile(ws, 'a')).toEqual({ n: 2, ids: ['lp1', 'lp3'] });
      });

      it('starts from what another instance (another node, a CLI) wrote, changed or deleted since, not from its own last copy', async () => {
        const ws = freshWs();
        const other = await open();
        try {
          await other.migrate();
          // Each instance ingests in turn about the same person: a store that kept its own last copy of the
          // profile would lose the other's updates.
          await store.ingestEvents(ws, [ev('o1', 'a', 1)], new Set(['a']), counting);
          await other.ingestEvents(ws, [ev('o2', 'a', 2)], new Set(['a']), counting);
          await store.ingestEvents(ws, [ev('o3', 'a', 3)], new Set(['a']), counting);
          expect(await store.getProfile(ws, 'a')).toEqual({ n: 3, ids: ['o1', 'o2', 'o3'] });
          await other.ingestEvents(ws, [ev('o4', 'a', 4)], new Set(['a']), counting);
          await store.ingestEvents(ws, [ev('o5', 'a', 5)], new Set(['a']), counting);
          expect(await other.getProfile(ws, 'a')).toEqual({ n: 5, ids: ['o1', 'o2', 'o3', 'o4', 'o5'] });

          await other.putProfiles(ws, [{ subject: 'a', profile: { n: 10, ids: ['rebuilt'] } }]);
          await store.ingestEvents(ws, [ev('o6', 'a', 6)], new Set(['a']), counting);
          expect(await store.getProfile(ws, 'a')).toEqual({ n: 11, ids: ['rebuilt', 'o6'] });

          expect(await other.deleteProfile(ws, 'a')).toBe(true);
          await store.ingestEvents(ws, [ev('o7', 'a', 7)], new Set(['a']), counting);
          expect(await store.getProfile(ws, 'a')).toEqual({ n: 1, ids: ['o7'] });
        } finally {
          await other.close();
        }
      });

      it('stores profiles with any text in them exactly (quotes, backslashes, NUL, a lone surrogate, emoji, U+2028)', async () => {
        // The PostgreSQL store sends a group's profile bodies nested in one JSON array: each is escaped twice.
        const ws = freshWs();
        const tricky = { s: 'a "quote", a \\ backslash, \\u0000 as text, NUL \u0000, lone \ud800, emoji 😀, sep \u2028 end', nested: { '"k"': ['\\', '\n'] } };
        await store.ingestEvents(ws, [ev('tx1', 'a', 1), ev('tx2', 'b', 2)], new Set(['a', 'b']), (inserted) =>
          inserted.map((e) => ({ subject: e.subject, profile: { ...tricky, who: e.subject } })),
        );
        expect(await store.getProfile(ws, 'a')).toEqual({ ...tricky, who: 'a' });
        expect(await store.getProfile(ws, 'b')).toEqual({ ...tricky, who: 'b' });
      });

      it('stores nothing when the profile update fails', async () => {
        const ws = freshWs();
        await expect(
          store.ingestEvents(ws, [ev('f1', 'a', 1)], new Set(['a']), () => {
            throw new Error('boom');
          }),
        ).rejects.toThrow('boom');
        expect(await store.countEvents(ws)).toBe(0);
        expect((await store.insertEvents(ws, [ev('f1', 'a', 1)])).inserted).toHaveLength(1);
      });
    });

    describe('profiles', () => {
      it('puts, gets one or many, overwrites, deletes', async () => {
        const ws = freshWs();
        expect(await store.getProfile(ws, 's1')).toBeNull();
        await store.putProfiles(ws, [
          { subject: 's1', profile: { affinity: { shoes: 0.5 } } },
          { subject: 's2', profile: { n: 2 } },
        ]);
        expect(await store.getProfile(ws, 's1')).toEqual({ affinity: { shoes: 0.5 } });
        const many = await store.getProfiles(ws, ['s1', 's2', 'missing']);
        expect([...many.keys()].sort()).toEqual(['s1', 's2']);
        expect(many.get('s2')).toEqual({ n: 2 });
        expect((await store.getProfiles(ws, [])).size).toBe(0);
        expect((await store.getProfiles(freshWs(), ['s1'])).size).toBe(0);

        await store.putProfiles(ws, [
          { subject: 's1', profile: { v: 1 } },
          { subject: 's1', profile: { v: 2 } },
        ]);
        expect(await store.getProfile(ws, 's1')).toEqual({ v: 2 });
        await store.putProfiles(ws, []);

        expect(await store.deleteProfile(ws, 's1')).toBe(true);
        expect(await store.deleteProfile(ws, 's1')).toBe(false);
        expect(await store.getProfile(ws, 's1')).toBeNull();
      });

      it('getProfiles answers for more subjects than one query chunk', async () => {
        const ws = freshWs();
        const subjects = Array.from({ length: 1200 }, (_, i) => `p${i}`);
        await store.putProfiles(
          ws,
          subjects.map((subject, i) => ({ subject, profile: { i } })),
        );
        const got = await store.getProfiles(ws, [...subjects, 'nope']);
        expect(got.size).toBe(1200);
        expect(got.get('p1199')).toEqual({ i: 1199 });
      });
    });

    describe('consent', () => {
      it('keeps the history in append order and deletes it', async () => {
        const ws = freshWs();
        const changes = [
          { purposes: { personalization: true, marketing: false }, source: 'banner', policyVersion: 'v1', at: 300 },
          { purposes: { marketing: true }, source: 'settings', policyVersion: null, at: 100 },
          { purposes: { profiling: false }, source: 'api', policyVersion: 'v2', at: 200 },
        ];
        for (const c of changes) await store.appendConsent(ws, 'u', c);
        await store.appendConsent(ws, 'other', changes[0]);
        expect(await store.consentHistory(ws, 'u')).toEqual(changes);
        expect(await store.consentHistory(freshWs(), 'u')).toEqual([]);
        expect(await store.deleteConsent(ws, 'u')).toBe(3);
        expect(await store.consentHistory(ws, 'u')).toEqual([]);
        expect(await store.consentHistory(ws, 'other')).toHaveLength(1);
      });
    });

    describe('identity links', () => {
      it('links, resolves, relinks and deletes', async () => {
        const ws = freshWs();
        await store.linkIdentity(ws, 'anon-b', 'u1', 1);
        await store.linkIdentity(ws, 'anon-a', 'u1', 2);
        await store.linkIdentity(ws, 'anon-c', 'u2', 3);
        expect(await store.resolveAnonymous(ws, 'anon-a')).toBe('u1');
        expect(await store.resolveAnonymous(ws, 'unknown')).toBeNull();
        expect(await store.resolveAnonymous(freshWs(), 'anon-a')).toBeNull();
        expect(await store.anonymousIdsOf(ws, 'u1')).toEqual(['anon-a', 'anon-b']);

        await store.linkIdentity(ws, 'anon-b', 'u2', 4);
        expect(await store.resolveAnonymous(ws, 'anon-b')).toBe('u2');
        expect(await store.anonymousIdsOf(ws, 'u1')).toEqual(['anon-a']);
        expect(await store.anonymousIdsOf(ws, 'u2')).toEqual(['anon-b', 'anon-c']);

        expect(await store.deleteIdentityLinks(ws, 'u2')).toBe(2);
        expect(await store.anonymousIdsOf(ws, 'u2')).toEqual([]);
        expect(await store.resolveAnonymous(ws, 'anon-c')).toBeNull();
        expect(await store.resolveAnonymous(ws, 'anon-a')).toBe('u1');
      });
    });

    describe('linkIdentities and resolveAnonymousMany', () => {
      it('links several visitors in order, moves their events, drops their profiles and says how many moved', async () => {
        const ws = freshWs();
        const anon = (id: string, subject: string, t: number) => ev(id, subject, t, { userId: null, anonymousId: subject.slice(5) });
        await store.insertEvents(ws, [anon('a1', 'anon:x', 1), anon('a2', 'anon:x', 2), anon('a3', 'anon:y', 3), ev('u1', 'u1', 4)]);
        await store.putProfiles(ws, [
          { subject: 'anon:x', profile: { n: 2 } },
          { subject: 'anon:y', profile: { n: 1 } },
          { subject: 'u1', profile: { n: 1 } },
        ]);
        const moved = await store.linkIdentities(
          ws,
          [
            { anonymousId: 'x', userId: 'u1', from: 'anon:x' },
            { anonymousId: 'y', userId: 'u2', from: 'anon:y' },
            { anonymousId: 'w', userId: 'u2', from: 'anon:w' },
          ],
          10,
        );
        expect(moved).toEqual([2, 1, 0]);
        expect(ids(await store.eventsOf(ws, 'u1'))).toEqual(['a1', 'a2', 'u1']);
        expect((await store.eventsOf(ws, 'u1')).map((e) => e.userId)).toEqual(['u1', 'u1', 'u1']);
        expect(ids(await store.eventsOf(ws, 'u2'))).toEqual(['a3']);
        expect(await store.eventsOf(ws, 'anon:x')).toEqual([]);
        expect(await store.getProfile(ws, 'anon:x')).toBeNull();
        expect(await store.getProfile(ws, 'anon:y')).toBeNull();
        expect(await store.getProfile(ws, 'u1')).toEqual({ n: 1 });
        expect(await store.anonymousIdsOf(ws, 'u2')).toEqual(['w', 'y']);
        expect(await store.linkIdentities(ws, [], 11)).toEqual([]);
        // A later link of the same visitor moves it to another user.
        expect(await store.linkIdentities(ws, [{ anonymousId: 'x', userId: 'u3', from: 'anon:x' }], 12)).toEqual([0]);
        expect([...(await store.resolveAnonymousMany(ws, ['x', 'y', 'x', 'nobody']))].sort()).toEqual([
          ['x', 'u3'],
          ['y', 'u2'],
        ]);
        expect((await store.resolveAnonymousMany(ws, [])).size).toBe(0);
        expect((await store.resolveAnonymousMany(freshWs(), ['x'])).size).toBe(0);
      });
    });

    describe('blobs', () => {
      it('round-trips bytes exactly, including a subarray with a non-zero byteOffset', async () => {
        const ws = freshWs();
        const every = Uint8Array.from({ length: 256 }, (_, i) => i);
        const backing = Uint8Array.from({ length: 64 }, (_, i) => 200 - i);
        const slice = backing.subarray(13, 37);
        expect(slice.byteOffset).toBe(13);

        await store.putBlob(ws, 'model/every', every, { kind: 'test', dims: [2, 3] }, 111);
        await store.putBlob(ws, 'model/slice', slice, {}, 222);
        await store.putBlob(ws, 'empty', new Uint8Array(0), {}, 333);

        const got = await store.getBlob(ws, 'model/every');
        expect(got).not.toBeNull();
        expect(got!.data).toBeInstanceOf(Uint8Array);
        expect(Array.from(got!.data)).toEqual(Array.from(every));
        expect(got!.meta).toEqual({ kind: 'test', dims: [2, 3] });
        expect(got!.updatedAt).toBe(111);
        expect(got!.name).toBe('model/every');

        const s = await store.getBlob(ws, 'model/slice');
        expect(s!.data.byteLength).toBe(24);
        expect(Array.from(s!.data)).toEqual(Array.from(slice));
        expect((await store.getBlob(ws, 'empty'))!.data.byteLength).toBe(0);

        // A Float32Array stored through its bytes comes back bit for bit.
        const floats = new Float32Array([Math.PI, -0, 1e-40, Number.NaN]);
        await store.putBlob(ws, 'floats', new Uint8Array(floats.buffer), {}, 1);
        const fb = (await store.getBlob(ws, 'floats'))!.data;
        expect(Array.from(fb)).toEqual(Array.from(new Uint8Array(floats.buffer)));

        await store.putBlob(ws, 'model/every', Uint8Array.of(9, 8, 7), { v: 2 }, 444);
        const over = await store.getBlob(ws, 'model/every');
        expect(Array.from(over!.data)).toEqual([9, 8, 7]);
        expect(over!.meta).toEqual({ v: 2 });
        expect(over!.updatedAt).toBe(444);
        expect(await store.getBlob(freshWs(), 'model/every')).toBeNull();
      });

      it('gives info without data, lists by literal prefix, deletes', async () => {
        const ws = freshWs();
        for (const name of ['model/b', 'model/a', 'modelx', 'm%1', 'mx1', 'other']) await store.putBlob(ws, name, Uint8Array.of(1), { name }, 7);
        const info = await store.blobInfo(ws, 'model/a');
        expect(info).toEqual({ name: 'model/a', meta: { name: 'model/a' }, updatedAt: 7 });
        expect(await store.blobInfo(ws, 'missing')).toBeNull();

        expect((await store.listBlobs(ws, 'model/')).map((b) => b.name)).toEqual(['model/a', 'model/b']);
        expect((await store.listBlobs(ws, 'm%')).map((b) => b.name)).toEqual(['m%1']);
        expect((await store.listBlobs(ws)).map((b) => b.name)).toEqual(['m%1', 'model/a', 'model/b', 'modelx', 'mx1', 'other']);
        const listed = await store.listBlobs(ws, 'other');
        expect(listed).toEqual([{ name: 'other', meta: { name: 'other' }, updatedAt: 7 }]);
        expect(listed[0]).not.toHaveProperty('data');

        expect(await store.deleteBlob(ws, 'model/a')).toBe(true);
        expect(await store.deleteBlob(ws, 'model/a')).toBe(false);
        expect(await store.getBlob(ws, 'model/a')).toBeNull();
        expect((await store.listBlobs(ws, 'model/')).map((b) => b.name)).toEqual(['model/b']);
      });
    });

    describe('docs', () => {
      const doc = (collection: string, id: string, subject: string | null, createdAt: number, body: Record<string, unknown> = { id }): Doc => ({
        collection,
        id,
        subject,
        body,
        createdAt,
      });

      it('puts, gets, lists newest first by subject and limit', async () => {
        const ws = freshWs();
        const d1 = doc('chat', 'c1', 's1', 100, { turns: [{ role: 'user', text: 'hola' }] });
        const d2 = doc('chat', 'c2', 's2', 300);
        const d3 = doc('chat', 'c3', 's1', 200);
        const d4 = doc('chat', 'c4', null, 200);
        const a1 = doc('audit', 'a1', 's1', 50);
        await store.putDocs(ws, [d1, d2, d3, d4, a1]);

        expect(await store.getDoc(ws, 'chat', 'c1')).toEqual(d1);
        expect(await store.getDoc(ws, 'audit', 'c1')).toBeNull();
        expect(await store.getDoc(freshWs(), 'chat', 'c1')).toBeNull();
        // Newest first; equal times fall back to id, descending.
        expect((await store.listDocs(ws, 'chat')).map((d) => d.id)).toEqual(['c2', 'c4', 'c3', 'c1']);
        expect(await store.listDocs(ws, 'chat', { subject: 's1' })).toEqual([d3, d1]);
        expect((await store.listDocs(ws, 'chat', { limit: 2 })).map((d) => d.id)).toEqual(['c2', 'c4']);
        expect((await store.listDocs(ws, 'chat', { subject: 's1', limit: 1 })).map((d) => d.id)).toEqual(['c3']);
        expect(await store.listDocs(ws, 'none')).toEqual([]);
        expect(await store.getDoc(ws, 'chat', 'c4')).toEqual(d4);
      });

      it('updates body and subject but keeps the first createdAt', async () => {
        const ws = freshWs();
        await store.putDocs(ws, [doc('log', 'x', 's1', 100, { v: 1 })]);
        await store.putDocs(ws, [doc('log', 'x', 's2', 999, { v: 2 })]);
        expect(await store.getDoc(ws, 'log', 'x')).toEqual(doc('log', 'x', 's2', 100, { v: 2 }));
        await store.putDocs(ws, [doc('log', 'y', 's1', 10, { v: 1 }), doc('log', 'y', 's3', 20, { v: 3 })]);
        expect(await store.getDoc(ws, 'log', 'y')).toEqual(doc('log', 'y', 's3', 10, { v: 3 }));
        await store.putDocs(ws, []);
      });

      it('finds and deletes every document about a subject, in every collection', async () => {
        const ws = freshWs();
        const mine = [doc('chat', 'c2', 's1', 20), doc('audit', 'a1', 's1', 30), doc('chat', 'c1', 's1', 10)];
        await store.putDocs(ws, [...mine, doc('chat', 'c9', 's2', 5)]);
        await store.putDocs(freshWs(), [doc('chat', 'c1', 's1', 10)]);
        expect(await store.docsOfSubject(ws, 's1')).toEqual([mine[1], mine[2], mine[0]]);
        expect(await store.deleteDocsOfSubject(ws, 's1')).toBe(3);
        expect(await store.docsOfSubject(ws, 's1')).toEqual([]);
        expect(await store.docsOfSubject(ws, 's2')).toHaveLength(1);

        expect(await store.deleteDoc(ws, 'chat', 'c9')).toBe(true);
        expect(await store.deleteDoc(ws, 'chat', 'c9')).toBe(false);
        expect(await store.getDoc(ws, 'chat', 'c9')).toBeNull();
      });

      it('deletes the documents of one collection older than a time (retention)', async () => {
        const ws = freshWs();
        await store.putDocs(ws, [doc('log', 'old', 's1', 10), doc('log', 'edge', 's1', 20), doc('log', 'new', null, 30), doc('keep', 'k', 's1', 1)]);
        await store.putDocs(freshWs(), [doc('log', 'old', 's1', 10)]);
        expect(await store.deleteDocsBefore(ws, 'log', 20)).toBe(1);
        expect((await store.listDocs(ws, 'log')).map((d) => d.id)).toEqual(['new', 'edge']);
        expect(await store.getDoc(ws, 'keep', 'k')).not.toBeNull();
        expect(await store.deleteDocsBefore(ws, 'log', 20)).toBe(0);
      });

      it('trims a collection to its newest documents, in one workspace only', async () => {
        const ws = freshWs();
        const other = freshWs();
        await store.putDocs(
          ws,
          Array.from({ length: 10 }, (_, i) => doc('log', `d${i}`, 's1', 100 + i)),
        );
        await store.putDocs(ws, [doc('keep', 'k', 's1', 1)]);
        await store.putDocs(other, [doc('log', 'o', 's1', 1)]);
        expect(await store.trimDocs(ws, 'log', 20)).toBe(0); // fewer than the bound: nothing goes
        expect(await store.trimDocs(ws, 'log', 4)).toBe(6);
        expect((await store.listDocs(ws, 'log')).map((d) => d.id)).toEqual(['d9', 'd8', 'd7', 'd6']);
        expect(await store.getDoc(ws, 'keep', 'k')).not.toBeNull();
        expect(await store.getDoc(other, 'log', 'o')).not.toBeNull();
      });
    });

    describe('api keys', () => {
      it('inserts, finds by hash, lists, touches, deletes, knows about the root key', async () => {
        const ws = freshWs();
        const key = (id: string, extra: Partial<StoredKey> = {}): StoredKey => ({
          id,
          workspace: ws,
          scope: 'server',
          name: null,
          hash: `hash-${ws}-${id}`,
          root: false,
          createdAt: 100,
          lastUsedAt: null,
          ...extra,
        });
        expect(await store.hasRootKey()).toBe(false);
        const k2 = key('k2', { scope: 'public', name: 'widget', createdAt: 50 });
        const k1 = key('k1');
        await store.insertKey(k1);
        await store.insertKey(k2);
        expect(await store.hasRootKey()).toBe(false);
        await expect(store.insertKey(key('k3', { hash: k1.hash }))).rejects.toThrow();

        expect(await store.keyByHash(k1.hash)).toEqual(k1);
        expect(await store.keyByHash('nope')).toBeNull();
        expect(await store.listKeys(ws)).toEqual([k2, k1]);
        expect(await store.listKeys(freshWs())).toEqual([]);

        await store.touchKey('k1', 12345);
        expect((await store.keyByHash(k1.hash))?.lastUsedAt).toBe(12345);

        const root = key('root', { scope: 'admin', root: true, createdAt: 200 });
        await store.insertKey(root);
        expect(await store.hasRootKey()).toBe(true);
        expect(await store.keyByHash(root.hash)).toEqual(root);

        expect(await store.deleteKey(freshWs(), 'k1')).toBe(false);
        expect(await store.deleteKey(ws, 'k1')).toBe(true);
        expect(await store.deleteKey(ws, 'k1')).toBe(false);
        expect(await store.keyByHash(k1.hash)).toBeNull();
        expect((await store.listKeys(ws)).map((k) => k.id)).toEqual(['k2', 'root']);
      });
    });

    describe('workspace isolation of every method', () => {
      /**
       * What each Store method is, for this test. A Record over `keyof Store` so that a new method fails
       * type-checking until it is placed here, and the test below then proves its scoping.
       */
      const kinds: Record<keyof Store, 'read' | 'write' | 'global'> = {
        dialect: 'global',
        migrate: 'global',
        close: 'global',
        scrubDeleted: 'global',
        createWorkspace: 'global',
        getWorkspace: 'global',
        listWorkspaces: 'global',
        // Keys are found by their hash or id across workspaces (authentication comes before the workspace).
        insertKey: 'global',
        keyByHash: 'global',
        touchKey: 'global',
        hasRootKey: 'global',
        upsertItems: 'write',
        getItem: 'read',
        listItems: 'read',
        deleteItem: 'write',
        insertEvents: 'write',
        ingestEvents: 'write',
        eventsOf: 'read',
        scanEvents: 'read',
        countEvents: 'read',
        reassignEvents: 'write',
        deleteEventsOf: 'write',
        deleteEventsBefore: 'write',
        putUser: 'write',
        getUser: 'read',
        deleteUser: 'write',
        getProfile: 'read',
        getProfiles: 'read',
        putProfiles: 'write',
        deleteProfile: 'write',
        appendConsent: 'write',
        consentHistory: 'read',
        consentHistories: 'read',
        deleteConsent: 'write',
        linkIdentity: 'write',
        linkIdentities: 'write',
        resolveAnonymous: 'read',
        resolveAnonymousMany: 'read',
        anonymousIdsOf: 'read',
        deleteIdentityLinks: 'write',
        putBlob: 'write',
        getBlob: 'read',
        blobInfo: 'read',
        listBlobs: 'read',
        deleteBlob: 'write',
        putDocs: 'write',
        getDoc: 'read',
        listDocs: 'read',
        deleteDoc: 'write',
        docsOfSubject: 'read',
        deleteDocsOfSubject: 'write',
        deleteDocsBefore: 'write',
        trimDocs: 'write',
        listKeys: 'read',
        deleteKey: 'write',
        bumpCounter: 'write',
        readCounters: 'read',
      };

      /** The same rows in every table, told apart by `tag`; ids are the same in both workspaces on purpose. */
      const seed = async (ws: string, tag: string) => {
        await store.createWorkspace({ id: ws, name: tag, createdAt: 1 });
        await store.upsertItems(ws, [item('i1', `item ${tag}`), item('i2', `other ${tag}`)]);
        await store.insertEvents(ws, [
          ev(`m1-${tag}`, 'u', 10, { query: tag }),
          ev(`m2-${tag}`, 'u', 20, { query: tag }),
          ev(`m3-${tag}`, 'anon:a', 30, { userId: null, anonymousId: 'a', query: tag }),
          ev('shared-id', 'u', 40, { query: tag }),
        ]);
        await store.putUser(ws, 'u', { tag }, 5);
        await store.putProfiles(ws, [
          { subject: 'u', profile: { tag } },
          { subject: 'anon:a', profile: { tag } },
        ]);
        await store.appendConsent(ws, 'u', { purposes: { marketing: true }, source: tag, policyVersion: null, at: 6 });
        await store.linkIdentity(ws, 'a', 'u', 7);
        await store.putBlob(ws, 'model/x', new TextEncoder().encode(tag), { tag }, 8);
        await store.putDocs(ws, [
          { collection: 'chat', id: 'c1', subject: 'u', body: { tag }, createdAt: 9 },
          { collection: 'log', id: 'l1', subject: null, body: { tag }, createdAt: 9 },
          { collection: 'log', id: 'l2', subject: 'u', body: { tag }, createdAt: 10 },
        ]);
        await store.insertKey({ id: `key-${ws}`, workspace: ws, scope: 'server', name: tag, hash: `hash-${ws}`, root: false, createdAt: 11, lastUsedAt: null });
        await store.bumpCounter(ws, 'items');
      };

      /** Everything every read method says about a workspace, with its own tag and key names made neutral. */
      const snapshot = async (ws: string, tag: string) => {
        const pages: StoredEvent[][] = [];
        for await (const page of store.scanEvents(ws, { pageSize: 2 })) pages.push(page);
        const blob = await store.getBlob(ws, 'model/x');
        const seen = {
          getItem: await store.getItem(ws, 'i1'),
          listItems: await store.listItems(ws),
          eventsOf: [await store.eventsOf(ws, 'u'), await store.eventsOf(ws, 'anon:a'), await store.eventsOf(ws, 'u', 1)],
          scanEvents: pages,
          countEvents: await store.countEvents(ws),
          getUser: await store.getUser(ws, 'u'),
          getProfile: await store.getProfile(ws, 'u'),
          getProfiles: [...(await store.getProfiles(ws, ['u', 'anon:a'])).entries()],
          consentHistory: await store.consentHistory(ws, 'u'),
          consentHistories: [...(await store.consentHistories(ws, ['u', 'anon:a'])).entries()],
          resolveAnonymous: await store.resolveAnonymous(ws, 'a'),
          resolveAnonymousMany: [...(await store.resolveAnonymousMany(ws, ['a', 'z'])).entries()],
          anonymousIdsOf: await store.anonymousIdsOf(ws, 'u'),
          getBlob: blob && { ...blob, data: new TextDecoder().decode(blob.data) },
          blobInfo: await store.blobInfo(ws, 'model/x'),
          listBlobs: await store.listBlobs(ws, 'model/'),
          getDoc: await store.getDoc(ws, 'chat', 'c1'),
          listDocs: [await store.listDocs(ws, 'log'), await store.listDocs(ws, 'chat', { subject: 'u' })],
          docsOfSubject: await store.docsOfSubject(ws, 'u'),
          listKeys: await store.listKeys(ws),
          readCounters: await store.readCounters(ws),
        };
        return JSON.parse(JSON.stringify(seen).replaceAll(ws, '<ws>').replaceAll(tag, '<tag>'));
      };

      it('reads see only their own workspace, and writes and deletes in one leave the other exactly as it was', async () => {
        const a = freshWs();
        const b = freshWs();
        await seed(a, 'tagA');
        await seed(b, 'tagB');
        const bBefore = await snapshot(b, 'tagB');
        // Same rows, neutralised: a read that leaked the other workspace's rows would differ in count or tag.
        expect(await snapshot(a, 'tagA')).toEqual(bBefore);
        expect(JSON.stringify(await snapshot(a, 'tagA'))).not.toContain('tagB');
        const read = new Set(Object.keys(bBefore));

        const writes: Array<[keyof Store, () => Promise<unknown>, unknown?]> = [
          ['upsertItems', () => store.upsertItems(a, [item('i1', 'changed in A')]), 1],
          ['deleteItem', () => store.deleteItem(a, 'i2'), true],
          ['insertEvents', async () => (await store.insertEvents(a, [ev('m1-tagB', 'u', 50)])).inserted.length, 1],
          [
            'ingestEvents',
            async () =>
              (await store.ingestEvents(a, [ev('m2-tagB', 'u', 60)], new Set(['u']), (ins) => [{ subject: 'u', profile: { n: ins.length } }])).inserted.length,
            1,
          ],
          ['reassignEvents', () => store.reassignEvents(a, 'anon:a', 'u'), 1],
          ['deleteEventsOf', () => store.deleteEventsOf(a, 'u', ['view']), 6],
          ['deleteEventsBefore', () => store.deleteEventsBefore(a, 1e12), 0],
          [
            'linkIdentities',
            async () => {
              await store.insertEvents(a, [ev('z1', 'anon:z', 55, { userId: null, anonymousId: 'z' })]);
              return store.linkIdentities(a, [{ anonymousId: 'z', userId: 'u', from: 'anon:z' }], 56);
            },
            [1],
          ],
          ['putUser', async () => (await store.putUser(a, 'u', { more: 1 }, 70)).createdAt, 5],
          ['deleteUser', () => store.deleteUser(a, 'u'), true],
          ['putProfiles', () => store.putProfiles(a, [{ subject: 'u', profile: { changed: true } }])],
          ['deleteProfile', () => store.deleteProfile(a, 'u'), true],
          ['appendConsent', () => store.appendConsent(a, 'u', { purposes: { marketing: false }, source: 'A', policyVersion: null, at: 80 })],
          ['deleteConsent', () => store.deleteConsent(a, 'u'), 2],
          ['linkIdentity', () => store.linkIdentity(a, 'a', 'someone-else', 90)],
          ['deleteIdentityLinks', () => store.deleteIdentityLinks(a, 'someone-else'), 1],
          ['putBlob', () => store.putBlob(a, 'model/x', Uint8Array.of(1), {}, 100)],
          ['deleteBlob', () => store.deleteBlob(a, 'model/x'), true],
          ['putDocs', () => store.putDocs(a, [{ collection: 'chat', id: 'c1', subject: 'u', body: { changed: true }, createdAt: 110 }])],
          ['deleteDoc', () => store.deleteDoc(a, 'chat', 'c1'), true],
          ['trimDocs', () => store.trimDocs(a, 'log', 1), 1],
          ['deleteDocsBefore', () => store.deleteDocsBefore(a, 'log', 1e12), 1],
          [
            'deleteDocsOfSubject',
            async () => {
              await store.putDocs(a, [{ collection: 'x', id: 'x', subject: 'u', body: {}, createdAt: 1 }]);
              return store.deleteDocsOfSubject(a, 'u');
            },
            1,
          ],
          ['deleteKey', async () => [await store.deleteKey(a, `key-${b}`), await store.deleteKey(a, `key-${a}`)], [false, true]],
          ['bumpCounter', () => store.bumpCounter(a, 'items'), 2],
        ];
        for (const [method, write, expected] of writes) {
          const got = await write();
          // Counts and flags are about workspace A alone (B holds the same rows).
          if (expected !== undefined) expect(got, `${method} on A answered about B's rows too`).toEqual(expected);
          expect(await snapshot(b, 'tagB'), `${method} on A changed workspace B`).toEqual(bBefore);
        }
        // Every scoped method of the Store interface was exercised above.
        const scoped = (Object.keys(kinds) as Array<keyof Store>).filter((m) => kinds[m] !== 'global');
        const exercised = new Set<string>([...read, ...writes.map(([m]) => m)]);
        expect(scoped.filter((m) => !exercised.has(m))).toEqual([]);
      });
    });

    describe('counters', () => {
      it('bumps and reads per workspace', async () => {
        const ws = freshWs();
        expect(await store.readCounters(ws)).toEqual({});
        expect(await store.bumpCounter(ws, 'items')).toBe(1);
        expect(await store.bumpCounter(ws, 'items')).toBe(2);
        expect(await store.bumpCounter(ws, 'models')).toBe(1);
        const other = freshWs();
        expect(await store.bumpCounter(other, 'items')).toBe(1);
        expect(await store.readCounters(ws)).toEqual({ items: 2, models: 1 });
        expect(await store.readCounters(other)).toEqual({ items: 1 });
      });

      it('counts every concurrent bump', async () => {
        const ws = freshWs();
        const got = await Promise.all(Array.from({ length: 20 }, () => store.bumpCounter(ws, 'c')));
        expect([...got].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
        expect(await store.readCounters(ws)).toEqual({ c: 20 });
      });
    });
  });
}
