// The client (afin/client) in Node against a real listening server: the contract calls, batching,
// retry with backoff, the persisted queue, the consent gate, identify and alias.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AfinApiError, AfinClient, createClient, memoryStorage } from '../../src/client/index.js';
import { items, makeTestApp, ROOT_KEY, type TestApp, testClock } from '../helpers.ts';

let t: TestApp;
let url = '';
let publicKey = '';

beforeAll(async () => {
  // The client stamps events with the real time; the engine must not see them as from the future.
  t = await makeTestApp({ clock: testClock(Date.now()) });
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = t.app.server.address();
  url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const admin = createClient({ baseUrl: url, key: ROOT_KEY, autoFlush: false });
  await admin.putItems(items(12));
  publicKey = (await admin.createKey({ scope: 'public', name: 'sdk test' })).key;
});
afterAll(async () => t?.close());

/** A fetch that counts the requests per path and can fail the first `failures` of them. */
function countingFetch(failures = 0, how: 'network' | 503 = 'network') {
  const calls: string[] = [];
  let left = failures;
  const f = async (input: string | URL | Request, init?: RequestInit) => {
    calls.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname}`);
    if (left > 0) {
      left--;
      if (how === 'network') throw new TypeError('fetch failed');
      return new Response(JSON.stringify({ error: { code: 'unavailable', message: 'down' } }), { status: 503 });
    }
    return fetch(input, init);
  };
  return { fetch: f as typeof fetch, calls };
}

const eventsOf = (subject: string) => t.engine.store.eventsOf('default', subject, 1000);

describe('afin/client in Node', () => {
  it('is the package export afin/client', async () => {
    const m = await import('afin/client');
    expect(m.AfinClient).toBe(AfinClient);
  });

  it('has every method its types declare (index.d.ts and index.js are kept by hand, side by side)', async () => {
    const dts = readFileSync(new URL('../../src/client/index.d.ts', import.meta.url), 'utf8');
    const body = dts.slice(dts.indexOf('export declare class AfinClient'), dts.indexOf('export declare function createClient'));
    const methods = [...body.matchAll(/^ {2}(\w+)(?:<[^>]*>)?\(/gm)].map((m) => m[1]).filter((m) => m !== 'constructor');
    expect(methods.length).toBeGreaterThan(30);
    const c = new AfinClient({ baseUrl: url, key: publicKey, storage: memoryStorage(), autoFlush: false });
    expect(methods.filter((m) => typeof (c as unknown as Record<string, unknown>)[m] !== 'function')).toEqual([]);
    const getters = [...body.matchAll(/^ {2}readonly (\w+):/gm)].map((m) => m[1]);
    expect(getters.filter((g) => (c as unknown as Record<string, unknown>)[g] === undefined)).toEqual([]);
  });

  it('calls the contract: items, events, recommendations, chat, decide; errors carry the code and field', async () => {
    const c = createClient({ baseUrl: url, key: ROOT_KEY, autoFlush: false });
    expect(await c.health()).toEqual({ status: 'ok' });
    expect((await c.getItem('i3')).title).toBe('Item 3');
    const sent = await c.sendEvents([{ type: 'view', userId: 'ana', itemId: 'i1' }]);
    expect(sent.accepted).toBe(1);
    const recs = await c.recommendations({ userId: 'ana', n: 3 });
    expect(recs.items.length).toBeGreaterThan(0);
    const chat = await c.chat({ userId: 'ana', message: 'Hola, busco algo barato' });
    expect(chat.language).toBe('es');
    expect(typeof chat.sessionId).toBe('string');
    const d = await c.decide({ userId: 'ana', point: 'banner', options: [{ id: 'a' }, { id: 'b' }] });
    expect(['a', 'b']).toContain(d.option);
    const err = await c.sendEvents([{ type: 'view', userId: 'ana' }]).catch((e) => e);
    expect(err).toBeInstanceOf(AfinApiError);
    expect(err.status).toBe(400);
    expect(err.field).toContain('itemId');
  });

  it('batches queued events: 45 events in batches of 20 are three requests, all stored', async () => {
    const f = countingFetch();
    const c = new AfinClient({ baseUrl: url, key: publicKey, fetch: f.fetch, storage: memoryStorage(), batchSize: 20, autoFlush: false });
    for (let i = 0; i < 45; i++) expect(c.track('view', { itemId: `i${i % 12}` })).toBe(true);
    expect(c.queued).toBe(45);
    await c.flush();
    expect(c.queued).toBe(0);
    expect(f.calls).toEqual(['POST /v1/events', 'POST /v1/events', 'POST /v1/events']);
    expect(await eventsOf(`anon:${c.anonymousId}`)).toHaveLength(45);
  });

  it('flushes by itself after flushInterval, and at once when a batch is full', async () => {
    const f = countingFetch();
    const c = new AfinClient({ baseUrl: url, key: publicKey, fetch: f.fetch, storage: memoryStorage(), batchSize: 3, flushInterval: 50 });
    c.track('view', { itemId: 'i1' });
    await new Promise((r) => setTimeout(r, 300));
    expect(f.calls).toHaveLength(1);
    c.track('view', { itemId: 'i2' });
    c.track('view', { itemId: 'i3' });
    c.track('view', { itemId: 'i4' });
    await new Promise((r) => setTimeout(r, 20));
    await c.flush();
    expect(await eventsOf(`anon:${c.anonymousId}`)).toHaveLength(4);
  });

  it('retries with backoff after network errors and 503s, and stores each event once', async () => {
    for (const how of ['network', 503] as const) {
      const f = countingFetch(2, how);
      const errors: unknown[] = [];
      const c = new AfinClient({
        baseUrl: url,
        key: publicKey,
        fetch: f.fetch,
        storage: memoryStorage(),
        retryBaseMs: 20,
        flushInterval: 0,
        onError: (e) => errors.push(e),
      });
      c.track('click', { itemId: 'i5' });
      c.track('click', { itemId: 'i6' });
      const deadline = Date.now() + 5000;
      while (c.queued > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(c.queued, String(how)).toBe(0);
      expect(f.calls.length, String(how)).toBe(3);
      expect(errors, String(how)).toHaveLength(2);
      expect(await eventsOf(`anon:${c.anonymousId}`)).toHaveLength(2);
    }
  });

  it('keeps the queue in storage: a new client on the same storage sends what an earlier one could not', async () => {
    const storage = memoryStorage();
    const down = new AfinClient({ baseUrl: 'http://127.0.0.1:1', key: publicKey, storage, maxRetries: 0, autoFlush: false });
    down.track('add_to_cart', { itemId: 'i7' });
    down.track('purchase', { itemId: 'i7', value: 17 });
    await down.flush();
    expect(down.queued).toBe(2);
    const again = new AfinClient({ baseUrl: url, key: publicKey, storage, autoFlush: false });
    expect(again.anonymousId).toBe(down.anonymousId);
    expect(again.queued).toBe(2);
    await again.flush();
    const stored = await eventsOf(`anon:${again.anonymousId}`);
    expect(stored.map((e) => e.type).sort()).toEqual(['add_to_cart', 'purchase']);
    // A replay of the same queue (a page that closed before the answer) is recognised as duplicates.
    const replay = await again.sendEvents(JSON.parse(storage.getItem('afin.queue') ?? '[]'));
    expect(replay.accepted).toBe(0);
  });

  it('the consent gate: with opt-in required nothing is queued, stored or sent until profiling is accepted', async () => {
    const f = countingFetch();
    const storage = memoryStorage();
    const c = new AfinClient({ baseUrl: url, key: publicKey, fetch: f.fetch, storage, consent: { required: true }, autoFlush: false });
    expect(c.consent).toEqual({ personalization: false, profiling: false, marketing: false, chatMemory: false });
    expect(c.track('view', { itemId: 'i1' })).toBe(false);
    const id = c.anonymousId;
    expect(storage.getItem('afin.anonymousId')).toBeNull();
    await c.flush();
    expect(f.calls).toEqual([]);
    // Recommendations without personalization consent name a visitor the engine has never seen.
    await c.recommendations({ n: 2 });
    expect(f.calls).toHaveLength(1);
    c.setConsent({ profiling: true });
    expect(c.track('view', { itemId: 'i1' })).toBe(true);
    expect(JSON.parse(storage.getItem('afin.anonymousId') ?? 'null')).toBe(id);
    await c.flush();
    expect(await eventsOf(`anon:${id}`)).toHaveLength(1);
    // Withdrawing drops what waits and the stored ids.
    c.track('view', { itemId: 'i2' });
    c.setConsent({ profiling: false });
    expect(c.queued).toBe(0);
    expect(storage.getItem('afin.anonymousId')).toBeNull();
    expect(() => c.setConsent({ everything: true } as never)).toThrow(/unknown purpose/);
  });

  it('identify names the user on later events; alias with a server key merges the history, a public key may not', async () => {
    const storage = memoryStorage();
    const pub = new AfinClient({ baseUrl: url, key: publicKey, storage, autoFlush: false });
    pub.track('view', { itemId: 'i8' });
    await pub.flush();
    const anon = pub.anonymousId;
    await pub.identify('bea');
    pub.track('view', { itemId: 'i9' });
    await pub.flush();
    const bea = await eventsOf('bea');
    expect(bea.map((e) => [e.itemId, e.anonymousId])).toEqual([['i9', anon]]);
    const refused = await pub.alias().catch((e) => e);
    expect(refused).toBeInstanceOf(AfinApiError);
    expect(refused.status).toBe(403);

    const server = new AfinClient({
      baseUrl: url,
      key: (await createClient({ baseUrl: url, key: ROOT_KEY }).createKey({ scope: 'server' })).key,
      storage: memoryStorage(),
      autoFlush: false,
    });
    const merged = await server.alias('bea', anon);
    expect(merged.userId).toBe('bea');
    expect((await eventsOf('bea')).map((e) => e.itemId).sort()).toEqual(['i8', 'i9']);
    await server.identify('bea', { name: 'Bea', language: 'es' });
    expect((await t.engine.store.getUser('default', 'bea'))?.traits.name).toBe('Bea');
  });
});
