import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LocalBus, LocalHub, type InvalidationNotice } from '../../src/bus/bus.ts';
import { WorkspaceState } from '../../src/recommend/workspace-state.ts';
import { cachingStore } from '../../src/store/caching-store.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import { atOnce, closeNodes, expectBSeesAWrites, expectBStaleWithoutBus, nodePair, type TestNode } from '../server/two-nodes.ts';
import { storedEvent } from '../stored-event.ts';

const ev = (messageId: string, subject: string) => storedEvent(messageId, subject);

describe('LocalBus', () => {
  it('delivers to the other buses of its hub, not to itself, and stops after close', async () => {
    const hub = new LocalHub();
    const [a, b, c] = [new LocalBus(hub), new LocalBus(hub), new LocalBus()];
    const got: Record<string, InvalidationNotice[]> = { a: [], b: [], c: [] };
    a.subscribe((n) => got.a.push(n));
    b.subscribe((n) => got.b.push(n));
    c.subscribe((n) => got.c.push(n));
    a.publish({ ws: 'w', kind: 'people', subjects: ['u'] });
    expect(got.a).toEqual([]);
    expect(got.b).toEqual([{ ws: 'w', kind: 'people', subjects: ['u'], origin: a.origin }]);
    expect(got.c).toEqual([]); // another hub: another "cluster"
    await b.close();
    a.publish({ ws: 'w', kind: 'items' });
    expect(got.b).toHaveLength(1);
    expect(a.origin).not.toBe(b.origin);
  });

  it('keeps a failing handler from reaching the publisher or the other handlers', () => {
    const hub = new LocalHub();
    const [a, b] = [new LocalBus(hub), new LocalBus(hub)];
    const got: string[] = [];
    b.subscribe(() => {
      throw new Error('boom');
    });
    b.subscribe((n) => got.push(n.kind));
    expect(() => a.publish({ ws: 'w', kind: 'models' })).not.toThrow();
    expect(got).toEqual(['models']);
  });
});

describe('caches with a bus', () => {
  /** Two nodes' caching stores over one shared store, caches that never expire by age. */
  async function twoCaches() {
    const inner = new SqliteStore(':memory:');
    await inner.migrate();
    const hub = new LocalHub();
    const [busA, busB] = [new LocalBus(hub), new LocalBus(hub)];
    const a = cachingStore(inner, 60_000, 100, Date.now, busA);
    const b = cachingStore(inner, 60_000, 100, Date.now, busB);
    return { inner, a, b, busA, busB };
  }

  it('a write on one node drops the people it names on the other, and only them', async () => {
    const { inner, a, b } = await twoCaches();
    expect(await b.eventsOf('w', 'u', 10)).toHaveLength(0);
    expect(await b.eventsOf('w', 'v', 10)).toHaveLength(0);
    expect(await b.consentHistory('w', 'u')).toHaveLength(0);
    await a.insertEvents('w', [ev('1', 'u')]);
    expect(await b.eventsOf('w', 'u', 10)).toHaveLength(1);
    await a.appendConsent('w', 'u', { purposes: { personalization: false }, source: 'api', policyVersion: null, at: 5 });
    expect(await b.consentHistory('w', 'u')).toHaveLength(1);
    await inner.insertEvents('w', [ev('2', 'v')]); // behind everyone's back
    await a.insertEvents('w', [ev('3', 'u')]); // names u only
    expect(await b.eventsOf('w', 'u', 10)).toHaveLength(2);
    expect(await b.eventsOf('w', 'v', 10)).toHaveLength(0); // kept until its time is up
  });

  it('a write it cannot pin down clears the workspace on every node, and workspaces stay apart', async () => {
    const { inner, a, b } = await twoCaches();
    await inner.insertEvents('w', [ev('1', 'u')]);
    await inner.insertEvents('x', [ev('1', 'u')]);
    expect(await b.eventsOf('w', 'u', 10)).toHaveLength(1);
    expect(await b.eventsOf('x', 'u', 10)).toHaveLength(1);
    await a.deleteEventsBefore('w', 10);
    await inner.deleteEventsBefore('x', 10); // behind everyone's back: not announced
    expect(await b.eventsOf('w', 'u', 10)).toHaveLength(0);
    expect(await b.eventsOf('x', 'u', 10)).toHaveLength(1);
  });

  it('publishes nothing for reads, and one notice per write', async () => {
    const { a, busB } = await twoCaches();
    const got: InvalidationNotice[] = [];
    busB.subscribe((n) => got.push(n));
    await a.eventsOf('w', 'u', 10);
    await a.getItem('w', 'i1');
    await a.ingestEvents('w', [ev('1', 'u'), ev('2', 'u')], new Set(['u']), () => []);
    expect(got.map(({ origin: _, ...n }) => n)).toEqual([{ ws: 'w', kind: 'people', subjects: ['u'] }]);
  });

  it('workspace state reloads on items, models, settings and workspace notices, not on people', async () => {
    const inner = new SqliteStore(':memory:');
    await inner.migrate();
    const hub = new LocalHub();
    const [busA, busB] = [new LocalBus(hub), new LocalBus(hub)];
    const a = new WorkspaceState(inner, 60_000, Date.now, busA);
    const b = new WorkspaceState(inner, 60_000, Date.now, busB);
    expect((await b.catalog('w')).items).toHaveLength(0);
    await inner.upsertItems('w', [{ id: 'i1', title: 'One', available: true, updatedAt: 1 }]);
    await inner.bumpCounter('w', 'items');
    busA.publish({ ws: 'w', kind: 'people', subjects: ['u'] });
    expect((await b.catalog('w')).items).toHaveLength(0); // not an items notice
    a.invalidate('w', 'items');
    expect((await b.catalog('w')).items).toHaveLength(1);
    const before = await b.catalog('w');
    await inner.putDocs('w', [{ collection: 'settings', id: 'ranking', subject: null, createdAt: 1, body: { maxCategoryShare: 1 } }]);
    await inner.bumpCounter('w', 'settings');
    a.invalidate('w', 'settings');
    expect(await b.ranking('w')).toEqual({ maxCategoryShare: 1 });
    expect(await b.catalog('w')).toBe(before); // the catalogue did not change: kept, not reloaded
  });

  it('can run caches only while the bus is up: a function of time limits', async () => {
    const inner = new SqliteStore(':memory:');
    await inner.migrate();
    let up = true;
    const store = cachingStore(inner, () => (up ? 60_000 : 0), 100, Date.now, new LocalBus());
    expect(await store.eventsOf('w', 'u', 10)).toHaveLength(0);
    await inner.insertEvents('w', [ev('1', 'u')]);
    expect(await store.eventsOf('w', 'u', 10)).toHaveLength(0);
    up = false;
    expect(await store.eventsOf('w', 'u', 10)).toHaveLength(1);
  });
});

describe('two engines on one SQLite file', () => {
  let nodes: TestNode[] = [];
  let dir = '';
  afterEach(async () => {
    await closeNodes(nodes);
    nodes = [];
    rmSync(dir, { recursive: true, force: true });
  });

  async function pair(withBus: boolean) {
    dir = mkdtempSync(join(tmpdir(), 'afin-bus-'));
    const pair = await nodePair(async () => {
      const store = new SqliteStore(join(dir, 'afin.db'));
      await store.migrate();
      return store;
    }, withBus);
    nodes = [pair.a, pair.b];
    return pair;
  }

  it("with a bus, B sees A's writes at once, though its caches would keep entries for a minute", async () => {
    const { a, b, clock } = await pair(true);
    await expectBSeesAWrites(a, b, atOnce, clock);
  });

  it('without one, B serves what it cached (the control)', async () => {
    const { a, b } = await pair(false);
    await expectBStaleWithoutBus(a, b);
  });
});
