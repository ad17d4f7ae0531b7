import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { POSTGRES_MIGRATIONS } from '../../src/store/postgres/migrations.ts';
import { runStoreContract } from './store-contract.ts';
import { suiteNotRun } from '../suite-not-run.ts';

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
}
