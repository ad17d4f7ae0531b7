import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { Engine } from '../../src/server/compose.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { cachingStore } from '../../src/store/caching-store.ts';
import { countPersonCache, countSnapshots } from '../../src/server/plugins/metrics.ts';
import { AUTH, items, makeTestApp, testClock, type TestApp } from '../helpers.ts';

/** One sample of Prometheus' text exposition format: `name{a="x",b="y"} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the text format (0.0.4): comments skipped, label values unescaped, every line checked. */
function parsePrometheus(text: string): Sample[] {
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      labels[l[1]] = l[2].replace(/\\(.)/g, (_, c) => (c === 'n' ? '\n' : c));
    // Prometheus reads values with Go's ParseFloat: NaN and Inf in any case (prom-client writes `Nan`).
    const value = /^[+-]?inf$/i.test(m[3]) ? (m[3].startsWith('-') ? -1 : 1) * Number.POSITIVE_INFINITY : /^nan$/i.test(m[3]) ? Number.NaN : Number(m[3]);
    if (Number.isNaN(value) && !/^nan$/i.test(m[3])) throw new Error(`bad value: ${line}`);
    out.push({ name: m[1], labels, value });
  }
  return out;
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((a, s) => a + s.value, 0);

let t: TestApp | null = null;
afterEach(async () => {
  await t?.close();
  t = null;
});

async function scrape(app: TestApp['app'], headers: Record<string, string> = AUTH) {
  const r = await app.inject({ method: 'GET', url: '/metrics', headers });
  expect(r.statusCode, r.body).toBe(200);
  expect(r.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheus(r.body);
}

describe('GET /metrics', () => {
  it('counts requests by route pattern, never by raw URL, and times them', async () => {
    t = await makeTestApp();
    const before = await scrape(t.app);
    const route = { route: '/v1/users/:id/profile', method: 'GET', status: '200' };
    const base = value(before, 'afin_http_requests_total', route);
    for (const id of ['ana-secret-id', 'bob-secret-id', 'carla-secret-id'])
      expect((await t.app.inject({ method: 'GET', url: `/v1/users/${id}/profile`, headers: AUTH })).statusCode).toBe(200);
    for (let i = 0; i < 5; i++) await t.app.inject({ method: 'GET', url: `/no/such/path/${i}`, headers: AUTH });
    await new Promise((r) => setTimeout(r, 1100)); // past the one-second rendering cache
    const res = await t.app.inject({ method: 'GET', url: '/metrics', headers: AUTH });
    const after = parsePrometheus(res.body);
    expect(value(after, 'afin_http_requests_total', route) - base).toBe(3);
    expect(value(after, 'afin_http_request_duration_seconds_count', { route: '/v1/users/:id/profile', method: 'GET' })).toBe(3);
    // Bounded labels: five unknown URLs are one series, and no person's id or raw path is a label.
    expect(value(after, 'afin_http_requests_total', { route: '(unmatched)', status: '404' })).toBe(5);
    expect(res.body).not.toContain('secret-id');
    expect(res.body).not.toContain('/no/such/path');
  });

  it('counts events by outcome, training durations and the stored models’ age', async () => {
    t = await makeTestApp();
    await t.app.inject({ method: 'PUT', url: '/v1/items', headers: AUTH, payload: items(8) });
    const events = Array.from({ length: 40 }, (_, i) => ({ type: 'view', userId: `u${i % 6}`, itemId: `i${(i * 3) % 8}`, messageId: `m${i}` }));
    const first = (await t.app.inject({ method: 'POST', url: '/v1/events', headers: AUTH, payload: events })).json();
    expect(first.accepted).toBe(40);
    await t.app.inject({ method: 'POST', url: '/v1/events', headers: AUTH, payload: [...events.slice(0, 4), { type: 'nope', userId: 'u1' }] });
    expect((await t.app.inject({ method: 'POST', url: '/v1/train', headers: AUTH, payload: {} })).statusCode).toBe(200);
    t.clock.advance(90_000);
    const s = await scrape(t.app);
    expect(value(s, 'afin_events_ingested_total', { outcome: 'accepted' })).toBe(40);
    expect(value(s, 'afin_events_ingested_total', { outcome: 'duplicate' })).toBe(4);
    expect(value(s, 'afin_events_ingested_total', { outcome: 'rejected' })).toBe(1);
    const trained = s.filter((x) => x.name === 'afin_training_duration_seconds_count');
    expect(trained.length).toBeGreaterThan(0);
    const ages = s.filter((x) => x.name === 'afin_model_age_seconds');
    expect(ages.map((a) => a.labels.model).sort()).toEqual(trained.map((x) => x.labels.model).sort());
    for (const a of ages) expect(a.value).toBeGreaterThanOrEqual(90);
  });

  it('needs an admin key: none is 401, a public key 403', async () => {
    t = await makeTestApp();
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    const pub = (await t.app.inject({ method: 'POST', url: '/v1/keys', headers: AUTH, payload: { scope: 'public' } })).json();
    expect((await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${pub.key}` } })).statusCode).toBe(403);
  });

  it('with AFIN_METRICS_TOKEN takes that token only, compared whole', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afin-metrics-'));
    const store = new SqliteStore(join(dir, 'afin.db'));
    await store.migrate();
    const token = 'scrape-token-0123456789abcdef';
    const engine = new Engine(store, { adminKey: 'root', metricsToken: token }, { clock: testClock(), cacheMaxAgeMs: 0 });
    const app = await buildApp({ engine });
    try {
      expect((await app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${token.slice(0, -1)}` } })).statusCode).toBe(401);
      expect((await app.inject({ method: 'GET', url: '/metrics', headers: { authorization: 'Bearer root' } })).statusCode).toBe(401);
      const s = await scrape(app, { authorization: `Bearer ${token}` });
      expect(s.some((x) => x.name === 'afin_process_resident_memory_bytes')).toBe(true);
      // The token opens nothing else.
      expect((await app.inject({ method: 'GET', url: '/v1/keys', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(401);
    } finally {
      await app.close();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('cache hit counters', () => {
  it('per-person reads: the first read of a person misses, the next hits, a write about them makes the next miss', async () => {
    const inner = new SqliteStore(':memory:');
    await inner.migrate();
    await inner.createWorkspace({ id: 'w', name: null, createdAt: 1 });
    const tally = { hit: 0, miss: 0 };
    const s = countPersonCache(inner, cachingStore(inner, 60_000), tally);
    await s.getProfile('w', 'ana');
    await s.getProfile('w', 'ana');
    await s.getUser('w', 'ana');
    expect(tally).toEqual({ hit: 1, miss: 2 });
    await s.putProfiles('w', [{ subject: 'ana', profile: { n: 1 } }]);
    expect(await s.getProfile('w', 'ana')).toEqual({ n: 1 });
    await s.listItems('w'); // not a per-person read: not counted
    expect(tally).toEqual({ hit: 1, miss: 3 });
    await inner.close();
  });

  it('snapshots: the same object handed out again is a hit, a new one a miss', async () => {
    const a = { v: 1 };
    let current: object | null = a;
    const cache = { get: async (_ws: string) => current };
    const tally = { hit: 0, miss: 0 };
    countSnapshots(cache, 'get', tally);
    await cache.get('w');
    await cache.get('w');
    current = { v: 2 };
    expect(await cache.get('w')).toEqual({ v: 2 });
    current = null; // nothing stored (no model yet): not a lookup of anything
    await cache.get('w');
    expect(tally).toEqual({ hit: 1, miss: 2 });
  });

  it('are on /metrics by cache and result only, with hits once a person and the catalogue are read again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'afin-metrics-cache-'));
    const store = new SqliteStore(join(dir, 'afin.db'));
    await store.migrate();
    const clock = testClock();
    await store.createWorkspace({ id: 'default', name: null, createdAt: clock() });
    // Caches on, as in `afin serve` (the test helper turns them off).
    const engine = new Engine(store, { adminKey: 'metrics-cache-root-key-0123456789' }, { clock, cacheMaxAgeMs: 60_000 });
    const app = await buildApp({ engine });
    const auth = { authorization: 'Bearer metrics-cache-root-key-0123456789' };
    try {
      await app.inject({ method: 'PUT', url: '/v1/items', headers: auth, payload: items(8) });
      const events = Array.from({ length: 30 }, (_, i) => ({ type: 'view', userId: `u${i % 5}`, itemId: `i${(i * 3) % 8}` }));
      await app.inject({ method: 'POST', url: '/v1/events', headers: auth, payload: events });
      await engine.train('default', { models: ['popularity'] });
      for (let i = 0; i < 3; i++) expect((await app.inject({ method: 'GET', url: '/v1/recommendations?userId=u1&n=3', headers: auth })).statusCode).toBe(200);
      const s = await scrape(app, auth);
      const series = s.filter((x) => x.name === 'afin_cache_requests_total');
      for (const x of series) expect(Object.keys(x.labels).sort()).toEqual(['cache', 'result']);
      for (const cache of ['person', 'catalog', 'model']) {
        expect(value(s, 'afin_cache_requests_total', { cache, result: 'miss' }), cache).toBeGreaterThan(0);
        expect(value(s, 'afin_cache_requests_total', { cache, result: 'hit' }), cache).toBeGreaterThan(0);
        const hit = value(s, 'afin_cache_requests_total', { cache, result: 'hit' });
        const ratio = value(s, 'afin_cache_hit_ratio', { cache });
        expect(ratio).toBeCloseTo(hit / (hit + value(s, 'afin_cache_requests_total', { cache, result: 'miss' })), 9);
      }
    } finally {
      await app.close();
      await engine.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('request ids', () => {
  it('echoes a plain x-request-id and makes one otherwise, on errors too', async () => {
    t = await makeTestApp();
    const ok = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'trace-abc.123:4' } });
    expect(ok.headers['x-request-id']).toBe('trace-abc.123:4');
    const made = await t.app.inject({ method: 'GET', url: '/health' });
    expect(made.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect((await t.app.inject({ method: 'GET', url: '/health' })).headers['x-request-id']).not.toBe(made.headers['x-request-id']);
    const denied = await t.app.inject({ method: 'GET', url: '/v1/keys', headers: { 'x-request-id': 'req-401' } });
    expect(denied.statusCode).toBe(401);
    expect(denied.headers['x-request-id']).toBe('req-401');
    for (const bad of ['a'.repeat(129), 'evil\tline', 'x y', 'quote"d', 'ünïcode']) {
      const r = await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': bad } });
      expect(r.headers['x-request-id'], bad).toMatch(/^[0-9a-f-]{36}$/);
    }
    expect((await t.app.inject({ method: 'GET', url: '/health', headers: { 'x-request-id': 'a'.repeat(128) } })).headers['x-request-id']).toBe('a'.repeat(128));
  });
});
