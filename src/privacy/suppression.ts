import { ANON_PREFIX, isAnonSubject } from '../domain/subjects.ts';
import type { Store } from '../store/store.ts';
import type { Pseudonymizer } from './pseudonym.ts';

const COLLECTION = 'suppression';
const COUNTER = 'suppressions';

interface Entry {
  set: Set<string>;
  version: number;
  checkedAt: number;
}

/**
 * The ids of erased people, kept only as keyed hashes, so that events still in flight for them (a
 * queue, a retrying client) are dropped instead of recreating what was erased, and so that later
 * traffic naming them (a chat message, a recommendation request) is answered without storing anything
 * about them (see ConsentPolicy.erased). Each node caches the list per workspace and reloads it when
 * another node's erasure bumps the store counter.
 */
export class SuppressionList {
  private readonly cache = new Map<string, Promise<Entry>>();
  private readonly checking = new Map<string, Promise<Entry>>();

  constructor(
    private readonly store: Store,
    private readonly pseudonyms: Pseudonymizer,
    private readonly maxAgeMs = 1000,
    private readonly clock: () => number = Date.now,
  ) {}

  private async load(ws: string, version: number): Promise<Entry> {
    if (version === 0) return { set: new Set(), version, checkedAt: this.clock() };
    const docs = await this.store.listDocs(ws, COLLECTION, { limit: 1_000_000_000 });
    return { set: new Set(docs.map((d) => d.id)), version, checkedAt: this.clock() };
  }

  private entry(ws: string): Promise<Entry> {
    const p = this.cache.get(ws);
    if (p) {
      const fresh = p.then((e) => (this.clock() - e.checkedAt < this.maxAgeMs ? e : null));
      return fresh.then((e) => e ?? this.check(ws, p));
    }
    return this.check(ws, undefined);
  }

  /**
   * Reads the counter and, when it moved, the list. One check per workspace at a time: a batch's
   * hundreds of consent checks arriving as the cache turns a second old wait for the same read
   * instead of each reading the store.
   */
  private check(ws: string, p: Promise<Entry> | undefined): Promise<Entry> {
    const running = this.checking.get(ws);
    if (running) return running;
    const run = (async () => {
      const version = (await this.store.readCounters(ws))[COUNTER] ?? 0;
      const e = p ? await p : undefined;
      if (e && version === e.version) {
        e.checkedAt = this.clock();
        return e;
      }
      const next = this.load(ws, version);
      this.cache.set(ws, next);
      next.catch(() => this.cache.delete(ws));
      return next;
    })().finally(() => {
      if (this.checking.get(ws) === run) this.checking.delete(ws);
    });
    this.checking.set(ws, run);
    return run;
  }

  /** This node changed the list: the next call reads it again, not joining a check begun before. */
  private forget(ws: string): void {
    this.cache.delete(ws);
    this.checking.delete(ws);
  }

  /** Records erased ids; from now on their events are dropped. */
  async add(ws: string, ids: { userId: string; anonymousIds: readonly string[] }, at: number): Promise<void> {
    const hash = await this.pseudonyms.hasher(ws);
    const docs = [
      { collection: COLLECTION, id: hash('user', ids.userId), subject: null, body: { kind: 'user', at }, createdAt: at },
      ...ids.anonymousIds.map((a) => ({ collection: COLLECTION, id: hash('anon', a), subject: null, body: { kind: 'anon', at }, createdAt: at })),
    ];
    await this.store.putDocs(ws, docs);
    await this.store.bumpCounter(ws, COUNTER);
    this.forget(ws);
  }

  /**
   * Lifts the suppression of a user id (the person came back and signed up again): their events are
   * accepted from now on. Returns false when the id was not suppressed.
   */
  async remove(ws: string, userId: string): Promise<boolean> {
    if ((await this.entry(ws)).set.size === 0) return false; // nothing suppressed: create no pseudonym key either
    const gone = await this.store.deleteDoc(ws, COLLECTION, await this.pseudonyms.of(ws, 'user', userId));
    if (gone) {
      await this.store.bumpCounter(ws, COUNTER);
      this.forget(ws);
    }
    return gone;
  }

  /** A checker for one batch: true when the user id or the anonymous id belongs to an erased person. */
  async checker(ws: string): Promise<(ids: { userId?: string | null; anonymousId?: string | null }) => boolean> {
    const e = await this.entry(ws);
    if (e.set.size === 0) return () => false;
    const hash = await this.pseudonyms.hasher(ws);
    return (ids) => (ids.userId ? e.set.has(hash('user', ids.userId)) : false) || (ids.anonymousId ? e.set.has(hash('anon', ids.anonymousId)) : false);
  }

  async isSuppressed(ws: string, ids: { userId?: string | null; anonymousId?: string | null }): Promise<boolean> {
    return (await this.checker(ws))(ids);
  }

  /**
   * Whether a subject (a user id, or `anon:` and an anonymous id) belongs to an erased person. The
   * consent policy asks this, so that every personal path (recommendations, the chat, its opener)
   * answers non-personally and writes nothing about the person, not only the events route.
   */
  async isSubjectSuppressed(ws: string, subject: string): Promise<boolean> {
    return this.isSuppressed(ws, isAnonSubject(subject) ? { anonymousId: subject.slice(ANON_PREFIX.length) } : { userId: subject });
  }

  /** How many erased ids are on the list. */
  async size(ws: string): Promise<number> {
    return (await this.entry(ws)).set.size;
  }
}
