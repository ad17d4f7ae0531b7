import type { Store } from './store.ts';

/** Reads worth keeping per person: they run on every recommendation and chat turn. */
const CACHED = new Set(['eventsOf', 'consentHistory', 'getProfile']);

/** Methods that only read, so they never invalidate anything. */
const READS = /^(get|list|count|scan|resolve|blobInfo|docsOf|keyByHash|readCounters|anonymousIdsOf|consentHistory|eventsOf|hasRootKey)/;

/** Writes known to touch nothing this cache holds. */
const HARMLESS = new Set(['putDocs', 'deleteDoc', 'putBlob', 'deleteBlob', 'bumpCounter', 'touchKey', 'insertKey', 'deleteKey', 'createWorkspace', 'upsertItems', 'deleteItem', 'putUser', 'deleteUser', 'linkIdentity', 'migrate', 'checkpoint', 'close']);

/** For writes that touch cached people, which ones (the rest clear the whole workspace). */
const SUBJECTS: Record<string, (args: any[]) => string[]> = {
  insertEvents: (a) => a[1].map((e: { subject: string }) => e.subject),
  ingestEvents: (a) => a[1].map((e: { subject: string }) => e.subject),
  reassignEvents: (a) => [a[1], a[2]],
  deleteEventsOf: (a) => [a[1]],
  appendConsent: (a) => [a[1]],
  deleteConsent: (a) => [a[1]],
  putProfiles: (a) => a[1].map((p: { subject: string }) => p.subject),
  deleteProfile: (a) => [a[1]],
  deleteIdentityLinks: (a) => [a[1]],
  deleteDocsOfSubject: (a) => [a[1]],
};

/**
 * Wraps a store with a short-lived cache of per-person reads (recent events, consent, profile). A write
 * through this node invalidates what it touches at once (after it commits); writes by other nodes are
 * seen within `maxAgeMs`. Any write it does not know clears the whole workspace, so new store methods
 * are safe by default.
 */
export function cachingStore(inner: Store, maxAgeMs: number, maxEntries = 50_000, clock: () => number = Date.now): Store {
  if (maxAgeMs <= 0) return inner;
  // Person -> (call -> cached answer): a write about a person drops just that person's answers.
  const cache = new Map<string, Map<string, { at: number; value: Promise<unknown> }>>();
  const personKey = (ws: string, subject: unknown) => `${ws}\u0000${String(subject)}`;
  const forget = (ws: string, subjects: string[] | null) => {
    if (subjects) for (const s of subjects) cache.delete(personKey(ws, s));
    else for (const k of cache.keys()) if (k.startsWith(`${ws}\u0000`)) cache.delete(k);
  };
  return new Proxy(inner, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof prop !== 'string' || typeof value !== 'function') return value;
      const fn = value as (...a: unknown[]) => unknown;
      if (CACHED.has(prop)) {
        return (ws: string, subject: string, ...rest: unknown[]) => {
          const pk = personKey(ws, subject);
          const call = `${prop}\u0000${JSON.stringify(rest)}`;
          let person = cache.get(pk);
          const hit = person?.get(call);
          const now = clock();
          if (hit && now - hit.at < maxAgeMs) return hit.value;
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
          else forget(ws, SUBJECTS[prop] ? SUBJECTS[prop](args) : null);
        }
      };
    },
  });
}
