import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Engine, type EngineConfig } from '../../src/server/compose.ts';
import { buildApp, type AppOptions } from '../../src/server/app.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { AUTH, ROOT_KEY, testClock } from '../helpers.ts';

export interface ConfiguredApp {
  app: FastifyInstance;
  engine: Engine;
  store: SqliteStore;
  clock: ReturnType<typeof testClock>;
  call(method: string, url: string, payload?: unknown, headers?: Record<string, string>): Promise<LightMyRequestResponse>;
  key(scope: 'admin' | 'server' | 'public', extra?: Record<string, unknown>): Promise<{ id: string; key: string }>;
  close(): Promise<void>;
}

/** An app on a fresh embedded store with privacy and security settings (consent defaults, retention, rate limits). */
export async function makeConfiguredApp(config: Partial<EngineConfig> = {}, appOpts: Partial<AppOptions> = {}): Promise<ConfiguredApp> {
  const dir = mkdtempSync(join(tmpdir(), 'afin-sec-'));
  const clock = testClock();
  const store = new SqliteStore(join(dir, 'afin.db'));
  await store.migrate();
  const engine = new Engine(store, { adminKey: ROOT_KEY, ...config }, { clock, cacheMaxAgeMs: 0, retrainAfterErasureMs: null });
  await store.createWorkspace({ id: 'default', name: null, createdAt: clock() });
  const app = await buildApp({ engine, ...appOpts });
  const call: ConfiguredApp['call'] = (method, url, payload, headers = AUTH) =>
    app.inject({ method: method as 'GET', url, payload: payload as object, headers });
  return {
    app,
    engine,
    store,
    clock,
    call,
    async key(scope, extra = {}) {
      const r = await call('POST', '/v1/keys', { scope, ...extra });
      if (r.statusCode !== 201) throw new Error(r.body);
      return r.json();
    },
    async close() {
      await app.close();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export const bearer = (key: string, extra: Record<string, string> = {}) => ({ authorization: `Bearer ${key}`, ...extra });
