import { ALL_WORKSPACES, type InvalidationBus } from '../bus/bus.ts';
import type { Store } from './store.ts';

/** Reads worth keeping per person: they run on every recommendation and chat turn. */
const CACHED = new Set(['eventsOf', 'consentHistory', 'getProfile', 'getUser']);

/** Methods that only read, so they never invalidate anything. */
const READS = /^(get|list|count|scan|resolve|blobInfo|docsOf|keyByHash|readCounters|anonymousIdsOf|consentHistor|eventsOf|hasRootKey)/;

/** Writes known to touch nothing this cache holds. */
const HARMLESS = new Set([
  'putDocs',
  'deleteDoc',
  'trimDocs',
  'putBlob',
  'deleteBlob',
  'bumpCounter',
  'touchKey',
  'insertKey',
  'deleteKey',
  'createWorkspace',
  'upsertItems',
  'deleteItem',
  'linkIdentity',
  'migrate',
  'checkpoint',
  'scrubDeleted',
  'close',
]);

/** For writes that touch cached people, which ones (the rest clear the whole workspace). */
// biome-ignore lint/suspicious/noExplicitAny: a Store method's arguments, whatever the method (the proxy sees them untyped)
const SUBJECTS: Record<string, (args: any[]) => string[]> = {
  insertEvents: (a) => a[1].map((e: { subject: string }) => e.subject),
  ingestEvents: (a) => a[1].map((e: { subject: string }) => e.subject),
  reassignEvents: (a) => [a[1], a[2]],
  linkIdentities: (a) => a[1].flatMap((l: { from: string; userId: string }) => [l.from, l.userId]),
  deleteEventsOf: (a) => [a[1]],
  appendConsent: (a) => [a[1]],
  deleteConsent: (a) => [a[1]],
  putProfiles: (a) => a[1].map((p: { subject: string }) => p.subject),
  deleteProfile: (a) => [a[1]],
  deleteIdentityLinks: (a) => [a[1]],
  deleteDocsOfSubject: (a) => [a[1]],
  putUser: (a) => [a[1]],
  deleteUser: (a) => [a[1]],
};

/**
 * Writes that change only some reads of the people they name; the person's other cached answers stay.
 * Adding events (and updating profiles) leaves consent as it was (the ingest path asks consent for every
 * person of every batch); a person's traits live apart from their events.
 */
const EVENT_READS = ['eventsOf\u0000', 'getProfile\u0000'];
const USER_READS = ['getUser\u0000'];
const ONLY_READS: Record<string, readonly string[]> = {
  insertEvents: EVENT_READS,
  ingestEvents: EVENT_READS,
  putUser: USER_READS,
  deleteUser: USER_READS,
};

/**
 * Wraps a store with a cache of per-person reads (recent events, consent, profile, traits). A write through
 * this node invalidates what it touches at once (after it commits) and, with a bus, tells the other
 * nodes, whose caches drop the same people; without a bus (or while it is down) other nodes' writes are
 * seen once an entry is older than `maxAgeMs`, which may be a function so that it can be longer while
 * notices flow. Any write it does not know clears the whole workspace, here and on the other nodes, so
 * new store methods are safe by default.
 */
export function cachingStore(
  inner: Store,
  maxAgeMs: number | (() => number),
  maxEntries = 50_000,
  clock: () => number = Date.now,
  bus?: InvalidationBus,
): Store {
  if (typeof maxAgeMs === 'number' && maxAgeMs <= 0 && !bus) return inner;
  const maxAge = typeof maxAgeMs === 'number' ? () => maxAgeMs : maxAgeMs;
  // Person -> (call -> cached answer): a write about a person drops just that person's answers.
  const cache = new Map<string, Map<string, { at: number; value: Promise<unknown> }>>();
  const personKey = (ws: string, subject: unknown) => `${ws}\u0000${String(subject)}`;
  const forget = (ws: string, subjects: readonly string[] | null | undefined, onlyReads?: readonly string[]) => {
    if (ws === ALL_WORKSPACES) cache.clear();
    else if (subjects && onlyReads) {
      for (const s of subjects) {
        const person = cache.get(personKey(ws, s));
        if (person) for (const call of person.keys()) if (onlyReads.some((r) => call.startsWith(r))) person.delete(call);
      }
    } else if (subjects) for (const s of subjects) cache.delete(personKey(ws, s));
    else for (const k of cache.keys()) if (k.startsWith(`${ws}\u0000`)) cache.delete(k);
  };
  bus?.subscribe((n) => {
    if (n.kind === 'people' || n.kind === 'workspace') forget(n.ws, n.kind === 'people' ? n.subjects : null);
  });
  // One wrapper per method, made on its first use: every store call goes through `get`, and a fresh
  // closure per call was garbage on the serving path. Remade if the method itself is replaced.
  const wrappers = new Map<string, { fn: unknown; wrapper: unknown }>();
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      const made = wrappers.get(prop);
      if (made && made.fn === value) return made.wrapper;
      const wrapper = wrap(target, prop, value as (...a: unknown[]) => unknown);
      wrappers.set(prop, { fn: value, wrapper });
      return wrapper;
    },
  });

  function wrap(target: Store, prop: string, fn: (...a: unknown[]) => unknown): unknown {
    if (CACHED.has(prop)) {
      return (ws: string, subject: string, ...rest: unknown[]) => {
        const ttl = maxAge();
        if (ttl <= 0) return fn.call(target, ws, subject, ...rest);
        const pk = personKey(ws, subject);
        const call = `${prop}\u0000${JSON.stringify(rest)}`;
        let person = cache.get(pk);
        const hit = person?.get(call);
        const now = clock();
        if (hit && now - hit.at < ttl) return hit.value;
        const p = Promise.resolve(fn.call(target, ws, subject, ...rest));
        if (!person) {
          cache.set(pk, (person = new Map()));
          if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
        }
        person.set(call, { at: now, value: p });
        p.catch(() => person!.delete(call));
        return p;
      };
    }
    if (READS.test(prop) || HARMLESS.has(prop)) return fn.bind(target);
    return async (...args: unknown[]) => {
      const ws = typeof args[0] === 'string' ? args[0] : null;
      try {
        return await fn.apply(target, args);
      } finally {
        if (ws === null) cache.clear();
        else {
          const subjects = SUBJECTS[prop] ? [...new Set(SUBJECTS[prop](args))] : null;
          forget(ws, subjects, ONLY_READS[prop]);
          if (!subjects) bus?.publish({ ws, kind: 'workspace' });
          else if (subjects.length) bus?.publish({ ws, kind: 'people', subjects });
        }
      }
    };
  }
}
