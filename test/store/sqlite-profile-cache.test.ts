import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/domain/schemas.ts';
import { ProfileCache } from '../../src/store/sqlite/profile-cache.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { ProfileUpdater } from '../../src/store/store.ts';
import { storedEvent } from '../stored-event.ts';
import { countingInPlace } from './counting-updater.ts';

/**
 * The embedded store keeps the profiles the ingest path wrote, parsed, for the next batch about the
 * same people (issue 13). The cached object must never differ from the row: these tests change the row
 * behind the cache's back in every way the store allows, then ingest again and read the row.
 */
let dir: string;
let store: SqliteStore;
const WS = 'w';
let seq = 0;
const ev = (subject: string, extra: Partial<StoredEvent> = {}): StoredEvent => {
  seq++;
  return storedEvent(`m${seq}`, subject, { timestamp: seq, receivedAt: seq, ...extra });
};
const counting = countingInPlace;
const ingest = (s: SqliteStore, ...subjects: string[]) =>
  s.ingestEvents(
    WS,
    subjects.map((x) => ev(x)),
    new Set(subjects),
    counting,
  );

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'afin-profile-cache-'));
  store = new SqliteStore(join(dir, 'afin.db'));
  await store.migrate();
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteStore profile cache', () => {
  it('counts every event across batches, whether the profile came from the cache or the file', async () => {
    await ingest(store, 'a', 'b');
    await ingest(store, 'a');
    await Promise.all([ingest(store, 'a', 'c'), ingest(store, 'a', 'b')]);
    expect(await store.getProfiles(WS, ['a', 'b', 'c'])).toEqual(
      new Map([
        ['a', { n: 4 }],
        ['b', { n: 2 }],
        ['c', { n: 1 }],
      ]),
    );
  });

  it("sees another connection's profile write (PRAGMA data_version), not the cached one", async () => {
    await ingest(store, 'a');
    const other = new SqliteStore(join(dir, 'afin.db'));
    try {
      await other.putProfiles(WS, [{ subject: 'a', profile: { n: 100 } }]);
    } finally {
      await other.close();
    }
    await ingest(store, 'a');
    expect(await store.getProfile(WS, 'a')).toEqual({ n: 101 });
  });

  it('starts again from the row after putProfiles, deleteProfile and a visitor merge on this connection', async () => {
    await ingest(store, 'a', 'b', 'anon:v');
    await store.putProfiles(WS, [{ subject: 'a', profile: { n: 10 } }]);
    await store.deleteProfile(WS, 'b');
    await store.linkIdentities(WS, [{ anonymousId: 'v', userId: 'u', from: 'anon:v' }], 1);
    await ingest(store, 'a', 'b', 'anon:v');
    expect(await store.getProfiles(WS, ['a', 'b', 'anon:v'])).toEqual(
      new Map([
        ['a', { n: 11 }],
        ['b', { n: 1 }],
        ['anon:v', { n: 1 }],
      ]),
    );
  });

  it('forgets profiles an updater changed in place and then threw on', async () => {
    await ingest(store, 'a');
    const half: ProfileUpdater = (inserted, current) => {
      (current.get('a') as { n: number }).n = 999;
      throw new Error('bad profile');
    };
    await expect(store.ingestEvents(WS, [ev('a')], new Set(['a']), half)).rejects.toThrow('bad profile');
    await ingest(store, 'a');
    expect(await store.getProfile(WS, 'a')).toEqual({ n: 2 });
  });

  it('forgets profiles an updater changed in place but did not return', async () => {
    await ingest(store, 'a', 'b');
    const onlyB: ProfileUpdater = (_inserted, current) => {
      (current.get('a') as { n: number }).n = 999;
      return [{ subject: 'b', profile: { n: 50 } }];
    };
    await store.ingestEvents(WS, [ev('a'), ev('b')], new Set(['a', 'b']), onlyB);
    await ingest(store, 'a', 'b');
    expect(await store.getProfiles(WS, ['a', 'b'])).toEqual(
      new Map([
        ['a', { n: 2 }],
        ['b', { n: 51 }],
      ]),
    );
  });

  it('forgets what a group commit held when SQLite rolled the whole transaction back', async () => {
    await ingest(store, 'a');
    // Two batches in one group commit: the first updates a's cached profile; the second ends the whole
    // transaction (as an I/O error or a full disk would), so neither commits.
    const first = ingest(store, 'a');
    const fatal = store.ingestEvents(WS, [ev('b')], new Set(['b']), () => {
      store.db.exec('ROLLBACK');
      throw new Error('disk full');
    });
    await expect(first).rejects.toThrow();
    await expect(fatal).rejects.toThrow();
    expect(await store.getProfile(WS, 'a')).toEqual({ n: 1 });
    await ingest(store, 'a');
    expect(await store.getProfile(WS, 'a')).toEqual({ n: 2 });
  });
});

describe('ProfileCache', () => {
  it('keeps at most maxEntries, dropping the least recently used', () => {
    const c = new ProfileCache(2);
    c.set('w', 'a', { a: 1 });
    c.set('w', 'b', { b: 1 });
    expect(c.get('w', 'a')).toEqual({ a: 1 }); // a is now the most recent
    c.set('w', 'c', { c: 1 });
    expect(c.size).toBe(2);
    expect(c.get('w', 'b')).toBeUndefined();
    expect(c.get('w', 'a')).toEqual({ a: 1 });
    expect(c.get('w', 'c')).toEqual({ c: 1 });
  });

  it('keeps workspaces apart and deletes and clears', () => {
    const c = new ProfileCache();
    c.set('w1', 'a', { n: 1 });
    c.set('w2', 'a', { n: 2 });
    expect(c.get('w2', 'a')).toEqual({ n: 2 });
    c.delete('w1', 'a');
    expect(c.get('w1', 'a')).toBeUndefined();
    expect(c.get('w2', 'a')).toEqual({ n: 2 });
    c.clear();
    expect(c.size).toBe(0);
  });
});
