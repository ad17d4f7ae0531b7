import { describe, expect, it } from 'vitest';
import type { EventType, StoredEvent, StoredItem } from '../../src/domain/schemas.ts';
import {
  AFFINITY_HALF_LIFE_DAYS,
  AT_RISK_AFTER_DAYS,
  affinitiesAt,
  applyEvent,
  buildProfile,
  emptyProfile,
  funnelStage,
  priceBand,
  viewProfile,
  type Profile,
} from '../../src/profile/profile.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 2, 1, 10);
const HALF = AFFINITY_HALF_LIFE_DAYS * DAY;

const ITEMS: Record<string, StoredItem> = {
  shoe: { id: 'shoe', title: 'Red leather shoe', categories: ['shoes'], tags: ['red', 'leather'], price: 50, language: 'en', available: true, updatedAt: 0 },
  bag: { id: 'bag', title: 'Bolso de piel', categories: ['bags'], tags: ['leather'], price: 100, language: 'es', available: true, updatedAt: 0 },
  hat: { id: 'hat', title: 'Straw hat', categories: ['hats'], price: 20, language: 'en', available: true, updatedAt: 0 },
  sock: { id: 'sock', title: 'Sock', categories: ['socks'], available: true, updatedAt: 0 },
};

let seq = 0;
function ev(type: EventType, at: number, itemId: string | null, extra: Partial<StoredEvent> = {}): StoredEvent {
  seq++;
  return {
    messageId: `m${seq}`,
    type,
    subject: 'u1',
    userId: 'u1',
    anonymousId: null,
    itemId,
    value: null,
    query: null,
    channel: null,
    recommendationId: null,
    variant: null,
    timestamp: at,
    receivedAt: at,
    properties: null,
    ...extra,
  };
}

/** Applies events one by one, in the order given, looking items up in ITEMS. */
function applyAll(events: StoredEvent[], start: Profile | null = null): Profile {
  let p = start;
  for (const e of events) p = applyEvent(p, e, e.itemId ? ITEMS[e.itemId] : undefined);
  return p!;
}

const itemOf = (id: string) => ITEMS[id];

describe('applyEvent', () => {
  it('starts a profile at the first event and counts each type with its most recent time', () => {
    const p = applyAll([
      ev('view', T0, 'shoe'),
      ev('view', T0 + HOUR, 'bag'),
      ev('click', T0 + 2 * HOUR, 'shoe'),
      ev('search', T0 + 3 * HOUR, null, { query: 'hats' }),
    ]);
    expect(p.version).toBe(1);
    expect(p.firstSeen).toBe(T0);
    expect(p.lastSeen).toBe(T0 + 3 * HOUR);
    expect(p.events).toEqual({
      view: { count: 2, last: T0 + HOUR },
      click: { count: 1, last: T0 + 2 * HOUR },
      search: { count: 1, last: T0 + 3 * HOUR },
    });
  });

  it('keeps the newest `last` and widens firstSeen when an older event arrives late', () => {
    const p = applyAll([ev('view', T0 + DAY, 'shoe'), ev('view', T0, 'bag')]);
    expect(p.events.view).toEqual({ count: 2, last: T0 + DAY });
    expect(p.firstSeen).toBe(T0);
    expect(p.lastSeen).toBe(T0 + DAY);
  });

  it('does not mutate the profile it is given', () => {
    const p1 = applyAll([ev('view', T0, 'shoe')]);
    const snapshot = structuredClone(p1);
    const p2 = applyEvent(p1, ev('purchase', T0 + DAY, 'bag', { channel: 'app' }), ITEMS.bag);
    expect(p1).toEqual(snapshot);
    expect(p2).not.toBe(p1);
    expect(p2.purchases).toBe(1);
  });

  it('adds the event weight to every category and tag of the item', () => {
    const p = applyAll([ev('view', T0, 'shoe'), ev('purchase', T0, 'hat')]);
    // view weighs 1, purchase 5; all at the same moment, so no decay.
    expect(p.categories).toEqual({ shoes: 1, hats: 5 });
    expect(p.tags).toEqual({ red: 1, leather: 1 });
  });

  it('halves an affinity after AFFINITY_HALF_LIFE_DAYS', () => {
    const p = applyAll([ev('view', T0, 'shoe'), ev('view', T0 + HALF, 'bag')]);
    expect(p.decayedAt).toBe(T0 + HALF);
    expect(p.categories.shoes).toBeCloseTo(0.5, 10);
    expect(p.categories.bags).toBeCloseTo(1, 10);
    expect(p.tags.red).toBeCloseTo(0.5, 10);
    expect(p.tags.leather).toBeCloseTo(1.5, 10); // 1 decayed to 0.5, plus 1 fresh
    // Readers decay further to their own now: another half-life halves everything again.
    const cats = affinitiesAt(p.categories, p.decayedAt, T0 + 2 * HALF);
    expect(cats).toEqual([
      { name: 'bags', score: 0.5 },
      { name: 'shoes', score: 0.25 },
    ]);
  });

  it('forgets an affinity once it has faded below 1e-4, and keeps the fresh ones', () => {
    // 14 half-lives take 1 to 6e-5; 13 leave 1.2e-4, still kept.
    const kept = applyAll([ev('view', T0, 'shoe'), ev('view', T0 + 13 * HALF, 'bag')]);
    expect(Object.keys(kept.categories).sort()).toEqual(['bags', 'shoes']);
    const p = applyAll([ev('view', T0, 'shoe'), ev('view', T0 + 14 * HALF, 'bag')]);
    expect(p.categories).toEqual({ bags: 1 });
    expect(p.tags).toEqual({ leather: expect.closeTo(1, 3) });
    // And through the batch path, which updates one profile in place.
    expect(buildProfile([ev('view', T0, 'shoe'), ev('view', T0 + 14 * HALF, 'bag')], itemOf)!.categories).toEqual({ bags: 1 });
  });

  it('decays a late (older) event by its age instead of moving the clock back', () => {
    const inOrder = applyAll([ev('view', T0, 'shoe'), ev('view', T0 + HALF, 'bag')]);
    const late = applyAll([ev('view', T0 + HALF, 'bag'), ev('view', T0, 'shoe')]);
    expect(late.decayedAt).toBe(T0 + HALF);
    expect(late.categories.shoes).toBeCloseTo(0.5, 10);
    expect(late.categories).toEqual(inOrder.categories);
    expect(late.tags).toEqual(inOrder.tags);
  });

  it('lowers affinity on dislike and return, and may push it below zero', () => {
    const liked = applyAll([ev('like', T0, 'shoe')]);
    expect(liked.categories.shoes).toBe(3);
    const disliked = applyEvent(liked, ev('dislike', T0, 'shoe'), ITEMS.shoe);
    expect(disliked.categories.shoes).toBe(0);
    const returned = applyEvent(disliked, ev('return', T0, 'shoe'), ITEMS.shoe);
    expect(returned.categories.shoes).toBe(-4);
    expect(returned.tags.red).toBe(-4);
    // A negative affinity ranks below positive ones and never becomes a likes: segment.
    const withBag = applyEvent(returned, ev('view', T0, 'bag'), ITEMS.bag);
    expect(affinitiesAt(withBag.categories, withBag.decayedAt, T0).map((a) => a.name)).toEqual(['bags', 'shoes']);
    const v = viewProfile(returned, T0, { terciles: null });
    expect(v.segments.some((s) => s.startsWith('likes:'))).toBe(false);
  });

  it('turns a rating into an interest whose stars say how strong: one star weak, five strong, never negative', () => {
    const p = applyAll([ev('rating', T0, 'shoe', { value: 5 }), ev('rating', T0, 'hat', { value: 1 }), ev('rating', T0, 'bag', { value: 3 })]);
    expect(p.categories.shoes).toBeCloseTo(1.2, 9);
    expect(p.categories.hats).toBeCloseTo(0.8, 9);
    expect(p.categories.bags).toBeCloseTo(1, 9);
    expect(p.events.rating?.count).toBe(3);
  });

  it('keeps weighted price statistics of positively engaged items only', () => {
    const p = applyAll([
      ev('view', T0, 'shoe'), // 50 × 1
      ev('purchase', T0 + HOUR, 'bag'), // 100 × 5
      ev('dislike', T0 + 2 * HOUR, 'hat'), // 20, negative: ignored
      ev('view', T0 + 3 * HOUR, 'sock'), // no price: ignored
    ]);
    expect(p.price).toEqual({ sum: 550, weight: 6, min: 50, max: 100 });
    const v = viewProfile(p, T0 + 3 * HOUR, { terciles: null });
    expect(v.features.averagePrice).toBe(91.67);
    expect(v.features.priceRange).toEqual({ min: 50, max: 100 });
  });

  it('counts item languages of positive events and exposes the most frequent one', () => {
    const p = applyAll([
      ev('view', T0, 'shoe'),
      ev('view', T0 + 1, 'hat'),
      ev('view', T0 + 2, 'bag'),
      ev('dislike', T0 + 3, 'bag'),
      ev('return', T0 + 4, 'bag'),
    ]);
    expect(p.languages).toEqual({ en: 2, es: 1 });
    expect(viewProfile(p, T0, { terciles: null }).language).toBe('en');
    // A trait language set by the user wins over what was inferred.
    expect(viewProfile(p, T0, { terciles: null, traitLanguage: 'es' }).language).toBe('es');
    const es = applyAll([ev('view', T0, 'bag'), ev('like', T0 + 1, 'bag')]);
    expect(viewProfile(es, T0, { terciles: null }).language).toBe('es');
  });

  it('counts the channel mix and marks people seen on several channels as omnichannel', () => {
    const one = applyAll([ev('view', T0, 'shoe', { channel: 'web' }), ev('view', T0 + 1, 'bag', { channel: 'web' }), ev('view', T0 + 2, 'hat')]);
    expect(one.channels).toEqual({ web: 2 });
    expect(viewProfile(one, T0, { terciles: null }).segments).not.toContain('omnichannel');
    const many = applyAll([ev('purchase', T0 + 3, 'shoe', { channel: 'store' }), ev('view', T0 + 4, 'bag', { channel: 'app' })], one);
    expect(many.channels).toEqual({ web: 2, store: 1, app: 1 });
    const v = viewProfile(many, T0 + 5, { terciles: null });
    expect(v.channels).toEqual({ web: 2, store: 1, app: 1 });
    expect(v.segments).toContain('omnichannel');
  });

  it('keeps the cart: adds once, removes on purchase, counts purchases', () => {
    let p = applyAll([ev('add_to_cart', T0, 'shoe'), ev('add_to_cart', T0 + 1, 'bag'), ev('add_to_cart', T0 + 2, 'shoe')]);
    expect(p.cart).toEqual(['shoe', 'bag']);
    expect(p.purchases).toBe(0);
    expect(p.lastPurchase).toBeNull();
    p = applyAll([ev('purchase', T0 + 3, 'shoe')], p);
    expect(p.cart).toEqual(['bag']);
    expect(p.purchases).toBe(1);
    expect(p.lastPurchase).toBe(T0 + 3);
    // Buying something that was never in the cart leaves the cart alone.
    p = applyAll([ev('purchase', T0 + 4, 'hat')], p);
    expect(p.cart).toEqual(['bag']);
    expect(p.purchases).toBe(2);
    expect(p.lastPurchase).toBe(T0 + 4);
  });

  it('does not put a bought item back in the cart when an older add_to_cart arrives late', () => {
    // The cart holds "items added to the cart and not bought since"; events may arrive out of order.
    const live = applyAll([ev('purchase', T0 + HOUR, 'shoe'), ev('add_to_cart', T0, 'shoe')]);
    const rebuilt = buildProfile([ev('purchase', T0 + HOUR, 'shoe'), ev('add_to_cart', T0, 'shoe')], itemOf)!;
    expect(rebuilt.cart).toEqual([]);
    expect(live.cart).toEqual(rebuilt.cart);
  });

  it('keeps at most 50 tags, dropping the weakest', () => {
    const manyTags: StoredItem = { id: 'kit', title: 'Kit', tags: Array.from({ length: 60 }, (_, i) => `t${i}`), available: true, updatedAt: 0 };
    let p = applyEvent(null, ev('view', T0, 'kit'), manyTags); // 60 tags at 1 each
    p = applyEvent(p, ev('like', T0, 'shoe'), ITEMS.shoe); // red, leather: 3 each, added last
    expect(Object.keys(p.tags)).toHaveLength(50);
    expect(p.tags.red).toBe(3);
    expect(p.tags.leather).toBe(3);
  });

  it('counts names a plain object inherits (constructor, toString) as any other, and trims to 50 with them', () => {
    // Names come from shoppers and shops: `map.constructor` must not read Object.prototype's function
    // (it made the affinity a string), and adding such a name must still trim the map to 50.
    const full: StoredItem = { id: 'kit', title: 'Kit', categories: Array.from({ length: 50 }, (_, i) => `c${i}`), available: true, updatedAt: 0 };
    const odd: StoredItem = { id: 'toString', title: 'Odd', categories: ['constructor', 'toString'], tags: ['hasOwnProperty'], available: true, updatedAt: 0 };
    let p = applyEvent(null, ev('view', T0, 'kit'), full);
    expect(Object.keys(p.categories)).toHaveLength(50);
    p = applyEvent(p, ev('purchase', T0, 'toString', { channel: 'constructor' }), odd);
    expect(Object.keys(p.categories)).toHaveLength(50);
    expect(p.categories.constructor).toBe(5); // a purchase weighs 5, a view 1: both new names outrank the views
    expect(p.categories.toString).toBe(5);
    expect(p.tags.hasOwnProperty).toBe(5);
    expect(p.channels.constructor).toBe(1);
    expect(p.boughtAt.toString).toBe(T0);
    p = applyEvent(p, ev('add_to_cart', T0 + HOUR, 'toString'), odd);
    expect(p.cart).toEqual(['toString']);
  });
});

describe('funnelStage', () => {
  it('is new_visitor with no profile, and for a first short visit', () => {
    expect(funnelStage(null, T0)).toBe('new_visitor');
    const p = applyAll([ev('view', T0, 'shoe'), ev('view', T0 + 1, 'bag')]);
    expect(funnelStage(p, T0 + HOUR)).toBe('new_visitor');
  });

  it('is browsing after more than two events, or once the first visit is a day old', () => {
    const three = applyAll([ev('view', T0, 'shoe'), ev('view', T0 + 1, 'bag'), ev('view', T0 + 2, 'hat')]);
    expect(funnelStage(three, T0 + HOUR)).toBe('browsing');
    const one = applyAll([ev('view', T0, 'shoe')]);
    expect(funnelStage(one, T0 + 2 * DAY)).toBe('browsing');
  });

  it('is considering with something in the cart', () => {
    const p = applyAll([ev('add_to_cart', T0, 'shoe')]);
    expect(funnelStage(p, T0 + HOUR)).toBe('considering');
    expect(funnelStage(p, T0 + 60 * DAY)).toBe('considering'); // never bought: not at risk
  });

  it('is customer after a purchase and loyal after three', () => {
    const one = applyAll([ev('add_to_cart', T0, 'shoe'), ev('add_to_cart', T0 + 1, 'bag'), ev('purchase', T0 + 2, 'shoe')]);
    expect(one.cart).toEqual(['bag']);
    expect(funnelStage(one, T0 + DAY)).toBe('customer');
    const two = applyAll([ev('purchase', T0 + 3, 'hat')], one);
    expect(funnelStage(two, T0 + DAY)).toBe('customer');
    const three = applyAll([ev('purchase', T0 + 4, 'bag')], two);
    expect(funnelStage(three, T0 + DAY)).toBe('loyal');
  });

  it(`is at_risk for a buyer idle more than ${AT_RISK_AFTER_DAYS} days`, () => {
    const buyer = applyAll([ev('purchase', T0, 'shoe')]);
    expect(funnelStage(buyer, T0 + AT_RISK_AFTER_DAYS * DAY)).toBe('customer');
    expect(funnelStage(buyer, T0 + (AT_RISK_AFTER_DAYS + 1) * DAY)).toBe('at_risk');
    const loyal = applyAll([ev('purchase', T0, 'shoe'), ev('purchase', T0 + 1, 'bag'), ev('purchase', T0 + 2, 'hat')]);
    expect(funnelStage(loyal, T0 + 2 + 31 * DAY)).toBe('at_risk');
    // Coming back (any event) resets the idle clock.
    const back = applyAll([ev('view', T0 + 40 * DAY, 'sock')], loyal);
    expect(funnelStage(back, T0 + 41 * DAY)).toBe('loyal');
  });
});

describe('priceBand', () => {
  const terciles = [30, 80] as const;
  const withAverage = (price: number) => applyEvent(null, ev('view', T0, 'x'), { id: 'x', title: 'X', price, available: true, updatedAt: 0 });

  it('places the average price against the terciles, bounds inclusive', () => {
    expect(priceBand(withAverage(20), terciles)).toBe('budget');
    expect(priceBand(withAverage(30), terciles)).toBe('budget');
    expect(priceBand(withAverage(30.01), terciles)).toBe('mid');
    expect(priceBand(withAverage(80), terciles)).toBe('mid');
    expect(priceBand(withAverage(80.01), terciles)).toBe('premium');
  });

  it('uses the weighted average, not the last price', () => {
    // 20 × 5 (purchase) + 100 × 1 (view) = 200 / 6 ≈ 33.3: mid, though the last item was premium.
    const p = applyAll([ev('purchase', T0, 'hat'), ev('view', T0 + 1, 'bag')]);
    expect(priceBand(p, terciles)).toBe('mid');
  });

  it('is null without terciles, without a profile or without priced engagement', () => {
    expect(priceBand(withAverage(50), null)).toBeNull();
    expect(priceBand(null, terciles)).toBeNull();
    expect(priceBand(applyAll([ev('view', T0, 'sock'), ev('dislike', T0, 'bag')]), terciles)).toBeNull();
  });
});

describe('buildProfile', () => {
  const history = [
    ev('view', T0, 'shoe', { channel: 'web' }),
    ev('click', T0 + HOUR, 'shoe', { channel: 'web' }),
    ev('add_to_cart', T0 + 2 * HOUR, 'shoe', { channel: 'web' }),
    ev('view', T0 + 3 * DAY, 'bag', { channel: 'app' }),
    ev('add_to_cart', T0 + 3 * DAY + HOUR, 'bag', { channel: 'app' }),
    ev('purchase', T0 + 5 * DAY, 'shoe', { channel: 'store' }),
    ev('dislike', T0 + 9 * DAY, 'hat', { channel: 'app' }),
    ev('rating', T0 + 10 * DAY, 'shoe', { value: 5, channel: 'email' }),
    ev('search', T0 + 11 * DAY, null, { query: 'bolso', channel: 'web' }),
    ev('return', T0 + 20 * DAY, 'bag', { channel: 'store' }),
    ev('view', T0 + 30 * DAY, 'sock', { channel: 'web' }),
  ];

  /** A deterministic shuffle (Fisher-Yates over a small LCG). */
  function shuffled<T>(list: readonly T[], seed: number): T[] {
    const out = [...list];
    let s = seed;
    for (let i = out.length - 1; i > 0; i--) {
      s = (s * 1103515245 + 12345) % 2 ** 31;
      const j = s % (i + 1);
      [out[i], out[j]] = [out[j], out[i]];
    }
    return out;
  }

  it('returns null for no events', () => {
    expect(buildProfile([], itemOf)).toBeNull();
  });

  it('equals applying the events one by one in time order', () => {
    expect(buildProfile(history, itemOf)).toEqual(applyAll(history));
  });

  it('gives the same profile whatever order the events come in', () => {
    const expected = buildProfile(history, itemOf);
    expect(expected).not.toBeNull();
    expect(expected!.cart).toEqual(['bag']);
    expect(expected!.purchases).toBe(1);
    const orders = [[...history].reverse(), ...[1, 2, 3, 42, 2024].map((seed) => shuffled(history, seed))];
    // The shuffles really are different orders.
    expect(orders.some((o) => o[0] !== history[0])).toBe(true);
    for (const order of orders) expect(buildProfile(order, itemOf)).toEqual(expected);
  });

  it('does not reorder the caller’s array', () => {
    const reversed = [...history].reverse();
    const copy = [...reversed];
    buildProfile(reversed, itemOf);
    expect(reversed).toEqual(copy);
  });
});

describe('viewProfile', () => {
  it('describes an empty visitor', () => {
    const v = viewProfile(null, T0, { terciles: [30, 80] });
    expect(v).toEqual({
      funnelStage: 'new_visitor',
      features: {
        firstSeen: null,
        lastSeen: null,
        daysSinceLastSeen: null,
        events: {},
        purchases: 0,
        lastPurchase: null,
        averagePrice: null,
        priceRange: null,
        priceBand: null,
        cart: [],
      },
      affinities: { categories: [], tags: [] },
      language: null,
      channels: {},
      segments: ['stage:new_visitor'],
    });
  });

  it('shows features, affinities decayed to now and segments', () => {
    const p = applyAll([
      ev('view', T0, 'shoe', { channel: 'web' }),
      ev('add_to_cart', T0 + HOUR, 'bag', { channel: 'web' }),
      ev('purchase', T0 + 2 * HOUR, 'shoe', { channel: 'app' }),
    ]);
    const now = T0 + 2 * HOUR + HALF + 3 * DAY;
    const v = viewProfile(p, now, { terciles: [30, 80] });
    expect(v.funnelStage).toBe('customer');
    expect(v.features.firstSeen).toBe(new Date(T0).toISOString());
    expect(v.features.lastSeen).toBe(new Date(T0 + 2 * HOUR).toISOString());
    expect(v.features.daysSinceLastSeen).toBe(AFFINITY_HALF_LIFE_DAYS + 3);
    expect(v.features.events).toEqual({
      view: { count: 1, last: new Date(T0).toISOString() },
      add_to_cart: { count: 1, last: new Date(T0 + HOUR).toISOString() },
      purchase: { count: 1, last: new Date(T0 + 2 * HOUR).toISOString() },
    });
    expect(v.features.purchases).toBe(1);
    expect(v.features.lastPurchase).toBe(new Date(T0 + 2 * HOUR).toISOString());
    expect(v.features.cart).toEqual(['bag']);
    // price: 50 × 1 + 100 × 3 + 50 × 5 = 600 over weight 9 = 66.67, mid against [30, 80].
    expect(v.features.averagePrice).toBe(66.67);
    expect(v.features.priceBand).toBe('mid');
    // shoes ≈ 1 + 5 and bags ≈ 3, each decayed by a bit more than one half-life.
    expect(v.affinities.categories.map((a) => a.name)).toEqual(['shoes', 'bags']);
    expect(v.affinities.categories[0].score).toBeGreaterThan(2.3);
    expect(v.affinities.categories[0].score).toBeLessThan(3);
    expect(v.affinities.tags.map((a) => a.name)).toEqual(['leather', 'red']);
    expect(v.language).toBe('en');
    expect(v.channels).toEqual({ web: 2, app: 1 });
    expect(v.segments).toEqual(['stage:customer', 'price:mid', 'likes:shoes', 'omnichannel']);
  });

  it('includes the stage segment for every stage', () => {
    const p = applyAll([ev('view', T0, 'hat'), ev('view', T0 + 1, 'hat'), ev('view', T0 + 2, 'hat')]);
    const v = viewProfile(p, T0 + HOUR, { terciles: [30, 80] });
    expect(v.funnelStage).toBe('browsing');
    expect(v.segments).toEqual(['stage:browsing', 'price:budget', 'likes:hats']);
  });
});

it('emptyProfile starts with nothing but its time', () => {
  const p = emptyProfile(T0);
  expect(p.firstSeen).toBe(T0);
  expect(p.lastSeen).toBe(T0);
  expect(p.decayedAt).toBe(T0);
  expect(p.events).toEqual({});
  expect(p.cart).toEqual([]);
  expect(funnelStage(p, T0)).toBe('new_visitor');
});
