import pg from 'pg';
import type { ConsentChange, EventType, StoredEvent, StoredItem, StoredKey, StoredUser, Workspace } from '../../domain/schemas.ts';
import { storedId } from '../../domain/subjects.ts';
import type { Blob, BlobInfo, Doc, EventScanOptions, IdentityLink, InsertEventsResult, Store, ProfileUpdater } from '../store.ts';
import {
  EVENT_COLUMNS,
  blobInfoFromRow,
  consentFromRow,
  docFromRow,
  eventFromRow,
  eventToValues,
  itemFromRow,
  keyFromRow,
  parseJson,
  toNumber,
  workspaceFromRow,
  type Row,
} from '../rows.ts';
import { POSTGRES_MIGRATIONS } from './migrations.ts';
import { TurnBatcher } from './turn-batch.ts';
import { ProfileCache } from '../sqlite/profile-cache.ts';

export interface PostgresStoreOptions {
  connectionString: string;
  /** Keep every table in this schema (created by `migrate()`); lets tests and tenants share one database. */
  schema?: string;
  /** Pool size per process (default 10). */
  max?: number;
}

/** At most this many events in one ingest transaction (a group of concurrent batches). */
const MAX_GROUP_EVENTS = 10_000;

interface IngestJob {
  events: StoredEvent[];
  profileSubjects: ReadonlySet<string>;
  update: ProfileUpdater;
  resolve: (r: InsertEventsResult) => void;
  reject: (e: unknown) => void;
}
interface IngestQueue {
  running: boolean;
  waiting: IngestJob[];
}

/**
 * The profiles of a group's people, but only the bodies of rows that changed since this node cached
 * them: `xmin` (the id of the transaction that wrote the row version) stands for the version, so a
 * profile another node wrote, or a row deleted and made again, comes back in full.
 */
const PROFILES_READ_SQL = `SELECT p.subject, p.xmin::text AS v, CASE WHEN p.xmin::text IS DISTINCT FROM k.v THEN p.body END AS body
FROM unnest($2::text[], $3::text[]) AS k(s, v) JOIN profiles p ON p.workspace = $1 AND p.subject = k.s`;

/**
 * Writes profiles and says which row version each now is. The profiles travel as one JSON array of the
 * objects themselves, serialised once: a json value keeps its text as sent, so each element's text is
 * exactly JSON.stringify(profile), without escaping every body a second time as an array of strings (a
 * text[] parameter would be escaped element by element in JavaScript; a profile is ~1 KB with a hundred quotes).
 */
const PROFILES_WRITE_SQL = `INSERT INTO profiles (workspace, subject, body)
SELECT $1, s, b FROM unnest($2::text[], ARRAY(SELECT j.b::text FROM json_array_elements($3::json) WITH ORDINALITY AS j(b, i) ORDER BY j.i)) AS x(s, b)
ON CONFLICT (workspace, subject) DO UPDATE SET body = excluded.body
RETURNING subject, xmin::text AS v`;

/** First key of the two-part advisory lock that serializes migrations ("AFIN"). */
const MIGRATION_LOCK = 0x4146494e;

/** SQL types of the event columns after `workspace`, in EVENT_COLUMNS order, for the unnest insert. */
const EVENT_ARRAY_TYPES = ['text', 'text', 'text', 'text', 'text', 'text', 'float8', 'text', 'text', 'text', 'text', 'int8', 'int8', 'text'] as const;

const EVENT_INSERT_SQL = (() => {
  const cols = EVENT_COLUMNS.slice(1);
  const arrays = EVENT_ARRAY_TYPES.map((t, i) => `$${i + 2}::${t}[]`).join(', ');
  // unnest keeps one parameter per column whatever the batch size, and ORDER BY ord makes seq follow
  // input order so scanEvents sees the batch as it was sent.
  return `INSERT INTO events (${EVENT_COLUMNS.join(', ')})
SELECT $1, ${cols.join(', ')} FROM unnest(${arrays}) WITH ORDINALITY AS e(${cols.join(', ')}, ord) ORDER BY ord
ON CONFLICT (workspace, message_id) DO NOTHING RETURNING message_id`;
})();

/**
 * Identifies several visitors at once (distinct visitors, none of them a target): links the ids, moves
 * each visitor's events to their user and drops the visitor's profile, all in one statement (its
 * data-modifying parts touch different tables), and says how many events each link (by ordinal) moved.
 */
const LINK_ALL_SQL = `WITH l AS (
  SELECT * FROM unnest($2::text[], $3::text[], $4::text[]) WITH ORDINALITY AS l(anonymous_id, user_id, from_subject, ord)
), linked AS (
  INSERT INTO identity_links (workspace, anonymous_id, user_id, at) SELECT $1, anonymous_id, user_id, $5 FROM l
  ON CONFLICT (workspace, anonymous_id) DO UPDATE SET user_id = excluded.user_id, at = excluded.at
), moved AS (
  UPDATE events e SET subject = l.user_id, user_id = COALESCE(e.user_id, l.user_id) FROM l
  WHERE e.workspace = $1 AND e.subject = l.from_subject RETURNING l.ord
), dropped AS (
  DELETE FROM profiles WHERE workspace = $1 AND subject = ANY($4::text[])
)
SELECT ord, count(*)::int AS n FROM moved GROUP BY ord`;

/**
 * The store for several API nodes sharing one PostgreSQL. Every write is one autocommitted statement
 * or an explicit transaction, and PostgreSQL's default `synchronous_commit = on` means a resolved
 * write has reached the WAL on disk.
 */
export class PostgresStore implements Store {
  readonly dialect = 'postgres' as const;
  readonly pool: pg.Pool;
  readonly schema: string | null;
  private closed = false;
  /** Per workspace, the batches waiting for this node's running ingest transaction (see ingestEvents). */
  private readonly ingestQueues = new Map<string, IngestQueue>();
  /**
   * The parsed profiles this node's ingest last wrote or read, with their row version (`xmin`): the next
   * group about the same people reads only the versions, and bodies only where another node (or a
   * delete) changed them. Owned by the ingest path, which updates them in place; an attempt that fails
   * forgets every person of its group (see ingestAttempt).
   */
  private readonly profileCache = new ProfileCache<{ version: string; profile: Record<string, unknown> }>();

  constructor(opts: PostgresStoreOptions) {
    this.schema = opts.schema ?? null;
    const config: pg.PoolConfig = { connectionString: opts.connectionString, max: opts.max ?? 10 };
    if (this.schema !== null) {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(this.schema)) {
        throw new Error(`schema must be 1-63 lowercase letters, digits or _, not starting with a digit: ${this.schema}`);
      }
      Object.assign(config, withSearchPath(opts.connectionString, this.schema));
    }
    this.pool = new pg.Pool(config);
    // A dropped idle connection is discarded by the pool and replaced on the next query; without a
    // listener the 'error' event would crash the process.
    this.pool.on('error', () => {});
  }

  private async rows(sql: string, values: unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, values)).rows as Row[];
  }
  private async count(sql: string, values: unknown[]): Promise<number> {
    return (await this.pool.query(sql, values)).rowCount ?? 0;
  }

  private async tx<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
    const c = await this.pool.connect();
    let broken = false;
    try {
      await c.query('BEGIN');
      const out = await fn(c);
      await c.query('COMMIT');
      return out;
    } catch (e) {
      // If even ROLLBACK fails the connection is unusable: destroy it rather than return it to the pool.
      await c.query('ROLLBACK').catch(() => {
        broken = true;
      });
      throw e;
    } finally {
      c.release(broken);
    }
  }

  async migrate(): Promise<void> {
    await this.tx(async (c) => {
      // Nodes starting together queue here; the later ones then find every version applied.
      await c.query('SELECT pg_advisory_xact_lock($1, hashtext($2))', [MIGRATION_LOCK, this.schema ?? '']);
      if (this.schema !== null) {
        // Checked first because CREATE SCHEMA IF NOT EXISTS still needs CREATE rights on the database.
        const exists = await c.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [this.schema]);
        if (exists.rowCount === 0) await c.query(`CREATE SCHEMA ${pg.escapeIdentifier(this.schema)}`);
      }
      await c.query('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)');
      const done = new Set((await c.query('SELECT version FROM schema_migrations')).rows.map((r) => Number(r.version)));
      for (const m of POSTGRES_MIGRATIONS) {
        if (done.has(m.version)) continue;
        await c.query(m.sql);
        await c.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)', [m.version, m.name, Date.now()]);
      }
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  /**
   * Nothing a client can do: deleted rows stay in heap pages until VACUUM and in WAL segments until
   * they are recycled, both the server operator's (the README's erasure section says how).
   */
  async scrubDeleted(): Promise<boolean> {
    return true;
  }

  /** Drops this store's own schema and everything in it (tests). */
  async dropSchema(): Promise<void> {
    if (this.schema === null) throw new Error('dropSchema needs a store opened with the schema option');
    await this.pool.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(this.schema)} CASCADE`);
  }

  async createWorkspace(w: Workspace): Promise<boolean> {
    return (await this.count('INSERT INTO workspaces (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING', [w.id, w.name, w.createdAt])) > 0;
  }
  async getWorkspace(id: string): Promise<Workspace | null> {
    const [r] = await this.rows('SELECT * FROM workspaces WHERE id = $1', [id]);
    return r ? workspaceFromRow(r) : null;
  }
  async listWorkspaces(): Promise<Workspace[]> {
    return (await this.rows('SELECT * FROM workspaces ORDER BY id')).map(workspaceFromRow);
  }

  async upsertItems(ws: string, items: StoredItem[]): Promise<number> {
    // One statement may not update a row twice, so repeated ids collapse to the last, as sequential upserts would.
    const last = [...new Map(items.map((it) => [it.id, it])).values()];
    if (last.length > 0) {
      await this.pool.query(
        `INSERT INTO items (workspace, id, body, available, updated_at)
SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bool[], $5::int8[])
ON CONFLICT (workspace, id) DO UPDATE SET body = excluded.body, available = excluded.available, updated_at = excluded.updated_at`,
        [ws, last.map((it) => it.id), last.map((it) => JSON.stringify(it)), last.map((it) => !!it.available), last.map((it) => it.updatedAt)],
      );
    }
    return items.length;
  }
  async getItem(ws: string, id: string): Promise<StoredItem | null> {
    const [r] = await this.rows('SELECT body FROM items WHERE workspace = $1 AND id = $2', [ws, id]);
    return r ? itemFromRow(r) : null;
  }
  async listItems(ws: string): Promise<StoredItem[]> {
    return (await this.rows('SELECT body FROM items WHERE workspace = $1 ORDER BY id', [ws])).map(itemFromRow);
  }
  async deleteItem(ws: string, id: string): Promise<boolean> {
    return (await this.count('DELETE FROM items WHERE workspace = $1 AND id = $2', [ws, id])) > 0;
  }

  async insertEvents(ws: string, events: StoredEvent[]): Promise<InsertEventsResult> {
    return this.insertEventRows(this.pool, ws, events);
  }

  /**
   * Batches that arrive while this node's previous ingest transaction for the workspace is still running
   * wait, then go together in one transaction: one insert, one lock statement, one read and one write of
   * the profiles they touch (each person once), one commit. Before, each batch was its own transaction
   * and concurrent batches about the same people queued on each other's locks. A group that fails runs
   * again batch by batch, so a bad batch fails alone. Each promise settles after the commit that holds it.
   */
  async ingestEvents(ws: string, events: StoredEvent[], profileSubjects: ReadonlySet<string>, update: ProfileUpdater): Promise<InsertEventsResult> {
    return new Promise<InsertEventsResult>((resolve, reject) => {
      let q = this.ingestQueues.get(ws);
      if (!q) this.ingestQueues.set(ws, (q = { running: false, waiting: [] }));
      q.waiting.push({ events, profileSubjects, update, resolve, reject });
      if (!q.running) {
        q.running = true;
        setImmediate(() => void this.drainIngest(ws, q));
      }
    });
  }

  private async drainIngest(ws: string, q: IngestQueue): Promise<void> {
    while (q.waiting.length > 0) {
      // Bounded, so one transaction (and the wait of the batches behind it) stays short.
      let n = 0;
      let size = 0;
      while (n < q.waiting.length && (n === 0 || size + q.waiting[n].events.length <= MAX_GROUP_EVENTS)) size += q.waiting[n++].events.length;
      const jobs = q.waiting.splice(0, n);
      try {
        const results = await this.retrying(() => this.ingestAttempt(ws, jobs));
        for (let i = 0; i < jobs.length; i++) jobs[i].resolve(results[i]);
      } catch (error) {
        if (jobs.length === 1) jobs[0].reject(error);
        else
          for (const j of jobs) {
            await this.retrying(() => this.ingestAttempt(ws, [j])).then(
              ([r]) => j.resolve(r),
              (e) => j.reject(e),
            );
          }
      }
    }
    q.running = false;
    if (this.ingestQueues.get(ws) === q) this.ingestQueues.delete(ws);
  }

  /**
   * One transaction for a group. If it fails anywhere (an updater that threw, a deadlock, the commit),
   * the cached profiles of its people may have been changed in place or name a version that never
   * committed: they are forgotten, so a retry reads them again.
   */
  private async ingestAttempt(ws: string, jobs: readonly IngestJob[]): Promise<InsertEventsResult[]> {
    try {
      return await this.tx((c) => this.ingestGroup(c, ws, jobs));
    } catch (error) {
      for (const j of jobs) for (const e of j.events) this.profileCache.delete(ws, e.subject);
      throw error;
    }
  }

  /** Stores the batches in order, as if one after the other, and updates each touched profile once. */
  private async ingestGroup(c: pg.PoolClient, ws: string, jobs: readonly IngestJob[]): Promise<InsertEventsResult[]> {
    const all = jobs.length === 1 ? jobs[0].events : jobs.flatMap((j) => j.events);
    // insertEventRows keeps the first of each messageId: an earlier batch's copy wins, as it would have
    // had it committed first.
    const fresh = new Set((await this.insertEventRows(c, ws, all)).inserted);
    const results = jobs.map((j) => {
      const inserted = j.events.filter((e) => fresh.has(e));
      return { inserted, duplicates: j.events.length - inserted.length };
    });
    const perJob = results.map((r, i) => [...new Set(r.inserted.map((e) => e.subject))].filter((s) => jobs[i].profileSubjects.has(s)));
    const subjects = [...new Set(perJob.flat())].sort();
    if (subjects.length === 0) return results;
    // Per-person locks, taken in sorted order (no deadlock between nodes) and after the insert
    // (a transaction waiting on another's messageId holds none): other nodes' batches about these people queue here.
    await c.query('SELECT pg_advisory_xact_lock(hashtext($1 || chr(31) || s)) FROM unnest($2::text[]) AS s ORDER BY s', [ws, subjects]);
    const cached = new Map(subjects.map((s) => [s, this.profileCache.get(ws, s)]));
    const { rows } = await c.query(PROFILES_READ_SQL, [ws, subjects, [...cached.values()].map((e) => e?.version ?? null)]);
    const current = new Map<string, Record<string, unknown>>();
    for (const r of rows as Row[]) {
      const subject = String(r.subject);
      // A null body: the row is still the version cached (the join found the row, so the cache had it).
      const profile = r.body === null ? cached.get(subject)!.profile : parseJson(r.body);
      current.set(subject, profile);
    }
    const changed = new Map<string, Record<string, unknown>>();
    jobs.forEach((j, i) => {
      if (perJob[i].length === 0) return;
      const mine = new Map<string, Record<string, unknown>>();
      for (const s of perJob[i]) {
        const p = current.get(s);
        if (p) mine.set(s, p);
      }
      // A later batch of the group starts from what the earlier ones made of each profile.
      for (const p of j.update(
        results[i].inserted.filter((e) => j.profileSubjects.has(e.subject)),
        mine,
      )) {
        current.set(p.subject, p.profile);
        changed.set(p.subject, p.profile);
      }
    });
    // The updaters may have changed in place a profile they did not return (ProfileUpdater: the store
    // keeps only what it returns), so a profile read here is cached only as written below, as SQLite does.
    for (const r of rows as Row[]) {
      const subject = String(r.subject);
      if (!changed.has(subject)) this.profileCache.delete(ws, subject);
    }
    if (changed.size > 0) {
      const written = await c.query(PROFILES_WRITE_SQL, [ws, [...changed.keys()], JSON.stringify([...changed.values()])]);
      for (const r of written.rows as Row[]) {
        const subject = String(r.subject);
        this.profileCache.set(ws, subject, { version: String(r.v), profile: changed.get(subject)! });
      }
    }
    return results;
  }

  /** Runs a transaction again when PostgreSQL aborted it as a deadlock victim or a serialization failure. */
  private async retrying<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
    for (let i = 1; ; i++) {
      try {
        return await fn();
      } catch (e) {
        const code = (e as { code?: string }).code;
        if (i >= attempts || (code !== '40P01' && code !== '40001')) throw e;
        await new Promise((r) => setTimeout(r, 5 * i + Math.floor(Math.random() * 10)));
      }
    }
  }

  private async insertEventRows(db: pg.Pool | pg.PoolClient, ws: string, events: StoredEvent[]): Promise<InsertEventsResult> {
    // A messageId repeated inside the batch counts as a duplicate of its first occurrence.
    const firsts = new Map<string, StoredEvent>();
    for (const e of events) if (!firsts.has(e.messageId)) firsts.set(e.messageId, e);
    const batch = [...firsts.values()];
    if (batch.length === 0) return { inserted: [], duplicates: events.length };
    const columns: unknown[][] = EVENT_ARRAY_TYPES.map(() => new Array(batch.length));
    batch.forEach((e, i) => {
      const values = eventToValues(ws, e);
      for (let c = 0; c < columns.length; c++) columns[c][i] = values[c + 1];
    });
    const res = await db.query(EVENT_INSERT_SQL, [ws, ...columns]);
    const fresh = new Set(res.rows.map((r) => String(r.message_id)));
    const inserted = batch.filter((e) => fresh.has(e.messageId));
    return { inserted, duplicates: events.length - inserted.length };
  }
  async eventsOf(ws: string, subject: string, limit?: number): Promise<StoredEvent[]> {
    if (limit === undefined) {
      return (await this.rows('SELECT * FROM events WHERE workspace = $1 AND subject = $2 ORDER BY ts, seq', [ws, subject])).map(eventFromRow);
    }
    const rows = await this.rows('SELECT * FROM events WHERE workspace = $1 AND subject = $2 ORDER BY ts DESC, seq DESC LIMIT $3', [ws, subject, limit]);
    return rows.reverse().map(eventFromRow);
  }
  async *scanEvents(ws: string, opts: EventScanOptions = {}): AsyncIterable<StoredEvent[]> {
    const pageSize = opts.pageSize ?? 10_000;
    const since = opts.since ?? 0;
    // seq stays a string (BIGINT text) between pages so no precision is ever lost.
    let after: string = '0';
    for (;;) {
      const rows = await this.rows('SELECT * FROM events WHERE workspace = $1 AND seq > $2 AND ts >= $3 ORDER BY seq LIMIT $4', [ws, after, since, pageSize]);
      if (rows.length === 0) return;
      after = String(rows[rows.length - 1].seq);
      yield rows.map(eventFromRow);
      if (rows.length < pageSize) return;
    }
  }
  async countEvents(ws: string): Promise<number> {
    const [r] = await this.rows('SELECT count(*) AS n FROM events WHERE workspace = $1', [ws]);
    return toNumber(r.n);
  }
  async reassignEvents(ws: string, from: string, to: string): Promise<number> {
    return this.count('UPDATE events SET subject = $1, user_id = COALESCE(user_id, $1) WHERE workspace = $2 AND subject = $3', [to, ws, from]);
  }
  async deleteEventsOf(ws: string, subject: string, types?: readonly EventType[]): Promise<number> {
    if (!types) return this.count('DELETE FROM events WHERE workspace = $1 AND subject = $2', [ws, subject]);
    return this.count('DELETE FROM events WHERE workspace = $1 AND subject = $2 AND type = ANY($3::text[])', [ws, subject, [...types]]);
  }
  async deleteEventsBefore(ws: string, before: number): Promise<number> {
    return this.count('DELETE FROM events WHERE workspace = $1 AND ts < $2', [ws, before]);
  }

  async putUser(ws: string, id: string, traits: Record<string, unknown>, at: number): Promise<StoredUser> {
    return this.tx(async (c) => {
      // Insert-or-lock: another node may create or delete the same user meanwhile, so loop until one
      // of the two steps wins; the merge then happens on a locked row and no trait is lost.
      for (;;) {
        const created = await c.query(
          'INSERT INTO users (workspace, id, traits, created_at, updated_at) VALUES ($1, $2, $3, $4, $4) ON CONFLICT (workspace, id) DO NOTHING',
          [ws, id, JSON.stringify(traits), at],
        );
        if (created.rowCount) return { id, traits: { ...traits }, createdAt: at, updatedAt: at };
        const [old] = (await c.query('SELECT traits, created_at FROM users WHERE workspace = $1 AND id = $2 FOR UPDATE', [ws, id])).rows as Row[];
        if (!old) continue;
        const merged = { ...parseJson(old.traits), ...traits };
        await c.query('UPDATE users SET traits = $3, updated_at = $4 WHERE workspace = $1 AND id = $2', [ws, id, JSON.stringify(merged), at]);
        return { id, traits: merged, createdAt: toNumber(old.created_at), updatedAt: at };
      }
    });
  }
  async getUser(ws: string, id: string): Promise<StoredUser | null> {
    const [r] = await this.rows('SELECT * FROM users WHERE workspace = $1 AND id = $2', [ws, id]);
    return r ? { id, traits: parseJson(r.traits), createdAt: toNumber(r.created_at), updatedAt: toNumber(r.updated_at) } : null;
  }
  async deleteUser(ws: string, id: string): Promise<boolean> {
    return (await this.count('DELETE FROM users WHERE workspace = $1 AND id = $2', [ws, id])) > 0;
  }

  async getProfile(ws: string, subject: string): Promise<Record<string, unknown> | null> {
    const [r] = await this.rows('SELECT body FROM profiles WHERE workspace = $1 AND subject = $2', [ws, subject]);
    return r ? parseJson(r.body) : null;
  }
  async getProfiles(ws: string, subjects: string[]): Promise<Map<string, Record<string, unknown>>> {
    const out = new Map<string, Record<string, unknown>>();
    if (subjects.length === 0) return out;
    for (const r of await this.rows('SELECT subject, body FROM profiles WHERE workspace = $1 AND subject = ANY($2::text[])', [ws, subjects])) {
      out.set(String(r.subject), parseJson(r.body));
    }
    return out;
  }
  async putProfiles(ws: string, profiles: Array<{ subject: string; profile: Record<string, unknown> }>): Promise<void> {
    for (const p of profiles) this.profileCache.delete(ws, p.subject);
    const last = [...new Map(profiles.map((p) => [p.subject, p.profile])).entries()];
    if (last.length === 0) return;
    await this.pool.query(
      `INSERT INTO profiles (workspace, subject, body) SELECT $1, * FROM unnest($2::text[], $3::text[])
ON CONFLICT (workspace, subject) DO UPDATE SET body = excluded.body`,
      [ws, last.map(([s]) => s), last.map(([, p]) => JSON.stringify(p))],
    );
  }
  async deleteProfile(ws: string, subject: string): Promise<boolean> {
    this.profileCache.delete(ws, subject); // an erased person's profile stays in no cache here either
    return (await this.count('DELETE FROM profiles WHERE workspace = $1 AND subject = $2', [ws, subject])) > 0;
  }

  async appendConsent(ws: string, userId: string, c: ConsentChange): Promise<void> {
    await this.pool.query('INSERT INTO consent (workspace, user_id, purposes, source, policy_version, at) VALUES ($1, $2, $3, $4, $5, $6)', [
      ws,
      userId,
      JSON.stringify(c.purposes),
      c.source,
      c.policyVersion,
      c.at,
    ]);
  }
  async consentHistory(ws: string, userId: string): Promise<ConsentChange[]> {
    return this.consentReads.get(ws, userId);
  }
  /** Consent histories asked in one loop turn (a batch's people, on the ingest path) share one query. */
  private readonly consentReads = new TurnBatcher<Row, ConsentChange[]>(
    (ws, userIds) => this.consentRowsOf(ws, userIds),
    (rows) => (rows ?? []).map(consentFromRow),
  );
  /**
   * The consent rows of several people, oldest first each, keyed by the ids as asked: a row comes back
   * with its id as stored, where a lone surrogate of the asked id became U+FFFD on the way in.
   */
  private async consentRowsOf(ws: string, userIds: readonly string[]): Promise<Map<string, Row[]>> {
    const byStored = new Map<string, Row[]>();
    for (const r of await this.rows('SELECT * FROM consent WHERE workspace = $1 AND user_id = ANY($2::text[]) ORDER BY seq', [ws, [...new Set(userIds)]])) {
      const id = String(r.user_id);
      const list = byStored.get(id);
      if (list) list.push(r);
      else byStored.set(id, [r]);
    }
    const out = new Map<string, Row[]>();
    for (const id of userIds) {
      const rows = byStored.get(storedId(id));
      if (rows) out.set(id, rows);
    }
    return out;
  }
  async consentHistories(ws: string, userIds: readonly string[]): Promise<Map<string, ConsentChange[]>> {
    const out = new Map<string, ConsentChange[]>();
    if (userIds.length === 0) return out;
    for (const [id, rows] of await this.consentRowsOf(ws, userIds)) out.set(id, rows.map(consentFromRow));
    return out;
  }
  async deleteConsent(ws: string, userId: string): Promise<number> {
    return this.count('DELETE FROM consent WHERE workspace = $1 AND user_id = $2', [ws, userId]);
  }

  async linkIdentity(ws: string, anonymousId: string, userId: string, at: number): Promise<void> {
    await this.pool.query(
      'INSERT INTO identity_links (workspace, anonymous_id, user_id, at) VALUES ($1, $2, $3, $4) ON CONFLICT (workspace, anonymous_id) DO UPDATE SET user_id = excluded.user_id, at = excluded.at',
      [ws, anonymousId, userId, at],
    );
  }
  async linkIdentities(ws: string, links: ReadonlyArray<IdentityLink>, at: number): Promise<number[]> {
    if (links.length === 0) return [];
    for (const l of links) this.profileCache.delete(ws, l.from);
    const from = new Set(links.map((l) => l.from));
    const independent = new Set(links.map((l) => l.anonymousId)).size === links.length && from.size === links.length && !links.some((l) => from.has(l.userId));
    // Links that touch different visitors and users do not depend on their order: one statement does them
    // all (one round trip, where a batch's logins took three per link).
    if (independent) {
      return this.retrying(async () => {
        const { rows } = await this.pool.query(LINK_ALL_SQL, [ws, links.map((l) => l.anonymousId), links.map((l) => l.userId), [...from], at]);
        const moved = new Map(rows.map((r: Row) => [Number(r.ord), Number(r.n)]));
        return links.map((_, i) => moved.get(i + 1) ?? 0);
      });
    }
    // Otherwise one link after the other, in one transaction: one WAL flush rather than three per link.
    return this.retrying(() =>
      this.tx(async (c) => {
        const moved: number[] = [];
        for (const l of links) {
          await c.query(
            'INSERT INTO identity_links (workspace, anonymous_id, user_id, at) VALUES ($1, $2, $3, $4) ON CONFLICT (workspace, anonymous_id) DO UPDATE SET user_id = excluded.user_id, at = excluded.at',
            [ws, l.anonymousId, l.userId, at],
          );
          const r = await c.query('UPDATE events SET subject = $1, user_id = COALESCE(user_id, $1) WHERE workspace = $2 AND subject = $3', [
            l.userId,
            ws,
            l.from,
          ]);
          moved.push(r.rowCount ?? 0);
          await c.query('DELETE FROM profiles WHERE workspace = $1 AND subject = $2', [ws, l.from]);
        }
        return moved;
      }),
    );
  }
  async resolveAnonymous(ws: string, anonymousId: string): Promise<string | null> {
    const [r] = await this.rows('SELECT user_id FROM identity_links WHERE workspace = $1 AND anonymous_id = $2', [ws, anonymousId]);
    return r ? String(r.user_id) : null;
  }
  async resolveAnonymousMany(ws: string, anonymousIds: readonly string[]): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    if (anonymousIds.length === 0) return out;
    const rows = await this.rows('SELECT anonymous_id, user_id FROM identity_links WHERE workspace = $1 AND anonymous_id = ANY($2::text[])', [
      ws,
      [...new Set(anonymousIds)],
    ]);
    for (const r of rows) out.set(String(r.anonymous_id), String(r.user_id));
    return out;
  }
  async anonymousIdsOf(ws: string, userId: string): Promise<string[]> {
    return (await this.rows('SELECT anonymous_id FROM identity_links WHERE workspace = $1 AND user_id = $2 ORDER BY anonymous_id', [ws, userId])).map((r) =>
      String(r.anonymous_id),
    );
  }
  async deleteIdentityLinks(ws: string, userId: string): Promise<number> {
    return this.count('DELETE FROM identity_links WHERE workspace = $1 AND user_id = $2', [ws, userId]);
  }

  async putBlob(ws: string, name: string, data: Uint8Array, meta: Record<string, unknown>, at: number): Promise<void> {
    // A Buffer view of exactly the given bytes: pg sends Buffers as bytea, and a subarray must not drag
    // in the rest of its underlying ArrayBuffer.
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    await this.pool.query(
      'INSERT INTO blobs (workspace, name, data, meta, updated_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (workspace, name) DO UPDATE SET data = excluded.data, meta = excluded.meta, updated_at = excluded.updated_at',
      [ws, name, bytes, JSON.stringify(meta), at],
    );
  }
  async getBlob(ws: string, name: string): Promise<Blob | null> {
    const [r] = await this.rows('SELECT * FROM blobs WHERE workspace = $1 AND name = $2', [ws, name]);
    if (!r) return null;
    const b = r.data as Buffer;
    return { name, data: new Uint8Array(b.buffer, b.byteOffset, b.byteLength), meta: parseJson(r.meta), updatedAt: toNumber(r.updated_at) };
  }
  async blobInfo(ws: string, name: string): Promise<BlobInfo | null> {
    const [r] = await this.rows('SELECT name, meta, updated_at FROM blobs WHERE workspace = $1 AND name = $2', [ws, name]);
    return r ? blobInfoFromRow(r) : null;
  }
  async listBlobs(ws: string, prefix = ''): Promise<BlobInfo[]> {
    // starts_with, not LIKE: a prefix containing % or _ is plain text.
    return (await this.rows('SELECT name, meta, updated_at FROM blobs WHERE workspace = $1 AND starts_with(name, $2) ORDER BY name', [ws, prefix])).map(
      blobInfoFromRow,
    );
  }
  async deleteBlob(ws: string, name: string): Promise<boolean> {
    return (await this.count('DELETE FROM blobs WHERE workspace = $1 AND name = $2', [ws, name])) > 0;
  }

  async putDocs(ws: string, docs: Doc[]): Promise<void> {
    // Collapse repeats of one (collection, id) the way sequential upserts would: the first createdAt
    // stays, the last subject and body win.
    const byKey = new Map<string, Doc>();
    for (const d of docs) {
      const key = JSON.stringify([d.collection, d.id]);
      const prev = byKey.get(key);
      byKey.set(key, prev ? { ...d, createdAt: prev.createdAt } : d);
    }
    const list = [...byKey.values()];
    if (list.length === 0) return;
    await this.pool.query(
      `INSERT INTO docs (workspace, collection, id, subject, body, created_at)
SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::int8[])
ON CONFLICT (workspace, collection, id) DO UPDATE SET subject = excluded.subject, body = excluded.body`,
      [
        ws,
        list.map((d) => d.collection),
        list.map((d) => d.id),
        list.map((d) => d.subject),
        list.map((d) => JSON.stringify(d.body)),
        list.map((d) => d.createdAt),
      ],
    );
  }
  async getDoc(ws: string, collection: string, id: string): Promise<Doc | null> {
    const [r] = await this.rows('SELECT * FROM docs WHERE workspace = $1 AND collection = $2 AND id = $3', [ws, collection, id]);
    return r ? docFromRow(r) : null;
  }
  async listDocs(ws: string, collection: string, opts: { subject?: string; limit?: number } = {}): Promise<Doc[]> {
    const limit = opts.limit ?? 1000;
    const rows =
      opts.subject === undefined
        ? await this.rows('SELECT * FROM docs WHERE workspace = $1 AND collection = $2 ORDER BY created_at DESC, id DESC LIMIT $3', [ws, collection, limit])
        : await this.rows('SELECT * FROM docs WHERE workspace = $1 AND collection = $2 AND subject = $3 ORDER BY created_at DESC, id DESC LIMIT $4', [
            ws,
            collection,
            opts.subject,
            limit,
          ]);
    return rows.map(docFromRow);
  }
  async deleteDoc(ws: string, collection: string, id: string): Promise<boolean> {
    return (await this.count('DELETE FROM docs WHERE workspace = $1 AND collection = $2 AND id = $3', [ws, collection, id])) > 0;
  }
  async docsOfSubject(ws: string, subject: string): Promise<Doc[]> {
    return (await this.rows('SELECT * FROM docs WHERE workspace = $1 AND subject = $2 ORDER BY collection, created_at, id', [ws, subject])).map(docFromRow);
  }
  async deleteDocsOfSubject(ws: string, subject: string): Promise<number> {
    return this.count('DELETE FROM docs WHERE workspace = $1 AND subject = $2', [ws, subject]);
  }
  async deleteDocsBefore(ws: string, collection: string, before: number): Promise<number> {
    return this.count('DELETE FROM docs WHERE workspace = $1 AND collection = $2 AND created_at < $3', [ws, collection, before]);
  }
  async trimDocs(ws: string, collection: string, keep: number): Promise<number> {
    return this.count(
      'DELETE FROM docs WHERE workspace = $1 AND collection = $2 AND created_at < (SELECT created_at FROM docs WHERE workspace = $1 AND collection = $2 ORDER BY created_at DESC LIMIT 1 OFFSET $3)',
      [ws, collection, Math.max(0, Math.floor(keep) - 1)],
    );
  }

  async insertKey(k: StoredKey): Promise<void> {
    await this.pool.query('INSERT INTO api_keys (id, workspace, scope, name, hash, root, created_at, last_used_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)', [
      k.id,
      k.workspace,
      k.scope,
      k.name,
      k.hash,
      k.root,
      k.createdAt,
      k.lastUsedAt,
    ]);
  }
  async keyByHash(hash: string): Promise<StoredKey | null> {
    const [r] = await this.rows('SELECT * FROM api_keys WHERE hash = $1', [hash]);
    return r ? keyFromRow(r) : null;
  }
  async listKeys(ws: string): Promise<StoredKey[]> {
    return (await this.rows('SELECT * FROM api_keys WHERE workspace = $1 ORDER BY created_at, id', [ws])).map(keyFromRow);
  }
  async deleteKey(ws: string, id: string): Promise<boolean> {
    return (await this.count('DELETE FROM api_keys WHERE workspace = $1 AND id = $2', [ws, id])) > 0;
  }
  async touchKey(id: string, at: number): Promise<void> {
    await this.pool.query('UPDATE api_keys SET last_used_at = $1 WHERE id = $2', [at, id]);
  }
  async hasRootKey(): Promise<boolean> {
    return (await this.rows('SELECT 1 FROM api_keys WHERE root LIMIT 1')).length > 0;
  }

  async bumpCounter(ws: string, name: string): Promise<number> {
    const [r] = await this.rows(
      'INSERT INTO counters (workspace, name, value) VALUES ($1, $2, 1) ON CONFLICT (workspace, name) DO UPDATE SET value = counters.value + 1 RETURNING value',
      [ws, name],
    );
    return toNumber(r.value);
  }
  async readCounters(ws: string): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const r of await this.rows('SELECT name, value FROM counters WHERE workspace = $1', [ws])) out[String(r.name)] = toNumber(r.value);
    return out;
  }
}

/**
 * Pins `search_path` for every pooled connection through the startup `options` parameter (no extra
 * round trip per connection). pg lets options in the URL override the config object, so the
 * setting is merged into the URL's own `options` rather than passed beside it.
 */
function withSearchPath(connectionString: string, schema: string): Partial<pg.PoolConfig> {
  const setting = `-c search_path=${schema}`;
  let url: URL;
  try {
    url = new URL(connectionString);
  } catch {
    return { options: setting };
  }
  const prior = url.searchParams.get('options');
  url.searchParams.set('options', prior ? `${prior} ${setting}` : setting);
  return { connectionString: url.toString() };
}
