import { afterEach, beforeEach, describe, expect, it, vi, type Mock } from 'vitest';
import { AfinError } from '../../src/domain/errors.ts';
import type { EventType, StoredEvent, StoredItem } from '../../src/domain/schemas.ts';
import { buildProfile, viewProfile } from '../../src/profile/profile.ts';
import { ConsentService, type ConsentState } from '../../src/privacy/consent.ts';
import { PrivacyService, type PrivacyDeps, type PrivacyLog, type PrivacyOptions } from '../../src/privacy/privacy-service.ts';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.ts';
import type { Store } from '../../src/store/store.ts';
import { storedEvent } from '../stored-event.ts';

/**
 * Consent changes, objection, export and erasure straight on an in-memory SQLite store, without the
 * HTTP app. Fast enough to run against every mutant of src/privacy/privacy-service.ts (issue 11,
 * mutation testing); test/privacy/erasure*.test.ts check the bytes on disk through the routes.
 */
const WS = 'shop';
const START = Date.UTC(2026, 0, 15, 12);
const DEFAULTS: ConsentState = { personalization: true, profiling: true, marketing: false, chatMemory: true };
let now = START;
const clock = () => now;

let raw: SqliteStore;
let consent: ConsentService;
type Flush = () => Promise<void>;
type Forget = (ws: string, subjects: string[]) => Promise<void>;
type Retrain = (ws: string) => Promise<unknown>;
let recLog: { flush: Mock<Flush>; forget: Mock<Forget>; maxPerWorkspace: number };
let invalidated: string[];
let retrain: Mock<Retrain>;
let warnings: Array<{ obj: object; msg: string }>;
const log: PrivacyLog = { warn: (obj, msg) => warnings.push({ obj, msg }) };

function makePrivacy(store: Store = raw, opts: PrivacyOptions = {}, deps: Partial<PrivacyDeps> = {}): PrivacyService {
  return new PrivacyService(
    { store, clock, consent, recommendationLog: recLog, priceTerciles: async () => [5, 15], invalidate: (ws) => invalidated.push(ws), retrain, ...deps },
    { log, ...opts },
  );
}

beforeEach(async () => {
  now = START;
  raw = new SqliteStore(':memory:');
  await raw.migrate();
  consent = new ConsentService(raw, DEFAULTS, clock);
  recLog = { flush: vi.fn<Flush>(async () => undefined), forget: vi.fn<Forget>(async () => undefined), maxPerWorkspace: 777 };
  invalidated = [];
  retrain = vi.fn<Retrain>(async () => undefined);
  warnings = [];
});
afterEach(async () => {
  vi.useRealTimers();
  await raw.close();
});

const ITEMS: StoredItem[] = [
  { id: 'i1', title: 'Shoe', price: 10, categories: ['shoes'], available: true, updatedAt: 0 },
  { id: 'i2', title: 'Hat', price: 20, categories: ['hats'], available: true, updatedAt: 0 },
];

let seq = 0;
function event(subject: string, type: EventType, timestamp: number, extra: Partial<StoredEvent> = {}): StoredEvent {
  const anon = subject.startsWith('anon:');
  return storedEvent(`m${++seq}`, subject, {
    type,
    userId: anon ? null : subject,
    anonymousId: anon ? subject.slice(5) : null,
    itemId: type === 'chat' ? null : 'i1',
    query: type === 'chat' ? 'my words' : null,
    timestamp,
    receivedAt: timestamp,
    ...extra,
  });
}

/** Ana (with two linked visitors, v1 and v2), and Bo, each with events, profiles, chats and documents. */
async function seedPeople() {
  await raw.upsertItems(WS, ITEMS);
  const evs = [
    event('ana', 'view', START - 3000),
    event('ana', 'chat', START - 2500),
    event('anon:v1', 'purchase', START - 4000, { itemId: 'i2' }),
    event('anon:v1', 'chat', START - 3500),
    event('anon:v2', 'view', START - 1000),
    event('bo', 'view', START - 2000),
    event('bo', 'chat', START - 1500),
  ];
  await raw.insertEvents(WS, evs);
  await raw.linkIdentity(WS, 'v1', 'ana', START - 100);
  await raw.linkIdentity(WS, 'v2', 'ana', START - 100);
  const itemOf = (id: string) => ITEMS.find((i) => i.id === id);
  const profileOf = (s: string) =>
    buildProfile(
      evs.filter((e) => e.subject === s),
      itemOf,
    ) as unknown as Record<string, unknown>;
  await raw.putProfiles(
    WS,
    ['ana', 'anon:v1', 'anon:v2', 'bo'].map((subject) => ({ subject, profile: profileOf(subject) })),
  );
  await raw.putDocs(WS, [
    { collection: 'chat_session', id: 's-ana', subject: 'ana', body: { said: 'hello' }, createdAt: START - 900 },
    { collection: 'chat_session', id: 's-v1', subject: 'anon:v1', body: { said: 'hi' }, createdAt: START - 800 },
    { collection: 'chat_session', id: 's-bo', subject: 'bo', body: { said: 'hey' }, createdAt: START - 700 },
    { collection: 'chat_memory', id: 'ana', subject: 'ana', body: { likes: 'hats' }, createdAt: START - 600 },
    { collection: 'chat_memory', id: 'bo', subject: 'bo', body: { likes: 'shoes' }, createdAt: START - 600 },
    { collection: 'recommendation', id: 'r-ana', subject: 'ana', body: { items: ['i1'] }, createdAt: START - 500 },
  ]);
  await raw.putUser(WS, 'ana', { name: 'Ana' }, START - 50);
  return { evs, profileOf };
}

const typesOf = async (subject: string) => (await raw.eventsOf(WS, subject)).map((e) => e.type).sort();

describe('setConsent', () => {
  it('withdrawing profiling deletes the profiles of the person and their linked visitors, and audits it', async () => {
    await seedPeople();
    const privacy = makePrivacy();
    const r = await privacy.setConsent(WS, 'ana', { profiling: false, policyVersion: 'p2' }, { keyId: 'key_1', source: 'banner' });
    expect(r).toMatchObject({ userId: 'ana', profiling: false, personalization: true });
    expect(r.history.at(-1)).toMatchObject({ source: 'banner', policyVersion: 'p2', purposes: { profiling: false } });
    for (const s of ['ana', 'anon:v1', 'anon:v2']) expect(await raw.getProfile(WS, s)).toBeNull();
    expect(await raw.getProfile(WS, 'bo')).not.toBeNull();
    const [entry] = await privacy.audit.about(WS, 'ana');
    expect(entry).toMatchObject({
      actor: { keyId: 'key_1', source: 'banner' },
      action: 'consent.update',
      detail: { purposes: { profiling: false }, source: 'banner', policyVersion: 'p2', profilesDeleted: 3, chatForgotten: 0 },
    });
    // Chats are kept while chatMemory stays on.
    expect(await typesOf('ana')).toEqual(['chat', 'view']);
  });

  it('keeps the profiles while profiling is allowed, with the API as the default source', async () => {
    await seedPeople();
    const privacy = makePrivacy();
    await privacy.setConsent(WS, 'ana', { marketing: true }, {});
    expect(await raw.getProfile(WS, 'ana')).not.toBeNull();
    expect(await raw.getProfile(WS, 'anon:v1')).not.toBeNull();
    const [entry] = await privacy.audit.about(WS, 'ana');
    expect(entry.detail).toEqual({ purposes: { marketing: true }, source: 'api', policyVersion: null, profilesDeleted: 0, chatForgotten: 0 });
  });

  it('withdrawing chatMemory forgets past conversations at once: chat events, transcripts and memory', async () => {
    await seedPeople();
    const privacy = makePrivacy();
    await privacy.setConsent(WS, 'ana', { chatMemory: false }, { source: 'chat' });
    expect(await typesOf('ana')).toEqual(['view']);
    expect(await typesOf('anon:v1')).toEqual(['purchase']);
    expect(await raw.getDoc(WS, 'chat_session', 's-ana')).toBeNull();
    expect(await raw.getDoc(WS, 'chat_session', 's-v1')).toBeNull();
    expect(await raw.getDoc(WS, 'chat_memory', 'ana')).toBeNull();
    // Bo's, and Ana's other documents, stay.
    expect(await typesOf('bo')).toEqual(['chat', 'view']);
    expect(await raw.getDoc(WS, 'chat_session', 's-bo')).not.toBeNull();
    expect(await raw.getDoc(WS, 'chat_memory', 'bo')).not.toBeNull();
    expect(await raw.getDoc(WS, 'recommendation', 'r-ana')).not.toBeNull();
    expect(await raw.getProfile(WS, 'ana')).not.toBeNull();
    const [entry] = await privacy.audit.about(WS, 'ana');
    expect(entry.detail).toMatchObject({ profilesDeleted: 0, chatForgotten: 5 }); // 2 chat events, 2 transcripts, 1 memory
  });

  it('giving chatMemory forgets nothing', async () => {
    await seedPeople();
    const privacy = makePrivacy();
    await privacy.setConsent(WS, 'ana', { chatMemory: true }, {});
    expect(await typesOf('ana')).toEqual(['chat', 'view']);
    expect(await raw.getDoc(WS, 'chat_memory', 'ana')).not.toBeNull();
  });

  it('finds every transcript of a person, beyond the store’s default page', async () => {
    await raw.putDocs(
      WS,
      Array.from({ length: 1001 }, (_, i) => ({ collection: 'chat_session', id: `s${i}`, subject: 'ana', body: {}, createdAt: START + i })),
    );
    await makePrivacy().setConsent(WS, 'ana', { chatMemory: false }, {});
    expect(await raw.listDocs(WS, 'chat_session', { subject: 'ana', limit: 5000 })).toEqual([]);
  });
});

describe('object', () => {
  it('turns profiling, personalization and marketing off in one call and deletes the profiles', async () => {
    await seedPeople();
    const privacy = makePrivacy();
    const r = await privacy.object(WS, 'ana', undefined, {});
    expect(r).toMatchObject({ personalization: false, profiling: false, marketing: false, chatMemory: true, policyVersion: null });
    expect(r.history.at(-1)).toMatchObject({ source: 'objection', purposes: { personalization: false, profiling: false, marketing: false } });
    for (const s of ['ana', 'anon:v1', 'anon:v2']) expect(await raw.getProfile(WS, s)).toBeNull();
    const [entry] = await privacy.audit.about(WS, 'ana');
    expect(entry).toMatchObject({ action: 'consent.objection', detail: { profilesDeleted: 3, source: 'objection' } });
  });

  it('takes the source from the body, else the caller, and a policy version when given', async () => {
    const privacy = makePrivacy();
    const a = await privacy.object(WS, 'ana', { source: 'form', policyVersion: 'v3', reason: 'no thanks' }, { source: 'chat' });
    expect(a.history.at(-1)).toMatchObject({ source: 'form', policyVersion: 'v3' });
    expect((await privacy.audit.about(WS, 'ana'))[0].detail).toEqual({ profilesDeleted: 0, source: 'form' });
    const b = await privacy.object(WS, 'bo', {}, { source: 'chat' });
    expect(b.history.at(-1)).toMatchObject({ source: 'chat', policyVersion: null });
    expect((await privacy.audit.about(WS, 'bo'))[0].detail).toEqual({ profilesDeleted: 0, source: 'chat' });
  });

  it('refuses unknown fields', async () => {
    const e = await makePrivacy()
      .object(WS, 'ana', { profiling: true }, {})
      .then(
        () => null,
        (err: unknown) => err,
      );
    expect(e).toBeInstanceOf(AfinError);
    expect(e).toMatchObject({ code: 'invalid_body' });
    expect(await raw.consentHistory(WS, 'ana')).toEqual([]);
  });
});

describe('export', () => {
  it('gives everything held about the person and their visitors, in time order, after flushing the log', async () => {
    const { evs, profileOf } = await seedPeople();
    const privacy = makePrivacy();
    await privacy.setConsent(WS, 'ana', { marketing: true }, { source: 'banner' });
    now = START + 60_000;
    let flushedBeforeReading = false;
    recLog.flush.mockImplementation(async () => {
      flushedBeforeReading = (await raw.getDoc(WS, 'recommendation', 'late')) === null;
      await raw.putDocs(WS, [{ collection: 'recommendation', id: 'late', subject: 'ana', body: {}, createdAt: START + 1 }]);
    });
    const x = await privacy.export(WS, 'ana');
    expect(flushedBeforeReading).toBe(true);
    expect(x.format).toBe('afin-export/1');
    expect(x.userId).toBe('ana');
    expect(x.exportedAt).toBe(new Date(START + 60_000).toISOString());
    expect(x.user).toMatchObject({ id: 'ana', traits: { name: 'Ana' } });
    expect(x.anonymousIds.sort()).toEqual(['v1', 'v2']);
    expect(x.consent).toEqual(await consent.record(WS, 'ana'));
    const ana = evs.filter((e) => ['ana', 'anon:v1', 'anon:v2'].includes(e.subject)).sort((a, b) => a.timestamp - b.timestamp);
    expect(x.events).toEqual(ana.map((e) => ({ ...e, timestamp: new Date(e.timestamp).toISOString(), receivedAt: new Date(e.receivedAt).toISOString() })));
    const profile = JSON.parse(JSON.stringify(profileOf('ana')));
    expect(x.profile).toEqual({ raw: profile, view: viewProfile(profile, START + 60_000, { terciles: [5, 15] }) });
    expect(x.documents.map((d) => d.id).sort()).toEqual(['ana', 'late', 'r-ana', 's-ana', 's-v1']);
    expect(x.documents.find((d) => d.id === 's-v1')).toEqual({
      collection: 'chat_session',
      id: 's-v1',
      createdAt: new Date(START - 800).toISOString(),
      body: { said: 'hi' },
    });
    expect(x.collections).toEqual({ chat_session: 2, chat_memory: 1, recommendation: 2 });
    expect(x.audit).toEqual(await privacy.audit.about(WS, 'ana'));
    expect(x.audit).toHaveLength(1);
  });

  it('of someone unknown is empty', async () => {
    const x = await makePrivacy().export(WS, 'nobody');
    expect(x).toMatchObject({ user: null, anonymousIds: [], profile: { raw: null, view: null }, events: [], documents: [], collections: {}, audit: [] });
  });
});

describe('erase', () => {
  it('deletes the person and their visitors everywhere, suppresses their ids, and reports the counts', async () => {
    await seedPeople();
    const privacy = makePrivacy();
    await privacy.setConsent(WS, 'ana', { marketing: true }, {});
    await privacy.audit.record(WS, { actor: {}, action: 'other', userId: 'ana' });
    const report = await privacy.erase(WS, 'ana', { keyId: 'key_admin' });
    expect(report).toEqual({ events: 5, documents: 4, profiles: 3, links: 2, consent: 1, user: true, auditEntries: 2 });
    for (const s of ['ana', 'anon:v1', 'anon:v2']) {
      expect(await raw.eventsOf(WS, s)).toEqual([]);
      expect(await raw.getProfile(WS, s)).toBeNull();
      expect(await raw.docsOfSubject(WS, s)).toEqual([]);
    }
    expect(await raw.anonymousIdsOf(WS, 'ana')).toEqual([]);
    expect(await raw.consentHistory(WS, 'ana')).toEqual([]);
    expect(await raw.getUser(WS, 'ana')).toBeNull();
    // Bo is untouched.
    expect(await raw.eventsOf(WS, 'bo')).toHaveLength(2);
    expect(await raw.getProfile(WS, 'bo')).not.toBeNull();
    // Late events for any of the ids are dropped from now on.
    const erased = await privacy.suppression.checker(WS);
    expect([erased({ userId: 'ana' }), erased({ anonymousId: 'v1' }), erased({ anonymousId: 'v2' }), erased({ userId: 'bo' })]).toEqual([
      true,
      true,
      true,
      false,
    ]);
    // The erasure itself is the one audit entry left about them.
    const entries = await privacy.audit.about(WS, 'ana');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: { keyId: 'key_admin' }, action: 'user.erase', detail: { ...report, anonymousIds: 2 } });
    // What the recommendation log still buffers about them goes, before and after the deletes.
    expect(recLog.forget.mock.calls).toEqual([
      [WS, ['ana', 'anon:v1', 'anon:v2']],
      [WS, ['ana', 'anon:v1', 'anon:v2']],
    ]);
    expect(invalidated).toEqual([WS]);
    expect(warnings).toEqual([]);
  });

  it('deletes the documents written about them while it was deleting', async () => {
    await seedPeople();
    const racing = new Proxy(raw, {
      get(t, prop, receiver) {
        const v = Reflect.get(t, prop, receiver);
        if (prop === 'deleteUser') {
          return async (...args: [string, string]) => {
            // A recommendation log flushed in the middle of the erasure.
            await t.putDocs(WS, [{ collection: 'recommendation', id: 'r-late', subject: 'anon:v2', body: {}, createdAt: START }]);
            return t.deleteUser(...args);
          };
        }
        return typeof v === 'function' ? v.bind(t) : v;
      },
    }) as Store;
    const report = await makePrivacy(racing).erase(WS, 'ana', {});
    expect(await raw.getDoc(WS, 'recommendation', 'r-late')).toBeNull();
    expect(report.documents).toBe(5);
    expect(
      await makePrivacy()
        .audit.about(WS, 'ana')
        .then((a) => a[0].detail),
    ).toMatchObject({ documents: 5 });
  });

  it('of someone unknown deletes nothing and reports zeros', async () => {
    const report = await makePrivacy().erase(WS, 'nobody', {});
    expect(report).toEqual({ events: 0, documents: 0, profiles: 0, links: 0, consent: 0, user: false, auditEntries: 0 });
    expect(invalidated).toEqual([WS]);
  });

  it('warns on stderr when no log is given', async () => {
    const stuck = new Proxy(raw, {
      get(t, prop, receiver) {
        if (prop === 'scrubDeleted') return async () => false;
        const v = Reflect.get(t, prop, receiver);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    }) as Store;
    const privacy = new PrivacyService({
      store: stuck,
      clock,
      consent,
      recommendationLog: recLog,
      priceTerciles: async () => null,
      invalidate: () => undefined,
      retrain,
    });
    const written: string[] = [];
    const write = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      await privacy.erase(WS, 'ana', {});
    } finally {
      write.mockRestore();
    }
    expect(written).toEqual([expect.stringMatching(/^afin: erasure: the SQLite WAL could not be checkpointed.* \{"workspace":"shop"\}\n$/)]);
  });

  it('warns when the deleted rows could not be scrubbed from the files yet', async () => {
    const stuck = new Proxy(raw, {
      get(t, prop, receiver) {
        if (prop === 'scrubDeleted') return async () => false;
        const v = Reflect.get(t, prop, receiver);
        return typeof v === 'function' ? v.bind(t) : v;
      },
    }) as Store;
    await makePrivacy(stuck).erase(WS, 'ana', {});
    expect(warnings).toEqual([{ obj: { workspace: WS }, msg: expect.stringMatching(/^erasure: the SQLite WAL could not be checkpointed/) }]);
  });

  describe('retraining after an erasure', () => {
    const withModel = () => raw.putBlob(WS, 'model:ease', new Uint8Array([1]), {}, START);

    beforeEach(() => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    });

    async function eraseSomeoneWithEvents(privacy: PrivacyService, userId = 'ana') {
      await raw.insertEvents(WS, [event(userId, 'view', START - 10)]);
      await privacy.erase(WS, userId, {});
    }

    it('retrains a minute later by default, once for erasures close together, and audits it', async () => {
      await withModel();
      const privacy = makePrivacy(raw, { retrainAfterErasureMs: undefined });
      await eraseSomeoneWithEvents(privacy, 'ana');
      vi.advanceTimersByTime(30_000);
      await eraseSomeoneWithEvents(privacy, 'bo');
      vi.advanceTimersByTime(29_999);
      expect(retrain).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      await privacy.retrainPending;
      expect(retrain.mock.calls).toEqual([[WS]]);
      const [entry] = await privacy.audit.list(WS, { limit: 1 });
      expect(entry).toMatchObject({ actor: { source: 'erasure' }, action: 'models.retrain', detail: { reason: 'erasure' } });
      // Another erasure later schedules another retrain.
      await eraseSomeoneWithEvents(privacy, 'carla');
      vi.advanceTimersByTime(60_000);
      await privacy.retrainPending;
      expect(retrain).toHaveBeenCalledTimes(2);
    });

    it('waits as long as configured, and never when that is null', async () => {
      await withModel();
      const soon = makePrivacy(raw, { retrainAfterErasureMs: 10 });
      await eraseSomeoneWithEvents(soon);
      vi.advanceTimersByTime(10);
      await soon.retrainPending;
      expect(retrain).toHaveBeenCalledTimes(1);
      const never = makePrivacy(raw, { retrainAfterErasureMs: null });
      await eraseSomeoneWithEvents(never, 'bo');
      expect(vi.getTimerCount()).toBe(0);
    });

    it('does not retrain when the erasure deleted no event, or the workspace has no model', async () => {
      await raw.putBlob(WS, 'rebuy', new Uint8Array([1]), {}, START); // a blob, but no model
      const privacy = makePrivacy(raw, { retrainAfterErasureMs: 10 });
      await privacy.erase(WS, 'nobody', {});
      expect(vi.getTimerCount()).toBe(0);
      await eraseSomeoneWithEvents(privacy);
      vi.advanceTimersByTime(10);
      await privacy.retrainPending;
      expect(retrain).not.toHaveBeenCalled();
      expect((await privacy.audit.list(WS)).map((e) => e.action)).toEqual(['user.erase', 'user.erase']);
    });

    it('logs and audits a failed retrain, naming the failed models', async () => {
      await withModel();
      const privacy = makePrivacy(raw, { retrainAfterErasureMs: 10 });
      retrain.mockRejectedValueOnce(Object.assign(new Error('x'.repeat(600)), { failed: ['ease'] }));
      await eraseSomeoneWithEvents(privacy);
      vi.advanceTimersByTime(10);
      await privacy.retrainPending;
      expect(warnings).toEqual([{ obj: { workspace: WS, err: 'x'.repeat(600) }, msg: expect.stringMatching(/^retrain after an erasure failed/) }]);
      const [entry] = await privacy.audit.list(WS, { limit: 1 });
      expect(entry).toMatchObject({
        actor: { source: 'erasure' },
        action: 'models.retrain.failed',
        detail: { reason: 'erasure', error: 'x'.repeat(500), failed: ['ease'] },
      });

      retrain.mockRejectedValueOnce('plain failure');
      await eraseSomeoneWithEvents(privacy, 'bo');
      vi.advanceTimersByTime(10);
      await privacy.retrainPending;
      const [second] = await privacy.audit.list(WS, { limit: 1 });
      expect(second.detail).toEqual({ reason: 'erasure', error: 'plain failure' });
    });

    it('logs a failed retrain it could not audit either', async () => {
      await withModel();
      const privacy = makePrivacy(raw, { retrainAfterErasureMs: 10 });
      await eraseSomeoneWithEvents(privacy);
      retrain.mockImplementationOnce(async () => {
        privacy.audit.record = async () => {
          throw new Error('disk full');
        };
        throw new Error('training broke');
      });
      vi.advanceTimersByTime(10);
      await privacy.retrainPending;
      expect(warnings.map((w) => w.obj)).toEqual([
        { workspace: WS, err: 'training broke' },
        { workspace: WS, err: 'Error: disk full' },
      ]);
      expect(warnings[1].msg).toBe('could not audit the failed retrain');
    });

    it('stop() cancels a pending retrain', async () => {
      await withModel();
      const privacy = makePrivacy(raw, { retrainAfterErasureMs: 10 });
      await eraseSomeoneWithEvents(privacy);
      privacy.stop();
      expect(vi.getTimerCount()).toBe(0);
      // A later erasure schedules again.
      await eraseSomeoneWithEvents(privacy, 'bo');
      expect(vi.getTimerCount()).toBe(1);
      privacy.stop();
    });
  });
});

describe('the suppression cache', () => {
  it('keeps another node’s erasures unseen for as long as configured', async () => {
    const mine = makePrivacy(raw, { cacheMaxAgeMs: 5000 });
    const otherNode = makePrivacy(raw);
    expect(await mine.suppression.size(WS)).toBe(0); // cached as empty
    await otherNode.erase(WS, 'ana', {});
    now = START + 4999;
    expect(await mine.suppression.size(WS)).toBe(0);
    now = START + 5000;
    expect(await mine.suppression.size(WS)).toBe(1);
  });
});

describe('settings', () => {
  it('describes each purpose with its regime, and the retention limits', async () => {
    consent = new ConsentService(raw, { personalization: false, profiling: true, marketing: true, chatMemory: false }, clock);
    const privacy = makePrivacy(raw, { retention: { eventMaxAgeDays: 7, auditMaxAgeDays: 365, intervalMs: 1000 } });
    const s = privacy.settings();
    expect(s.purposes.map((p) => [p.purpose, p.default])).toEqual([
      ['personalization', 'opt-in'],
      ['profiling', 'opt-out'],
      ['marketing', 'opt-out'],
      ['chatMemory', 'opt-in'],
    ]);
    expect(s.purposes.every((p) => p.description.length > 10)).toBe(true);
    expect(s.retention).toEqual({
      eventMaxAgeDays: 7,
      auditMaxAgeDays: 365,
      recommendationLogMaxAgeDays: 7,
      recommendationLogMaxPerWorkspace: 777,
      exposureMaxAgeDays: 90,
      lastRun: null,
    });
    const run = await privacy.retention.run();
    expect(privacy.settings().retention.lastRun).toEqual(run);
    privacy.stop();
  });

  it('keeps recommendation logs 30 days when events are kept longer or forever', () => {
    expect(
      makePrivacy(raw, { retention: { eventMaxAgeDays: 90, auditMaxAgeDays: null, intervalMs: 1000 } }).settings().retention.recommendationLogMaxAgeDays,
    ).toBe(30);
    expect(makePrivacy().settings().retention).toEqual({
      eventMaxAgeDays: null,
      auditMaxAgeDays: null,
      recommendationLogMaxAgeDays: 30,
      recommendationLogMaxPerWorkspace: 777,
      exposureMaxAgeDays: 90,
      lastRun: null,
    });
  });
});
