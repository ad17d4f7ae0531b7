/** Row <-> domain conversions shared by the SQL adapters (the SQL itself stays in each adapter). */
import type { ConsentChange, EventType, StoredEvent, StoredItem, StoredKey, KeyScope, Workspace } from '../domain/schemas.ts';
import type { BlobInfo, Doc } from './store.ts';

export type Row = Record<string, unknown>;

const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v));
const numOrNull = (v: unknown): number | null => (v === null || v === undefined ? null : num(v));
const strOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
// biome-ignore lint/suspicious/noExplicitAny: a JSON column, whose shape the row's own type states where it is read
const json = (v: unknown): any => (typeof v === 'string' ? JSON.parse(v) : v);

export function eventFromRow(r: Row): StoredEvent {
  return {
    messageId: String(r.message_id),
    type: r.type as EventType,
    subject: String(r.subject),
    userId: strOrNull(r.user_id),
    anonymousId: strOrNull(r.anonymous_id),
    itemId: strOrNull(r.item_id),
    value: numOrNull(r.value),
    query: strOrNull(r.query),
    channel: strOrNull(r.channel),
    recommendationId: strOrNull(r.recommendation_id),
    variant: strOrNull(r.variant),
    timestamp: num(r.ts),
    receivedAt: num(r.received_at),
    properties: r.properties == null ? null : json(r.properties),
  };
}

/** Column values in the adapters' fixed event column order. */
export const EVENT_COLUMNS = [
  'workspace',
  'message_id',
  'type',
  'subject',
  'user_id',
  'anonymous_id',
  'item_id',
  'value',
  'query',
  'channel',
  'recommendation_id',
  'variant',
  'ts',
  'received_at',
  'properties',
] as const;

export function eventToValues(ws: string, e: StoredEvent): unknown[] {
  return [
    ws,
    e.messageId,
    e.type,
    e.subject,
    e.userId,
    e.anonymousId,
    e.itemId,
    e.value,
    e.query,
    e.channel,
    e.recommendationId,
    e.variant,
    e.timestamp,
    e.receivedAt,
    e.properties == null ? null : JSON.stringify(e.properties),
  ];
}

export function itemFromRow(r: Row): StoredItem {
  return json(r.body) as StoredItem;
}

export function keyFromRow(r: Row): StoredKey {
  return {
    id: String(r.id),
    workspace: String(r.workspace),
    scope: r.scope as KeyScope,
    name: strOrNull(r.name),
    hash: String(r.hash),
    root: r.root === true || r.root === 1 || r.root === '1',
    createdAt: num(r.created_at),
    lastUsedAt: numOrNull(r.last_used_at),
  };
}

export function consentFromRow(r: Row): ConsentChange {
  return { purposes: json(r.purposes), source: String(r.source), policyVersion: strOrNull(r.policy_version), at: num(r.at) };
}

export { json as parseJson, num as toNumber };

export function workspaceFromRow(r: Row): Workspace {
  return { id: String(r.id), name: strOrNull(r.name), createdAt: num(r.created_at) };
}

export function blobInfoFromRow(r: Row): BlobInfo {
  return { name: String(r.name), meta: json(r.meta), updatedAt: num(r.updated_at) };
}

export function docFromRow(r: Row): Doc {
  return {
    collection: String(r.collection),
    id: String(r.id),
    subject: strOrNull(r.subject),
    body: json(r.body),
    createdAt: num(r.created_at),
  };
}
