import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Pseudonymizer } from '../../src/privacy/pseudonym.ts';
import { SuppressionList } from '../../src/privacy/suppression.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';

/**
 * The list of erased people straight on an in-memory SQLite store, without the HTTP app: what it
 * stores (keyed hashes only), what it recognises, and its per-node cache. Fast enough to run against
 * every mutant of src/privacy/suppression.ts (issue 11, mutation testing).
 */
const WS = 'shop';
const START = Date.UTC(2026, 0, 15, 12);
let now = START;
const clock = () => now;

let store: SqliteStore;
let pseudonyms: Pseudonymizer;
let list: SuppressionList;

beforeEach(async () => {
  now = START;
  store = new SqliteStore(':memory:');
  await store.migrate();
  pseudonyms = new Pseudonymizer(store, clock);
  list = new SuppressionList(store, pseudonyms, 1000, clock);
});
afterEach(async () => {
  await store.close();
});

/** The same store, counting in `n` its reads of the list (`listDocs`) and of the counters. */
function countingReads(n: { reads: number; counterReads: number }): Store {
  return new Proxy(store, {
    get(t, prop, receiver) {
      const v = Reflect.get(t, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        if (prop === 'listDocs') n.reads++;
        if (prop === 'readCounters') n.counterReads++;
        return v.apply(t, args);
      };
    },
  }) as Store;
}

/** The same store with one method replaced. */
function withMethod(name: keyof Store, impl: unknown): Store {
  return new Proxy(store, {
    get(t, prop, receiver) {
      if (prop === name) return impl;
      const v = Reflect.get(t, prop, receiver);
      return typeof v === 'function' ? v.bind(t) : v;
    },
  }) as Store;
}

describe('SuppressionList', () => {
  it('is empty at first, recognises nobody, and creates no pseudonym key to say so', async () => {
    expect(await list.size(WS)).toBe(0);
    expect(await list.isSuppressed(WS, { userId: 'ana', anonymousId: 'v1' })).toBe(false);
    expect((await list.checker(WS))({ userId: 'ana' })).toBe(false);
    expect(await list.remove(WS, 'ana')).toBe(false);
    expect(await store.getDoc(WS, 'privacy', 'pseudonym-key')).toBeNull();
    // An erasure on this node is seen at once, though the empty list was just cached.
    await list.add(WS, { userId: 'ana', anonymousIds: [] }, START);
    expect(await list.isSuppressed(WS, { userId: 'ana' })).toBe(true);
  });

  it('stores only keyed hashes of the erased ids, with their kind and time', async () => {
    await list.add(WS, { userId: 'ana', anonymousIds: ['v1', 'v2'] }, START - 5);
    const docs = await store.listDocs(WS, 'suppression');
    const hash = await pseudonyms.hasher(WS);
    expect(docs.map((d) => ({ id: d.id, subject: d.subject, body: d.body, createdAt: d.createdAt })).sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      [
        { id: hash('user', 'ana'), subject: null, body: { kind: 'user', at: START - 5 }, createdAt: START - 5 },
        { id: hash('anon', 'v1'), subject: null, body: { kind: 'anon', at: START - 5 }, createdAt: START - 5 },
        { id: hash('anon', 'v2'), subject: null, body: { kind: 'anon', at: START - 5 }, createdAt: START - 5 },
      ].sort((a, b) => a.id.localeCompare(b.id)),
    );
    // The hashes themselves are random-looking text that may contain "v1" by chance: take them out first.
    const hashes = [hash('user', 'ana'), hash('anon', 'v1'), hash('anon', 'v2')];
    expect(hashes.reduce((text, h) => text.split(h).join('#'), JSON.stringify(docs))).not.toMatch(/ana|v1|v2/);
    expect((await store.readCounters(WS)).suppressions).toBe(1);
    expect(await list.size(WS)).toBe(3);
  });

  it('recognises an erased user by user id and their visitors by anonymous id, each only as its kind', async () => {
    await list.add(WS, { userId: 'ana', anonymousIds: ['v1'] }, START);
    const erased = await list.checker(WS);
    expect(erased({ userId: 'ana' })).toBe(true);
    expect(erased({ anonymousId: 'v1' })).toBe(true);
    expect(erased({ userId: 'bo', anonymousId: 'v1' })).toBe(true);
    expect(erased({ userId: 'ana', anonymousId: 'v9' })).toBe(true);
    expect(erased({ userId: 'bo', anonymousId: 'v9' })).toBe(false);
    expect(erased({ userId: null, anonymousId: null })).toBe(false);
    expect(erased({})).toBe(false);
    // A user id equal to an erased visitor's id is someone else, and the other way round.
    expect(erased({ userId: 'v1' })).toBe(false);
    expect(erased({ anonymousId: 'ana' })).toBe(false);
    expect(await list.isSuppressed(WS, { anonymousId: 'v1' })).toBe(true);
    expect(await list.isSuppressed(WS, { userId: 'bo' })).toBe(false);
  });

  it('reads a subject as a user id or, with the anon: mark, a visitor', async () => {
    await list.add(WS, { userId: 'ana', anonymousIds: ['v1'] }, START);
    expect(await list.isSubjectSuppressed(WS, 'ana')).toBe(true);
    expect(await list.isSubjectSuppressed(WS, 'anon:v1')).toBe(true);
    expect(await list.isSubjectSuppressed(WS, 'v1')).toBe(false);
    expect(await list.isSubjectSuppressed(WS, 'anon:ana')).toBe(false);
    expect(await list.isSubjectSuppressed(WS, 'bo')).toBe(false);
  });

  it('keeps workspaces apart', async () => {
    await list.add(WS, { userId: 'ana', anonymousIds: [] }, START);
    expect(await list.isSuppressed('other', { userId: 'ana' })).toBe(false);
    expect(await list.size('other')).toBe(0);
  });

  it('lifts the suppression of a user id, and says whether there was one', async () => {
    await list.add(WS, { userId: 'ana', anonymousIds: ['v1'] }, START);
    expect(await list.remove(WS, 'bo')).toBe(false);
    expect((await store.readCounters(WS)).suppressions).toBe(1);
    expect(await list.remove(WS, 'ana')).toBe(true);
    expect((await store.readCounters(WS)).suppressions).toBe(2);
    expect(await list.isSuppressed(WS, { userId: 'ana' })).toBe(false); // at once on this node
    expect(await list.isSuppressed(WS, { anonymousId: 'v1' })).toBe(true);
    expect(await list.size(WS)).toBe(1);
    expect(await list.remove(WS, 'ana')).toBe(false);
  });

  it('reads every entry, however many', async () => {
    const anonymousIds = Array.from({ length: 1001 }, (_, i) => `v${i}`);
    await list.add(WS, { userId: 'ana', anonymousIds }, START);
    expect(await list.size(WS)).toBe(1002);
    expect(await list.isSuppressed(WS, { anonymousId: 'v0' })).toBe(true);
    expect(await list.isSuppressed(WS, { anonymousId: 'v1000' })).toBe(true);
  });

  describe('across nodes', () => {
    it('sees another node’s erasure once its cache is a second old, not before', async () => {
      const other = new SuppressionList(store, new Pseudonymizer(store, clock), 1000, clock);
      expect(await other.size(WS)).toBe(0); // cached as empty
      await list.add(WS, { userId: 'ana', anonymousIds: [] }, START);
      now = START + 999;
      expect(await other.isSuppressed(WS, { userId: 'ana' })).toBe(false);
      now = START + 1000;
      expect(await other.isSuppressed(WS, { userId: 'ana' })).toBe(true);
      // And another node's lift of it the same way.
      await list.remove(WS, 'ana');
      now = START + 1999;
      expect(await other.isSuppressed(WS, { userId: 'ana' })).toBe(true);
      now = START + 2000;
      expect(await other.isSuppressed(WS, { userId: 'ana' })).toBe(false);
    });

    it('rereads the list only when the store counter changed, and then waits another second', async () => {
      await list.add(WS, { userId: 'ana', anonymousIds: [] }, START);
      const n = { reads: 0, counterReads: 0 };
      const counted = countingReads(n);
      const other = new SuppressionList(counted, pseudonyms, 1000, clock);
      expect(await other.size('never-erased')).toBe(0);
      expect([n.reads, n.counterReads]).toEqual([0, 1]); // no erasure counted: the list is not even read
      n.reads = n.counterReads = 0;
      expect(await other.size(WS)).toBe(1);
      expect([n.reads, n.counterReads]).toEqual([1, 1]);
      now = START + 1500;
      expect(await other.size(WS)).toBe(1);
      expect([n.reads, n.counterReads]).toEqual([1, 2]); // counter unchanged: the list is kept
      now = START + 2400;
      expect(await other.size(WS)).toBe(1);
      expect([n.reads, n.counterReads]).toEqual([1, 2]); // checked 0.9 s ago: not even the counter
      now = START + 2500;
      await list.add(WS, { userId: 'bo', anonymousIds: [] }, now);
      expect(await other.size(WS)).toBe(2);
      expect(n.reads).toBe(2);
      expect(await other.size(WS)).toBe(2);
      expect(n.reads).toBe(2);
    });

    it('answers a burst of checks with one read of the counter and of the list, cold and once the cache is old', async () => {
      await list.add(WS, { userId: 'ana', anonymousIds: [] }, START);
      const n = { reads: 0, counterReads: 0 };
      const counted = countingReads(n);
      const other = new SuppressionList(counted, pseudonyms, 1000, clock);
      const burst = () => Promise.all(Array.from({ length: 300 }, () => other.size(WS)));
      expect(new Set(await burst())).toEqual(new Set([1]));
      expect([n.reads, n.counterReads]).toEqual([1, 1]);
      now = START + 1000;
      expect(new Set(await burst())).toEqual(new Set([1]));
      expect([n.reads, n.counterReads]).toEqual([1, 2]); // counter unchanged: one check for the whole burst
    });

    it('does not let a check begun before this node’s own erasure answer for after it', async () => {
      await list.add(WS, { userId: 'ana', anonymousIds: [] }, START);
      // The list is read at once but answered only when released: a check in flight.
      let release = () => {};
      let hold = false;
      const held = new Proxy(store, {
        get(t, prop, receiver) {
          const v = Reflect.get(t, prop, receiver);
          if (typeof v !== 'function') return v;
          return async (...args: unknown[]) => {
            const r = await v.apply(t, args);
            if (prop === 'listDocs' && hold) await new Promise<void>((ok) => (release = ok));
            return r;
          };
        },
      }) as Store;
      const other = new SuppressionList(held, pseudonyms, 1000, clock);
      hold = true;
      const before = other.size(WS);
      await new Promise((r) => setTimeout(r, 10));
      hold = false;
      await other.add(WS, { userId: 'bo', anonymousIds: [] }, START);
      const after = other.size(WS);
      release();
      expect(await before).toBe(1);
      expect(await after).toBe(2);
    });

    it('forgets a failed read, so the next call tries again', async () => {
      await list.add(WS, { userId: 'ana', anonymousIds: [] }, START);
      let fail = true;
      const listDocs = store.listDocs.bind(store);
      const flaky = withMethod('listDocs', (...args: Parameters<Store['listDocs']>) => (fail ? Promise.reject(new Error('down')) : listDocs(...args)));
      const other = new SuppressionList(flaky, pseudonyms, 1000, clock);
      await expect(other.size(WS)).rejects.toThrow('down');
      await new Promise((r) => setTimeout(r, 0));
      fail = false;
      expect(await other.size(WS)).toBe(1);
    });
  });
});
