import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ConsentChange, EventType, StoredEvent, StoredItem, StoredKey, StoredUser, Workspace } from '../../domain/schemas.ts';
import type { Blob, BlobInfo, Doc, EventScanOptions, IdentityLink, InsertEventsResult, ProfileUpdater, Store } from '../store.ts';
import { EVENT_COLUMNS, consentFromRow, eventFromRow, eventToValues, itemFromRow, keyFromRow, parseJson, toNumber, type Row } from '../rows.ts';
import { SQLITE_MIGRATIONS } from './migrations.ts';
import { ProfileCache } from './profile-cache.ts';

/**
 * One page of a workspace's events in insertion order. The `+` keeps SQLite off the (workspace, ts)
 * index: through it, every page sorted the whole workspace again, so reading all events grew with
 * their square (10 million events: 1.2 CPU s a page); along the primary key a page costs its rows.
 */
export const SCAN_EVENTS_SQL = 'SELECT * FROM events WHERE +workspace = ? AND seq > ? AND +ts >= ? ORDER BY seq LIMIT ?';

/** Makes a file's written data durable (fdatasync), in libuv's thread pool. A file already gone counts as durable. */
export async function syncFileData(path: string): Promise<void> {
  let h: Awaited<ReturnType<typeof open>>;
  try {
    h = await open(path, 'r');
  } catch (e) {
    // SQLite removes the WAL only when its last connection closes, after checkpointing it into the synced database.
    if ((e as { code?: string }).code === 'ENOENT') return;
    throw e;
  }
  try {
    await h.datasync();
  } finally {
    await h.close();
  }
}

export interface SqliteStoreOptions {
  /** How a group commit's WAL is made durable before its writes are acknowledged (tests replace it). */
  syncFile?: (path: string) => Promise<void>;
}

/**
 * The embedded store: one SQLite file in WAL mode with `synchronous=FULL`, so a write is acknowledged
 * only after its commit reached the disk (it survives `kill -9` and power loss). The group commits of
 * the ingest path reach the disk the same way, but their fsync runs outside the event loop (see flush).
 */
export class SqliteStore implements Store {
  readonly dialect = 'sqlite' as const;
  readonly db: Database.Database;
  private readonly stmts = new Map<string, Database.Statement>();
  /** Writes waiting for the next group commit (see `grouped`). */
  // biome-ignore lint/suspicious/noExplicitAny: each pending write resolves its own caller's promise with its own result type
  private pending: Array<{ run: () => unknown; resolve: (v: any) => void; reject: (e: unknown) => void }> = [];
  private flushScheduled = false;
  /** Profiles as this connection last wrote them; valid while `dataVersion` says no other connection committed. */
  private readonly profiles = new ProfileCache();
  private dataVersion = -1;
  /** During a group commit: the profiles its writes changed, by workspace and subject, written once at its end. */
  private dirty: Map<string, { ws: string; subject: string; profile: Record<string, unknown> }> | null = null;

  private readonly syncFile: (path: string) => Promise<void>;
  /** WAL syncs still running, awaited by close(). */
  private readonly syncing = new Set<Promise<void>>();

  constructor(
    readonly file: string,
    opts: SqliteStoreOptions = {},
  ) {
    this.syncFile = opts.syncFile ?? syncFileData;
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = FULL');
    this.db.pragma('busy_timeout = 5000');
    this.db.pragma('foreign_keys = ON');
    // Erased rows are overwritten with zeros, not left in free pages: an erasure must leave no trace in the file.
    this.db.pragma('secure_delete = ON');
    // A 32 MB page cache (the default is 2 MB): the event indexes and the profiles a batch touches stay in
    // memory instead of being read back through the OS for every insert.
    this.db.pragma('cache_size = -32768');
    // Checkpoint after ~40 MB of WAL rather than ~4 MB: each batch rewrites the pages of the profiles it
    // touches, and a page rewritten several times between checkpoints is copied back to the file once.
    this.db.pragma('wal_autocheckpoint = 10000');
  }

  private q(sql: string): Database.Statement {
    let s = this.stmts.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.stmts.set(sql, s);
    }
    return s;
  }

  /**
   * Group commit: with `synchronous=FULL` every commit waits for an fsync (milliseconds, and it blocks
   * the event loop), so the writes queued during one turn of the loop share one transaction and one
   * fsync. Each write runs in its own savepoint; every promise settles only after the commit that holds
   * its write has reached the disk. The profiles the group's batches changed are written once each, at
   * the end (a person in four concurrent batches costs one row write and one JSON serialisation, not four).
   */
  private grouped<T>(run: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ run, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /**
   * Runs the queued writes as one group commit. The commit itself does not wait for the disk
   * (`synchronous=NORMAL` for this transaction only: WAL frames written, not synced); the WAL is then
   * fdatasync'ed in the thread pool and the writes are acknowledged after that, so an acknowledged write
   * is as durable as under FULL, while the event loop goes on with the next requests (the fsync was a
   * tenth of the ingest path's time). Any later FULL commit or checkpoint syncs these frames too.
   */
  private flush(): void {
    this.flushScheduled = false;
    let jobs = this.pending;
    this.pending = [];
    const committed: Array<{ resolve: (v: unknown) => void; reject: (e: unknown) => void; value: unknown }> = [];
    // A write that throws may have changed, in place, profiles that an earlier write of the group changed
    // too and that are not written yet: so the whole group is undone, the failed writes are rejected
    // alone and the others run again (rare: each round drops at least one write).
    while (jobs.length > 0) {
      const outcomes = this.runGroup(jobs);
      if (outcomes === null) return; // the transaction itself failed: every write was rejected
      const failed = outcomes.some((o) => !o.ok);
      jobs.forEach((job, i) => {
        const o = outcomes[i];
        if (!o.ok) job.reject(o.error);
        else if (!failed) committed.push({ resolve: job.resolve, reject: job.reject, value: o.value });
      });
      jobs = failed ? jobs.filter((_, i) => outcomes[i].ok) : [];
    }
    if (committed.length > 0) this.whenDurable(committed);
  }

  private whenDurable(committed: ReadonlyArray<{ resolve: (v: unknown) => void; reject: (e: unknown) => void; value: unknown }>): void {
    const sync = this.file === ':memory:' ? Promise.resolve() : this.syncFile(`${this.file}-wal`);
    const done = sync.then(
      () => {
        for (const c of committed) c.resolve(c.value);
      },
      // Committed, but not known to be on disk: the caller is told it failed (a retry is deduplicated by messageId).
      (error) => {
        for (const c of committed) c.reject(error);
      },
    );
    this.syncing.add(done);
    void done.finally(() => this.syncing.delete(done));
  }

  /**
   * Runs a group of writes in one transaction; commits it only if every write succeeded (else rolls it
   * back and forgets the profiles). Null when the transaction failed as a whole (then all are rejected).
   */
  // biome-ignore lint/suspicious/noExplicitAny: see `pending`
  private runGroup(jobs: Array<{ run: () => unknown; resolve: (v: any) => void; reject: (e: unknown) => void }>) {
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    const undo = new Error('a write of the group failed');
    this.dirty = new Map();
    this.q('PRAGMA synchronous = NORMAL').run();
    try {
      this.db
        .transaction(() => {
          // Holding the write lock now, so nobody else can commit until this transaction ends: if another
          // connection (a CLI import, the training worker) committed since the last flush, forget the profiles.
          const version = this.q('PRAGMA data_version').pluck().get() as number;
          if (version !== this.dataVersion) {
            this.profiles.clear();
            this.dataVersion = version;
          }
          for (const job of jobs) {
            try {
              outcomes.push({ ok: true, value: this.db.transaction(job.run)() });
            } catch (error) {
              // SQLite rolled the whole transaction back (I/O error, disk full): nothing in it may commit.
              if (!this.db.inTransaction) throw error;
              outcomes.push({ ok: false, error });
            }
          }
          if (outcomes.some((o) => !o.ok)) throw undo;
          this.writeDirtyProfiles();
        })
        .immediate();
    } catch (error) {
      this.profiles.clear(); // the profiles updated in this transaction were not written after all
      if (error === undo) return outcomes;
      for (const job of jobs) job.reject(error);
      return null;
    } finally {
      this.dirty = null;
      this.q('PRAGMA synchronous = FULL').run();
    }
    return outcomes;
  }

  private writeDirtyProfiles(): void {
    const dirty = this.dirty;
    if (!dirty || dirty.size === 0) return;
    const st = this.q('INSERT INTO profiles (workspace, subject, body) VALUES (?, ?, ?) ON CONFLICT (workspace, subject) DO UPDATE SET body = excluded.body');
    for (const { ws, subject, profile } of dirty.values()) st.run(ws, subject, JSON.stringify(profile));
  }

  async migrate(): Promise<void> {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    const apply = this.db.transaction(() => {
      const done = new Set((this.db.prepare('SELECT version FROM schema_migrations').all() as Row[]).map((r) => Number(r.version)));
      for (const m of SQLITE_MIGRATIONS) {
        if (done.has(m.version)) continue;
        this.db.exec(m.sql);
        this.db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)').run(m.version, m.name, Date.now());
      }
    });
    apply.immediate();
  }

  async close(): Promise<void> {
    if (this.db.open) {
      this.flush();
      await Promise.all(this.syncing);
      if (this.db.open) this.db.close();
    }
  }

  /**
   * Resolves once every write queued so far is committed and synced, and those its callers queued in
   * turn: for tests and tools that read the database directly while writes may still be in flight.
   */
  async settled(): Promise<void> {
    while (this.db.open && (this.pending.length > 0 || this.syncing.size > 0)) {
      if (this.pending.length > 0) this.flush();
      await Promise.allSettled([...this.syncing]);
      // The writers' continuations run now and may queue more.
      await new Promise((r) => setImmediate(r));
    }
  }

  /** Folds the WAL into the main file (used by tests that inspect the raw files). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(TRUNCATE)');
  }

  /**
   * With `secure_delete` the deleted rows are zeros in the pages the delete wrote, but the WAL still
   * holds the earlier frames with the rows as they were, until a checkpoint resets it (by default only
   * after ~1,000 pages of writes or a clean stop). So after an erasure: checkpoint and truncate now.
   * A reader (the training worker's connection) can hold old frames; then this retries, without
   * blocking the event loop (no busy wait), for up to `patienceMs`.
   */
  async scrubDeleted(patienceMs = 10_000): Promise<boolean> {
    if (this.file === ':memory:' || !this.db.open) return true;
    const until = Date.now() + patienceMs;
    const busyTimeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    for (let wait = 10; ; wait = Math.min(wait * 2, 500)) {
      this.db.pragma('busy_timeout = 0');
      let busy: number;
      try {
        [{ busy }] = this.db.pragma('wal_checkpoint(TRUNCATE)') as Array<{ busy: number; log: number; checkpointed: number }>;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
        busy = 1;
      } finally {
        this.db.pragma(`busy_timeout = ${busyTimeout}`);
      }
      if (busy === 0) return true;
      if (Date.now() >= until) return false;
      await new Promise((r) => setTimeout(r, wait));
    }
  }

  async createWorkspace(w: Workspace): Promise<boolean> {
    const r = this.q('INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING').run(w.id, w.name, w.createdAt);
    return r.changes > 0;
  }
  async getWorkspace(id: string): Promise<Workspace | null> {
    const r = this.q('SELECT * FROM workspaces WHERE id = ?').get(id) as Row | undefined;
    return r ? { id: String(r.id), name: (r.name as string | null) ?? null, createdAt: toNumber(r.created_at) } : null;
  }
  async listWorkspaces(): Promise<Workspace[]> {
    return (this.q('SELECT * FROM workspaces ORDER BY id').all() as Row[]).map((r) => ({
      id: String(r.id),
      name: (r.name as string | null) ?? null,
      createdAt: toNumber(r.created_at),
    }));
  }

  async upsertItems(ws: string, items: StoredItem[]): Promise<number> {
    const st = this.q(
      'INSERT INTO items (workspace, id, body, available, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (workspace, id) DO UPDATE SET body = excluded.body, available = excluded.available, updated_at = excluded.updated_at',
    );
    this.db.transaction(() => {
      for (const it of items) st.run(ws, it.id, JSON.stringify(it), it.available ? 1 : 0, it.updatedAt);
    })();
    return items.length;
  }
  async getItem(ws: string, id: string): Promise<StoredItem | null> {
    const r = this.q('SELECT body FROM items WHERE workspace = ? AND id = ?').get(ws, id) as Row | undefined;
    return r ? itemFromRow(r) : null;
  }
  async listItems(ws: string): Promise<StoredItem[]> {
    return (this.q('SELECT body FROM items WHERE workspace = ? ORDER BY id').all(ws) as Row[]).map(itemFromRow);
  }
  async deleteItem(ws: string, id: string): Promise<boolean> {
    return this.q('DELETE FROM items WHERE workspace = ? AND id = ?').run(ws, id).changes > 0;
  }

  private insertEventRows(ws: string, events: StoredEvent[]): InsertEventsResult {
    const st = this.q(
      `INSERT INTO events (${EVENT_COLUMNS.join(', ')}) VALUES (${EVENT_COLUMNS.map(() => '?').join(', ')}) ON CONFLICT (workspace, message_id) DO NOTHING`,
    );
    const inserted: StoredEvent[] = [];
    let duplicates = 0;
    for (const e of events) {
      // An array binds as the anonymous parameters: no spread per row.
      if (st.run(eventToValues(ws, e)).changes > 0) inserted.push(e);
      else duplicates++;
    }
    return { inserted, duplicates };
  }
  async insertEvents(ws: string, events: StoredEvent[]): Promise<InsertEventsResult> {
    return this.grouped(() => this.insertEventRows(ws, events));
  }
  async ingestEvents(ws: string, events: StoredEvent[], profileSubjects: ReadonlySet<string>, update: ProfileUpdater): Promise<InsertEventsResult> {
    // Runs whole inside one writer transaction (SQLite has one writer), so nothing can interleave.
    return this.grouped(() => {
      const result = this.insertEventRows(ws, events);
      // The new events of the people who may be profiled, and those people, in one pass.
      const profiled: StoredEvent[] = [];
      const subjects = new Set<string>();
      for (const e of result.inserted) {
        if (!profileSubjects.has(e.subject)) continue;
        profiled.push(e);
        subjects.add(e.subject);
      }
      if (subjects.size > 0) {
        const dirty = this.dirty!;
        try {
          // The updater may change these objects in place: the cache keeps what it returns, and on an error
          // the group is undone and forgets every profile (see flush).
          const current = this.currentProfiles(ws, subjects);
          const next = update(profiled, current);
          for (const s of current.keys()) if (!dirty.has(dirtyKey(ws, s))) this.profiles.delete(ws, s); // kept again below only as written
          for (const p of next) {
            dirty.set(dirtyKey(ws, p.subject), { ws, subject: p.subject, profile: p.profile });
            this.profiles.set(ws, p.subject, p.profile);
          }
        } catch (error) {
          for (const s of subjects) this.profiles.delete(ws, s);
          throw error;
        }
      }
      return result;
    });
  }
  async eventsOf(ws: string, subject: string, limit?: number): Promise<StoredEvent[]> {
    if (limit === undefined) {
      return (this.q('SELECT * FROM events WHERE workspace = ? AND subject = ? ORDER BY ts, seq').all(ws, subject) as Row[]).map(eventFromRow);
    }
    const rows = this.q('SELECT * FROM events WHERE workspace = ? AND subject = ? ORDER BY ts DESC, seq DESC LIMIT ?').all(ws, subject, limit) as Row[];
    return rows.reverse().map(eventFromRow);
  }
  async *scanEvents(ws: string, opts: EventScanOptions = {}): AsyncIterable<StoredEvent[]> {
    const pageSize = opts.pageSize ?? 10_000;
    const since = opts.since ?? 0;
    let after = 0;
    for (;;) {
      const rows = this.q(SCAN_EVENTS_SQL).all(ws, after, since, pageSize) as Row[];
      if (rows.length === 0) return;
      after = toNumber(rows[rows.length - 1].seq);
      yield rows.map(eventFromRow);
      if (rows.length < pageSize) return;
    }
  }
  async countEvents(ws: string): Promise<number> {
    return toNumber((this.q('SELECT count(*) AS n FROM events WHERE workspace = ?').get(ws) as Row).n);
  }
  async reassignEvents(ws: string, from: string, to: string): Promise<number> {
    return this.q('UPDATE events SET subject = ?, user_id = COALESCE(user_id, ?) WHERE workspace = ? AND subject = ?').run(to, to, ws, from).changes;
  }
  async deleteEventsOf(ws: string, subject: string, types?: readonly EventType[]): Promise<number> {
    if (!types) return this.q('DELETE FROM events WHERE workspace = ? AND subject = ?').run(ws, subject).changes;
    if (types.length === 0) return 0;
    return this.db.prepare(`DELETE FROM events WHERE workspace = ? AND subject = ? AND type IN (${types.map(() => '?').join(', ')})`).run(ws, subject, ...types)
      .changes;
  }
  async deleteEventsBefore(ws: string, before: number): Promise<number> {
    return this.q('DELETE FROM events WHERE workspace = ? AND ts < ?').run(ws, before).changes;
  }

  async putUser(ws: string, id: string, traits: Record<string, unknown>, at: number): Promise<StoredUser> {
    return this.db
      .transaction(() => {
        const old = this.q('SELECT * FROM users WHERE workspace = ? AND id = ?').get(ws, id) as Row | undefined;
        const merged = { ...(old ? parseJson(old.traits) : {}), ...traits };
        const createdAt = old ? toNumber(old.created_at) : at;
        this.q(
          'INSERT INTO users (workspace, id, traits, created_at, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (workspace, id) DO UPDATE SET traits = excluded.traits, updated_at = excluded.updated_at',
        ).run(ws, id, JSON.stringify(merged), createdAt, at);
        return { id, traits: merged, createdAt, updatedAt: at };
      })
      .immediate();
  }
  async getUser(ws: string, id: string): Promise<StoredUser | null> {
    const r = this.q('SELECT * FROM users WHERE workspace = ? AND id = ?').get(ws, id) as Row | undefined;
    return r ? { id, traits: parseJson(r.traits), createdAt: toNumber(r.created_at), updatedAt: toNumber(r.updated_at) } : null;
  }
  async deleteUser(ws: string, id: string): Promise<boolean> {
    return this.q('DELETE FROM users WHERE workspace = ? AND id = ?').run(ws, id).changes > 0;
  }

  async getProfile(ws: string, subject: string): Promise<Record<string, unknown> | null> {
    const r = this.q('SELECT body FROM profiles WHERE workspace = ? AND subject = ?').get(ws, subject) as Row | undefined;
    return r ? parseJson(r.body) : null;
  }
  async getProfiles(ws: string, subjects: string[]): Promise<Map<string, Record<string, unknown>>> {
    return this.profilesNow(ws, subjects);
  }
  /**
   * The current profiles for the ingest path: those an earlier write of this group changed (not yet
   * written), else from the cache, else read and parsed.
   */
  private currentProfiles(ws: string, subjects: Iterable<string>): Map<string, Record<string, unknown>> {
    const out = new Map<string, Record<string, unknown>>();
    const missing: string[] = [];
    for (const s of subjects) {
      const p = this.dirty?.get(dirtyKey(ws, s))?.profile ?? this.profiles.get(ws, s);
      if (p) out.set(s, p);
      else missing.push(s);
    }
    for (const [s, p] of this.profilesNow(ws, missing)) out.set(s, p);
    return out;
  }
  private profilesNow(ws: string, subjects: readonly string[]): Map<string, Record<string, unknown>> {
    // Point reads on the primary key through one cached statement: cheaper than preparing an IN list per call.
    const out = new Map<string, Record<string, unknown>>();
    const st = this.q('SELECT body FROM profiles WHERE workspace = ? AND subject = ?');
    for (const s of subjects) {
      const r = st.get(ws, s) as Row | undefined;
      if (r) out.set(s, parseJson(r.body));
    }
    return out;
  }
  async putProfiles(ws: string, profiles: Array<{ subject: string; profile: Record<string, unknown> }>): Promise<void> {
    const st = this.q('INSERT INTO profiles (workspace, subject, body) VALUES (?, ?, ?) ON CONFLICT (workspace, subject) DO UPDATE SET body = excluded.body');
    for (const p of profiles) this.profiles.delete(ws, p.subject);
    this.db.transaction(() => {
      for (const p of profiles) st.run(ws, p.subject, JSON.stringify(p.profile));
    })();
  }
  async deleteProfile(ws: string, subject: string): Promise<boolean> {
    this.profiles.delete(ws, subject);
    return this.q('DELETE FROM profiles WHERE workspace = ? AND subject = ?').run(ws, subject).changes > 0;
  }

  async appendConsent(ws: string, userId: string, c: ConsentChange): Promise<void> {
    this.q('INSERT INTO consent (workspace, user_id, purposes, source, policy_version, at) VALUES (?, ?, ?, ?, ?, ?)').run(
      ws,
      userId,
      JSON.stringify(c.purposes),
      c.source,
      c.policyVersion,
      c.at,
    );
  }
  async consentHistory(ws: string, userId: string): Promise<ConsentChange[]> {
    return (this.q('SELECT * FROM consent WHERE workspace = ? AND user_id = ? ORDER BY seq').all(ws, userId) as Row[]).map(consentFromRow);
  }
  async consentHistories(ws: string, userIds: readonly string[]): Promise<Map<string, ConsentChange[]>> {
    const out = new Map<string, ConsentChange[]>();
    // consentHistory's statement per person, bound as it binds the id: a list passed as JSON text would
    // decode a lone surrogate otherwise than the driver encodes the stored id, and miss that person's rows.
    const st = this.q('SELECT * FROM consent WHERE workspace = ? AND user_id = ? ORDER BY seq');
    for (const id of new Set(userIds)) {
      const rows = st.all(ws, id) as Row[];
      if (rows.length > 0) out.set(id, rows.map(consentFromRow));
    }
    return out;
  }
  async deleteConsent(ws: string, userId: string): Promise<number> {
    return this.q('DELETE FROM consent WHERE workspace = ? AND user_id = ?').run(ws, userId).changes;
  }

  async linkIdentity(ws: string, anonymousId: string, userId: string, at: number): Promise<void> {
    this.q(
      'INSERT INTO identity_links (workspace, anonymous_id, user_id, at) VALUES (?, ?, ?, ?) ON CONFLICT (workspace, anonymous_id) DO UPDATE SET user_id = excluded.user_id, at = excluded.at',
    ).run(ws, anonymousId, userId, at);
  }
  async linkIdentities(ws: string, links: ReadonlyArray<IdentityLink>, at: number): Promise<number[]> {
    if (links.length === 0) return [];
    const link = this.q(
      'INSERT INTO identity_links (workspace, anonymous_id, user_id, at) VALUES (?, ?, ?, ?) ON CONFLICT (workspace, anonymous_id) DO UPDATE SET user_id = excluded.user_id, at = excluded.at',
    );
    const move = this.q('UPDATE events SET subject = ?, user_id = COALESCE(user_id, ?) WHERE workspace = ? AND subject = ?');
    const drop = this.q('DELETE FROM profiles WHERE workspace = ? AND subject = ?');
    return this.grouped(() =>
      links.map((l) => {
        link.run(ws, l.anonymousId, l.userId, at);
        const moved = move.run(l.userId, l.userId, ws, l.from).changes;
        this.profiles.delete(ws, l.from);
        this.dirty?.delete(dirtyKey(ws, l.from));
        drop.run(ws, l.from);
        return moved;
      }),
    );
  }
  async resolveAnonymous(ws: string, anonymousId: string): Promise<string | null> {
    const r = this.q('SELECT user_id FROM identity_links WHERE workspace = ? AND anonymous_id = ?').get(ws, anonymousId) as Row | undefined;
    return r ? String(r.user_id) : null;
  }
  async resolveAnonymousMany(ws: string, anonymousIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const st = this.q('SELECT user_id FROM identity_links WHERE workspace = ? AND anonymous_id = ?');
    for (const id of new Set(anonymousIds)) {
      const r = st.get(ws, id) as Row | undefined;
      if (r) out.set(id, String(r.user_id));
    }
    return out;
  }
  async anonymousIdsOf(ws: string, userId: string): Promise<string[]> {
    return (this.q('SELECT anonymous_id FROM identity_links WHERE workspace = ? AND user_id = ? ORDER BY anonymous_id').all(ws, userId) as Row[]).map((r) =>
      String(r.anonymous_id),
    );
  }
  async deleteIdentityLinks(ws: string, userId: string): Promise<number> {
    return this.q('DELETE FROM identity_links WHERE workspace = ? AND user_id = ?').run(ws, userId).changes;
  }

  async putBlob(ws: string, name: string, data: Uint8Array, meta: Record<string, unknown>, at: number): Promise<void> {
    this.q(
      'INSERT INTO blobs (workspace, name, data, meta, updated_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (workspace, name) DO UPDATE SET data = excluded.data, meta = excluded.meta, updated_at = excluded.updated_at',
    ).run(ws, name, Buffer.from(data.buffer, data.byteOffset, data.byteLength), JSON.stringify(meta), at);
  }
  async getBlob(ws: string, name: string): Promise<Blob | null> {
    const r = this.q('SELECT * FROM blobs WHERE workspace = ? AND name = ?').get(ws, name) as Row | undefined;
    if (!r) return null;
    const b = r.data as Buffer;
    return { name, data: new Uint8Array(b.buffer, b.byteOffset, b.byteLength), meta: parseJson(r.meta), updatedAt: toNumber(r.updated_at) };
  }
  async blobInfo(ws: string, name: string): Promise<BlobInfo | null> {
    const r = this.q('SELECT name, meta, updated_at FROM blobs WHERE workspace = ? AND name = ?').get(ws, name) as Row | undefined;
    return r ? { name, meta: parseJson(r.meta), updatedAt: toNumber(r.updated_at) } : null;
  }
  async listBlobs(ws: string, prefix = ''): Promise<BlobInfo[]> {
    return (
      this.q('SELECT name, meta, updated_at FROM blobs WHERE workspace = ? AND substr(name, 1, length(?)) = ? ORDER BY name').all(ws, prefix, prefix) as Row[]
    ).map((r) => ({ name: String(r.name), meta: parseJson(r.meta), updatedAt: toNumber(r.updated_at) }));
  }
  async deleteBlob(ws: string, name: string): Promise<boolean> {
    return this.q('DELETE FROM blobs WHERE workspace = ? AND name = ?').run(ws, name).changes > 0;
  }

  async putDocs(ws: string, docs: Doc[]): Promise<void> {
    // Through the group commit: the served path logs its answers here in batches of hundreds, and a FULL
    // commit would hold the event loop for its fsync (the recommend bench's p99).
    return this.grouped(() => {
      const st = this.q(
        'INSERT INTO docs (workspace, collection, id, subject, body, created_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (workspace, collection, id) DO UPDATE SET subject = excluded.subject, body = excluded.body',
      );
      for (const d of docs) st.run(ws, d.collection, d.id, d.subject, JSON.stringify(d.body), d.createdAt);
    });
  }
  async getDoc(ws: string, collection: string, id: string): Promise<Doc | null> {
    const r = this.q('SELECT * FROM docs WHERE workspace = ? AND collection = ? AND id = ?').get(ws, collection, id) as Row | undefined;
    return r ? docFromRow(r) : null;
  }
  async listDocs(ws: string, collection: string, opts: { subject?: string; limit?: number } = {}): Promise<Doc[]> {
    const limit = opts.limit ?? 1000;
    const rows =
      opts.subject === undefined
        ? this.q('SELECT * FROM docs WHERE workspace = ? AND collection = ? ORDER BY created_at DESC, id DESC LIMIT ?').all(ws, collection, limit)
        : this.q('SELECT * FROM docs WHERE workspace = ? AND collection = ? AND subject = ? ORDER BY created_at DESC, id DESC LIMIT ?').all(
            ws,
            collection,
            opts.subject,
            limit,
          );
    return (rows as Row[]).map(docFromRow);
  }
  async deleteDoc(ws: string, collection: string, id: string): Promise<boolean> {
    return this.q('DELETE FROM docs WHERE workspace = ? AND collection = ? AND id = ?').run(ws, collection, id).changes > 0;
  }
  async docsOfSubject(ws: string, subject: string): Promise<Doc[]> {
    return (this.q('SELECT * FROM docs WHERE workspace = ? AND subject = ? ORDER BY collection, created_at, id').all(ws, subject) as Row[]).map(docFromRow);
  }
  async deleteDocsOfSubject(ws: string, subject: string): Promise<number> {
    return this.q('DELETE FROM docs WHERE workspace = ? AND subject = ?').run(ws, subject).changes;
  }
  async deleteDocsBefore(ws: string, collection: string, before: number): Promise<number> {
    return this.q('DELETE FROM docs WHERE workspace = ? AND collection = ? AND created_at < ?').run(ws, collection, before).changes;
  }
  async trimDocs(ws: string, collection: string, keep: number): Promise<number> {
    // The keep-th newest time, found on the (workspace, collection, created_at) index; NULL (fewer docs) deletes nothing.
    // Grouped like putDocs, which it follows on the served path.
    return this.grouped(
      () =>
        this.q(
          'DELETE FROM docs WHERE workspace = ? AND collection = ? AND created_at < (SELECT created_at FROM docs WHERE workspace = ? AND collection = ? ORDER BY created_at DESC LIMIT 1 OFFSET ?)',
        ).run(ws, collection, ws, collection, Math.max(0, Math.floor(keep) - 1)).changes,
    );
  }

  async insertKey(k: StoredKey): Promise<void> {
    this.q('INSERT INTO api_keys (id, workspace, scope, name, hash, root, created_at, last_used_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      k.id,
      k.workspace,
      k.scope,
      k.name,
      k.hash,
      k.root ? 1 : 0,
      k.createdAt,
      k.lastUsedAt,
    );
  }
  async keyByHash(hash: string): Promise<StoredKey | null> {
    const r = this.q('SELECT * FROM api_keys WHERE hash = ?').get(hash) as Row | undefined;
    return r ? keyFromRow(r) : null;
  }
  async listKeys(ws: string): Promise<StoredKey[]> {
    return (this.q('SELECT * FROM api_keys WHERE workspace = ? ORDER BY created_at, id').all(ws) as Row[]).map(keyFromRow);
  }
  async deleteKey(ws: string, id: string): Promise<boolean> {
    return this.q('DELETE FROM api_keys WHERE workspace = ? AND id = ?').run(ws, id).changes > 0;
  }
  async touchKey(id: string, at: number): Promise<void> {
    this.q('UPDATE api_keys SET last_used_at = ? WHERE id = ?').run(at, id);
  }
  async hasRootKey(): Promise<boolean> {
    return this.q('SELECT 1 FROM api_keys WHERE root = 1 LIMIT 1').get() !== undefined;
  }

  async bumpCounter(ws: string, name: string): Promise<number> {
    const r = this.q(
      'INSERT INTO counters (workspace, name, value) VALUES (?, ?, 1) ON CONFLICT (workspace, name) DO UPDATE SET value = value + 1 RETURNING value',
    ).get(ws, name) as Row;
    return toNumber(r.value);
  }
  async readCounters(ws: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const r of this.q('SELECT name, value FROM counters WHERE workspace = ?').all(ws) as Row[]) out[String(r.name)] = toNumber(r.value);
    return out;
  }
}

const dirtyKey = (ws: string, subject: string) => `${ws}\u0000${subject}`;

function docFromRow(r: Row): Doc {
  return {
    collection: String(r.collection),
    id: String(r.id),
    subject: (r.subject as string | null) ?? null,
    body: parseJson(r.body),
    createdAt: toNumber(r.created_at),
  };
}
