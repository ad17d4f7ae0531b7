import { fstatSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteStore, syncFileData } from '../../src/store/sqlite/sqlite-store.ts';
import { storedEvent } from '../stored-event.ts';

/**
 * The ingest path's group commit makes its WAL durable outside the event loop (issue 13): a write is
 * acknowledged only once the WAL holding it was synced, and the connection's other commits stay FULL.
 */
const dirs: string[] = [];
const stores: SqliteStore[] = [];
afterEach(async () => {
  for (const s of stores.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A store whose WAL syncs wait until the test lets them finish (or fail). */
async function held() {
  const dir = mkdtempSync(join(tmpdir(), 'afin-ingest-wal-'));
  dirs.push(dir);
  const syncs: Array<{ path: string; finish: () => void; fail: (e: Error) => void }> = [];
  const store = new SqliteStore(join(dir, 'afin.db'), {
    syncFile: (path) => new Promise<void>((finish, fail) => syncs.push({ path, finish, fail })),
  });
  stores.push(store);
  await store.migrate();
  return { store, syncs, file: join(dir, 'afin.db') };
}

/** Whether a promise has settled, after the event loop had every chance to settle it. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  p.then(
    () => {
      done = true;
    },
    () => {
      done = true;
    },
  );
  for (let i = 0; i < 5; i++) await new Promise((r) => setImmediate(r));
  return done;
}

describe('SQLite group commit: the WAL synced off the event loop', () => {
  it('acknowledges a group’s writes only after its WAL is synced, with one sync for the group', async () => {
    const { store, syncs, file } = await held();
    let during: unknown;
    const a = store.ingestEvents('w', [storedEvent('e1', 'u1')], new Set(['u1']), (evs) => {
      during = store.db.pragma('synchronous', { simple: true });
      return [{ subject: 'u1', profile: { n: evs.length } }];
    });
    const b = store.insertEvents('w', [storedEvent('e2', 'u2')]);
    expect(await settled(a)).toBe(false);
    expect(await settled(b)).toBe(false);
    expect(syncs.map((s) => s.path)).toEqual([`${file}-wal`]);
    expect(during).toBe(1); // NORMAL: the commit itself did not wait for the disk
    // Committed already (readable on the connection), only not acknowledged.
    expect(await store.countEvents('w')).toBe(2);
    syncs[0].finish();
    expect((await a).inserted.map((e) => e.messageId)).toEqual(['e1']);
    expect((await b).inserted.map((e) => e.messageId)).toEqual(['e2']);
    expect(await store.getProfile('w', 'u1')).toEqual({ n: 1 });
  });

  it('groups document writes too: the served path’s log batches commit without a FULL fsync on the event loop', async () => {
    const { store, syncs, file } = await held();
    const doc = (id: string, at: number) => ({ collection: 'recommendation', id, subject: 'u1', body: { n: at }, createdAt: at });
    const put = store.putDocs('w', [doc('r1', 1), doc('r2', 2), doc('r3', 3)]);
    const trim = store.trimDocs('w', 'recommendation', 2);
    const events = store.insertEvents('w', [storedEvent('e1', 'u1')]);
    expect(await settled(put)).toBe(false);
    expect(await settled(trim)).toBe(false);
    // One group, one WAL sync for the documents, the trim and the events.
    expect(syncs.map((s) => s.path)).toEqual([`${file}-wal`]);
    expect((await store.listDocs('w', 'recommendation')).map((d) => d.id)).toEqual(['r3', 'r2']);
    syncs[0].finish();
    await put;
    expect(await trim).toBe(1);
    await events;
  });

  it('reports a failed sync to the writers of that group', async () => {
    const { store, syncs } = await held();
    const a = store.insertEvents('w', [storedEvent('e1', 'u1')]);
    expect(await settled(a)).toBe(false);
    syncs[0].fail(new Error('EIO'));
    await expect(a).rejects.toThrow('EIO');
  });

  it('keeps synchronous FULL for every other commit of the connection', async () => {
    const { store, syncs } = await held();
    const a = store.insertEvents('w', [storedEvent('e1', 'u1')]);
    await settled(a);
    expect(store.db.pragma('synchronous', { simple: true })).toBe(2);
    syncs[0].finish();
    await a;
  });

  it('close waits for the syncs still running', async () => {
    const { store, syncs } = await held();
    const a = store.insertEvents('w', [storedEvent('e1', 'u1')]);
    await settled(a);
    const closing = store.close();
    expect(await settled(closing)).toBe(false);
    syncs[0].finish();
    await closing;
    await a;
    expect(store.db.open).toBe(false);
  });

  it('syncs a real file, and counts a WAL already gone as durable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afin-ingest-wal-'));
    dirs.push(dir);
    const store = new SqliteStore(join(dir, 'afin.db'));
    stores.push(store);
    await store.migrate();
    expect((await store.insertEvents('w', [storedEvent('e1', 'u1')])).inserted).toHaveLength(1);
    await expect(syncFileData(join(dir, 'afin.db-wal'))).resolves.toBeUndefined();
    await expect(syncFileData(join(dir, 'no-such-file'))).resolves.toBeUndefined();
  });

  it('syncs nothing for a store in memory: it has no file to make durable', async () => {
    const asked: string[] = [];
    const store = new SqliteStore(':memory:', {
      syncFile: async (path) => {
        asked.push(path);
        throw new Error('a store in memory has no WAL file');
      },
    });
    stores.push(store);
    await store.migrate();
    expect((await store.insertEvents('w', [storedEvent('e1', 'u1')])).inserted).toHaveLength(1);
    expect(asked).toEqual([]);
  });

  it('calls fdatasync on the file it was given and closes it; errors other than a missing file are thrown', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afin-ingest-wal-'));
    dirs.push(dir);
    const file = join(dir, 'wal');
    writeFileSync(file, 'x');
    // FileHandle is not exported: its prototype is reached through a handle.
    const probe = await open(file, 'r');
    const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
    await probe.close();
    const handles: Array<{ fd: number }> = [];
    let inodeSynced = -1;
    const datasync = vi.spyOn(proto, 'datasync').mockImplementation(async function (this: { fd: number }) {
      handles.push(this);
      inodeSynced = fstatSync(this.fd).ino;
    });
    try {
      await syncFileData(file);
    } finally {
      datasync.mockRestore();
    }
    expect(handles).toHaveLength(1);
    expect(inodeSynced).toBe(statSync(file).ino);
    // A closed FileHandle reads fd -1.
    expect(handles[0].fd).toBe(-1);
    // A path through a regular file is not a missing file: the caller must not count it as durable.
    await expect(syncFileData(join(file, 'below'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
