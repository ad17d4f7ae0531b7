import { describe, expect, it } from 'vitest';
import { EventInput, type EventInputT } from '../../src/domain/schemas.ts';
import { generateDemo } from '../../src/simulate/demo.ts';
import { simulateEvents } from '../../src/simulate/behaviour.ts';

const DAY = 86_400_000;
const WEEK = 7 * DAY;
const now = Date.UTC(2025, 5, 1, 12);
const demo = generateDemo({ seed: 42, now });
const { catalog, shoppers, events, aliases } = demo;
const itemById = new Map(catalog.map((i) => [i.id, i]));
const ts = (e: EventInputT) => e.timestamp as number;

describe('simulateEvents', () => {
  it('produces events valid against the EventInput schema', () => {
    expect(events.length).toBeGreaterThan(5000);
    for (const e of events) {
      const parsed = EventInput.safeParse(e);
      expect(parsed.success, `${e.messageId}: ${parsed.error?.message}`).toBe(true);
    }
  });

  it('gives every event a unique, deterministic messageId and sorts by time', () => {
    expect(new Set(events.map((e) => e.messageId)).size).toBe(events.length);
    for (let i = 1; i < events.length; i++) expect(ts(events[i])).toBeGreaterThanOrEqual(ts(events[i - 1]));
    const again = simulateEvents({ seed: 42, catalog, shoppers, now });
    expect(again.events).toEqual(events);
    expect(again.aliases).toEqual(aliases);
    const other = simulateEvents({ seed: 43, catalog, shoppers, now });
    expect(other.events).not.toEqual(events);
    expect(other.events[0].messageId).not.toBe(events[0].messageId);
  });

  it('spreads integer timestamps over the weeks before now, never after', () => {
    const first = ts(events[0]);
    const last = ts(events[events.length - 1]);
    expect(first).toBeGreaterThanOrEqual(now - 6 * WEEK);
    expect(first).toBeLessThan(now - 5 * WEEK);
    expect(last).toBeLessThanOrEqual(now);
    expect(last).toBeGreaterThan(now - WEEK);
    for (const e of events) expect(Number.isInteger(e.timestamp)).toBe(true);
    const short = simulateEvents({ seed: 42, catalog, shoppers: shoppers.slice(0, 20), weeks: 1, now });
    for (const e of short.events) expect(ts(e)).toBeGreaterThanOrEqual(now - WEEK);
  });

  it('refers only to known items and shoppers', () => {
    const ids = new Set(shoppers.map((s) => s.id));
    for (const e of events) {
      if (e.itemId) expect(itemById.has(e.itemId)).toBe(true);
      if (e.userId) expect(ids.has(e.userId)).toBe(true);
    }
  });

  it('uses every channel and the main event types', () => {
    expect(new Set(events.map((e) => e.channel))).toEqual(new Set(['web', 'app', 'store', 'email', 'chat']));
    const types = new Set(events.map((e) => e.type));
    for (const t of ['view', 'click', 'add_to_cart', 'purchase', 'search', 'rating', 'like', 'return', 'email_open', 'chat']) {
      expect(types.has(t as EventInputT['type']), t).toBe(true);
    }
    const queries = events.filter((e) => e.type === 'search').map((e) => e.query!);
    expect(queries.some((q) => /auriculares|zapatillas|vestido|taza|novela|lámpara|chaqueta/.test(q))).toBe(true);
  });

  it('has a plausible funnel', () => {
    const count = (t: string, f: (e: EventInputT) => boolean = () => true) => events.filter((e) => e.type === t && f(e)).length;
    const views = count('view');
    const carts = count('add_to_cart');
    const online = count('purchase', (e) => e.channel !== 'store');
    expect(carts / views).toBeGreaterThan(0.05);
    expect(carts / views).toBeLessThan(0.3);
    expect(online / carts).toBeGreaterThan(0.3);
    expect(online / carts).toBeLessThan(0.8);
    expect(count('return')).toBeLessThan(count('purchase') * 0.15);
    // Purchases are at the item's price; ratings are 1-5 stars.
    for (const e of events) {
      if (e.type === 'purchase') expect(e.value).toBe(itemById.get(e.itemId!)!.price);
      if (e.type === 'rating') expect([1, 2, 3, 4, 5]).toContain(e.value);
    }
  });

  it('never puts an unavailable item in a cart', () => {
    for (const e of events) if (e.type === 'add_to_cart') expect(itemById.get(e.itemId!)!.available).toBe(true);
  });

  it('stops churners browsing after their churn week', () => {
    const from = now - 6 * WEEK;
    const churners = shoppers.filter((s) => s.taste.churnAfterWeeks !== null);
    expect(churners.length).toBeGreaterThan(0);
    for (const s of churners) {
      const end = from + s.taste.churnAfterWeeks! * WEEK;
      const late = events.filter((e) => e.userId === s.id && ts(e) > end && e.type !== 'rating' && e.type !== 'return');
      expect(late, s.id).toEqual([]);
    }
  });

  it('starts some sessions anonymously and aliases them consistently', () => {
    expect(aliases.length).toBeGreaterThan(20);
    const aliasOf = new Map<string, string>();
    for (const a of aliases) {
      expect(aliasOf.has(a.anonymousId), `duplicate alias ${a.anonymousId}`).toBe(false);
      aliasOf.set(a.anonymousId, a.userId);
    }
    const anonOnly = events.filter((e) => e.anonymousId && !e.userId);
    const both = events.filter((e) => e.anonymousId && e.userId);
    expect(anonOnly.length).toBeGreaterThan(0);
    expect(both.length).toBeGreaterThan(0);
    // Every anonymous id in the events is aliased, to the user it later carries.
    for (const e of anonOnly) expect(aliasOf.has(e.anonymousId!)).toBe(true);
    for (const e of both) expect(aliasOf.get(e.anonymousId!)).toBe(e.userId);
    // Every alias has events, and the anonymous ones come before identification.
    const seen = new Set(events.filter((e) => e.anonymousId).map((e) => e.anonymousId!));
    for (const a of aliases) expect(seen.has(a.anonymousId)).toBe(true);
    const firstIdentified = new Map<string, number>();
    for (const e of both) if (!firstIdentified.has(e.anonymousId!)) firstIdentified.set(e.anonymousId!, ts(e));
    for (const e of anonOnly) {
      const t = firstIdentified.get(e.anonymousId!);
      if (t !== undefined) expect(ts(e)).toBeLessThanOrEqual(t);
    }
    // Purchases and carts always carry the user id: checkout needs a login.
    for (const e of events) if (e.type === 'purchase' || e.type === 'add_to_cart') expect(e.userId).toBeTruthy();
  });

  it('makes purchases follow the hidden favourite categories', () => {
    const category = (id: string) => itemById.get(id)!.categories[0];
    let considered = 0;
    let matching = 0;
    for (const s of shoppers) {
      const counts = new Map<string, number>();
      for (const e of events) {
        if (e.type === 'purchase' && e.userId === s.id) counts.set(category(e.itemId!), (counts.get(category(e.itemId!)) ?? 0) + 1);
      }
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      if (total < 2) continue;
      considered++;
      const top = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
      if (s.taste.categories.some((c) => c.value === top)) matching++;
    }
    expect(considered).toBeGreaterThan(100);
    expect(matching / considered).toBeGreaterThan(0.85);
  });

  it('is learnable: early behaviour predicts later purchases better than popularity', () => {
    // Train on the first four weeks, test on purchases in the last two.
    const split = now - 2 * WEEK;
    const weight: Partial<Record<EventInputT['type'], number>> = { view: 1, click: 1, like: 2, add_to_cart: 3, purchase: 5 };
    const person = new Map(aliases.map((a) => [a.anonymousId, a.userId]));
    const popularity = new Map<string, number>();
    const affinity = new Map<string, Map<string, number>>();
    for (const e of events) {
      const w = weight[e.type];
      if (ts(e) >= split || !e.itemId || !w) continue;
      popularity.set(e.itemId, (popularity.get(e.itemId) ?? 0) + w);
      const who = e.userId ?? person.get(e.anonymousId!);
      if (!who) continue;
      const m = affinity.get(who) ?? new Map<string, number>();
      const cat = itemById.get(e.itemId)!.categories[0];
      m.set(cat, (m.get(cat) ?? 0) + w);
      affinity.set(who, m);
    }
    const available = catalog.filter((i) => i.available).map((i) => i.id);
    const pop = (id: string) => popularity.get(id) ?? 0;
    const popularTop = [...available].sort((a, b) => pop(b) - pop(a)).slice(0, 10);
    const later = new Map<string, Set<string>>();
    for (const e of events) {
      if (ts(e) < split || e.type !== 'purchase') continue;
      const s = later.get(e.userId!) ?? new Set<string>();
      s.add(e.itemId!);
      later.set(e.userId!, s);
    }
    let users = 0;
    let hitsPopular = 0;
    let hitsPersonal = 0;
    for (const [user, bought] of later) {
      const m = affinity.get(user);
      if (!m) continue;
      users++;
      const total = [...m.values()].reduce((a, b) => a + b, 0);
      const score = (id: string) => pop(id) * ((m.get(itemById.get(id)!.categories[0]) ?? 0) / total + 0.01);
      const personalTop = [...available].sort((a, b) => score(b) - score(a)).slice(0, 10);
      if (popularTop.some((i) => bought.has(i))) hitsPopular++;
      if (personalTop.some((i) => bought.has(i))) hitsPersonal++;
    }
    expect(users).toBeGreaterThan(80);
    expect(hitsPersonal).toBeGreaterThan(hitsPopular * 1.4);
  });

  it('handles no shoppers and rejects a bad now', () => {
    expect(simulateEvents({ seed: 1, catalog, shoppers: [], now })).toEqual({ events: [], aliases: [] });
    expect(() => simulateEvents({ seed: 1, catalog, shoppers, now: Number.NaN })).toThrow(RangeError);
  });
});
