import { existsSync, readFileSync } from 'node:fs';
import type { PostgresStore } from '../../src/store/postgres/postgres-store.ts';

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
