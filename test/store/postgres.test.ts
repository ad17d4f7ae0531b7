import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileUpdater } from '../../src/store/store.ts';
import { PostgresStore, type PostgresStoreOptions } from '../../src/store/postgres/postgres-store.ts';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations.ts';
import { runStoreContract } from './store-contract.ts';
import { suiteNotRun } from '../suite-not-run.ts';
import { storedEvent } from '../stored-event.ts';

const url = process.env.AFIN_TEST_DATABASE_URL;

if (!url) suiteNotRun('PostgreSQL contract suite', 'AFIN_TEST_DATABASE_URL');
else {
  // A fresh schema per test file, so runs never see each other's rows; dropped at the end.
  const schema = `afin_test_${randomBytes(6).toString('hex')}`;
  runStoreContract(
    'postgres',
    async () => new PostgresStore({ connectionString: url, schema, max: 4 }),
    async (s) => (s as PostgresStore).dropSchema(),
  );

  describe('PostgresStore specifics', () => {
    const fresh = `afin_test_${randomBytes(6).toString('hex')}`;
    const stores: PostgresStore[] = [];
    const open = () => {
      const s = new PostgresStore({ connectionString: url, schema: fresh, max: 2 });
      stores.push(s);
      return s;
    };
    afterAll(async () => {
      if (stores.length > 0) await stores[0].dropSchema();
      await Promise.all(stores.map((s) => s.close()));
    });

    it('lets several nodes migrate an empty schema at once, applying each version exactly once', async () => {
      const nodes = Array.from({ length: 4 }, open);
      await Promise.all(nodes.map((n) => n.migrate()));
      const { rows } = await nodes[0].pool.query('SELECT version FROM schema_migrations ORDER BY version');
      expect(rows.map((r) => r.version)).toEqual(POSTGRES_MIGRATIONS.map((m) => m.version));
      await nodes[1].migrate();
      expect((await nodes[2].pool.query('SELECT count(*)::int AS n FROM schema_migrations')).rows[0].n).toBe(POSTGRES_MIGRATIONS.length);
    });

    it('keeps its tables in its own schema and commits durably', async () => {
      const s = open();
      const { rows } = await s.pool.query("SELECT current_schema() AS schema, current_setting('synchronous_commit') AS sync");
      expect(rows[0]).toEqual({ schema: fresh, sync: 'on' });
      const tables = await s.pool.query('SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = $1 AND table_name = $2', [
        fresh,
        'events',
      ]);
      expect(tables.rows[0].n).toBe(1);
    });

    it('refuses a schema name it would have to quote', () => {
      expect(() => new PostgresStore({ connectionString: url, schema: 'bad; drop' })).toThrow(/schema/);
    });
  });

  // Behaviour the contract cannot see: the pool, closing, retries and the connection string. Each test
  // names the mutation it guards against (stryker/EQUIVALENT.md lists the ones no test can tell apart).
  describe('PostgresStore pool, retries and connection string', () => {
    const schema = `afin_test_${randomBytes(6).toString('hex')}`;
    let main: PostgresStore;
    const extra: PostgresStore[] = [];
    const open = (opts: Partial<PostgresStoreOptions> = {}) => {
      const s = new PostgresStore({ connectionString: url, schema, max: 2, ...opts });
      extra.push(s);
      return s;
    };
    let seq = 0;
    const freshWs = () => `wp${++seq}`;
    const ev = (messageId: string, subject: string) => storedEvent(messageId, subject, { timestamp: 1000, receivedAt: 1001 });
    const noProfiles = () => [];

    /**
     * Makes PostgreSQL itself fail the first `times` inserts of events into `ws` with SQLSTATE `code`
     * (a trigger raising it, as a deadlock or serialization failure would), and counts every attempt
     * in a sequence, which a rolled-back transaction does not undo.
     */
    const plantFailures = async (ws: string, code: string, times: number) => {
      const q = (sql: string) => main.pool.query(sql);
      await q(`CREATE SEQUENCE attempts_${ws}`);
      await q(`CREATE FUNCTION fail_${ws}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF nextval('attempts_${ws}') <= ${times} THEN RAISE EXCEPTION 'planted failure' USING ERRCODE = '${code}'; END IF;
  RETURN NEW;
END $$`);
      await q(`CREATE TRIGGER fail_${ws} BEFORE INSERT ON events FOR EACH ROW WHEN (NEW.workspace = '${ws}') EXECUTE FUNCTION fail_${ws}()`);
      return async () => Number((await main.pool.query(`SELECT last_value FROM attempts_${ws}`)).rows[0].last_value);
    };

    beforeAll(async () => {
      main = new PostgresStore({ connectionString: url, schema, max: 2 });
      await main.migrate();
    });
    afterAll(async () => {
      await main.dropSchema();
      await main.close();
      await Promise.all(extra.map((s) => s.close()));
    });

    it('close() ends the pool, so later queries reject, and a second close() resolves', async () => {
      // Mutants: close() emptied, its guard always/never taken, `closed` never set (pg refuses a second pool.end()).
      const s = new PostgresStore({ connectionString: url, schema });
      expect(await s.getWorkspace('none')).toBeNull();
      await s.close();
      await expect(s.getWorkspace('none')).rejects.toThrow(/pool/i);
      await expect(s.close()).resolves.toBeUndefined();
    });

    it('opens without a schema on the connection string given, with the pool size given (10 without one)', async () => {
      // Mutants: the pool config `{}` (hidden by withSearchPath when a schema is set) and `opts.max && 10`.
      const sized = open({ schema: undefined, max: 3 });
      expect(sized.schema).toBeNull();
      expect(sized.pool.options.connectionString).toBe(url);
      expect(sized.pool.options.max).toBe(3);
      expect((await sized.pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
      expect(open({ schema: undefined, max: undefined }).pool.options.max).toBe(10);
    });

    it('returns a committed transaction’s connection to the pool, and a failed one’s too', async () => {
      // Mutant: `let broken = true`, which destroyed every connection after each transaction.
      const s = open();
      await s.migrate();
      expect([s.pool.totalCount, s.pool.idleCount]).toEqual([1, 1]);
      await s.putUser(freshWs(), 'u', { a: 1 }, 5);
      expect([s.pool.totalCount, s.pool.idleCount]).toEqual([1, 1]);
    });

    it('scrubDeleted() reports done, and dropSchema() without a schema says why it refuses', async () => {
      expect(await main.scrubDeleted()).toBe(true);
      const plain = open({ schema: undefined });
      await expect(plain.dropSchema()).rejects.toThrow('dropSchema needs a store opened with the schema option');
    });

    it('writes items.available as given', async () => {
      // No read path uses the column (it is there for SQL readers), so only SQL tells `!it.available` apart.
      const ws = freshWs();
      await main.upsertItems(ws, [
        { id: 'a', title: 'A', available: true, updatedAt: 1 },
        { id: 'b', title: 'B', available: false, updatedAt: 1 },
      ]);
      const { rows } = await main.pool.query('SELECT id, available FROM items WHERE workspace = $1 ORDER BY id', [ws]);
      expect(rows).toEqual([
        { id: 'a', available: true },
        { id: 'b', available: false },
      ]);
    });

    it('retries a transaction PostgreSQL aborted as a deadlock victim (40P01), pausing longer each time, up to the fifth attempt', async () => {
      const ws = freshWs();
      const attempts = await plantFailures(ws, '40P01', 4);
      // The pause before a retry is the time between the failed attempt handing its connection back
      // (after its ROLLBACK) and the next attempt taking one: nothing else runs in between.
      const s = open({ max: 1 });
      const released: number[] = [];
      const acquired: number[] = [];
      s.pool.on('release', () => released.push(performance.now()));
      s.pool.on('acquire', () => acquired.push(performance.now()));
      const out = await s.ingestEvents(ws, [ev('m1', 'u1')], new Set(), noProfiles);
      expect(out).toEqual({ inserted: [ev('m1', 'u1')], duplicates: 0 });
      expect(await attempts()).toBe(5);
      expect((await main.eventsOf(ws, 'u1')).map((e) => e.messageId)).toEqual(['m1']);
      // The pause after attempt i is 5·i ms plus 0 to 9 ms of jitter (1 ms of slack for timer rounding).
      expect(acquired).toHaveLength(5);
      const pauses = acquired.slice(1).map((t, i) => t - released[i]);
      for (const [i, pause] of pauses.entries()) expect(pause, `pause after attempt ${i + 1}`).toBeGreaterThanOrEqual(5 * (i + 1) - 1);
    });

    it('retries a serialization failure (40001) too', async () => {
      const ws = freshWs();
      const attempts = await plantFailures(ws, '40001', 2);
      const out = await main.ingestEvents(ws, [ev('m1', 'u1')], new Set(), noProfiles);
      expect(out.inserted.map((e) => e.messageId)).toEqual(['m1']);
      expect(await attempts()).toBe(3);
    });

    it('gives up after five attempts with the last error', async () => {
      const ws = freshWs();
      const attempts = await plantFailures(ws, '40P01', 10);
      await expect(main.ingestEvents(ws, [ev('m1', 'u1')], new Set(), noProfiles)).rejects.toMatchObject({ code: '40P01' });
      expect(await attempts()).toBe(5);
      expect(await main.countEvents(ws)).toBe(0);
    });

    it('throws any other error at once, without retrying, and keeps the connection', async () => {
      const ws = freshWs();
      const attempts = await plantFailures(ws, '22000', 1);
      const s = open({ max: 1 });
      await expect(s.ingestEvents(ws, [ev('m1', 'u1')], new Set(), noProfiles)).rejects.toMatchObject({ code: '22000', message: 'planted failure' });
      expect(await attempts()).toBe(1);
      // ROLLBACK worked, so the connection went back to the pool rather than being destroyed.
      expect([s.pool.totalCount, s.pool.idleCount]).toEqual([1, 1]);
      expect(await s.countEvents(ws)).toBe(0);
    });

    it('putUser creates the user again when another node deletes it between the insert and the lock', async () => {
      // Mutant: `if (!old) continue` → `if (false)`, which read the traits of a row that is gone.
      const ws = freshWs();
      await main.putUser(ws, 'u', { a: 1 }, 10);
      const other = await main.pool.connect();
      try {
        await other.query("SET lock_timeout = '10s'");
        await other.query('BEGIN');
        await other.query('SELECT 1 FROM users WHERE workspace = $1 AND id = $2 FOR UPDATE', [ws, 'u']);
        const otherPid = (await other.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        // The insert finds the row and does nothing; the SELECT … FOR UPDATE then waits on `other`.
        const put = open().putUser(ws, 'u', { b: 2 }, 20);
        const waiting = async () =>
          (await main.pool.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [otherPid])).rows[0].n > 0;
        for (let i = 0; i < 500 && !(await waiting()); i++) await new Promise((r) => setTimeout(r, 10));
        expect(await waiting()).toBe(true);
        await other.query('DELETE FROM users WHERE workspace = $1 AND id = $2', [ws, 'u']);
        await other.query('COMMIT');
        expect(await put).toEqual({ id: 'u', traits: { b: 2 }, createdAt: 20, updatedAt: 20 });
        expect(await main.getUser(ws, 'u')).toEqual({ id: 'u', traits: { b: 2 }, createdAt: 20, updatedAt: 20 });
      } finally {
        await other.query('ROLLBACK');
        other.release();
      }
    });

    /** Counts the store's connection checkouts (one per transaction) and the most out at once. */
    const checkouts = (s: PostgresStore) => {
      const n = { acquired: 0, out: 0, most: 0 };
      s.pool.on('acquire', () => {
        n.acquired++;
        n.most = Math.max(n.most, ++n.out);
      });
      s.pool.on('release', () => n.out--);
      return n;
    };

    it('ingests the batches of one turn in one transaction, and those arriving while it runs in the next, one transaction at a time', async () => {
      // Mutants: a queue per call (`if (!q)` → true), a drain per call (`if (!q.running)` → true,
      // `running = true` → false), the workspace's queue kept once empty (`=== q` → false).
      const ws = freshWs();
      const s = open();
      const n = checkouts(s);
      const together = await Promise.all([1, 2, 3].map((k) => s.ingestEvents(ws, [ev(`t${k}`, 'u')], new Set(), noProfiles)));
      expect(together.map((r) => r.inserted.map((e) => e.messageId))).toEqual([['t1'], ['t2'], ['t3']]);
      expect(n.acquired).toBe(1);
      // The first batch waits on a person's lock held elsewhere; two batches come in meanwhile.
      const holder = await main.pool.connect();
      try {
        await holder.query('BEGIN');
        await holder.query('SELECT pg_advisory_xact_lock(hashtext($1 || chr(31) || $2))', [ws, 'held']);
        const holderPid = (await holder.query('SELECT pg_backend_pid() AS pid')).rows[0].pid;
        const first = s.ingestEvents(ws, [ev('f1', 'held')], new Set(['held']), noProfiles);
        const blocked = async () =>
          (await main.pool.query('SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid))', [holderPid])).rows[0].n > 0;
        for (let i = 0; i < 500 && !(await blocked()); i++) await new Promise((r) => setTimeout(r, 10));
        expect(await blocked()).toBe(true);
        const later = [s.ingestEvents(ws, [ev('l1', 'v')], new Set(), noProfiles), s.ingestEvents(ws, [ev('l2', 'v')], new Set(), noProfiles)];
        // A second transaction started beside the blocked one would show within this second.
        for (let i = 0; i < 100 && n.acquired < 3; i++) await new Promise((r) => setTimeout(r, 10));
        expect(n.acquired).toBe(2);
        await holder.query('COMMIT');
        expect((await first).inserted.map((e) => e.messageId)).toEqual(['f1']);
        expect((await Promise.all(later)).map((r) => r.inserted.map((e) => e.messageId))).toEqual([['l1'], ['l2']]);
      } finally {
        holder.release();
      }
      expect([n.acquired, n.most]).toEqual([3, 1]);
      expect((s as unknown as { ingestQueues: Map<string, unknown> }).ingestQueues.size).toBe(0);
    });

    it('groups at most 10,000 events in one ingest transaction; a bigger batch goes alone', async () => {
      // Mutants of the bound: `size + n <= MAX_GROUP_EVENTS` → `<`, → true or `size - n`, `n === 0 ||` → false.
      // Copies of one event cost a group's size without the rows (only the first of a messageId is stored).
      const ws = freshWs();
      const s = open();
      const n = checkouts(s);
      const copies = (id: string, count: number) => Array.from({ length: count }, () => ev(id, 'u'));
      const full = await Promise.all([
        s.ingestEvents(ws, copies('a', 5000), new Set(), noProfiles),
        s.ingestEvents(ws, copies('b', 5000), new Set(), noProfiles),
      ]);
      expect(full.map((r) => [r.inserted.length, r.duplicates])).toEqual([
        [1, 4999],
        [1, 4999],
      ]);
      expect(n.acquired).toBe(1);
      await Promise.all([s.ingestEvents(ws, copies('c', 5000), new Set(), noProfiles), s.ingestEvents(ws, copies('d', 5001), new Set(), noProfiles)]);
      expect(n.acquired).toBe(3);
      const big = await Promise.all([
        s.ingestEvents(ws, copies('e', 10_001), new Set(), noProfiles),
        s.ingestEvents(ws, copies('f', 1), new Set(), noProfiles),
      ]);
      expect(big.map((r) => r.inserted.map((e) => e.messageId))).toEqual([['e'], ['f']]);
      expect(n.acquired).toBe(5);
      expect((await main.eventsOf(ws, 'u')).map((e) => e.messageId)).toEqual(['a', 'b', 'c', 'd', 'e', 'f']);
    });

    it('in a group, calls each batch’s updater only for its own profiled people, with only their stored profiles', async () => {
      // Mutants: the updater called for a batch with no profiled person (`perJob[i].length === 0` → false), or handed
      // an entry for a person without a stored profile (`if (p)` → true).
      const ws = freshWs();
      await main.putProfiles(ws, [{ subject: 'old', profile: { n: 1 } }]);
      const calls: Array<{ events: string[]; known: string[] }> = [];
      const record: ProfileUpdater = (inserted, current) => {
        calls.push({ events: inserted.map((e) => e.messageId), known: [...current.keys()] });
        return [];
      };
      await Promise.all([
        main.ingestEvents(ws, [ev('x1', 'old'), ev('x2', 'new')], new Set(['old', 'new']), record),
        main.ingestEvents(ws, [ev('x3', 'nobody')], new Set(), record),
      ]);
      expect(calls).toEqual([{ events: ['x1', 'x2'], known: ['old'] }]);
    });

    it('keeps the options a connection string already carries beside its search_path', async () => {
      // Mutants of withSearchPath's `prior ? `${prior} ${setting}` : setting`.
      const u = new URL(url);
      u.searchParams.set('options', '-c statement_timeout=4321');
      const s = open({ connectionString: u.toString() });
      const { rows } = await s.pool.query("SELECT current_setting('search_path') AS path, current_setting('statement_timeout') AS timeout");
      expect(rows).toEqual([{ path: schema, timeout: '4321ms' }]);
    });

    it('pins the search_path on a connection string URL cannot parse, through the options setting', async () => {
      // pg reads `test?host=…` (resolved against a base URL); `new URL` alone refuses it, so withSearchPath falls back.
      const u = new URL(url);
      const params = new URLSearchParams({ host: u.hostname, port: u.port || '5432', user: decodeURIComponent(u.username) });
      if (u.password) params.set('password', decodeURIComponent(u.password));
      const relative = `${u.pathname.slice(1)}?${params}`;
      expect(() => new URL(relative)).toThrow();
      const s = open({ connectionString: relative });
      const { rows } = await s.pool.query("SELECT current_setting('search_path') AS path, current_database() AS db");
      expect(rows).toEqual([{ path: schema, db: u.pathname.slice(1) }]);
    });
  });
}
