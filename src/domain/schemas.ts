import { z } from 'zod';

/** Ids supplied by clients: printable, no control characters, at most 256 characters. */
export const Id = z
  .string()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .regex(/^[^\u0000-\u001f\u007f]+$/, 'must not contain control characters');

/** Free text stored in a text column: PostgreSQL refuses NUL characters, so Afín refuses them everywhere. */
export const Text = (max: number) => z.string().max(max).refine((s) => !s.includes('\u0000'), 'must not contain NUL characters');

export const LANGUAGES = ['en', 'es'] as const;
export const Language = z.enum(LANGUAGES);

export const Item = z
  .object({
    id: Id,
    title: z.string().min(1).max(1000),
    description: z.string().max(20_000).optional(),
    categories: z.array(z.string().min(1).max(200)).max(50).optional(),
    tags: z.array(z.string().min(1).max(200)).max(200).optional(),
    price: z.number().finite().nonnegative().max(1e12).optional(),
    currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as EUR').optional(),
    attributes: z.record(z.string().max(200), z.unknown()).optional(),
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
  'view', 'click', 'add_to_cart', 'purchase', 'rating', 'like', 'dislike', 'search',
  'impression', 'chat', 'email_open', 'email_click', 'return',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/** Event types that are about one item and so need `itemId`. */
export const ITEM_EVENT_TYPES: ReadonlySet<EventType> = new Set([
  'view', 'click', 'add_to_cart', 'purchase', 'rating', 'like', 'dislike', 'return',
]);

export const CHANNELS = ['web', 'app', 'store', 'chat', 'email'] as const;

/** A timestamp: ISO 8601 text or epoch milliseconds. */
export const Timestamp = z.union([
  z.number().int().min(0).max(8.64e15),
  z.string().max(64).refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time'),
]);

export const EventInput = z
  .object({
    messageId: Id.optional(),
    type: z.enum(EVENT_TYPES),
    userId: Id.optional(),
    anonymousId: Id.optional(),
    itemId: Id.optional(),
    value: z.number().finite().optional(),
    query: Text(2000).optional(),
    channel: Text(64).pipe(z.string().min(1)).optional(),
    recommendationId: Id.optional(),
    variant: Text(256).optional(),
    timestamp: Timestamp.optional(),
    properties: z.record(z.string().max(200), z.unknown()).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if (!e.userId && !e.anonymousId) ctx.addIssue({ code: 'custom', path: ['userId'], message: 'userId or anonymousId is required' });
    if (ITEM_EVENT_TYPES.has(e.type) && !e.itemId) ctx.addIssue({ code: 'custom', path: ['itemId'], message: `itemId is required for a ${e.type} event` });
    if (e.type === 'rating' && e.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'value is required for a rating event' });
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

export const AliasBody = z.object({ anonymousId: Id, userId: Id }).strict();

export const CONSENT_PURPOSES = ['personalization', 'profiling', 'marketing', 'chatMemory'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

export const ConsentBody = z
  .object({
    personalization: z.boolean().optional(),
    profiling: z.boolean().optional(),
    marketing: z.boolean().optional(),
    chatMemory: z.boolean().optional(),
    source: Text(200).optional(),
    policyVersion: Text(100).optional(),
  })
  .strict()
  .refine((b) => CONSENT_PURPOSES.some((p) => b[p] !== undefined), { message: `give at least one purpose: ${CONSENT_PURPOSES.join(', ')}`, path: ['personalization'] });

/** Objecting to profiling (GDPR Art. 21): one call turns off profiling, personalization and marketing. */
export const ObjectionBody = z
  .object({ source: Text(200).optional(), policyVersion: Text(100).optional(), reason: Text(1000).optional() })
  .strict();

export const AuditQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
    since: z.union([z.coerce.number().int().min(0).max(8.64e15), z.string().max(64).refine((s) => !Number.isNaN(Date.parse(s)), 'must be an ISO 8601 date-time or epoch milliseconds').transform((s) => Date.parse(s))]).optional(),
    format: z.enum(['json', 'jsonl']).default('json'),
  })
  .strict();

export const TransparencyQuery = z.object({ format: z.enum(['json', 'text']).default('json') }).strict();

/** One change of consent, kept forever as proof. */
export interface ConsentChange {
  purposes: Partial<Record<ConsentPurpose, boolean>>;
  source: string;
  policyVersion: string | null;
  at: number;
}

export const KEY_SCOPES = ['admin', 'server', 'public'] as const;
export type KeyScope = (typeof KEY_SCOPES)[number];
/** A browser origin as the `Origin` header carries it: scheme, host and optional port, nothing else. */
export const Origin = z
  .string()
  .max(300)
  .regex(/^(https?:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+)(:\d{1,5})?|\*)$/, 'must be an origin such as https://shop.example (scheme, host, optional port) or *');

/** Per-key settings: the origins a browser may call from, and a rate limit overriding the scope's. */
export const KeySettingsBody = z
  .object({
    allowedOrigins: z.array(Origin).max(100).nullable().optional(),
    rateLimit: z.number().positive().max(1_000_000).nullable().optional(),
    requireUserToken: z.boolean().optional(),
  })
  .strict();

/** A signed user token for a browser: how long it is valid. */
export const UserTokenBody = z.object({ ttlSeconds: z.number().int().min(60).max(30 * 86_400).optional() }).strict();

export const KeyBody = z
  .object({
    scope: z.enum(KEY_SCOPES),
    name: Text(200).optional(),
    allowedOrigins: z.array(Origin).max(100).optional(),
    rateLimit: z.number().positive().max(1_000_000).optional(),
    requireUserToken: z.boolean().optional(),
  })
  .strict();

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

export const WorkspaceBody = z
  .object({ id: z.string().regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, 'must be 1-63 lowercase letters, digits, - or _'), name: Text(200).optional() })
  .strict();
export interface Workspace {
  id: string;
  name: string | null;
  createdAt: number;
}

export const CONTEXTS = ['home', 'item', 'cart', 'search', 'email', 'chat'] as const;
export type RecContext = (typeof CONTEXTS)[number];

const csv = z
  .string()
  .max(20_000)
  .transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean));
const boolText = z.enum(['true', 'false', '1', '0']).transform((s) => s === 'true' || s === '1');
const price = z.coerce.number().finite().nonnegative();

export const RecommendationQuery = z
  .object({
    userId: Id.optional(),
    anonymousId: Id.optional(),
    n: z.coerce.number().int().min(1).max(100).default(10),
    context: z.enum(CONTEXTS).default('home'),
    itemId: Id.optional(),
    category: z.string().min(1).max(200).optional(),
    minPrice: price.optional(),
    maxPrice: price.optional(),
    exclude: csv.optional(),
    excludeSeen: boolText.optional(),
    includePurchased: boolText.optional(),
    model: z.string().max(64).optional(),
  })
  .strict();
export type RecommendationQueryT = z.infer<typeof RecommendationQuery>;

export const SimilarQuery = z.object({ n: z.coerce.number().int().min(1).max(100).default(10) }).strict();
export const TrainBody = z.object({ model: z.string().min(1).max(64).optional() }).strict();
