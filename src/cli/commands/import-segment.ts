/**
 * Segment / RudderStack warehouse exports of events (their `tracks` table, or one event's own table
 * such as `order_completed`, dumped as CSV or JSON lines): each row read as the tracking call it
 * was, then mapped as `POST /v1/batch` maps it, so an order becomes one purchase per product.
 */
import { eventTime, mapMessage } from '../../integrations/segment/mapping.ts';
import { SegmentMessage, missingField } from '../../integrations/segment/schemas.ts';
import { describeIssue } from '../../domain/errors.ts';
import type { Preset } from './import-mapping.ts';

/** The warehouse's own columns; every other column of an event's table is one of its properties. */
const COLUMNS: Record<string, string[]> = {
  messageId: ['message_id', 'messageId', 'id'],
  event: ['event_text', 'event', 'name'],
  userId: ['user_id', 'userId'],
  anonymousId: ['anonymous_id', 'anonymousId'],
  timestamp: ['timestamp', 'original_timestamp', 'originalTimestamp', 'sent_at'],
  channel: ['channel', 'context_channel'],
};
const META = new Set([
  ...Object.values(COLUMNS).flat(),
  'type',
  'properties',
  'context',
  'received_at',
  'receivedAt',
  'sentAt',
  'uuid_ts',
  'loaded_at',
  'event_date',
  'original_timestamp',
  'sent_at',
]);

/** A warehouse time (`2024-03-01 10:00:00.123 UTC`, `2024-03-01T10:00:00Z`, epoch ms) as Afín reads times. */
function warehouseTime(v: unknown): string | number | undefined {
  if (typeof v === 'number') return v;
  if (typeof v !== 'string' || !v.trim()) return undefined;
  const s = v.trim();
  if (/^\d+$/.test(s)) return Number(s);
  return s.replace(/\s*UTC$/i, 'Z').replace(/^(\d{4}-\d{2}-\d{2}) /, '$1T');
}

/** A JSON object or array written into a text column (`products`, `properties`), or the text itself. */
function jsonish(v: unknown): unknown {
  if (typeof v !== 'string') return v;
  const s = v.trim();
  if (!(s.startsWith('{') || s.startsWith('['))) return v;
  try {
    return JSON.parse(s);
  } catch {
    return v;
  }
}

export type Expanded = { events: Record<string, unknown>[] } | { error: string } | { ignored: string };

/** One warehouse row as Afín's events (none for a call Afín does not record). */
export function warehouseRowEvents(rec: Record<string, unknown>): Expanded {
  const pick = (field: string) => {
    for (const c of COLUMNS[field]) if (rec[c] !== undefined && rec[c] !== null && rec[c] !== '') return rec[c];
    return undefined;
  };
  const type = typeof rec.type === 'string' && rec.type ? rec.type : 'track';
  if (type !== 'track') return { ignored: `${type} rows are not events` };
  const properties: Record<string, unknown> = {};
  const nested = jsonish(rec.properties);
  if (nested && typeof nested === 'object' && !Array.isArray(nested)) Object.assign(properties, nested);
  for (const [k, v] of Object.entries(rec)) if (!META.has(k) && v !== '' && v !== null && v !== undefined) properties[k] = jsonish(v);
  const message: Record<string, unknown> = { type, properties };
  for (const field of ['messageId', 'event', 'userId', 'anonymousId', 'channel']) {
    const v = pick(field);
    if (v !== undefined) message[field] = typeof v === 'number' ? String(v) : v;
  }
  const ts = warehouseTime(pick('timestamp'));
  if (ts !== undefined) message.timestamp = ts;
  const r = SegmentMessage.safeParse(message);
  if (!r.success) return { error: describeIssue(r.error).message };
  const missing = missingField(r.data, 'track');
  if (missing) return { error: `${missing.field}: ${missing.message}` };
  // The warehouse's `timestamp` is already corrected for the sender's clock: taken as it is.
  const mapped = mapMessage(r.data, 'track', eventTime(r.data, undefined, 0));
  if (mapped.kind === 'ignored') return { ignored: mapped.reason };
  if (mapped.kind !== 'events') return { ignored: 'not an event' };
  return { events: mapped.events.map((e) => e.event) };
}

export const SEGMENT_WAREHOUSE: Preset = {
  kind: 'events',
  about: "Segment's or RudderStack's warehouse export of events (tracks, or one event's table): mapped as POST /v1/batch maps them",
  columns: {},
  expand: warehouseRowEvents,
};
