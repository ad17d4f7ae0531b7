import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { StoredEvent } from '../../src/domain/schemas.ts';
import { Engine } from '../../src/server/compose.ts';
import { MODELS } from '../../src/recommend/registry.ts';
import { buildApp } from '../../src/server/app.ts';
import { PostgresStore } from '../../src/store/postgres/postgres-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { ROOT_KEY, items, testClock, caller } from '../helpers.ts';

const dbUrl = process.env.AFIN_TEST_DATABASE_URL;

/** A stored event as old data may hold it: written straight to the store, past every validation. */
function raw(id: string, subject: string, itemId: string, type: StoredEvent['type'], value: number | null, at: number): StoredEvent {
  return {
    messageId: id,
    type,
    subject,
    userId: subject,
    anonymousId: null,
    itemId,
    value,
    query: null,
    channel: null,
    recommendationId: null,
    variant: null,
    timestamp: at,
    receivedAt: at,
    properties: null,
  };
}

async function open(kind: 'sqlite' | 'postgres', cleanups: Array<() => Promise<void>>, retrainAfterErasureMs: number | null = null) {
  let store: Store;
  if (kind === 'sqlite') store = new SqliteStore(':memory:');
  else {
    const schema = `afin_test_${randomBytes(6).toString('hex')}`;
    store = new PostgresStore({ connectionString: dbUrl!, schema, max: 4 });
    cleanups.push(async () => {
      const admin = new PostgresStore({ connectionString: dbUrl!, schema });
      await admin.dropSchema();
      await admin.close();
    });
  }
  await store.migrate();
  const clock = testClock();
  await store.createWorkspace({ id: 'default', name: null, createdAt: clock() });
  const engine = new Engine(store, { adminKey: ROOT_KEY }, { clock, cacheMaxAgeMs: 0, retrainAfterErasureMs });
  const app = await buildApp({ engine });
  cleanups.unshift(async () => {
    await app.close();
    await engine.close();
  });
  const call = caller(() => app);
  // A small shop: two taste groups, so the personal models have something to learn.
  expect((await call('PUT', '/v1/items', items(20))).statusCode).toBe(200);
  const evs: object[] = [];
  for (let u = 0; u < 30; u++) for (const k of [0, 2, 4, 6]) evs.push({ type: k === 6 ? 'purchase' : 'view', userId: `u${u}`, itemId: `i${(u % 2) + k}` });
  expect((await call('POST', '/v1/events', evs)).json().accepted).toBe(evs.length);
  return { engine, store, clock, call };
}

const kinds: Array<'sqlite' | 'postgres'> = dbUrl ? ['sqlite', 'postgres'] : ['sqlite'];
if (!dbUrl) console.log('training robustness on PostgreSQL not run: set AFIN_TEST_DATABASE_URL');

describe.each(kinds)('training is robust to whatever is stored (%s)', (kind) => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    vi.restoreAllMocks();
    for (const c of cleanups.splice(0)) await c();
  });

  it('trains with extreme and non-finite stored values and serves finite scores', async () => {
    const { store, clock, call } = await open(kind, cleanups);
    const t = clock();
    // What the probe sent (accepted before validation existed), and worse.
    await store.insertEvents('default', [
      raw('bad-1', 'x', 'i5', 'rating', 1e100, t),
      raw('bad-2', 'x', 'i7', 'rating', -1e300, t),
      raw('bad-3', 'u1', 'i9', 'rating', Infinity, t),
      raw('bad-4', 'u2', 'i11', 'rating', -Infinity, t),
      raw('bad-5', 'u3', 'i13', 'rating', Number.MAX_VALUE, t),
      raw('bad-6', 'x', 'i0', 'view', null, t),
    ]);
    const r = await call('POST', '/v1/train', {});
    expect(r.statusCode, r.body).toBe(200);
    expect(
      r
        .json()
        .models.map((m: { name: string }) => m.name)
        .sort(),
    ).toEqual(['cooccurrence', 'hybrid', 'popularity', 'trending']);
    for (const model of ['ease', 'als', 'itemknn']) expect((await call('POST', '/v1/train', { model })).statusCode).toBe(200);

    for (const model of ['hybrid', 'ease', 'als', 'itemknn', 'cooccurrence', 'popularity', 'trending']) {
      for (const userId of ['x', 'u1', 'u2', 'u3', 'u4']) {
        const rec = await call('GET', `/v1/recommendations?userId=${userId}&n=10&model=${model}`);
        expect(rec.statusCode, rec.body).toBe(200);
        const body = rec.json();
        expect(body.items.length, `${model} for ${userId}`).toBeGreaterThan(0);
        for (const it of body.items) expect(Number.isFinite(it.score), `${model} for ${userId}: ${it.id} ${it.score}`).toBe(true);
      }
    }
    expect((await call('GET', '/v1/models')).json().models.every((m: { failing: boolean }) => !m.failing)).toBe(true);
  });

  it('a failed model is visible (GET /v1/models, audit log, a clear 500) and its previous version keeps serving', async () => {
    const { clock, call } = await open(kind, cleanups);
    expect((await call('POST', '/v1/train', {})).statusCode).toBe(200);
    const before = (await call('GET', '/v1/recommendations?userId=u0&n=5')).json();
    expect(before.model).toBe('hybrid');
    expect(before.personalized).toBe(true);
    const firstTrainedAt = clock();

    clock.advance(60_000);
    const real = MODELS.hybrid.create;
    vi.spyOn(MODELS.hybrid, 'create').mockImplementation((texts) => {
      const m = real(texts);
      m.fit = () => {
        throw new Error('matrix is not positive definite (pivot 113: NaN)');
      };
      return m;
    });
    const r = await call('POST', '/v1/train', {});
    expect(r.statusCode).toBe(500);
    const err = r.json().error;
    expect(err.code).toBe('training_failed');
    expect(err.message).toMatch(/hybrid.*not positive definite.*previous version keeps serving/);
    expect(err.failed).toEqual([{ name: 'hybrid', error: 'matrix is not positive definite (pivot 113: NaN)' }]);
    // The others were trained and stored all the same.
    expect(err.models.map((m: { name: string }) => m.name).sort()).toEqual(['cooccurrence', 'popularity', 'trending']);

    const models = (await call('GET', '/v1/models')).json().models as Array<{
      name: string;
      trainedAt: number | null;
      failing: boolean;
      lastError: { message: string; at: string } | null;
    }>;
    const hybrid = models.find((m) => m.name === 'hybrid')!;
    expect(hybrid.failing).toBe(true);
    expect(hybrid.lastError).toEqual({ message: 'matrix is not positive definite (pivot 113: NaN)', at: new Date(clock()).toISOString() });
    expect(hybrid.trainedAt).toBe(firstTrainedAt);
    expect(models.find((m) => m.name === 'popularity')).toMatchObject({ failing: false, lastError: null, trainedAt: clock() });

    const audit = (await call('GET', '/v1/audit')).json();
    const entry = audit.entries.find((e: { action: string }) => e.action === 'models.train.failed');
    expect(entry).toMatchObject({ target: 'hybrid', actor: { source: 'training' }, detail: { error: 'matrix is not positive definite (pivot 113: NaN)' } });

    // The previous hybrid model still answers, unchanged.
    const after = (await call('GET', '/v1/recommendations?userId=u0&n=5')).json();
    expect(after.model).toBe('hybrid');
    expect(after.personalized).toBe(true);
    expect(after.items.map((i: { id: string }) => i.id)).toEqual(before.items.map((i: { id: string }) => i.id));

    // A later success clears `failing`; the last error stays on record.
    vi.restoreAllMocks();
    clock.advance(60_000);
    expect((await call('POST', '/v1/train', { model: 'hybrid' })).statusCode).toBe(200);
    const again = ((await call('GET', '/v1/models')).json().models as typeof models).find((m) => m.name === 'hybrid')!;
    expect(again).toMatchObject({ failing: false, trainedAt: clock() });
    expect(again.lastError?.message).toMatch(/not positive definite/);
  });

  it('a failed retrain after an erasure is logged and audited, not silent', async () => {
    const { engine, call } = await open(kind, cleanups, 0);
    expect((await call('POST', '/v1/train', {})).statusCode).toBe(200);
    const real = MODELS.cooccurrence.create;
    vi.spyOn(MODELS.cooccurrence, 'create').mockImplementation((texts) => {
      const m = real(texts);
      m.fit = () => {
        throw new Error('forced failure');
      };
      return m;
    });
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect((await call('DELETE', '/v1/users/u0')).statusCode).toBe(204);
    await vi.waitFor(async () => {
      await engine.privacy.retrainPending;
      const audit = (await call('GET', '/v1/audit')).json();
      const entry = audit.entries.find((e: { action: string }) => e.action === 'models.retrain.failed');
      expect(entry).toMatchObject({ actor: { source: 'erasure' }, detail: { reason: 'erasure', failed: [{ name: 'cooccurrence', error: 'forced failure' }] } });
    });
    expect(stderr.mock.calls.map((c) => String(c[0])).join('')).toMatch(/retrain after an erasure failed.*cooccurrence/);
    const co = ((await call('GET', '/v1/models')).json().models as Array<{ name: string; failing: boolean }>).find((m) => m.name === 'cooccurrence');
    expect(co?.failing).toBe(true);
  });
});
