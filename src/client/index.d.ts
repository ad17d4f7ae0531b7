/**
 * The types of Afín's client (`afin/client`, or `/sdk.js` in a browser): the HTTP contract of
 * DESIGN.md and README's API table, plus the browser conveniences. The code is index.js beside this
 * file, plain JavaScript served and imported as is.
 *
 * @example
 * import { createClient } from 'afin/client';
 * const afin = createClient({ baseUrl: 'https://afin.example.com', key: 'afin_public_…' });
 * afin.track('view', { itemId: 'sku-1' });
 * const { items } = await afin.recommendations({ n: 4 });
 */

export type ConsentPurpose = 'personalization' | 'profiling' | 'marketing' | 'chatMemory';
export type ConsentState = Record<ConsentPurpose, boolean>;

export type EventType =
  | 'view'
  | 'click'
  | 'add_to_cart'
  | 'purchase'
  | 'rating'
  | 'like'
  | 'dislike'
  | 'search'
  | 'impression'
  | 'chat'
  | 'email_open'
  | 'email_click'
  | 'return'
  | 'survey';

export type Channel = 'web' | 'app' | 'store' | 'chat' | 'email' | (string & {});

/** The fields of an event besides its type and the person (the client fills those in). */
export interface EventFields {
  itemId?: string;
  value?: number;
  query?: string;
  channel?: Channel;
  recommendationId?: string;
  variant?: string;
  /** ISO 8601 or epoch milliseconds; default now. */
  timestamp?: string | number;
  properties?: Record<string, unknown>;
}

export interface EventInput extends EventFields {
  type: EventType;
  messageId?: string;
  userId?: string;
  anonymousId?: string;
}

export interface EventsResult {
  accepted: number;
  duplicates: number;
  rejected: Array<{ index: number; error: string; field?: string }>;
}

export interface Item {
  id: string;
  title: string;
  description?: string;
  categories?: string[];
  tags?: string[];
  price?: number;
  currency?: string;
  attributes?: Record<string, unknown>;
  imageUrl?: string;
  language?: 'en' | 'es';
  available?: boolean;
}

export interface RecommendationQuery {
  userId?: string;
  anonymousId?: string;
  n?: number;
  context?: 'home' | 'item' | 'cart' | 'search' | 'email' | 'chat';
  itemId?: string;
  category?: string;
  minPrice?: number;
  maxPrice?: number;
  exclude?: string | string[];
  excludeSeen?: boolean;
  includePurchased?: boolean;
  present?: boolean;
}

export interface RecommendedItem {
  id: string;
  score: number;
  reasons: string[];
  title?: string;
  price?: number;
  currency?: string;
  [field: string]: unknown;
}

export interface Recommendations {
  recommendationId: string;
  personalized: boolean;
  model: string;
  items: RecommendedItem[];
  [field: string]: unknown;
}

export interface ChatItem {
  id: string;
  title: string;
  price?: number;
  currency?: string;
  reasons: string[];
}

export interface ChatRequest {
  message: string;
  /** Default: the identified user, else this visitor's anonymous id. */
  userId?: string;
  sessionId?: string;
  channel?: Channel;
}

export interface ChatReply {
  sessionId: string;
  reply: string;
  language: 'en' | 'es';
  tone: string;
  address?: 'tu' | 'usted';
  intent: string;
  confidence?: number;
  slots: Record<string, unknown>;
  items: ChatItem[];
  suggestions: string[];
  personalized?: boolean;
  flagged?: boolean;
  agentMessages?: Array<{ text: string; at: string; agent?: string }>;
  by?: 'embedded' | 'llm';
}

export interface ChatOpener {
  sessionId: string;
  reply: string;
  language: 'en' | 'es';
  tone: string;
  intent: 'opener';
  signal: { kind: string; itemId: string; [field: string]: unknown } | null;
  slots: Record<string, unknown>;
  items: ChatItem[];
  suggestions: string[];
}

export interface DecideRequest {
  point: string;
  options?: Array<{ id: string; features?: Record<string, number | string | boolean> }>;
  context?: Record<string, number | string | boolean>;
  userId?: string;
  anonymousId?: string;
  timeZone?: string;
}

export interface Decision {
  decisionId: string;
  option: string;
  propensity: number;
  personalized?: boolean;
  timeZone?: string;
  sendAt?: string;
}

export interface KeyCreated {
  id: string;
  key: string;
  scope: 'admin' | 'server' | 'public';
  workspace: string;
  name: string | null;
  createdAt: string;
  [field: string]: unknown;
}

/** Web Storage's three methods: localStorage, sessionStorage, or `memoryStorage()`. */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface ClientOptions {
  /** A public key in a browser (send events, read recommendations, chat); a server key on a server. */
  key: string;
  /** Afín's address; default the page's origin. */
  baseUrl?: string;
  /** A signed user token from the shop's backend (POST /v1/users/:id/token), sent as Afin-User-Token. */
  userToken?: string;
  /** Afin-Workspace, for the root key only. */
  workspace?: string;
  /** The signed-in user, if known at load. */
  userId?: string;
  fetch?: typeof fetch;
  /** Where the anonymous id, the user id, consent and the event queue persist; default localStorage. */
  storage?: KeyValueStorage;
  /** Events per request (default 20, at most 1,000). */
  batchSize?: number;
  /** Milliseconds an event waits for others before a batch goes out (default 1,000). */
  flushInterval?: number;
  /** Retries after a network error, a 429 or a 5xx (default 6), with exponential backoff from `retryBaseMs` (default 500). */
  maxRetries?: number;
  retryBaseMs?: number;
  /** Events kept while the API cannot be reached; the oldest are dropped beyond (default 1,000). */
  maxQueue?: number;
  /**
   * The consent gate. With `required: true` (the shop asks for opt-in) nothing is stored on the
   * device or sent for a purpose the visitor has not accepted: events need `profiling`, personal
   * recommendations and decisions need `personalization`. `given` seeds the choices.
   */
  consent?: { required: boolean; given?: Partial<ConsentState> };
  /** Called with delivery errors of queued events (they are retried, not thrown). */
  onError?: (error: AfinApiError | Error) => void;
  /** false: no timers and no page-hide listener; call flush() yourself (tests, scripts). */
  autoFlush?: boolean;
}

export declare class AfinApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field?: string;
  readonly body: unknown;
  readonly requestId?: string | null;
  constructor(status: number, body: unknown, requestId?: string | null);
}

export declare function memoryStorage(): KeyValueStorage;

export declare class AfinClient {
  constructor(options: ClientOptions);
  readonly baseUrl: string;
  readonly key: string;
  userToken?: string;
  /** This visitor's anonymous id (kept in storage once profiling is allowed). */
  readonly anonymousId: string;
  readonly userId: string | null;
  /** What the visitor accepted, per purpose (all true when no opt-in is required). */
  readonly consent: ConsentState;
  /** Events waiting to be sent. */
  readonly queued: number;

  setConsent(purposes: Partial<ConsentState>): ConsentState;
  identify(userId: string, traits?: Record<string, unknown>): Promise<unknown>;
  alias(userId?: string, anonymousId?: string): Promise<{ anonymousId: string; userId: string; merged: number }>;
  reset(): void;
  /** Queues an event; false when the consent gate refused it. */
  track(type: EventType, fields?: EventFields): boolean;
  /** A product page view (`view` of `itemId`); false for a page without an item. */
  page(fields?: EventFields): boolean;
  flush(): Promise<void>;
  beacon(): boolean;

  request<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
  health(): Promise<{ status: 'ok' }>;
  putItems(items: Item[]): Promise<{ upserted: number; rejected?: unknown[] }>;
  getItem(id: string): Promise<Item & { updatedAt: string }>;
  deleteItem(id: string): Promise<null>;
  similar(id: string, n?: number): Promise<{ items: RecommendedItem[] }>;
  sendEvents(events: EventInput[]): Promise<EventsResult>;
  putUser(id: string, traits: Record<string, unknown>): Promise<unknown>;
  profile(id: string): Promise<Record<string, unknown>>;
  recommendations(query?: RecommendationQuery): Promise<Recommendations>;
  why(recommendationId: string): Promise<Record<string, unknown>>;
  chat(body: ChatRequest | string): Promise<ChatReply>;
  chatOpener(userId?: string): Promise<ChatOpener>;
  transcript(sessionId: string): Promise<Record<string, unknown>>;
  decide(body: DecideRequest): Promise<Decision>;
  train(body?: { model?: string }): Promise<{ model: string; trainedAt: string; seconds: number }>;
  userConsent(id: string): Promise<Record<string, unknown>>;
  setUserConsent(id: string, purposes: Partial<ConsentState>): Promise<Record<string, unknown>>;
  transparency(id: string): Promise<Record<string, unknown>>;
  exportUser(id: string): Promise<Record<string, unknown>>;
  eraseUser(id: string): Promise<null>;
  mintUserToken(id: string, ttlSeconds?: number): Promise<{ token: string; userId: string; expiresAt: string }>;
  createKey(body: {
    scope: 'admin' | 'server' | 'public';
    name?: string;
    allowedOrigins?: string[];
    rateLimit?: number;
    requireUserToken?: boolean;
  }): Promise<KeyCreated>;
  listKeys(): Promise<{ keys: Array<Record<string, unknown>> }>;
  revokeKey(id: string): Promise<null>;
}

export declare function createClient(options: ClientOptions): AfinClient;
