import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AfinError } from '../../src/domain/errors.ts';
import type { StoredEvent, StoredItem } from '../../src/domain/schemas.ts';
import type { InvalidationBus, InvalidationNotice, NoticeHandler } from '../../src/bus/bus.ts';
import { ITEM_CHANGE_COLLECTION, IngestService, MAX_BATCH, itemChanges, type ProfilingGate, type SuppressionGate } from '../../src/ingest/ingest-service.ts';
import { buildProfile } from '../../src/profile/profile.ts';
import { WorkspaceState } from '../../src/recommend/workspace-state.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { storedEvent } from '../stored-event.ts';

/**
 * The ingest service straight on an in-memory SQLite store, without the HTTP app: validation, batch
 * limits, dedup, identity links, suppression and the real-time profiles. Fast enough to run against
 * every mutant of src/ingest (issue 11, mutation testing); test/server/ingest*.test.ts cover the routes.
 */
const WS = 'shop';
const START = Date.UTC(2026, 0, 15, 12);
const DAY = 24 * 3_600_000;
let now = START;
const clock = () => now;

/** A bus that records what the workspace state publishes. */
class RecordingBus implements InvalidationBus {
  readonly origin = 'test';
  readonly connected = true;
  readonly published: Omit<InvalidationNotice, 'origin'>[] = [];
  publish(notice: Omit<InvalidationNotice, 'origin'>): void {
    this.published.push(notice);
  }
  subscribe(_handler: NoticeHandler): void {}
  async close(): Promise<void> {}
}

/** Counts calls to the store's methods (and can replace one), passing everything through. */
function spied(target: Store, replace: Partial<Record<keyof Store, unknown>> = {}) {
  const calls: Array<{ method: string; args: unknown[] }> = [];
  const store = new Proxy(target, {
    get(t, prop, receiver) {
      if (typeof prop === 'string' && prop in replace) return replace[prop as keyof Store];
      const v = Reflect.get(t, prop, receiver);
      if (typeof v !== 'function') return v;
      return (...args: unknown[]) => {
        calls.push({ method: String(prop), args });
        return v.apply(t, args);
      };
    },
  }) as Store;
  const called = (method: string) => calls.filter((c) => c.method === method);
  return { store, calls, called };
}

let raw: SqliteStore;
let bus: RecordingBus;
let state: WorkspaceState;
let spy: ReturnType<typeof spied>;
let ingest: IngestService;
let profilingAllowed: (subject: string) => boolean;
let erasedIds: Set<string>;

const mayProfile: ProfilingGate = async (ws, subject) => {
  expect(ws).toBe(WS);
  return profilingAllowed(subject);
};
const suppressed: SuppressionGate = async (ws) => {
  expect(ws).toBe(WS);
  return (ids) => (ids.userId != null && erasedIds.has(ids.userId)) || (ids.anonymousId != null && erasedIds.has(`anon:${ids.anonymousId}`));
};

beforeEach(async () => {
  now = START;
  raw = new SqliteStore(':memory:');
  await raw.migrate();
  bus = new RecordingBus();
  spy = spied(raw);
  // A long cache age: the catalogue is fresh after a write only if the service invalidates it.
  state = new WorkspaceState(spy.store, 3_600_000, clock, bus);
  profilingAllowed = () => true;
  erasedIds = new Set();
  ingest = new IngestService(spy.store, state, clock, mayProfile, suppressed);
});
afterEach(async () => {
  await raw.close();
});

async function afinError(p: Promise<unknown>): Promise<AfinError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AfinError);
  return e as AfinError;
}

const item = (id: string, extra: Record<string, unknown> = {}) => ({ id, title: `Item ${id}`, ...extra });

/** The profile the store holds for a subject must be the one rebuilt from all its stored events. */
async function expectProfileRebuiltFromEvents(subject: string) {
  const catalog = await state.catalog(WS);
  const expected = buildProfile(await raw.eventsOf(WS, subject), (id) => catalog.get(id));
  expect(expected).not.toBeNull();
  expect(await raw.getProfile(WS, subject)).toEqual(JSON.parse(JSON.stringify(expected)));
}

describe('itemChanges', () => {
  const stored = (id: string, extra: Partial<StoredItem> = {}): StoredItem => ({ id, title: id, available: true, updatedAt: 0, ...extra });

  it('records a price drop and a return to stock, and nothing else', () => {
    const before = new Map<string, StoredItem>([
      ['drop', stored('drop', { price: 10 })],
      ['same', stored('same', { price: 10 })],
      ['rise', stored('rise', { price: 10 })],
      ['noOld', stored('noOld')],
      ['noNew', stored('noNew', { price: 10 })],
      ['back', stored('back', { available: false })],
      ['stillOut', stored('stillOut', { available: false })],
      ['gone', stored('gone', { available: true })],
      ['both', stored('both', { price: 5, available: false })],
    ]);
    const after = [
      stored('drop', { price: 9.5 }),
      stored('same', { price: 10 }),
      stored('rise', { price: 11 }),
      stored('noOld', { price: 1 }),
      stored('noNew'),
      stored('back', { available: true }),
      stored('stillOut', { available: false }),
      stored('gone', { available: false }),
      stored('both', { price: 0, available: true }),
      stored('new', { price: 1 }),
    ];
    expect(itemChanges(after, (id) => before.get(id), 77)).toEqual([
      {
        collection: ITEM_CHANGE_COLLECTION,
        id: 'drop:77:price',
        subject: null,
        createdAt: 77,
        body: { itemId: 'drop', kind: 'price_drop', oldPrice: 10, newPrice: 9.5 },
      },
      { collection: ITEM_CHANGE_COLLECTION, id: 'back:77:stock', subject: null, createdAt: 77, body: { itemId: 'back', kind: 'back_in_stock' } },
      {
        collection: ITEM_CHANGE_COLLECTION,
        id: 'both:77:price',
        subject: null,
        createdAt: 77,
        body: { itemId: 'both', kind: 'price_drop', oldPrice: 5, newPrice: 0 },
      },
      { collection: ITEM_CHANGE_COLLECTION, id: 'both:77:stock', subject: null, createdAt: 77, body: { itemId: 'both', kind: 'back_in_stock' } },
    ]);
    expect(ITEM_CHANGE_COLLECTION).toBe('item_change');
  });
});

describe('batches', () => {
  it('takes one object as a batch of one, and refuses what is neither an array nor an object', async () => {
    expect(await ingest.putItems(WS, item('a'))).toEqual({ upserted: 1, rejected: [] });
    for (const body of [null, 'items', 3, true, undefined]) {
      const e = await afinError(ingest.putItems(WS, body));
      expect(e).toMatchObject({ code: 'invalid_body', field: 'body', message: 'body: expected a JSON array of objects' });
      expect(await afinError(ingest.postEvents(WS, body))).toMatchObject({ code: 'invalid_body', field: 'body' });
    }
  });

  it(`holds at most ${MAX_BATCH} elements`, async () => {
    expect(MAX_BATCH).toBe(1000);
    const full = Array.from({ length: 1000 }, (_, i) => item(`i${i}`));
    expect((await ingest.putItems(WS, full)).upserted).toBe(1000);
    const e = await afinError(ingest.putItems(WS, [...full, item('one-more')]));
    expect(e).toMatchObject({ code: 'batch_too_large', field: 'body', message: 'body: a batch holds at most 1000 elements, got 1001' });
    const events = Array.from({ length: 1001 }, () => ({ type: 'search', userId: 'u', query: 'x' }));
    expect(await afinError(ingest.postEvents(WS, events))).toMatchObject({ code: 'batch_too_large' });
    expect(await raw.countEvents(WS)).toBe(0);
  });
});

describe('putItems', () => {
  it('stores valid items (available unless said otherwise), rejects the others by index, and the last copy of an id wins', async () => {
    now = START + 5;
    const r = await ingest.putItems(WS, [item('a', { price: 3 }), { id: 'bad' }, item('b', { available: false }), item('a', { price: 2 }), 'x']);
    expect(r.upserted).toBe(2);
    expect(r.rejected).toEqual([
      { index: 1, field: '[1].title', error: expect.stringMatching(/^\[1\]\.title: /) },
      { index: 4, field: '[4]', error: expect.stringMatching(/^\[4\]: /) },
    ]);
    const items = await raw.listItems(WS);
    expect(items.map((i) => [i.id, i.price, i.available, i.updatedAt])).toEqual([
      ['a', 2, true, START + 5],
      ['b', undefined, false, START + 5],
    ]);
  });

  it('keeps the first position of an id that comes twice', async () => {
    await ingest.putItems(WS, [item('x', { title: 'one' }), item('y'), item('x', { title: 'two' })]);
    const upserted = spy.called('upsertItems').at(-1)!.args[1] as StoredItem[];
    expect(upserted.map((i) => [i.id, i.title])).toEqual([
      ['x', 'two'],
      ['y', 'Item y'],
    ]);
  });

  it('makes the new catalogue visible at once, bumps the items counter and tells the other nodes', async () => {
    await ingest.putItems(WS, [item('a')]);
    expect((await state.catalog(WS)).get('a')?.title).toBe('Item a');
    await ingest.putItems(WS, [item('a', { title: 'renamed' })]);
    expect((await state.catalog(WS)).get('a')?.title).toBe('renamed');
    expect((await raw.readCounters(WS)).items).toBe(2);
    expect(bus.published).toEqual([
      { ws: WS, kind: 'items' },
      { ws: WS, kind: 'items' },
    ]);
  });

  it('writes nothing when every item is rejected', async () => {
    const r = await ingest.putItems(WS, [{ id: 'no-title' }]);
    expect(r).toMatchObject({ upserted: 0 });
    expect(r.rejected).toHaveLength(1);
    expect(spy.called('upsertItems')).toEqual([]);
    expect((await raw.readCounters(WS)).items).toBeUndefined();
    expect(bus.published).toEqual([]);
  });

  it('writes no change signal for a batch without a price drop or a return to stock', async () => {
    await ingest.putItems(WS, [item('a', { price: 10 })]);
    await ingest.putItems(WS, [item('a', { price: 12 }), item('b')]);
    expect(spy.called('putDocs')).toEqual([]);
  });

  it('keeps price drops and returns to stock as signals, against the catalogue before the write', async () => {
    await ingest.putItems(WS, [item('a', { price: 10 }), item('b', { available: false })]);
    expect(await raw.listDocs(WS, ITEM_CHANGE_COLLECTION)).toEqual([]);
    now = START + 1000;
    await ingest.putItems(WS, [item('a', { price: 8 }), item('b')]);
    const docs = await raw.listDocs(WS, ITEM_CHANGE_COLLECTION);
    expect(docs.map((d) => d.body).sort((x, y) => String(x.itemId).localeCompare(String(y.itemId)))).toEqual([
      { itemId: 'a', kind: 'price_drop', oldPrice: 10, newPrice: 8 },
      { itemId: 'b', kind: 'back_in_stock' },
    ]);
    expect(docs.every((d) => d.createdAt === START + 1000)).toBe(true);
  });
});

describe('deleteItem', () => {
  it('removes an item, bumps the counter and refreshes the catalogue; an unknown id changes nothing', async () => {
    await ingest.putItems(WS, [item('a'), item('b')]);
    expect(await ingest.deleteItem(WS, 'a')).toBe(true);
    expect((await state.catalog(WS)).get('a')).toBeUndefined();
    expect((await raw.readCounters(WS)).items).toBe(2);
    expect(bus.published).toHaveLength(2);
    expect(await ingest.deleteItem(WS, 'a')).toBe(false);
    expect((await raw.readCounters(WS)).items).toBe(2);
    expect(bus.published).toHaveLength(2);
  });
});

describe('getItem', () => {
  it('reads one stored item of the workspace', async () => {
    now = START + 3;
    await ingest.putItems(WS, [item('a', { price: 4 })]);
    expect(await ingest.getItem(WS, 'a')).toEqual({ id: 'a', title: 'Item a', price: 4, available: true, updatedAt: START + 3 });
    expect(await ingest.getItem(WS, 'b')).toBeNull();
    expect(await ingest.getItem('other', 'a')).toBeNull();
  });
});

describe('without consent or suppression gates', () => {
  it('profiles everyone and drops no one', async () => {
    const plain = new IngestService(spy.store, state, clock);
    await plain.putItems(WS, [item('i1')]);
    const r = await plain.postEvents(WS, [{ type: 'view', userId: 'ana', itemId: 'i1' }]);
    expect(r).toEqual({ accepted: 1, duplicates: 0, rejected: [] });
    await expectProfileRebuiltFromEvents('ana');
    expect(await plain.alias(WS, { anonymousId: 'v1', userId: 'ana' })).toEqual({ anonymousId: 'v1', userId: 'ana', merged: 0 });
    expect(await raw.resolveAnonymous(WS, 'v1')).toBe('ana');
  });
});

describe('subjectOf', () => {
  it('is the user, else the visitor’s linked user, else the marked visitor; one id is required', async () => {
    expect(await ingest.subjectOf(WS, { userId: 'ana', anonymousId: 'v1' })).toBe('ana');
    expect(await ingest.subjectOf(WS, { anonymousId: 'v1' })).toBe('anon:v1');
    await raw.linkIdentity(WS, 'v1', 'ana', now);
    expect(await ingest.subjectOf(WS, { anonymousId: 'v1' })).toBe('ana');
    expect(await ingest.subjectOf(WS, { userId: null, anonymousId: 'v1' })).toBe('ana');
    for (const ids of [{}, { userId: null, anonymousId: null }, { userId: '', anonymousId: '' }]) {
      expect(await afinError(ingest.subjectOf(WS, ids))).toMatchObject({
        code: 'invalid_query',
        field: 'userId',
        message: 'userId or anonymousId is required',
      });
    }
  });
});

describe('postEvents', () => {
  beforeEach(async () => {
    await ingest.putItems(WS, [item('i1', { price: 10, categories: ['shoes'] }), item('i2', { price: 20, categories: ['hats'] })]);
  });

  it('stores each field as sent, and fills the missing ones', async () => {
    const r = await ingest.postEvents(WS, [
      {
        messageId: 'm1',
        type: 'rating',
        userId: 'ana',
        anonymousId: 'v9',
        itemId: 'i1',
        value: 4,
        channel: 'web',
        recommendationId: 'rec1',
        variant: 'B',
        timestamp: START - 1000,
        properties: { size: 42 },
      },
      { type: 'search', anonymousId: 'v2', query: 'red shoes' },
    ]);
    expect(r).toEqual({ accepted: 2, duplicates: 0, rejected: [] });
    expect(await raw.eventsOf(WS, 'ana')).toEqual([
      {
        messageId: 'm1',
        type: 'rating',
        subject: 'ana',
        userId: 'ana',
        anonymousId: 'v9',
        itemId: 'i1',
        value: 4,
        query: null,
        channel: 'web',
        recommendationId: 'rec1',
        variant: 'B',
        timestamp: START - 1000,
        receivedAt: START,
        properties: { size: 42 },
      },
    ]);
    const [anon] = await raw.eventsOf(WS, 'anon:v2');
    expect(anon).toEqual({
      messageId: anon.messageId,
      type: 'search',
      subject: 'anon:v2',
      userId: null,
      anonymousId: 'v2',
      itemId: null,
      value: null,
      query: 'red shoes',
      channel: null,
      recommendationId: null,
      variant: null,
      timestamp: START,
      receivedAt: START,
      properties: null,
    });
    expect(anon.messageId).toMatch(/^evt_[0-9a-f-]{36}$/);
  });

  it('reads an ISO timestamp as epoch milliseconds', async () => {
    await ingest.postEvents(WS, [{ type: 'view', userId: 'ana', itemId: 'i1', timestamp: '2026-01-01T00:00:00Z' }]);
    expect((await raw.eventsOf(WS, 'ana'))[0].timestamp).toBe(Date.UTC(2026, 0, 1));
  });

  it('rejects invalid events by index and keeps the valid ones', async () => {
    const r = await ingest.postEvents(WS, [
      { type: 'view', userId: 'ana' },
      { type: 'view', userId: 'ana', itemId: 'i1' },
      { type: 'rating', userId: 'ana', itemId: 'i1', value: 9 },
    ]);
    expect(r.accepted).toBe(1);
    expect(r.rejected).toEqual([
      { index: 0, field: '[0].itemId', error: '[0].itemId: itemId is required for a view event' },
      { index: 2, field: '[2].value', error: '[2].value: a rating is 1 to 5' },
    ]);
    expect(r).not.toHaveProperty('suppressed');
  });

  it('accepts events up to a day ahead of the clock and refuses later ones', async () => {
    const r = await ingest.postEvents(WS, [
      { messageId: 'ok', type: 'view', userId: 'ana', itemId: 'i1', timestamp: START + DAY },
      { messageId: 'late', type: 'view', userId: 'ana', itemId: 'i1', timestamp: START + DAY + 1 },
      { messageId: 'past', type: 'view', userId: 'ana', itemId: 'i1', timestamp: START - 2 * DAY },
    ]);
    expect(r).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [{ index: 1, field: '[1].timestamp', error: '[1].timestamp: more than a day in the future (epoch milliseconds expected)' }],
    });
    expect((await raw.eventsOf(WS, 'ana')).map((e) => e.messageId).sort()).toEqual(['ok', 'past']);
  });

  it('counts a messageId already stored as a duplicate, in the same batch or a later one', async () => {
    const e = { messageId: 'm1', type: 'view', userId: 'ana', itemId: 'i1' };
    expect(await ingest.postEvents(WS, [e, e])).toEqual({ accepted: 1, duplicates: 1, rejected: [] });
    expect(await ingest.postEvents(WS, e)).toEqual({ accepted: 0, duplicates: 1, rejected: [] });
    expect(await raw.eventsOf(WS, 'ana')).toHaveLength(1);
  });

  it('stores nothing and answers zeros when no event is valid', async () => {
    expect(await ingest.postEvents(WS, [{ type: 'nope' }])).toMatchObject({ accepted: 0, duplicates: 0 });
    expect(await ingest.postEvents(WS, [])).toEqual({ accepted: 0, duplicates: 0, rejected: [] });
    expect(spy.called('ingestEvents')).toEqual([]);
  });

  it('drops the events of an erased person and says how many', async () => {
    erasedIds = new Set(['gone', 'anon:ghost']);
    const r = await ingest.postEvents(WS, [
      { type: 'view', userId: 'gone', itemId: 'i1' },
      { type: 'view', anonymousId: 'ghost', itemId: 'i1' },
      { type: 'view', userId: 'ana', itemId: 'i1' },
      { type: 'view', userId: 'gone', anonymousId: 'v3', itemId: 'i1' },
    ]);
    expect(r).toEqual({ accepted: 1, duplicates: 0, rejected: [], suppressed: 3 });
    expect(await raw.eventsOf(WS, 'gone')).toEqual([]);
    expect(await raw.eventsOf(WS, 'anon:ghost')).toEqual([]);
    // The erased person's late event does not link a visitor to them either.
    expect(await raw.resolveAnonymous(WS, 'v3')).toBeNull();
  });

  describe('identity', () => {
    it('files a linked visitor’s events under the user', async () => {
      await raw.linkIdentity(WS, 'v1', 'ana', now);
      await ingest.postEvents(
        WS,
        [
          { type: 'view', anonymousId: 'v1', itemId: 'i1' },
          { type: 'view', userId: 'bo', itemId: 'i1' },
          { type: 'view', anonymousId: 'v2', itemId: 'i2' },
        ],
        { link: false },
      );
      expect((await raw.eventsOf(WS, 'ana')).map((e) => e.itemId)).toEqual(['i1']);
      expect((await raw.eventsOf(WS, 'anon:v2')).map((e) => e.itemId)).toEqual(['i2']);
      // Asked once for the whole batch, only about visitors without a user id.
      expect(spy.called('resolveAnonymousMany').map((c) => c.args[1])).toEqual([['v1', 'v2']]);
      expect(spy.called('resolveAnonymous')).toEqual([]);
    });

    it('links a visitor to the user an event names with both ids, merging the visitor’s history and profile', async () => {
      await ingest.postEvents(WS, [{ type: 'view', anonymousId: 'v1', itemId: 'i1', timestamp: START - 2000 }]);
      expect(await raw.getProfile(WS, 'anon:v1')).not.toBeNull();
      now = START + 10;
      await ingest.postEvents(WS, [{ type: 'purchase', userId: 'ana', anonymousId: 'v1', itemId: 'i2' }]);
      expect(await raw.resolveAnonymous(WS, 'v1')).toBe('ana');
      expect((await raw.eventsOf(WS, 'ana')).map((e) => e.itemId)).toEqual(['i1', 'i2']);
      expect(await raw.eventsOf(WS, 'anon:v1')).toEqual([]);
      expect(await raw.getProfile(WS, 'anon:v1')).toBeNull();
      await expectProfileRebuiltFromEvents('ana');
      const [link] = spy.called('linkIdentities');
      expect(link.args[1]).toEqual([{ anonymousId: 'v1', userId: 'ana', from: 'anon:v1' }]);
      expect(link.args[2]).toBe(START + 10);
    });

    it('links only when the caller is trusted to', async () => {
      await ingest.postEvents(WS, [{ type: 'view', anonymousId: 'v1', itemId: 'i1' }]);
      await ingest.postEvents(WS, [{ type: 'view', userId: 'ana', anonymousId: 'v1', itemId: 'i2' }], { link: false });
      expect(await raw.resolveAnonymous(WS, 'v1')).toBeNull();
      expect((await raw.eventsOf(WS, 'anon:v1')).map((e) => e.itemId)).toEqual(['i1']);
      expect(spy.called('linkIdentities')).toEqual([]);
      await ingest.postEvents(WS, [{ type: 'view', userId: 'ana', anonymousId: 'v1', itemId: 'i2' }], {});
      expect(await raw.resolveAnonymous(WS, 'v1')).toBe('ana');
    });

    it('links all of a batch’s visitors in one call, and leaves links that already hold alone', async () => {
      await ingest.postEvents(WS, [{ type: 'view', userId: 'ana', anonymousId: 'v1', itemId: 'i1' }]);
      expect(spy.called('linkIdentities')).toHaveLength(1);
      await ingest.postEvents(WS, [
        { type: 'view', userId: 'ana', anonymousId: 'v1', itemId: 'i1' },
        { type: 'view', userId: 'bo', anonymousId: 'v2', itemId: 'i1' },
        { type: 'view', userId: 'carla', anonymousId: 'v3', itemId: 'i1' },
        { type: 'view', userId: 'dan', anonymousId: 'v3', itemId: 'i1' }, // the last link of a visitor in a batch wins
      ]);
      const calls = spy.called('linkIdentities');
      expect(calls).toHaveLength(2);
      expect(calls[1].args[1]).toEqual([
        { anonymousId: 'v2', userId: 'bo', from: 'anon:v2' },
        { anonymousId: 'v3', userId: 'dan', from: 'anon:v3' },
      ]);
      // A batch whose links all hold already makes no link call at all.
      await ingest.postEvents(WS, [{ type: 'view', userId: 'bo', anonymousId: 'v2', itemId: 'i2' }]);
      expect(spy.called('linkIdentities')).toHaveLength(2);
    });

    it('rebuilds the profile only of users who gained events by a link', async () => {
      await ingest.postEvents(WS, [{ type: 'view', anonymousId: 'v1', itemId: 'i1', timestamp: START - 5000 }]);
      const before = spy.called('eventsOf').length;
      await ingest.postEvents(WS, [
        { type: 'view', userId: 'ana', anonymousId: 'v1', itemId: 'i2' },
        { type: 'view', userId: 'bo', anonymousId: 'v2', itemId: 'i2' },
      ]);
      expect(
        spy
          .called('eventsOf')
          .slice(before)
          .map((c) => c.args[1]),
      ).toEqual(['ana']);
      await expectProfileRebuiltFromEvents('ana');
      await expectProfileRebuiltFromEvents('bo');
    });
  });

  describe('profiles', () => {
    it('keeps each person’s profile equal to one rebuilt from their events, batch after batch', async () => {
      await ingest.postEvents(WS, [
        { type: 'view', userId: 'ana', itemId: 'i1', timestamp: START - 3000 },
        { type: 'view', userId: 'bo', itemId: 'i2', timestamp: START - 2500 },
        { type: 'purchase', userId: 'ana', itemId: 'i2', timestamp: START - 4000 },
      ]);
      await ingest.postEvents(WS, [
        { type: 'add_to_cart', userId: 'ana', itemId: 'i1', timestamp: START - 1000 },
        { type: 'purchase', userId: 'bo', itemId: 'i1', timestamp: START - 500 },
      ]);
      await expectProfileRebuiltFromEvents('ana');
      await expectProfileRebuiltFromEvents('bo');
    });

    it('profiles only the people whose consent allows it', async () => {
      profilingAllowed = (s) => s !== 'bo';
      await ingest.postEvents(WS, [
        { type: 'view', userId: 'ana', itemId: 'i1' },
        { type: 'view', userId: 'bo', itemId: 'i1' },
      ]);
      await expectProfileRebuiltFromEvents('ana');
      expect(await raw.getProfile(WS, 'bo')).toBeNull();
      expect(await raw.eventsOf(WS, 'bo')).toHaveLength(1);
    });
  });
});

describe('rebuildProfile', () => {
  beforeEach(async () => {
    await ingest.putItems(WS, [item('i1', { price: 10 })]);
  });

  it('recomputes a profile from the stored events', async () => {
    await raw.insertEvents(WS, [storedView('ana', 'e1'), storedView('ana', 'e2')]);
    await ingest.rebuildProfile(WS, 'ana');
    await expectProfileRebuiltFromEvents('ana');
  });

  it('deletes the profile of someone without events, or whose consent no longer allows one', async () => {
    await raw.putProfiles(WS, [
      { subject: 'nobody', profile: { version: 1 } },
      { subject: 'ana', profile: { version: 1 } },
    ]);
    await raw.insertEvents(WS, [storedView('ana', 'e1')]);
    await ingest.rebuildProfile(WS, 'nobody');
    expect(await raw.getProfile(WS, 'nobody')).toBeNull();
    expect((await raw.getProfiles(WS, ['nobody'])).size).toBe(0); // no row at all, not a null profile
    profilingAllowed = () => false;
    await ingest.rebuildProfile(WS, 'ana');
    expect(await raw.getProfile(WS, 'ana')).toBeNull();
  });
});

function storedView(subject: string, messageId: string): StoredEvent {
  return storedEvent(messageId, subject, { timestamp: START - 100, receivedAt: START });
}

describe('putUser', () => {
  it('stores traits at the clock’s time and refuses an invalid body', async () => {
    now = START + 7;
    expect(await ingest.putUser(WS, 'ana', { traits: { name: 'Ana', vip: true } })).toEqual({
      id: 'ana',
      traits: { name: 'Ana', vip: true },
      createdAt: START + 7,
      updatedAt: START + 7,
    });
    expect(await afinError(ingest.putUser(WS, 'ana', { name: 'Ana' }))).toMatchObject({ code: 'invalid_body' });
  });
});

describe('alias', () => {
  it('links a visitor to a user, merging the visitor’s events, and says how many moved', async () => {
    await ingest.putItems(WS, [item('i1')]);
    await ingest.postEvents(WS, [
      { type: 'view', anonymousId: 'v1', itemId: 'i1' },
      { type: 'click', anonymousId: 'v1', itemId: 'i1' },
    ]);
    expect(await ingest.alias(WS, { anonymousId: 'v1', userId: 'ana' })).toEqual({ anonymousId: 'v1', userId: 'ana', merged: 2 });
    expect(await raw.eventsOf(WS, 'ana')).toHaveLength(2);
    await expectProfileRebuiltFromEvents('ana');
    expect(await ingest.alias(WS, { anonymousId: 'v1', userId: 'ana' })).toEqual({ anonymousId: 'v1', userId: 'ana', merged: 0 });
  });

  it('does nothing for an erased user or an erased visitor', async () => {
    erasedIds = new Set(['gone', 'anon:ghost']);
    expect(await ingest.alias(WS, { anonymousId: 'v1', userId: 'gone' })).toEqual({ anonymousId: 'v1', userId: 'gone', merged: 0 });
    expect(await ingest.alias(WS, { anonymousId: 'ghost', userId: 'ana' })).toEqual({ anonymousId: 'ghost', userId: 'ana', merged: 0 });
    expect(await raw.resolveAnonymous(WS, 'v1')).toBeNull();
    expect(await raw.resolveAnonymous(WS, 'ghost')).toBeNull();
  });

  it('refuses an invalid body', async () => {
    expect(await afinError(ingest.alias(WS, { anonymousId: 'v1', userId: 'anon:x' }))).toMatchObject({ code: 'invalid_body', field: 'userId' });
  });
});
