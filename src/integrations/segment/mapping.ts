/**
 * Segment / RudderStack messages as Afín's events, users and aliases: pure functions over one
 * validated message. The standard e-commerce events (Segment's "E-commerce spec v2", which RudderStack
 * follows) become Afín's event types; anything else is acknowledged and not stored, as Segment's own
 * destinations do with events they do not map.
 */
import { createHash } from 'node:crypto';
import { EVENT_TYPES, type EventType, LANGUAGES, timeOf } from '../../domain/schemas.ts';
import type { SegmentMessageT } from './schemas.ts';

/** An Afín event as `POST /v1/events` takes it (ingest validates it), with where each field came from. */
export interface MappedEvent {
  event: Record<string, unknown>;
  /** Afín field → the message's field it was read from, so that a rejection names what the sender wrote. */
  from: Record<string, string>;
}

export type Mapped =
  | { kind: 'events'; events: MappedEvent[] }
  | { kind: 'identify'; userId?: string; anonymousId?: string; traits: Record<string, unknown> }
  | { kind: 'alias'; anonymousId: string; userId: string }
  | { kind: 'ignored'; reason: string };

type Props = Record<string, unknown>;

/** How each standard e-commerce event is recorded: one item (`product`), each of `products`, or none. */
const ECOMMERCE: Record<string, { type: EventType; items: 'product' | 'products' | 'none'; value?: 'price' | 'rating' }> = {
  'product viewed': { type: 'view', items: 'product' },
  'product clicked': { type: 'click', items: 'product' },
  'product added': { type: 'add_to_cart', items: 'product', value: 'price' },
  'product added to wishlist': { type: 'like', items: 'product' },
  'product reviewed': { type: 'rating', items: 'product', value: 'rating' },
  'order completed': { type: 'purchase', items: 'products', value: 'price' },
  'order refunded': { type: 'return', items: 'products', value: 'price' },
  'products searched': { type: 'search', items: 'none' },
  'email opened': { type: 'email_open', items: 'none' },
  'email link clicked': { type: 'email_click', items: 'none' },
};

/** "Order Completed", "order_completed" and "order-completed" are one event. */
export function normalizeEventName(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, ' ');
}

/** Segment's `channel` as Afín's: what a browser or an app sent; a server's call names none. */
const CHANNELS: Record<string, string> = { browser: 'web', mobile: 'app' };

const idText = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' && Number.isFinite(v) ? String(v) : undefined;
const num = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? n : undefined;
};

/** The product id of a product object: the spec's `product_id`, or the older `id`, or its `sku`. */
function productId(p: Props): { id?: string; key: string } {
  for (const key of ['product_id', 'productId', 'id', 'sku']) {
    const id = idText(p[key]);
    if (id !== undefined) return { id, key };
  }
  return { key: 'product_id' };
}

/**
 * When the message happened, in epoch milliseconds, corrected for the sender's clock as Segment does:
 * the sender's `sentAt` and the event's own time are on the same (possibly wrong) clock, so the event
 * happened `sentAt - time` before Afín received the batch. `timestamp` (the caller's own) is preferred
 * to `originalTimestamp` (the library's call time), since a backfill sets the first and not the second.
 */
export function eventTime(m: Pick<SegmentMessageT, 'timestamp' | 'originalTimestamp' | 'sentAt'>, batchSentAt: SegmentMessageT['sentAt'], receivedAt: number) {
  const base = m.timestamp ?? m.originalTimestamp;
  if (base === undefined) return undefined;
  const sent = m.sentAt ?? batchSentAt;
  const t = timeOf(base);
  return sent === undefined ? t : Math.round(t + (receivedAt - timeOf(sent)));
}

/** One Afín message id per product of an order, stable across retries (so retries are duplicates). */
function partId(messageId: string | undefined, index: number): string | undefined {
  if (messageId === undefined) return undefined;
  const id = `${messageId}:${index}`;
  return id.length <= 256 ? id : `seg_${createHash('sha256').update(id).digest('hex')}`;
}

/** Identify's traits as Afín's: flat values only (an address object is not kept), the locale's language. */
export function userTraits(m: SegmentMessageT): Record<string, unknown> {
  const source = (m.traits ?? (m.context?.traits as Props | undefined) ?? {}) as Props;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(source)) if (v === null || ['string', 'number', 'boolean'].includes(typeof v)) out[k] = v;
  // Afín speaks the languages it lists; `es-ES` is `es`, and a language it does not speak is left out.
  const lang = (typeof out.language === 'string' ? out.language : typeof m.context?.locale === 'string' ? m.context.locale : '').slice(0, 2).toLowerCase();
  if ((LANGUAGES as readonly string[]).includes(lang)) out.language = lang;
  else delete out.language;
  return out;
}

/** Maps one validated message; `type` is the message's or the route's (`/v1/track` …). */
export function mapMessage(m: SegmentMessageT, type: string, time: number | undefined): Mapped {
  if (type === 'identify') {
    if (!m.userId) return { kind: 'ignored', reason: 'an identify call without userId: Afín keeps traits for users only' };
    return { kind: 'identify', userId: m.userId, anonymousId: m.anonymousId, traits: userTraits(m) };
  }
  if (type === 'alias') return { kind: 'alias', anonymousId: (m.previousId ?? m.anonymousId)!, userId: m.userId! };
  if (type !== 'track') return { kind: 'ignored', reason: `${type} calls are not recorded` };

  const props = (m.properties ?? {}) as Props;
  const name = m.event!;
  const base: Record<string, unknown> = {};
  const from: Record<string, string> = { messageId: 'messageId', userId: 'userId', anonymousId: 'anonymousId', timestamp: 'timestamp', channel: 'channel' };
  if (m.userId !== undefined) base.userId = m.userId;
  if (m.anonymousId !== undefined) base.anonymousId = m.anonymousId;
  if (time !== undefined) base.timestamp = time;
  const channel = m.channel ? CHANNELS[m.channel] : undefined;
  if (channel) base.channel = channel;

  // An event already named as Afín names it ("view", "add_to_cart"): its fields read as Afín's.
  if ((EVENT_TYPES as readonly string[]).includes(name)) {
    const named = idText(props.itemId);
    const { id, key } = named !== undefined ? { id: named, key: 'itemId' } : productId(props);
    const event: Record<string, unknown> = { ...base, messageId: m.messageId, type: name, properties: props };
    if (id !== undefined) event.itemId = id;
    if (props.value !== undefined) event.value = props.value;
    if (props.query !== undefined) event.query = props.query;
    if (props.recommendationId !== undefined) event.recommendationId = props.recommendationId;
    return {
      kind: 'events',
      events: [{ event: clean(event), from: { ...from, itemId: `properties.${key}`, value: 'properties.value', query: 'properties.query' } }],
    };
  }

  const rule = ECOMMERCE[normalizeEventName(name)];
  if (!rule) return { kind: 'ignored', reason: `"${name.slice(0, 100)}" is not an event Afín records` };
  const recommendationId = idText(props.recommendation_id ?? props.recommendationId);

  if (rule.items === 'none') {
    const event: Record<string, unknown> = { ...base, messageId: m.messageId, type: rule.type, properties: props };
    if (rule.type === 'search') event.query = props.query;
    if (rule.type === 'email_open' || rule.type === 'email_click') event.channel = 'email';
    if (recommendationId) event.recommendationId = recommendationId;
    return {
      kind: 'events',
      events: [{ event: clean(event), from: { ...from, query: 'properties.query', recommendationId: 'properties.recommendation_id' } }],
    };
  }

  if (rule.items === 'product') {
    const { id, key } = productId(props);
    const event: Record<string, unknown> = { ...base, messageId: m.messageId, type: rule.type, itemId: id, properties: props };
    if (rule.value === 'rating') event.value = num(props.rating);
    else if (rule.value === 'price') event.value = lineValue(props);
    if (recommendationId) event.recommendationId = recommendationId;
    const valueFrom = rule.value === 'rating' ? 'properties.rating' : 'properties.price';
    return {
      kind: 'events',
      events: [{ event: clean(event), from: { ...from, itemId: `properties.${key}`, value: valueFrom, recommendationId: 'properties.recommendation_id' } }],
    };
  }

  // An order: one event per product line, each worth its price times its quantity.
  const products = Array.isArray(props.products) ? (props.products as unknown[]) : [];
  if (products.length === 0) return { kind: 'ignored', reason: `"${name.slice(0, 100)}" without properties.products names no item` };
  const orderId = idText(props.order_id ?? props.orderId ?? props.checkout_id);
  const events = products.map((raw, j): MappedEvent => {
    const p = (raw !== null && typeof raw === 'object' ? raw : {}) as Props;
    const { id, key } = productId(p);
    const properties: Props = {};
    if (orderId !== undefined) properties.orderId = orderId;
    if (num(p.quantity) !== undefined) properties.quantity = num(p.quantity);
    if (typeof props.currency === 'string') properties.currency = props.currency;
    if (typeof props.decisionId === 'string') properties.decisionId = props.decisionId;
    const rec = idText(p.recommendation_id ?? p.recommendationId) ?? recommendationId;
    const event: Record<string, unknown> = { ...base, messageId: partId(m.messageId, j), type: rule.type, itemId: id, value: lineValue(p), properties };
    if (rec) event.recommendationId = rec;
    const at = `properties.products[${j}]`;
    return { event: clean(event), from: { ...from, itemId: `${at}.${key}`, value: `${at}.price`, recommendationId: `${at}.recommendation_id` } };
  });
  return { kind: 'events', events };
}

/** A product line's worth: price × quantity (quantity 1 when absent); none without a price. */
function lineValue(p: Props): number | undefined {
  const price = num(p.price);
  if (price === undefined) return undefined;
  const q = num(p.quantity) ?? 1;
  return Math.round(price * q * 100) / 100;
}

function clean(o: Record<string, unknown>): Record<string, unknown> {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/** Translates a field ingest named (`[3].itemId`) into the message's (`properties.products[0].product_id`). */
export function sourceField(ingestField: string | undefined, from: Record<string, string>): string {
  const inner = (ingestField ?? '').replace(/^\[\d+\]\.?/, '');
  const head = inner.split(/[.[]/)[0];
  if (!head) return '';
  const mapped = from[head];
  return mapped ? mapped + inner.slice(head.length) : inner;
}
