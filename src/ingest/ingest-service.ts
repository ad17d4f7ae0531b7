import { randomUUID } from 'node:crypto';
import { AfinError, describeIssue, parseOr } from '../domain/errors.ts';
import { EventInput, Item, UserBody, timeOf, type EventInputT, type StoredEvent, type StoredItem, type StoredUser } from '../domain/schemas.ts';
import { AliasBody } from './schemas.ts';
import { plainEvent } from './event-check.ts';
import type { Catalog } from '../catalog/catalog.ts';
import { applyEvents, buildProfile, type Profile } from '../profile/profile.ts';
import type { Doc, ProfileUpdater, Store } from '../store/store.ts';
import { anonSubject, storedId } from '../domain/subjects.ts';
import { ITEM_CHANGE_COLLECTION } from '../domain/collections.ts';

export const MAX_BATCH = 1000;
/** Events dated further ahead than this are refused: almost always a unit mistake (seconds vs ms). */
const MAX_FUTURE_MS = 24 * 3_600_000;

export interface Rejection {
  index: number;
  field?: string;
  error: string;
}

export interface EventsResult {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
  /** Events dropped because they are about an erased person (present only when there were some). */
  suppressed?: number;
  /**
   * Items the accepted events named that the catalogue does not have, in the order first named, each
   * with how many of those events named it (at most MAX_UNKNOWN_LISTED; present only when there were
   * some). Such events are stored, so they count once the item is added.
   */
  unknownItems?: Array<{ itemId: string; events: number }>;
  /** How many accepted events named an item the catalogue does not have (with `unknownItems`). */
  unknownItemEvents?: number;
}

/** The answer lists at most this many unknown items (a batch of 1,000 could name 1,000). */
export const MAX_UNKNOWN_LISTED = 100;

/** The items of `events` that `known` does not know, with how many events named each (see EventsResult). */
export function unknownItemsOf(events: readonly StoredEvent[], known: (id: string) => boolean): Pick<EventsResult, 'unknownItems' | 'unknownItemEvents'> {
  const counts = new Map<string, number>();
  let total = 0;
  for (const e of events) {
    if (e.itemId === null || known(e.itemId)) continue;
    total++;
    counts.set(e.itemId, (counts.get(e.itemId) ?? 0) + 1);
  }
  if (total === 0) return {};
  return { unknownItems: [...counts].slice(0, MAX_UNKNOWN_LISTED).map(([itemId, events]) => ({ itemId, events })), unknownItemEvents: total };
}

/** Decides, per person, whether profile features may be derived (consent's `profiling` purpose). */
export type ProfilingGate = (ws: string, subject: string) => Promise<boolean>;

/** The same decision for a whole batch's people at once: the subjects whose profile may be derived. */
export type ProfilingGateMany = (ws: string, subjects: readonly string[]) => Promise<Set<string>>;

/** Per batch, a test of whether ids belong to an erased person (whose late events are dropped). */
export type SuppressionGate = (ws: string) => Promise<(ids: { userId?: string | null; anonymousId?: string | null }) => boolean>;

/** The node's cached catalogue: read to compare items before and after a write, dropped after one. */
export interface CatalogCache {
  catalog(ws: string): Promise<Catalog>;
  invalidate(ws: string, kind: 'items'): void;
}

export { ITEM_CHANGE_COLLECTION };

/** Price drops and returns to stock, kept as signals the assistant can open a conversation with. */
export function itemChanges(items: readonly StoredItem[], previous: (id: string) => StoredItem | undefined, at: number): Doc[] {
  const out: Doc[] = [];
  for (const it of items) {
    const old = previous(it.id);
    if (!old) continue;
    if (old.price !== undefined && it.price !== undefined && it.price < old.price) {
      out.push({
        collection: ITEM_CHANGE_COLLECTION,
        id: `${it.id}:${at}:price`,
        subject: null,
        createdAt: at,
        body: { itemId: it.id, kind: 'price_drop', oldPrice: old.price, newPrice: it.price },
      });
    }
    if (!old.available && it.available) {
      out.push({
        collection: ITEM_CHANGE_COLLECTION,
        id: `${it.id}:${at}:stock`,
        subject: null,
        createdAt: at,
        body: { itemId: it.id, kind: 'back_in_stock' },
      });
    }
  }
  return out;
}

function asBatch(body: unknown): unknown[] {
  const list = Array.isArray(body) ? body : body !== null && typeof body === 'object' ? [body] : null;
  if (!list) throw new AfinError('invalid_body', 'body: expected a JSON array of objects', 'body');
  if (list.length > MAX_BATCH) throw new AfinError('batch_too_large', `body: a batch holds at most ${MAX_BATCH} elements, got ${list.length}`, 'body');
  return list;
}

/** Items, events, users and aliases in: validation, dedup, identity and real-time profiles. */
export class IngestService {
  constructor(
    private readonly store: Store,
    private readonly state: CatalogCache,
    private readonly clock: () => number = Date.now,
    private readonly mayProfile: ProfilingGate = async () => true,
    private readonly suppressed: SuppressionGate = async () => () => false,
    /** When given, asked once per batch instead of `mayProfile` per person (the two must agree). */
    private readonly mayProfileMany?: ProfilingGateMany,
  ) {}

  async putItems(ws: string, body: unknown): Promise<{ upserted: number; rejected: Rejection[] }> {
    const list = asBatch(body);
    const now = this.clock();
    const good: StoredItem[] = [];
    const rejected: Rejection[] = [];
    const seen = new Map<string, number>();
    list.forEach((raw, index) => {
      const r = Item.safeParse(raw);
      if (!r.success) {
        const { field, message } = describeIssue(r.error, `[${index}]`);
        rejected.push({ index, field, error: message });
        return;
      }
      const item: StoredItem = { ...r.data, available: r.data.available ?? true, updatedAt: now };
      const prev = seen.get(item.id);
      if (prev !== undefined)
        good[prev] = item; // the last copy of an id in one batch wins
      else {
        seen.set(item.id, good.length);
        good.push(item);
      }
    });
    if (good.length > 0) {
      const before = await this.state.catalog(ws);
      await this.store.upsertItems(ws, good);
      await this.store.bumpCounter(ws, 'items');
      this.state.invalidate(ws, 'items');
      const changes = itemChanges(good, (id) => before.get(id), now);
      if (changes.length) await this.store.putDocs(ws, changes);
    }
    return { upserted: good.length, rejected };
  }

  getItem(ws: string, id: string) {
    return this.store.getItem(ws, id);
  }

  async deleteItem(ws: string, id: string): Promise<boolean> {
    const gone = await this.store.deleteItem(ws, id);
    if (gone) {
      await this.store.bumpCounter(ws, 'items');
      this.state.invalidate(ws, 'items');
    }
    return gone;
  }

  /** The person an event is about: the user, or the anonymous visitor (or whom they were aliased to). */
  async subjectOf(ws: string, ids: { userId?: string | null; anonymousId?: string | null }): Promise<string> {
    if (ids.userId) return ids.userId;
    if (!ids.anonymousId) throw new AfinError('invalid_query', 'userId or anonymousId is required', 'userId');
    return (await this.store.resolveAnonymous(ws, ids.anonymousId)) ?? anonSubject(ids.anonymousId);
  }

  /**
   * Stores a batch of events. An event carrying both ids links the anonymous visitor to the user and
   * merges their history, but only when `link` is set: the caller is trusted (a server or admin key,
   * the CLI). A public key's events are stored as sent and never create or move a link, or anyone
   * holding the browser key could take over another person's anonymous history.
   */
  async postEvents(ws: string, body: unknown, { link = true }: { link?: boolean } = {}): Promise<EventsResult> {
    const list = asBatch(body);
    const now = this.clock();
    const rejected: Rejection[] = [];
    const events: StoredEvent[] = [];
    const links = new Map<string, string>();
    const erased = await this.suppressed(ws);
    let suppressed = 0;
    const accepted: Array<{ e: EventInputT; timestamp: number }> = [];
    for (let index = 0; index < list.length; index++) {
      let e = plainEvent(list[index]);
      if (e === undefined) {
        const r = EventInput.safeParse(list[index]);
        if (!r.success) {
          const { field, message } = describeIssue(r.error, `[${index}]`);
          rejected.push({ index, field, error: message });
          continue;
        }
        e = r.data;
      }
      const timestamp = e.timestamp === undefined ? now : timeOf(e.timestamp);
      if (timestamp > now + MAX_FUTURE_MS) {
        rejected.push({ index, field: `[${index}].timestamp`, error: `[${index}].timestamp: more than a day in the future (epoch milliseconds expected)` });
        continue;
      }
      if (erased(e)) {
        suppressed++;
        continue;
      }
      if (link && e.userId && e.anonymousId) links.set(e.anonymousId, e.userId);
      accepted.push({ e, timestamp });
    }
    // Who each anonymous visitor is, asked once per visitor for the whole batch (as subjectOf would).
    const visitors = await this.store.resolveAnonymousMany(
      ws,
      accepted.flatMap(({ e }) => (!e.userId && e.anonymousId ? [e.anonymousId] : [])),
    );
    for (const { e, timestamp } of accepted) {
      events.push({
        messageId: e.messageId ?? `evt_${randomUUID()}`,
        type: e.type,
        subject: e.userId ? storedId(e.userId) : (visitors.get(e.anonymousId!) ?? anonSubject(storedId(e.anonymousId!))),
        userId: e.userId ?? null,
        anonymousId: e.anonymousId ?? null,
        itemId: e.itemId ?? null,
        value: e.value ?? null,
        query: e.query ?? null,
        channel: e.channel ?? null,
        recommendationId: e.recommendationId ?? null,
        variant: e.variant ?? null,
        timestamp,
        receivedAt: now,
        properties: e.properties ?? null,
      });
    }
    const catalog = await this.state.catalog(ws);
    const { inserted, duplicates } = events.length
      ? await this.store.ingestEvents(ws, events, await this.profilable(ws, events), this.profileUpdater(catalog))
      : { inserted: [], duplicates: 0 };
    // An event carrying both ids identifies the visitor: merge what they did anonymously (all the
    // batch's new links in one store transaction).
    if (links.size > 0) {
      const current = await this.store.resolveAnonymousMany(ws, [...links.keys()]);
      await this.linkAll(
        ws,
        [...links].filter(([anonymousId, userId]) => current.get(anonymousId) !== userId).map(([anonymousId, userId]) => ({ anonymousId, userId })),
      );
    }
    return {
      accepted: inserted.length,
      duplicates,
      rejected,
      ...(suppressed > 0 ? { suppressed } : {}),
      ...unknownItemsOf(inserted, (id) => catalog.get(id) !== undefined),
    };
  }

  /**
   * Links visitors to users and merges their histories: the links, the moved events and the dropped
   * visitor profiles in one transaction, then each user who gained events gets their profile rebuilt.
   */
  private async linkAll(ws: string, links: ReadonlyArray<{ anonymousId: string; userId: string }>): Promise<number[]> {
    if (links.length === 0) return [];
    const merged = await this.store.linkIdentities(
      ws,
      links.map((l) => ({ ...l, from: anonSubject(l.anonymousId) })),
      this.clock(),
    );
    const rebuild = new Set(links.filter((_, i) => merged[i] > 0).map((l) => l.userId));
    for (const userId of rebuild) await this.rebuildProfile(ws, userId);
    return merged;
  }

  /** The people in a batch whose consent allows a profile (asked before the store's transaction). */
  private async profilable(ws: string, events: readonly StoredEvent[]): Promise<Set<string>> {
    const subjects = [...new Set(events.map((e) => e.subject))];
    if (this.mayProfileMany) return this.mayProfileMany(ws, subjects);
    const may = await Promise.all(subjects.map((s) => this.mayProfile(ws, s)));
    return new Set(subjects.filter((_, i) => may[i]));
  }

  /** Applies new events to the locked current profiles, in time order, against the catalogue snapshot. */
  private profileUpdater(catalog: Catalog): ProfileUpdater {
    return (inserted, current) => {
      const bySubject = new Map<string, StoredEvent[]>();
      for (const e of inserted) {
        let l = bySubject.get(e.subject);
        if (!l) bySubject.set(e.subject, (l = []));
        l.push(e);
      }
      return [...bySubject].map(([subject, evs]) => ({
        subject,
        // The store hands `current` over for this call (see ProfileUpdater), so it is updated in place, without a copy.
        profile: applyEvents((current.get(subject) as Profile | undefined) ?? null, evs, (id) => catalog.get(id), { inPlace: true }) as unknown as Record<
          string,
          unknown
        >,
      }));
    };
  }

  /** Recomputes a person's profile from all their stored events. */
  async rebuildProfile(ws: string, subject: string): Promise<void> {
    if (!(await this.mayProfile(ws, subject))) {
      await this.store.deleteProfile(ws, subject);
      return;
    }
    const catalog = await this.state.catalog(ws);
    const p = buildProfile(await this.store.eventsOf(ws, subject), (id) => catalog.get(id));
    if (p) await this.store.putProfiles(ws, [{ subject, profile: p as unknown as Record<string, unknown> }]);
    else await this.store.deleteProfile(ws, subject);
  }

  async putUser(ws: string, id: string, body: unknown): Promise<StoredUser> {
    const { traits } = parseOr(UserBody, body, 'invalid_body');
    return this.store.putUser(ws, id, traits, this.clock());
  }

  /** Identifies an anonymous visitor: links the ids and merges the anonymous history into the user. */
  async alias(ws: string, body: unknown): Promise<{ anonymousId: string; userId: string; merged: number }> {
    const { anonymousId, userId } = parseOr(AliasBody, body, 'invalid_body');
    const erased = await this.suppressed(ws);
    if (erased({ userId }) || erased({ anonymousId })) return { anonymousId, userId, merged: 0 }; // a late alias for an erased person
    const [merged] = await this.linkAll(ws, [{ anonymousId, userId }]);
    return { anonymousId, userId, merged };
  }
}
