import { join } from 'node:path';
import type { Store } from './store.ts';
import { SqliteStore } from './sqlite/sqlite-store.ts';

export interface StoreConfig {
  /** `postgres://…` to use PostgreSQL; otherwise the embedded SQLite file under `dataDir`. */
  databaseUrl?: string;
  dataDir: string;
}

/** Opens the configured store and applies pending migrations. */
export async function openStore(cfg: StoreConfig): Promise<Store> {
  let store: Store;
  if (cfg.databaseUrl && /^postgres(ql)?:\/\//.test(cfg.databaseUrl)) {
    const { PostgresStore } = await import('./postgres/postgres-store.ts');
    store = new PostgresStore({ connectionString: cfg.databaseUrl });
  } else {
    store = new SqliteStore(join(cfg.dataDir, 'afin.db'));
  }
  await store.migrate();
  return store;
}
