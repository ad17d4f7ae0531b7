import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/domain/schemas.ts';
import { SCAN_EVENTS_SQL, SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations.ts';
import { storedEvent } from '../stored-event.ts';

/**
 * What the embedded store promises beyond the shared contract: the settings that make a write durable
 * and an erasure leave no trace, group commit's failure handling, and the WAL scrub after an erasure.
 * Fast, so mutation testing can run it against every mutant of the adapter (issue 11).
 */
let dir: string;
let store: SqliteStore;
const ev = (messageId: string, subject: string) => storedEvent(messageId, subject, { receivedAt: 2 });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'afin-sqlite-specifics-'));
  store = new SqliteStore(join(dir, 'nested', 'afin.db'));
  await store.migrate();
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteStore specifics', () => {
  it('reads a workspace’s events page by page along the primary key, never sorting the workspace for each page', () => {
    const plan = (store.db.prepare(`EXPLAIN QUERY PLAN ${SCAN_EVENTS_SQL}`).all('w', 0, 0, 10) as Array<{ detail: string }>).map((r) => r.detail).join(' | ');
    expect(plan).toMatch(/USING INTEGER PRIMARY KEY \(rowid>\?\)/);
    expect(plan).not.toMatch(/TEMP B-TREE/);
  });

  it('creates its folder and runs WAL, synchronous FULL, secure_delete, foreign keys and a 5 s busy timeout', () => {
    const p = (name: string) => store.db.pragma(name, { simple: true });
    expect(p('journal_mode')).toBe('wal');
    expect(p('synchronous')).toBe(2); // FULL
    expect(p('secure_delete')).toBe(1);
    expect(p('foreign_keys')).toBe(1);
    expect(p('busy_timeout')).toBe(5000);
  });

  it('group commit: writes of one turn share a transaction, and one that fails rejects alone', async () => {
    const ok = store.insertEvents('w', [ev('g1', 'a')]);
    const bad = store.ingestEvents('w', [ev('g2', 'b')], new Set(['b']), () => {
      throw new Error('bad profile');
    });
    const ok2 = store.insertEvents('w', [ev('g3', 'c')]);
    await expect(bad).rejects.toThrow('bad profile');
    expect((await ok).inserted).toHaveLength(1);
    expect((await ok2).inserted).toHaveLength(1);
    expect(await store.eventsOf('w', 'b')).toEqual([]);
    expect(await store.countEvents('w')).toBe(2);
  });

  it('scrubDeleted folds the WAL into the file and truncates it, and keeps the busy timeout', async () => {
    await store.insertEvents('w', [ev('s1', 'gone')]);
    expect(await store.scrubDeleted()).toBe(true);
    const [{ log }] = store.db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>;
    expect(log).toBe(0);
    expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('scrubDeleted answers false when a reader holds the WAL past its patience, then true once it lets go', async () => {
    await store.insertEvents('w', [ev('s2', 'gone')]);
    const reader = new SqliteStore(store.file);
    try {
      // A read transaction pins the WAL frames it started with.
      reader.db.exec('BEGIN');
      reader.db.prepare('SELECT count(*) FROM events').get();
      await store.insertEvents('w', [ev('s3', 'gone')]);
      const t0 = Date.now();
      expect(await store.scrubDeleted(150)).toBe(false);
      expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
      expect(store.db.pragma('busy_timeout', { simple: true })).toBe(5000);
      reader.db.exec('COMMIT');
      expect(await store.scrubDeleted(150)).toBe(true);
    } finally {
      await reader.close();
    }
  });

  it('close() commits the writes still queued for group commit, then closes the file', async () => {
    const other = new SqliteStore(store.file);
    const queued = other.insertEvents('w-close', [ev('q1', 'late')]);
    await other.close();
    expect(other.db.open).toBe(false);
    expect((await queued).inserted).toHaveLength(1);
    expect((await store.eventsOf('w-close', 'late')).map((e) => e.messageId)).toEqual(['q1']);
  });

  it('a write that leaves SQLite without its transaction fails the whole group, and nothing of it is stored', async () => {
    const a = store.insertEvents('w-rb', [ev('r1', 'a')]);
    const b = store.ingestEvents('w-rb', [ev('r2', 'b')], new Set(['b']), () => {
      store.db.exec('ROLLBACK'); // what SQLite does itself on an I/O error or a full disk
      throw new Error('disk full');
    });
    const c = store.insertEvents('w-rb', [ev('r3', 'c')]);
    const settled = await Promise.allSettled([a, b, c]);
    expect(settled.map((x) => x.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(await store.countEvents('w-rb')).toBe(0);
    expect((await store.insertEvents('w-rb', [ev('r4', 'd')])).inserted).toHaveLength(1);
  });

  it('a visitor linked in the same group commit as a batch about them keeps no profile (the group writes profiles at its end)', async () => {
    const counting = (inserted: readonly StoredEvent[], current: ReadonlyMap<string, Record<string, unknown>>) =>
      [...new Set(inserted.map((e) => e.subject))].map((subject) => ({ subject, profile: { n: ((current.get(subject)?.n as number) ?? 0) + 1 } }));
    const batch = store.ingestEvents('w-link', [ev('lk1', 'anon:v')], new Set(['anon:v']), counting);
    const link = store.linkIdentities('w-link', [{ anonymousId: 'v', userId: 'u', from: 'anon:v' }], 5);
    await batch;
    expect(await link).toEqual([1]);
    expect(await store.getProfile('w-link', 'anon:v')).toBeNull();
    expect((await store.eventsOf('w-link', 'u')).map((e) => e.messageId)).toEqual(['lk1']);
  });

  it('migration 2 turns profiles into an ordinary (rowid) table, keeping every profile', async () => {
    const file = join(dir, 'v1', 'afin.db');
    const old = new SqliteStore(file);
    // A database as version 1 left it, with a profile in it.
    old.db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    old.db.exec(SQLITE_MIGRATIONS[0].sql);
    old.db.prepare('INSERT INTO schema_migrations VALUES (1, ?, 0)').run(SQLITE_MIGRATIONS[0].name);
    await old.putProfiles('w', [{ subject: 'ana', profile: { n: 3 } }]);
    const ddl = () => String(old.db.prepare("SELECT sql FROM sqlite_master WHERE name = 'profiles'").pluck().get());
    expect(ddl()).toMatch(/WITHOUT ROWID/);
    await old.migrate();
    expect(ddl()).not.toMatch(/WITHOUT ROWID/);
    expect(await old.getProfile('w', 'ana')).toEqual({ n: 3 });
    // The key still holds: a second write of the same person replaces the row.
    await old.putProfiles('w', [{ subject: 'ana', profile: { n: 4 } }]);
    expect(old.db.prepare('SELECT count(*) FROM profiles').pluck().get()).toBe(1);
    expect(await old.getProfile('w', 'ana')).toEqual({ n: 4 });
    await old.close();
  });

  it('an in-memory store has nothing to scrub, nor has a closed one', async () => {
    const mem = new SqliteStore(':memory:');
    await mem.migrate();
    expect(await mem.scrubDeleted()).toBe(true);
    await mem.close();
    expect(await mem.scrubDeleted()).toBe(true);
    await mem.close(); // twice is harmless
  });
});
