import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/server/app.ts';
import { Engine } from '../../src/server/compose.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { AUTH, ROOT_KEY, testClock } from '../helpers.ts';

export interface NudgeApp {
  app: FastifyInstance;
  engine: Engine;
  clock: ReturnType<typeof testClock>;
  call(method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  close(): Promise<void>;
}

/** A test app whose webhooks may reach this machine (the test's own receiver listens on 127.0.0.1). */
export async function nudgeApp(start = Date.UTC(2026, 0, 15, 12)): Promise<NudgeApp> {
  const dir = mkdtempSync(join(tmpdir(), 'afin-nudge-'));
  const clock = testClock(start);
  const store = new SqliteStore(join(dir, 'afin.db'));
  await store.migrate();
  const engine = new Engine(store, { adminKey: ROOT_KEY, allowPrivateUrls: true }, { clock, cacheMaxAgeMs: 0, retrainAfterErasureMs: null });
  await store.createWorkspace({ id: 'default', name: null, createdAt: clock() });
  const app = await buildApp({ engine });
  return {
    app,
    engine,
    clock,
    async call(method, url, body, headers = AUTH) {
      const r = await app.inject({ method, url, headers, ...(body === undefined ? {} : { payload: body as object }) });
      return { status: r.statusCode, body: r.body ? (String(r.headers['content-type'] ?? '').includes('json') ? r.json() : r.body) : null };
    },
    async close() {
      await app.close();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
