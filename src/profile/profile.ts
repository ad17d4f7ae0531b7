import type { EventType, StoredEvent, StoredItem } from '../domain/schemas.ts';
import { decay, eventWeight } from '../domain/weights.ts';

/**
 * A person's real-time profile: small, JSON-serialisable, updated event by event (no batch job).
 * Affinities are stored decayed to `decayedAt`; readers decay them further to their own `now`.
 */
export interface Profile {
  version: 1;
  firstSeen: number;
  lastSeen: number;
  events: Partial<Record<EventType, { count: number; last: number }>>;
  categories: Record<string, number>;
  tags: Record<string, number>;
  decayedAt: number;
  /** Weighted price statistics of the items engaged with positively. */
  price: { sum: number; weight: number; min: number | null; max: number | null };
  languages: Record<string, number>;
  channels: Record<string, number>;
  purchases: number;
  lastPurchase: number | null;
  /** Items added to the cart and not bought since. */
  cart: string[];
  /** When each recently bought item was last bought, so a late, older add-to-cart does not refill the cart. */
  boughtAt: Record<string, number>;
}

export const AFFINITY_HALF_LIFE_DAYS = 14;
const MAX_KEYS = 50;
const MAX_CART = 50;
const MAX_BOUGHT = 200;

export function emptyProfile(at: number): Profile {
  return {
    version: 1,
    firstSeen: at,
    lastSeen: at,
    events: {},
    categories: {},
    tags: {},
    decayedAt: at,
    price: { sum: 0, weight: 0, min: null, max: null },
    languages: {},
    channels: {},
    purchases: 0,
    lastPurchase: null,
    cart: [],
    boughtAt: {},
  };
}

/**
 * Scales every affinity, dropping those that faded to nothing. Rebuilt without them rather than
 * `delete`d: a deletion turns the object into a slow dictionary for good, and every later event and
 * JSON serialisation of the profile pays for it (issue 13).
 */
function scaleAll(map: Record<string, number>, f: number): Record<string, number> {
  const keys = Object.keys(map);
  let faded = false;
  for (const k of keys) if (Math.abs((map[k] *= f)) < 1e-4) faded = true;
  if (!faded) return map;
  const kept: Record<string, number> = {};
  for (const k of keys) if (Math.abs(map[k]) >= 1e-4) kept[k] = map[k];
  return kept;
}

/**
 * A map's own value for a name: names come from shoppers and shops, and `map.constructor` or
 * `map.toString` of a plain object would otherwise be Object.prototype's function.
 */
function own<T>(map: Record<string, T>, name: string): T | undefined {
  return Object.hasOwn(map, name) ? map[name] : undefined;
}

/** Adds `amount` to each name's affinity; true when a name was new to the map. */
function addAll(map: Record<string, number>, names: readonly string[] | undefined, amount: number): boolean {
  if (!names) return false;
  let added = false;
  for (const name of names) {
    const old = own(map, name);
    if (old === undefined) added = true;
    map[name] = (old ?? 0) + amount;
  }
  return added;
}

function keepStrongest(map: Record<string, number>): Record<string, number> {
  const keys = Object.keys(map);
  if (keys.length <= MAX_KEYS) return map;
  keys.sort((a, b) => Math.abs(map[b]) - Math.abs(map[a]));
  return Object.fromEntries(keys.slice(0, MAX_KEYS).map((k) => [k, map[k]]));
}

/** Applies one event (and the item it is about, if known) to a profile, returning the new profile. */
export function applyEvent(prev: Profile | null, e: StoredEvent, item: StoredItem | undefined): Profile {
  return applyInPlace(prev ? structuredClone(prev) : emptyProfile(e.timestamp), e, item);
}

/**
 * Applies events in time order to a copy of a profile (one copy for the whole batch). With `inPlace`
 * the caller hands over a profile nobody else holds (freshly parsed from the store), which is then
 * updated without the copy.
 */
export function applyEvents(
  prev: Profile | null,
  events: readonly StoredEvent[],
  itemOf: (id: string) => StoredItem | undefined,
  { inPlace = false } = {},
): Profile | null {
  const sorted = events.length > 1 ? [...events].sort((a, b) => a.timestamp - b.timestamp) : events;
  if (sorted.length === 0) return prev;
  let p = prev ? (inPlace ? prev : structuredClone(prev)) : emptyProfile(sorted[0].timestamp);
  for (const e of sorted) p = applyInPlace(p, e, e.itemId ? itemOf(e.itemId) : undefined);
  return p;
}

function applyInPlace(p: Profile, e: StoredEvent, item: StoredItem | undefined): Profile {
  const t = e.timestamp;
  p.firstSeen = Math.min(p.firstSeen, t);
  p.lastSeen = Math.max(p.lastSeen, t);
  const c = (p.events[e.type] ??= { count: 0, last: t });
  c.count++;
  c.last = Math.max(c.last, t);
  if (e.channel) p.channels[e.channel] = (own(p.channels, e.channel) ?? 0) + 1;

  // Decay stored affinities forward to this event (events may arrive slightly out of order: never go back).
  if (t > p.decayedAt) {
    const f = decay(t - p.decayedAt, AFFINITY_HALF_LIFE_DAYS);
    p.categories = scaleAll(p.categories, f);
    p.tags = scaleAll(p.tags, f);
    p.decayedAt = t;
  }
  const w = eventWeight(e.type, e.value);
  if (item && w !== 0) {
    const age = decay(p.decayedAt - t, AFFINITY_HALF_LIFE_DAYS);
    // Only a new key can take a map past MAX_KEYS, so only then is it trimmed (listing its keys costs).
    if (addAll(p.categories, item.categories, w * age)) p.categories = keepStrongest(p.categories);
    if (addAll(p.tags, item.tags, w * age)) p.tags = keepStrongest(p.tags);
    if (w > 0 && item.price !== undefined) {
      p.price.sum += item.price * w;
      p.price.weight += w;
      p.price.min = p.price.min === null ? item.price : Math.min(p.price.min, item.price);
      p.price.max = p.price.max === null ? item.price : Math.max(p.price.max, item.price);
    }
    if (w > 0 && item.language) p.languages[item.language] = (own(p.languages, item.language) ?? 0) + 1;
  }
  if (e.itemId) {
    p.boughtAt ??= {}; // profiles stored before this field existed
    const boughtAt = own(p.boughtAt, e.itemId) ?? -Infinity;
    if (e.type === 'add_to_cart' && t > boughtAt && !p.cart.includes(e.itemId)) p.cart = [...p.cart, e.itemId].slice(-MAX_CART);
    if (e.type === 'purchase') {
      p.cart = p.cart.filter((id) => id !== e.itemId);
      p.boughtAt[e.itemId] = Math.max(boughtAt, t);
      const ids = Object.keys(p.boughtAt);
      if (ids.length > MAX_BOUGHT) {
        ids.sort((a, b) => p.boughtAt[a] - p.boughtAt[b]);
        for (const id of ids.slice(0, ids.length - MAX_BOUGHT)) delete p.boughtAt[id];
      }
    }
  }
  if (e.type === 'purchase') {
    p.purchases++;
    p.lastPurchase = Math.max(p.lastPurchase ?? 0, t);
  }
  return p;
}

/** Rebuilds a profile from scratch (after an alias merge, or to repair one). */
export function buildProfile(events: readonly StoredEvent[], itemOf: (id: string) => StoredItem | undefined): Profile | null {
  return applyEvents(null, events, itemOf);
}

export const FUNNEL_STAGES = ['new_visitor', 'browsing', 'considering', 'customer', 'loyal', 'at_risk'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export const AT_RISK_AFTER_DAYS = 30;
export const LOYAL_AFTER_PURCHASES = 3;

export function funnelStage(p: Profile | null, now: number): FunnelStage {
  if (!p) return 'new_visitor';
  const idleDays = (now - p.lastSeen) / 86_400_000;
  if (p.purchases > 0 && idleDays > AT_RISK_AFTER_DAYS) return 'at_risk';
  if (p.purchases >= LOYAL_AFTER_PURCHASES) return 'loyal';
  if (p.purchases > 0) return 'customer';
  if (p.cart.length > 0) return 'considering';
  const total = Object.values(p.events).reduce((s, c) => s + (c?.count ?? 0), 0);
  if (total <= 2 && now - p.firstSeen < 86_400_000) return 'new_visitor';
  return 'browsing';
}

export type PriceBand = 'budget' | 'mid' | 'premium';

/** Price band of the person's average price against the catalogue's terciles. */
export function priceBand(p: Profile | null, terciles: readonly [number, number] | null): PriceBand | null {
  if (!p || p.price.weight === 0 || !terciles) return null;
  const avg = p.price.sum / p.price.weight;
  return avg <= terciles[0] ? 'budget' : avg <= terciles[1] ? 'mid' : 'premium';
}

/** Affinities decayed to `now`, strongest first. */
export function affinitiesAt(map: Record<string, number>, decayedAt: number, now: number, limit = 10): Array<{ name: string; score: number }> {
  const f = decay(now - decayedAt, AFFINITY_HALF_LIFE_DAYS);
  return Object.entries(map)
    .map(([name, s]) => ({ name, score: Math.round(s * f * 1000) / 1000 }))
    .filter((a) => a.score !== 0)
    .sort((a, b) => b.score - a.score)
    .slice(0, limit);
}

function topKey(map: Record<string, number>): string | null {
  let best: string | null = null;
  for (const [k, v] of Object.entries(map)) if (best === null || v > map[best]) best = k;
  return best;
}

export interface ProfileView {
  funnelStage: FunnelStage;
  features: {
    firstSeen: string | null;
    lastSeen: string | null;
    daysSinceLastSeen: number | null;
    events: Record<string, { count: number; last: string }>;
    purchases: number;
    lastPurchase: string | null;
    averagePrice: number | null;
    priceRange: { min: number; max: number } | null;
    priceBand: PriceBand | null;
    cart: string[];
  };
  affinities: { categories: Array<{ name: string; score: number }>; tags: Array<{ name: string; score: number }> };
  language: string | null;
  channels: Record<string, number>;
  segments: string[];
}

/** The readable view of a profile that `GET /v1/users/:id/profile` answers with. */
export function viewProfile(p: Profile | null, now: number, opts: { traitLanguage?: string; terciles: readonly [number, number] | null }): ProfileView {
  const iso = (t: number | null) => (t === null ? null : new Date(t).toISOString());
  const stage = funnelStage(p, now);
  const band = priceBand(p, opts.terciles);
  const categories = p ? affinitiesAt(p.categories, p.decayedAt, now) : [];
  const tags = p ? affinitiesAt(p.tags, p.decayedAt, now) : [];
  const language = opts.traitLanguage ?? (p ? topKey(p.languages) : null);
  const segments = [`stage:${stage}`];
  if (band) segments.push(`price:${band}`);
  if (categories[0] && categories[0].score > 0) segments.push(`likes:${categories[0].name}`);
  const channelCount = p ? Object.keys(p.channels).length : 0;
  if (channelCount > 1) segments.push('omnichannel');
  return {
    funnelStage: stage,
    features: {
      firstSeen: iso(p?.firstSeen ?? null),
      lastSeen: iso(p?.lastSeen ?? null),
      daysSinceLastSeen: p ? Math.floor((now - p.lastSeen) / 86_400_000) : null,
      events: p ? Object.fromEntries(Object.entries(p.events).map(([k, c]) => [k, { count: c!.count, last: iso(c!.last)! }])) : {},
      purchases: p?.purchases ?? 0,
      lastPurchase: iso(p?.lastPurchase ?? null),
      averagePrice: p && p.price.weight > 0 ? Math.round((p.price.sum / p.price.weight) * 100) / 100 : null,
      priceRange: p && p.price.min !== null && p.price.max !== null ? { min: p.price.min, max: p.price.max } : null,
      priceBand: band,
      cart: p?.cart ?? [],
    },
    affinities: { categories, tags },
    language,
    channels: p?.channels ?? {},
    segments,
  };
}
