import type { ConsentChange, EventType, StoredEvent, StoredItem, StoredKey, StoredUser, Workspace } from '../domain/schemas.ts';

/** A named binary blob, such as a trained model. */
export interface Blob {
  name: string;
  data: Uint8Array;
  meta: Record<string, unknown>;
  updatedAt: number;
}
export type BlobInfo = Omit<Blob, 'data'>;

/** A small JSON document in a named collection (chat sessions, recommendation logs, audit entries…). */
export interface Doc {
  collection: string;
  id: string;
  /** The person the document is about, so erasure and export can find it. */
  subject: string | null;
  body: Record<string, unknown>;
  createdAt: number;
}

export interface InsertEventsResult {
  /** The events that were new and are now durably stored, in input order. */
  inserted: StoredEvent[];
  /** How many carried a messageId that was already stored. */
  duplicates: number;
}

/**
 * Computes new profiles from newly stored events and the current profiles of their subjects.
 * Synchronous, and changing nothing but `current`: it runs inside the store's transaction, with those
 * profiles locked. The `current` objects are the updater's for this call (it may change them in place
 * and return them); it returns every profile it changed, the store keeps only what it returns, and
 * forgets them all if it throws.
 */
export type ProfileUpdater = (
  inserted: readonly StoredEvent[],
  current: ReadonlyMap<string, Record<string, unknown>>,
) => Array<{ subject: string; profile: Record<string, unknown> }>;

export interface IdentityLink {
  anonymousId: string;
  userId: string;
  /** The subject the visitor's events are stored under until now. */
  from: string;
}

export interface EventScanOptions {
  /** Only events at or after this time (epoch ms). */
  since?: number;
  /** How many events per page (default 10,000). */
  pageSize?: number;
}

/**
 * The one storage interface. Every method is scoped to a workspace; adapters keep workspaces apart
 * in every table. Writes resolve only once they are durable.
 */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  /** Applies pending versioned migrations. Safe to call from several nodes at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * After an erasure, before it is acknowledged: makes the deleted rows leave every file the store
   * controls (SQLite: folds the WAL into the zero-overwritten main file and truncates it). Resolves
   * false if that could not complete (a long reader held the WAL); PostgreSQL has nothing to do here
   * (its WAL segments are the operator's: see the README's erasure section).
   */
  scrubDeleted(): Promise<boolean>;

  createWorkspace(ws: Workspace): Promise<boolean>;
  getWorkspace(id: string): Promise<Workspace | null>;
  listWorkspaces(): Promise<Workspace[]>;

  upsertItems(ws: string, items: StoredItem[]): Promise<number>;
  getItem(ws: string, id: string): Promise<StoredItem | null>;
  listItems(ws: string): Promise<StoredItem[]>;
  deleteItem(ws: string, id: string): Promise<boolean>;

  /** Stores the events whose messageId is new; duplicates (also against earlier batches) are skipped. */
  insertEvents(ws: string, events: StoredEvent[]): Promise<InsertEventsResult>;
  /**
   * Like insertEvents, and in the same transaction updates the profiles of the inserted events'
   * subjects (`profileSubjects` limits which may be profiled). Concurrent batches about the same person
   * are serialised, so no update is lost, and events and profiles commit together or not at all.
   */
  ingestEvents(ws: string, events: StoredEvent[], profileSubjects: ReadonlySet<string>, update: ProfileUpdater): Promise<InsertEventsResult>;
  /** A subject's events, oldest first; `limit` keeps the newest ones. */
  eventsOf(ws: string, subject: string, limit?: number): Promise<StoredEvent[]>;
  /** Pages through all events of a workspace in insertion order. */
  scanEvents(ws: string, opts?: EventScanOptions): AsyncIterable<StoredEvent[]>;
  countEvents(ws: string): Promise<number>;
  /** Moves every event of `from` to `to` (used when an anonymous visitor is identified). Returns how many. */
  reassignEvents(ws: string, from: string, to: string): Promise<number>;
  /** Deletes a subject's events (only those of the given types, when given). */
  deleteEventsOf(ws: string, subject: string, types?: readonly EventType[]): Promise<number>;
  deleteEventsBefore(ws: string, before: number): Promise<number>;

  /** Creates the user or merges `traits` into the stored ones. */
  putUser(ws: string, id: string, traits: Record<string, unknown>, at: number): Promise<StoredUser>;
  getUser(ws: string, id: string): Promise<StoredUser | null>;
  deleteUser(ws: string, id: string): Promise<boolean>;

  getProfile(ws: string, subject: string): Promise<Record<string, unknown> | null>;
  getProfiles(ws: string, subjects: string[]): Promise<Map<string, Record<string, unknown>>>;
  putProfiles(ws: string, profiles: Array<{ subject: string; profile: Record<string, unknown> }>): Promise<void>;
  deleteProfile(ws: string, subject: string): Promise<boolean>;

  appendConsent(ws: string, userId: string, change: ConsentChange): Promise<void>;
  /** Oldest first. */
  consentHistory(ws: string, userId: string): Promise<ConsentChange[]>;
  /**
   * The consent histories of several people in one read (the ingest path asks for a whole batch's
   * people at once), oldest first each; a person with nothing recorded is absent from the map.
   */
  consentHistories(ws: string, userIds: readonly string[]): Promise<Map<string, ConsentChange[]>>;
  deleteConsent(ws: string, userId: string): Promise<number>;

  linkIdentity(ws: string, anonymousId: string, userId: string, at: number): Promise<void>;
  /**
   * Identifies several visitors in one transaction: per link, in order, links the ids, moves every
   * event of `from` (the visitor's subject) to the user and deletes `from`'s profile. Returns how
   * many events each link moved, in input order.
   */
  linkIdentities(ws: string, links: ReadonlyArray<IdentityLink>, at: number): Promise<number[]>;
  resolveAnonymous(ws: string, anonymousId: string): Promise<string | null>;
  /** The users the given anonymous ids are linked to (ids without a link are absent). */
  resolveAnonymousMany(ws: string, anonymousIds: readonly string[]): Promise<Map<string, string>>;
  anonymousIdsOf(ws: string, userId: string): Promise<string[]>;
  deleteIdentityLinks(ws: string, userId: string): Promise<number>;

  putBlob(ws: string, name: string, data: Uint8Array, meta: Record<string, unknown>, at: number): Promise<void>;
  getBlob(ws: string, name: string): Promise<Blob | null>;
  blobInfo(ws: string, name: string): Promise<BlobInfo | null>;
  listBlobs(ws: string, prefix?: string): Promise<BlobInfo[]>;
  deleteBlob(ws: string, name: string): Promise<boolean>;

  putDocs(ws: string, docs: Doc[]): Promise<void>;
  getDoc(ws: string, collection: string, id: string): Promise<Doc | null>;
  /** Newest first. */
  listDocs(ws: string, collection: string, opts?: { subject?: string; limit?: number }): Promise<Doc[]>;
  deleteDoc(ws: string, collection: string, id: string): Promise<boolean>;
  /** Every document about one subject, in every collection (export). */
  docsOfSubject(ws: string, subject: string): Promise<Doc[]>;
  deleteDocsOfSubject(ws: string, subject: string): Promise<number>;
  /** Deletes the documents of a collection created before `before` (retention). Returns how many. */
  deleteDocsBefore(ws: string, collection: string, before: number): Promise<number>;
  /** Keeps the newest `keep` documents of a collection (those tied with the last one too); deletes the rest. */
  trimDocs(ws: string, collection: string, keep: number): Promise<number>;

  insertKey(key: StoredKey): Promise<void>;
  keyByHash(hash: string): Promise<StoredKey | null>;
  listKeys(ws: string): Promise<StoredKey[]>;
  deleteKey(ws: string, id: string): Promise<boolean>;
  touchKey(id: string, at: number): Promise<void>;
  hasRootKey(): Promise<boolean>;

  /** Increments and returns a per-workspace counter (cache versions across nodes). */
  bumpCounter(ws: string, name: string): Promise<number>;
  readCounters(ws: string): Promise<Record<string, number>>;
}
