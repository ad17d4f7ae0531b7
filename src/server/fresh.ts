import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChatEvalServer, OpenChatEvalServer } from '../eval/chat/run.ts';
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
  const { llm, ...engineOpts } = opts;
  const engine = new Engine(store, { adminKey: root, ...(llm ? { llm } : {}) }, { retrainAfterErasureMs: null, ...engineOpts });
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

/**
 * The chat evaluation's server: an embedded store in a temp folder on the dialogue's settable clock,
 * every request with a root key and the dialogue's workspace; restartable on the same data (memory
 * across restarts is one of the checks). Answers of any status are returned, not thrown.
 */
export const openChatEvalServer: OpenChatEvalServer = async (clock): Promise<ChatEvalServer> => {
  const key = 'eval-root-key';
  const dir = mkdtempSync(join(tmpdir(), 'afin-eval-chat-'));
  let engine: Engine;
  let app: Awaited<ReturnType<typeof buildApp>>;
  const start = async () => {
    const store = new SqliteStore(join(dir, 'afin.db'));
    await store.migrate();
    engine = new Engine(store, { adminKey: key }, { clock, cacheMaxAgeMs: 0 });
    app = await buildApp({ engine });
  };
  const stop = async () => {
    await app.close();
    await engine.close();
  };
  await start();
  return {
    clock,
    async call(ws, method, url, payload) {
      const r = await app.inject({
        method,
        url,
        headers: { authorization: `Bearer ${key}`, 'afin-workspace': ws },
        ...(payload === undefined ? {} : { payload: payload as object }),
      });
      let body: unknown = null;
      try {
        body = r.body ? JSON.parse(r.body) : null;
      } catch {
        body = r.body;
      }
      return { status: r.statusCode, body };
    },
    eventsOf: (ws, subject, limit) => engine.store.eventsOf(ws, subject, limit),
    async restart() {
      await stop();
      await start();
    },
    async close() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
