import { z } from 'zod';

/** Ids supplied by clients: printable, no control characters, at most 256 characters. */
export const Id = z
  .string()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point: ids must not contain control characters
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters');

/** Marks an anonymous visitor's records: internally the visitor is the subject `anon:<anonymousId>`. */
export const ANON_PREFIX = 'anon:';
export const RESERVED_USER_ID = `must not start with "${ANON_PREFIX}" (reserved for anonymous visitors)`;

/** A user id: never of the anonymous visitors' shape, or `anon:x` would be the same record as visitor `x`. */
export const UserId = Id.refine((s) => !s.startsWith(ANON_PREFIX), RESERVED_USER_ID);

/** Free text stored in a text column: PostgreSQL refuses NUL characters, so Afín refuses them everywhere. */
export const Text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

export const LANGUAGES = ['en', 'es'] as const;
export const Language = z.enum(LANGUAGES);

/** The largest amount (a price, an event's value) Afín accepts: far beyond any real one, far from overflow. */
export const MAX_AMOUNT = 1e12;

/** Free-form objects (`properties`, `attributes`): at most this deep and this large, serialized. */
export const FREE_FORM_MAX_DEPTH = 8;
export const FREE_FORM_MAX_BYTES = 16 * 1024;

/**
 * How deep a JSON value nests (a scalar is 0, `{}` is 1), or `limit + 1` as soon as it is deeper. A
 * loop with its own stack, not recursion: the body parser accepts 20,000-deep values, and a
 * recursive walk (or `JSON.stringify`) on one overflows the call stack.
 */
export function depthOf(value: unknown, limit: number): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > limit) return limit + 1;
    max = Math.max(max, d + 1);
    for (const child of Array.isArray(v) ? v : Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return max;
}

/** A free-form JSON object, bounded in depth and size so that storing it is cheap and always succeeds. */
export function freeForm(maxDepth = FREE_FORM_MAX_DEPTH, maxBytes = FREE_FORM_MAX_BYTES) {
  return z.record(z.string().max(200), z.unknown()).superRefine((v, ctx) => {
    if (depthOf(v, maxDepth) > maxDepth) {
      ctx.addIssue({ code: 'custom', message: `must nest at most ${maxDepth} levels deep` });
      return;
    }
    if (Buffer.byteLength(JSON.stringify(v)) > maxBytes) ctx.addIssue({ code: 'custom', message: `must be at most ${maxBytes / 1024} KB as JSON` });
  });
}

export const Item = z
  .object({
    id: Id,
    title: z.string().min(1).max(1000),
    description: z.string().max(20_000).optional(),
    categories: z.array(z.string().min(1).max(200)).max(50).optional(),
    tags: z.array(z.string().min(1).max(200)).max(200).optional(),
    price: z.number().finite().nonnegative().max(MAX_AMOUNT).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR')
      .optional(),
    attributes: freeForm().optional(),
    imageUrl: z.string().url().max(2000).optional(),
    language: Language.optional(),
    available: z.boolean().optional(),
  })
  .strict();
export type ItemInput = z.infer<typeof Item>;

/** An item as stored: `available` is always set. */
export interface StoredItem extends ItemInput {
  available: boolean;
  updatedAt: number;
}

export const EVENT_TYPES = [
  'view',
  'click',
  'add_to_cart',
  'purchase',
  'rating',
  'like',
  'dislike',
  'search',
  'impression',
  'chat',
  'email_open',
  'email_click',
  'return',
  'survey',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Event types that are about one item and so need `itemId`. */
export const ITEM_EVENT_TYPES: ReadonlySet<EventType> = new Set(['view', 'click', 'add_to_cart', 'purchase', 'rating', 'like', 'dislike', 'return']);

export const CHANNELS = ['web', 'app', 'store', 'chat', 'email'] as const;

/** Timestamps Afín accepts: 1970-01-01 up to the end of year 9999 (epoch milliseconds). */
export const MIN_TIME = 0;
export const MAX_TIME = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}:?\d{2})?)?$/;

/**
 * Epoch milliseconds of an ISO 8601 date or date-time, or NaN. Strict where `Date.parse` is lenient:
 * the date must exist (`2020-02-30` is refused, not rolled over to March), the year is 1970–9999,
 * and a time without an offset is UTC (never the server's local zone).
 */
export function parseIsoTime(s: string): number {
  const m = ISO_8601.exec(s);
  if (!m) return NaN;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((x) => (x === undefined ? undefined : Number(x))) as number[];
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate()) return NaN;
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  let offset = 0;
  const zone = m[8];
  if (zone && zone !== 'Z' && zone !== 'z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(-2));
    if (oh > 23 || om > 59) return NaN;
    offset = (zone[0] === '-' ? -1 : 1) * (oh * 60 + om) * 60_000;
  }
  const t = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset;
  return t >= MIN_TIME && t <= MAX_TIME ? t : NaN;
}

export const isoTime = (message: string) =>
  z
    .string()
    .max(64)
    .refine((s) => !Number.isNaN(parseIsoTime(s)), message);

/** A timestamp: ISO 8601 text (a real date, 1970–9999) or epoch milliseconds in that range. */
export const Timestamp = z.union([
  z.number().int().min(MIN_TIME).max(MAX_TIME),
  isoTime('must be an ISO 8601 date-time (a real date, years 1970–9999) or epoch milliseconds'),
]);

/** A timestamp as epoch milliseconds. */
export function timeOf(t: z.infer<typeof Timestamp>): number {
  return typeof t === 'number' ? t : parseIsoTime(t);
}

export const EventInput = z
  .object({
    messageId: Id.optional(),
    type: z.enum(EVENT_TYPES),
    userId: UserId.optional(),
    anonymousId: Id.optional(),
    itemId: Id.optional(),
    value: z.number().finite().min(-MAX_AMOUNT).max(MAX_AMOUNT).optional(),
    query: Text(2000).optional(),
    channel: Text(64).pipe(z.string().min(1)).optional(),
    recommendationId: Id.optional(),
    variant: Text(256).optional(),
    timestamp: Timestamp.optional(),
    properties: freeForm().optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (!e.userId && !e.anonymousId) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'userId or anonymousId is required' });
    if (ITEM_EVENT_TYPES.has(e.type) && !e.itemId) ctx.addIssue({ code: 'custom', path: ['itemId'], message: `itemId is required for a ${e.type} event` });
    if (e.type === 'rating' && e.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'value is required for a rating event' });
    else if (e.type === 'rating' && e.value !== undefined && !(e.value >= 1 && e.value <= 5))
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'a rating is 1 to 5' });
    // An NPS answer: "how likely are you to recommend us", 0 to 10.
    if (e.type === 'survey' && e.value === undefined)
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'value is required for a survey event (0 to 10)' });
    else if (e.type === 'survey' && e.value !== undefined && !(Number.isInteger(e.value) && e.value >= 0 && e.value <= 10))
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'a survey answer is a whole number from 0 to 10' });
  });
export type EventInputT = z.infer<typeof EventInput>;

/** An event as stored. `subject` is the canonical person: the userId, or `anon:<anonymousId>` until aliased. */
export interface StoredEvent {
  messageId: string;
  type: EventType;
  subject: string;
  userId: string | null;
  anonymousId: string | null;
  itemId: string | null;
  value: number | null;
  query: string | null;
  channel: string | null;
  recommendationId: string | null;
  variant: string | null;
  timestamp: number;
  receivedAt: number;
  properties: Record<string, unknown> | null;
}

export const UserBody = z
  .object({
    traits: z
      .object({
        name: z.string().max(500).optional(),
        language: Language.optional(),
        role: z.string().max(200).optional(),
        email: z.string().max(500).optional(),
        tone: z.string().max(64).optional(),
      })
      .catchall(z.union([z.string().max(2000), z.number().finite(), z.boolean(), z.null()])),
  })
  .strict();

export interface StoredUser {
  id: string;
  traits: Record<string, unknown>;
  createdAt: number;
  updatedAt: number;
}

export const CONSENT_PURPOSES = ['personalization', 'profiling', 'marketing', 'chatMemory'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** One change of consent, kept forever as proof. */
export interface ConsentChange {
  purposes: Partial<Record<ConsentPurpose, boolean>>;
  source: string;
  policyVersion: string | null;
  at: number;
}

export const KEY_SCOPES = ['admin', 'server', 'public'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];
export interface StoredKey {
  id: string;
  workspace: string;
  scope: KeyScope;
  name: string | null;
  hash: string;
  root: boolean;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface Workspace {
  id: string;
  name: string | null;
  createdAt: number;
}

export const CONTEXTS = ['home', 'item', 'cart', 'search', 'email', 'chat'] as const;
export type RecContext = (typeof CONTEXTS)[number];
