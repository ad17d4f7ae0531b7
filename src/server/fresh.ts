import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EvalServer, OpenServer } from '../eval/served.ts';
import { SqliteStore } from '../store/sqlite/sqlite-store.ts';
import { buildApp } from './app.ts';
import { Engine } from './compose.ts';

/**
 * A fresh Afín for one evaluation run: an embedded store in a temp folder, default settings, the real
 * clock unless one is given, answering in-process over HTTP semantics (`inject`) with a root key.
 * The CLI hands this to `afin eval`, which sees only the EvalServer interface.
 */
export const openFreshServer: OpenServer = async (opts = {}): Promise<EvalServer> => {
  const root = `eval-${process.pid}-root`;
  const headers = { authorization: `Bearer ${root}` };
  const dir = mkdtempSync(join(tmpdir(), 'afin-eval-'));
  const store = new SqliteStore(join(dir, 'afin.db'));
  await store.migrate();
  const engine = new Engine(store, { adminKey: root }, { retrainAfterErasureMs: null, ...opts });
  await store.createWorkspace({ id: 'default', name: null, createdAt: engine.clock() });
  const app = await buildApp({ engine, logger: false });
  return {
    async call(method, url, payload) {
      const res = await app.inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
      if (res.statusCode >= 400) throw new Error(`${method} ${url.slice(0, 80)} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      return res.statusCode === 204 ? null : res.json();
    },
    internals: { clock: engine.clock, state: engine.state, store: engine.store },
    async close() {
      await app.close();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
