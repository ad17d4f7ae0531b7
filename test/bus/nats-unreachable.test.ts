import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { Engine } from '../../src/server/compose.ts';
import { NatsBus, type BusLog } from '../../src/bus/nats-bus.ts';
import { buildApp } from '../../src/server/app.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { AUTH, ROOT_KEY, items } from '../helpers.ts';
import { closeNodes, makeNode } from '../server/two-nodes.ts';

// Nothing listens on port 1: every connection attempt is refused at once.
const DEAD = 'nats://127.0.0.1:1';

function recordingLog() {
  const lines: string[] = [];
  const log: BusLog = { info: (_o, m) => lines.push(`info ${m}`), warn: (_o, m) => lines.push(`warn ${m}`) };
  return { log, lines };
}

describe('a NATS server that cannot be reached', () => {
  it('is logged, never thrown: publishing is a no-op and closing is quick', async () => {
    const { log, lines } = recordingLog();
    const bus = await NatsBus.start(DEAD, { log, connectTimeoutMs: 500, retryMs: 50 });
    expect(bus.connected).toBe(false);
    expect(lines.some((l) => l.startsWith('warn NATS unreachable'))).toBe(true);
    expect(() => bus.publish({ ws: 'default', kind: 'items' })).not.toThrow();
    await new Promise((r) => setTimeout(r, 200)); // a few background retries
    expect(lines.filter((l) => l.startsWith('warn')).length).toBe(1); // logged once, not per retry
    const t0 = Date.now();
    await bus.close();
    expect(Date.now() - t0).toBeLessThan(1000);
  });

  it('does not break serving: a node with a dead bus ingests, trains and recommends', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afin-deadbus-'));
    const store = new SqliteStore(join(dir, 'afin.db'));
    await store.migrate();
    const bus = await NatsBus.start(DEAD, { log: recordingLog().log, connectTimeoutMs: 500 });
    const node = await makeNode(store, bus);
    try {
      await node.put('/v1/items', items(4));
      await node.post('/v1/events', [
        { type: 'purchase', userId: 'u', itemId: 'i1' },
        { type: 'view', userId: 'v', itemId: 'i1' },
        { type: 'purchase', userId: 'v', itemId: 'i2' },
      ]);
      await node.engine.train('default');
      const r = await node.recs('u');
      expect(r.personalized).toBe(true);
      expect(r.items.length).toBeGreaterThan(0);
      await node.put('/v1/users/u/consent', { personalization: false });
      expect((await node.recs('u')).personalized).toBe(false);
    } finally {
      await closeNodes([node]);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Engine.open with AFIN_NATS_URL unreachable still opens and serves', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afin-deadbus-'));
    const errWrite = process.stderr.write;
    const err: string[] = [];
    process.stderr.write = ((s: string) => {
      err.push(String(s));
      return true;
    }) as typeof process.stderr.write;
    let engine: Engine | undefined;
    try {
      engine = await Engine.open(loadConfig({ AFIN_DATA_DIR: dir, AFIN_NATS_URL: DEAD, AFIN_ADMIN_KEY: ROOT_KEY }));
    } finally {
      process.stderr.write = errWrite;
    }
    try {
      expect(engine.bus).toBeInstanceOf(NatsBus);
      expect(engine.bus!.connected).toBe(false);
      expect(err.join('')).toMatch(/NATS unreachable/);
      const app = await buildApp({ engine });
      expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'PUT', url: '/v1/items', headers: AUTH, payload: items(2) })).json().upserted).toBe(2);
      expect((await app.inject({ method: 'GET', url: '/v1/items/i1', headers: AUTH })).statusCode).toBe(200);
      await app.close();
    } finally {
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
