import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Engine } from '../src/server/compose.ts';
import { buildApp } from '../src/server/app.ts';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.ts';

export const ROOT_KEY = 'test-root-key';
export const AUTH = { authorization: `Bearer ${ROOT_KEY}` };

/** A settable clock, so tests control time. */
export function testClock(start = Date.UTC(2026, 0, 15, 12)) {
  let now = start;
  const clock = () => now;
  clock.advance = (ms: number) => (now += ms);
  clock.set = (t: number) => (now = t);
  return clock;
}

export interface TestApp {
  app: FastifyInstance;
  engine: Engine;
  dir: string;
  clock: ReturnType<typeof testClock>;
  /** Closes this app and opens a new one on the same data (a restart). */
  restart(): Promise<TestApp>;
  close(): Promise<void>;
}

/** An app on a fresh embedded store in a temp folder. */
export async function makeTestApp(opts: { dir?: string; clock?: ReturnType<typeof testClock> } = {}): Promise<TestApp> {
  const dir = opts.dir ?? mkdtempSync(join(tmpdir(), 'afin-test-'));
  const clock = opts.clock ?? testClock();
  const store = new SqliteStore(join(dir, 'afin.db'));
  await store.migrate();
  const engine = new Engine(store, { adminKey: ROOT_KEY }, { clock, cacheMaxAgeMs: 0 });
  await store.createWorkspace({ id: 'default', name: null, createdAt: clock() });
  const app = await buildApp({ engine });
  const t: TestApp = {
    app,
    engine,
    dir,
    clock,
    async restart() {
      await app.close();
      await engine.close();
      return makeTestApp({ dir, clock });
    },
    async close() {
      await app.close();
      await engine.close();
      if (!opts.dir) rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}

type Method = 'GET' | 'PUT' | 'POST' | 'DELETE' | 'PATCH';

/**
 * `call(method, url, payload?, headers?)` on an app, with the root key unless other headers are
 * given. The app is read at each call, so a suite can build the caller once and open its app in
 * `beforeEach`.
 */
export function caller(app: () => Pick<FastifyInstance, 'inject'>) {
  return (method: Method, url: string, payload?: unknown, headers: Record<string, string> = AUTH) =>
    app().inject({ method, url, headers, ...(payload === undefined ? {} : { payload: payload as object }) });
}

export function items(n: number, f: (i: number) => Record<string, unknown> = () => ({})) {
  return Array.from({ length: n }, (_, i) => ({
    id: `i${i}`,
    title: `Item ${i}`,
    categories: [i % 2 ? 'odd' : 'even'],
    price: 10 + i,
    currency: 'EUR',
    ...f(i),
  }));
}
