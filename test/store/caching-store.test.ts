import { describe, expect, it } from 'vitest';
import { LocalBus, LocalHub, type InvalidationNotice } from '../../src/bus/bus.ts';
import { cachingStore } from '../../src/store/caching-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { storedEvent } from '../stored-event.ts';

const ev = (messageId: string, subject: string, timestamp: number) => storedEvent(messageId, subject, { timestamp });

async function setup() {
  const inner = new SqliteStore(':memory:');
  await inner.migrate();
  let now = 1000;
  const store = cachingStore(inner, 500, 100, () => now);
  return { inner, store, advance: (ms: number) => (now += ms) };
}

describe('cachingStore', () => {
  it('serves repeated per-person reads from memory until the time is up', async () => {
    const { inner, store, advance } = await setup();
    await store.insertEvents('w', [ev('a', 'u', 1)]);
    expect(await store.eventsOf('w', 'u', 10)).toHaveLength(1);
    await inner.insertEvents('w', [ev('b', 'u', 2)]); // another node writes behind this one's back
    expect(await store.eventsOf('w', 'u', 10)).toHaveLength(1);
    advance(600);
    expect(await store.eventsOf('w', 'u', 10)).toHaveLength(2);
  });

  it('sees its own writes at once, for the people they touch', async () => {
    const { store } = await setup();
    expect(await store.eventsOf('w', 'u', 10)).toHaveLength(0);
    expect(await store.consentHistory('w', 'u')).toHaveLength(0);
    await store.ingestEvents('w', [ev('a', 'u', 1)], new Set(['u']), (ins) => ins.map((e) => ({ subject: e.subject, profile: { n: 1 } })));
    expect(await store.eventsOf('w', 'u', 10)).toHaveLength(1);
    expect(await store.getProfile('w', 'u')).toEqual({ n: 1 });
    await store.appendConsent('w', 'u', { purposes: { personalization: false }, source: 'api', policyVersion: null, at: 5 });
    expect(await store.consentHistory('w', 'u')).toHaveLength(1);
    await store.reassignEvents('w', 'u', 'v');
    expect(await store.eventsOf('w', 'u', 10)).toHaveLength(0);
    expect(await store.eventsOf('w', 'v', 10)).toHaveLength(1);
  });

  it("keeps a person's consent cached across event writes (which never change it), and drops it on links", async () => {
    const { inner, store } = await setup();
    expect(await store.consentHistory('w', 'u')).toHaveLength(0);
    // Another node records consent; this node's cache does not know yet.
    await inner.appendConsent('w', 'u', { purposes: { profiling: false }, source: 'api', policyVersion: null, at: 5 });
    await store.ingestEvents('w', [ev('a', 'u', 1)], new Set(['u']), (ins) => ins.map((e) => ({ subject: e.subject, profile: { n: 1 } })));
    await store.insertEvents('w', [ev('b', 'u', 2)]);
    expect(await store.consentHistory('w', 'u')).toHaveLength(0);
    expect(await store.eventsOf('w', 'u', 10)).toHaveLength(2);
    expect(await store.getProfile('w', 'u')).toEqual({ n: 1 });
    await store.linkIdentities('w', [{ anonymousId: 'x', userId: 'u', from: 'anon:x' }], 6);
    expect(await store.consentHistory('w', 'u')).toHaveLength(1);
  });

  it("caches a person's traits, and drops just them when this node writes or deletes that user", async () => {
    const { inner, store, advance } = await setup();
    await store.putUser('w', 'u', { language: 'es' }, 1);
    expect((await store.getUser('w', 'u'))?.traits).toEqual({ language: 'es' });
    await inner.putUser('w', 'u', { language: 'en' }, 2); // another node writes behind this one's back
    expect((await store.getUser('w', 'u'))?.traits).toEqual({ language: 'es' });
    advance(600);
    expect((await store.getUser('w', 'u'))?.traits).toEqual({ language: 'en' });
    // This node's own writes are seen at once; the person's other cached reads stay.
    expect(await store.consentHistory('w', 'u')).toHaveLength(0);
    await inner.appendConsent('w', 'u', { purposes: { profiling: false }, source: 'api', policyVersion: null, at: 5 });
    await store.putUser('w', 'u', { tone: 'formal' }, 3);
    expect((await store.getUser('w', 'u'))?.traits).toEqual({ language: 'en', tone: 'formal' });
    expect(await store.consentHistory('w', 'u')).toHaveLength(0);
    await store.deleteUser('w', 'u');
    expect(await store.getUser('w', 'u')).toBeNull();
    expect(await store.consentHistory('w', 'u')).toHaveLength(0);
  });

  it("makes each method's wrapper once, and a new one when the store's method is replaced", async () => {
    const { inner, store } = await setup();
    expect(store.eventsOf).toBe(store.eventsOf);
    expect(store.putDocs).toBe(store.putDocs);
    await store.insertEvents('w', [ev('a', 'u', 1)]);
    const asked: string[] = [];
    const original = inner.eventsOf;
    inner.eventsOf = async (ws, subject, limit) => {
      asked.push(subject);
      return original.call(inner, ws, subject, limit);
    };
    expect(await store.eventsOf('w', 'v', 10)).toHaveLength(0);
    expect(asked).toEqual(['v']);
  });

  it('clears the whole workspace on a write it does not know, and keeps workspaces apart', async () => {
    const { store } = await setup();
    await store.insertEvents('w', [ev('a', 'u', 1)]);
    await store.insertEvents('x', [ev('a', 'u', 1)]);
    expect(await store.eventsOf('w', 'u', 10)).toHaveLength(1);
    expect(await store.eventsOf('x', 'u', 10)).toHaveLength(1);
    await store.deleteEventsBefore('w', 10);
    expect(await store.eventsOf('w', 'u', 10)).toHaveLength(0);
    expect(await store.eventsOf('x', 'u', 10)).toHaveLength(1);
  });
});

describe('cachingStore with a bus', () => {
  it('announces writes even when it caches nothing itself, and drops what others announce', async () => {
    const inner = new SqliteStore(':memory:');
    await inner.migrate();
    const hub = new LocalHub();
    const [busA, busB] = [new LocalBus(hub), new LocalBus(hub)];
    const heard: InvalidationNotice[] = [];
    busB.subscribe((n) => heard.push(n));
    const a = cachingStore(inner, 0, 100, Date.now, busA); // a node with caches off still tells the others
    const b = cachingStore(inner, 60_000, 100, Date.now, busB);
    expect(await b.consentHistory('w', 'u')).toHaveLength(0);
    await a.appendConsent('w', 'u', { purposes: { personalization: false }, source: 'api', policyVersion: null, at: 5 });
    expect(heard.map((n) => [n.ws, n.kind, n.subjects])).toEqual([['w', 'people', ['u']]]);
    expect(await b.consentHistory('w', 'u')).toHaveLength(1);
    // A reconnect says "everything": every workspace is dropped.
    await inner.appendConsent('w', 'u', { purposes: { personalization: true }, source: 'api', policyVersion: null, at: 6 });
    expect(await b.consentHistory('w', 'u')).toHaveLength(1);
    busA.publish({ ws: '*', kind: 'workspace' });
    expect(await b.consentHistory('w', 'u')).toHaveLength(2);
  });
});
