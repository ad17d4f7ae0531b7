import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { SQLITE_MIGRATIONS } from '../../src/store/sqlite/migrations.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { storedEvent } from '../stored-event.ts';

/**
 * The embedded store's housekeeping that neither the contract nor the specifics reach: opening in a
 * folder not made yet, the migration record, checkpoint(), and scrubDeleted's back-off and error
 * handling. Each test names the mutants of src/store/sqlite/sqlite-store.ts it kills (issue 11); the
 * stores are opened inside the tests, since Stryker counts what a hook runs as covered by no test.
 */
let dir: string;
const opened: SqliteStore[] = [];
const open = (...path: string[]) => {
  const s = new SqliteStore(join(dir, ...path));
  opened.push(s);
  return s;
};

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'afin-sqlite-mutation-'));
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});
afterAll(async () => {
  for (const s of opened) await s.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Makes `wal_checkpoint` answer with `answer` (a row, or an error to throw) while the test runs. */
function stubCheckpoint(s: SqliteStore, answer: (attempt: number) => { busy: number } | Error) {
  const real = s.db.pragma.bind(s.db);
  const at: number[] = [];
  vi.spyOn(s.db, 'pragma').mockImplementation(((source: string, options?: { simple?: boolean }) => {
    if (!source.startsWith('wal_checkpoint')) return real(source, options);
    at.push(Date.now());
    const a = answer(at.length);
    if (a instanceof Error) throw a;
    return [{ ...a, log: 0, checkpointed: 0 }];
  }) as typeof s.db.pragma);
  return at;
}

const coded = (code: string) => Object.assign(new Error(code), { code });

describe('SqliteStore housekeeping', () => {
  it('opens a file in folders that do not exist yet and records each migration once', async () => {
    // Mutants: the folder made only for `:memory:` or never (line `if (file !== ':memory:')`), the
    // schema_migrations INSERT emptied.
    const s = open('a', 'b', 'afin.db');
    await s.migrate();
    await s.migrate();
    const rows = s.db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(SQLITE_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
  });

  it('checkpoint() folds the WAL into the file and truncates it', async () => {
    // Mutants: checkpoint() emptied, its pragma string emptied.
    const s = open('cp', 'afin.db');
    await s.migrate();
    await s.insertEvents('w', [storedEvent('m1', 'u')]);
    const wal = () => statSync(`${s.file}-wal`).size;
    expect(wal()).toBeGreaterThan(0);
    s.checkpoint();
    expect(wal()).toBe(0);
  });

  it('scrubDeleted() on a closed file store answers true without touching the file', async () => {
    // Mutants: the guard's `||` → `&&` and `!this.db.open` → `this.db.open`, which query a closed database.
    const s = open('closed', 'afin.db');
    await s.migrate();
    await s.close();
    expect(await s.scrubDeleted()).toBe(true);
  });

  it('scrubDeleted() retries 10, 20, 40 … ms apart, at most 500 ms, until its patience is spent', async () => {
    // Mutants: the pause doubling changed (`wait / 2`, `Math.max`), the deadline `now - patience`, the
    // pause not taken. A fake clock, so the attempts' times are exact whatever the machine's load.
    const s = open('backoff', 'afin.db');
    await s.migrate();
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    const t0 = Date.now();
    const at = stubCheckpoint(s, () => ({ busy: 1 }));
    const scrub = s.scrubDeleted(1000);
    await vi.advanceTimersByTimeAsync(5000);
    expect(await scrub).toBe(false);
    expect(at.map((t) => t - t0)).toEqual([0, 10, 30, 70, 150, 310, 630, 1130]);
    expect(s.db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('scrubDeleted() takes a checkpoint refused with SQLITE_BUSY as busy and tries again; any other error it throws', async () => {
    // Mutants: the `code !== 'SQLITE_BUSY'` test → true (every error thrown) or → false (every error
    // swallowed as busy), and the catch block emptied.
    const s = open('errors', 'afin.db');
    await s.migrate();
    const busyOnce = stubCheckpoint(s, (n) => (n === 1 ? coded('SQLITE_BUSY') : { busy: 0 }));
    expect(await s.scrubDeleted(5000)).toBe(true);
    expect(busyOnce).toHaveLength(2);
    vi.restoreAllMocks();
    const ioError = stubCheckpoint(s, () => coded('SQLITE_IOERR'));
    await expect(s.scrubDeleted(5000)).rejects.toMatchObject({ code: 'SQLITE_IOERR' });
    expect(ioError).toHaveLength(1);
    vi.restoreAllMocks();
    expect(s.db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('forgets each group commit’s WAL sync once it settled, so a long-running store holds none', async () => {
    // Mutant: the `finally` that removes a settled sync from the set close() waits on → a no-op: every
    // group commit of the store's life would stay referenced (a leak that grows with each ingest batch).
    const s = open('syncs', 'afin.db');
    await s.migrate();
    const syncing = (s as unknown as { syncing: Set<Promise<void>> }).syncing;
    for (let i = 0; i < 5; i++) await s.ingestEvents('w', [storedEvent(`e${i}`, 'u1')], new Set(), () => []);
    // The removal runs one microtask after the acknowledgement.
    await new Promise((r) => setImmediate(r));
    expect(syncing.size).toBe(0);
  });
});
