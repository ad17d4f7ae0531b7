import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { suiteNotRun } from '../suite-not-run.ts';

/** Where each needle still stands in the raw storage, one line per place. */
export type RawSearch = (needles: string[]) => Promise<string[]>;

/**
 * Runs a privacy scenario on both adapters, each with the search of its raw storage: a SQLite file
 * (the database, its WAL and shared memory) and every table of a fresh PostgreSQL schema (when
 * AFIN_TEST_DATABASE_URL is set). `what` names what the search must not find, for the test titles.
 */
export function onBothStoresRaw(suite: string, what: string, scenario: (store: Store, search: RawSearch) => Promise<void>, timeoutMs = 60_000): void {
  describe(`${suite}: SQLite raw files`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'afin-raw-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it(
      `finds neither ${what} in afin.db, afin.db-wal or afin.db-shm`,
      async () => {
        const file = join(dir, 'afin.db');
        const store = new SqliteStore(file);
        await store.migrate();
        await scenario(store, async (needles) => sqliteFileHits(file, needles));
      },
      timeoutMs,
    );
  });

  const pgUrl = process.env.AFIN_TEST_DATABASE_URL;
  if (!pgUrl) {
    suiteNotRun(`${suite}: PostgreSQL`, 'AFIN_TEST_DATABASE_URL');
    return;
  }
  describe(`${suite}: every PostgreSQL table`, () => {
    it(
      `finds neither ${what} in any row of any table of the schema`,
      async () => {
        const schema = `afin_test_${randomBytes(6).toString('hex')}`;
        const store = new PostgresStore({ connectionString: pgUrl, schema, max: 4 });
        await store.migrate();
        const admin = new PostgresStore({ connectionString: pgUrl, schema, max: 1 });
        try {
          await scenario(store, (needles) => postgresHits(admin, schema, needles));
        } finally {
          await admin.dropSchema();
          await admin.close();
        }
      },
      timeoutMs,
    );
  });
}

/**
 * Where each needle still stands in an embedded database's raw files (the database, its write-ahead log
 * and shared memory), as UTF-8 or UTF-16 bytes: the check behind "erased means gone from disk".
 */
export function sqliteFileHits(file: string, needles: readonly string[]): string[] {
  const hits: string[] = [];
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (!existsSync(f)) continue;
    const bytes = readFileSync(f);
    const name = f.split('/').pop();
    for (const n of needles) {
      let count = 0;
      for (let at = bytes.indexOf(n); at >= 0; at = bytes.indexOf(n, at + 1)) count++;
      if (count) hits.push(`${n} ×${count} in ${name}`);
      if (bytes.includes(Buffer.from(n, 'utf16le'))) hits.push(`${n} (utf-16) in ${name}`);
    }
  }
  return hits;
}

/** Where each needle still stands in any row of any table of a PostgreSQL schema, as text or in a bytea column. */
export async function postgresHits(admin: PostgresStore, schema: string, needles: readonly string[]): Promise<string[]> {
  const hits: string[] = [];
  const tables = (await admin.pool.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema])).rows.map((r) =>
    String(r.table_name),
  );
  if (!tables.includes('events')) throw new Error(`schema ${schema} has no events table: nothing was searched`);
  for (const t of tables) {
    const bytea = (
      await admin.pool.query("SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2 AND data_type = 'bytea'", [
        schema,
        t,
      ])
    ).rows.map((r) => String(r.column_name));
    for (const n of needles) {
      const text = await admin.pool.query(`SELECT count(*)::int AS n FROM "${t}" AS x WHERE strpos(x::text, $1) > 0`, [n]);
      if (text.rows[0].n > 0) hits.push(`${n} in ${t}`);
      for (const c of bytea) {
        const bin = await admin.pool.query(`SELECT count(*)::int AS n FROM "${t}" WHERE position(convert_to($1, 'UTF8') in "${c}") > 0`, [n]);
        if (bin.rows[0].n > 0) hits.push(`${n} in ${t}.${c}`);
      }
    }
  }
  return hits;
}
