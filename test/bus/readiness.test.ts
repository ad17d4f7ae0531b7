import { afterEach, describe, expect, it } from 'vitest';
import { NatsBus, type BusLog } from '../../src/bus/nats-bus.ts';
import { buildApp } from '../../src/server/app.ts';
import { Engine } from '../../src/server/compose.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { AUTH, ROOT_KEY, items, makeTestApp, testClock, type TestApp } from '../helpers.ts';

const natsUrl = process.env.AFIN_TEST_NATS_URL;
const quiet: BusLog = { info: () => undefined, warn: () => undefined };
const readyz = async (t: { app: TestApp['app'] }) => {
  const r = await t.app.inject({ method: 'GET', url: '/readyz' });
  return { status: r.statusCode, body: r.json() as { status: string; checks: Record<string, string> } };
};

describe('GET /readyz', () => {
  const closers: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of closers.splice(0)) await c();
  });

  it('answers without a key: ready once the store answers and the stored models are loaded', async () => {
    const t = await makeTestApp();
    closers.push(() => t.close());
    await t.app.inject({ method: 'PUT', url: '/v1/items', headers: AUTH, payload: items(6) });
    const evs = Array.from({ length: 30 }, (_, i) => ({ type: 'view', userId: `u${i % 6}`, itemId: `i${i % 6}` }));
    await t.app.inject({ method: 'POST', url: '/v1/events', headers: AUTH, payload: evs });
    await t.engine.train('default', { models: ['popularity'] });
    const r = await readyz(t);
    expect(r).toEqual({ status: 200, body: { status: 'ready', checks: { store: 'ok', models: 'ok' } } });
    expect((await t.app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
    // The check loaded the model into this node's serving state: the node answers from memory.
    expect(await t.engine.state.model('default', 'popularity')).not.toBeNull();
  });

  it('is 503 naming the store once the store stops answering, while /health stays 200', async () => {
    const clock = testClock();
    const store = new SqliteStore(':memory:');
    await store.migrate();
    await store.createWorkspace({ id: 'default', name: null, createdAt: clock() });
    const engine = new Engine(store, { adminKey: ROOT_KEY }, { clock });
    const app = await buildApp({ engine });
    closers.push(() => app.close());
    expect((await readyz({ app })).status).toBe(200);
    await store.close(); // the database is gone
    await new Promise((r) => setTimeout(r, 1100)); // past the one-second memo
    const r = await readyz({ app });
    expect(r.status).toBe(503);
    expect(r.body).toMatchObject({ status: 'not ready', checks: { store: 'unreachable' } });
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
    // The names for the same two probes answer the same.
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect([ready.statusCode, ready.json()]).toEqual([503, r.body]);
    const live = await app.inject({ method: 'GET', url: '/health/live' });
    expect([live.statusCode, live.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('is 503 naming the bus while a configured NATS is unreachable', async () => {
    const bus = await NatsBus.start('nats://127.0.0.1:1', { log: quiet, connectTimeoutMs: 200, retryMs: 60_000 });
    const store = new SqliteStore(':memory:');
    await store.migrate();
    const engine = new Engine(store, { adminKey: ROOT_KEY }, { bus });
    const app = await buildApp({ engine });
    closers.push(async () => {
      await app.close();
      await engine.close();
    });
    const r = await readyz({ app });
    expect(r.status).toBe(503);
    expect(r.body.checks).toEqual({ store: 'ok', bus: 'unreachable', models: 'ok' });
  });

  it.runIf(Boolean(natsUrl))('is 200 with a connected bus (AFIN_TEST_NATS_URL)', async () => {
    const bus = await NatsBus.start(natsUrl as string, { log: quiet });
    const store = new SqliteStore(':memory:');
    await store.migrate();
    const engine = new Engine(store, { adminKey: ROOT_KEY }, { bus });
    const app = await buildApp({ engine });
    closers.push(async () => {
      await app.close();
      await engine.close();
    });
    expect(await readyz({ app })).toEqual({ status: 200, body: { status: 'ready', checks: { store: 'ok', bus: 'ok', models: 'ok' } } });
  });
});
