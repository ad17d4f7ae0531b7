import { describe, expect, it } from 'vitest';
import { Catalog } from '../../src/catalog/catalog.ts';
import type { StoredEvent } from '../../src/domain/schemas.ts';
import { rng } from '../../src/stats/random.ts';
import {
  ABOVE_MODELS,
  COMMON_SHARE,
  DUE_FRACTION,
  DueItems,
  MIN_TIMING_EVIDENCE,
  MOSTLY_REBUYS,
  RebuyLearner,
  decodeRebuy,
  dueItems,
  dueReason,
  dueStrength,
  encodeRebuy,
  everyPhrase,
  figuresFor,
  type DueItem,
  type RebuyStats,
} from '../../src/recommend/rebuy.ts';
import { REPLENISH_BOOST, boostDue } from '../../src/recommend/stage-shaping.ts';

const DAY = 86_400_000;
const ev = (subject: string, itemId: string, day: number, type: StoredEvent['type'] = 'purchase'): StoredEvent => ({
  messageId: `${subject}-${itemId}-${day}-${type}`,
  type,
  subject,
  userId: subject,
  anonymousId: null,
  itemId,
  value: null,
  query: null,
  channel: null,
  recommendationId: null,
  variant: null,
  timestamp: Math.round(day * DAY),
  receivedAt: 0,
  properties: null,
});

/**
 * A seeded shop: 60 people each buy one coffee every ~21 days (±3) for a year, and 2 pieces of
 * furniture once each; 5 people bought one lamp once (a small category).
 */
function shop(seed: number) {
  const rand = rng(seed);
  const events: StoredEvent[] = [];
  for (let u = 0; u < 60; u++) {
    const coffee = `coffee${u % 4}`;
    for (let day = rand() * 20; day < 365; day += 18 + rand() * 6) events.push(ev(`u${u}`, coffee, day));
    events.push(ev(`u${u}`, `sofa${u % 7}`, rand() * 365), ev(`u${u}`, `table${u % 5}`, rand() * 365));
  }
  for (let u = 0; u < 5; u++) events.push(ev(`u${u}`, 'lamp', 100 + u));
  const leaf = (id: string) => (id.startsWith('coffee') ? 'Coffee' : id === 'lamp' ? 'lamps' : id.startsWith('sofa') ? 'sofas' : 'tables');
  return { events, leaf };
}

function learned(seed = 1): RebuyStats {
  const { events, leaf } = shop(seed);
  const l = new RebuyLearner();
  for (const e of events) l.add(e);
  return l.learn(leaf, 0);
}

describe('re-buy figures learned from purchases', () => {
  it('finds that coffee is re-bought about every 3 weeks and furniture never', () => {
    const s = learned();
    const coffee = s.categories['coffee'];
    expect(coffee.purchases).toBeGreaterThan(60 * 14);
    expect(coffee.share).toBeGreaterThan(0.9);
    expect(coffee.medianDays).toBeGreaterThan(19);
    expect(coffee.medianDays).toBeLessThan(23);
    for (const c of ['sofas', 'tables']) {
      expect(s.categories[c].repeats).toBe(0);
      expect(s.categories[c].share).toBeLessThan(COMMON_SHARE);
    }
  });

  it('shrinks a small category towards the workspace figure', () => {
    const s = learned();
    // Five purchases, no repeat: its raw share is 0, but five purchases are little evidence.
    expect(s.categories['lamps'].repeats).toBe(0);
    expect(s.categories['lamps'].share).toBeGreaterThan(0.3 * s.workspace.share);
    expect(s.categories['lamps'].medianDays).toBeCloseTo(s.workspace.medianDays!, 5);
    // A large category keeps its own figure.
    expect(s.categories['sofas'].share).toBeLessThan(0.2 * s.workspace.share);
  });

  it('counts lines of one order as one purchase, ignores other events, and falls back to the workspace without a category', () => {
    const l = new RebuyLearner();
    l.add(ev('a', 'x', 0));
    l.add({ ...ev('a', 'x', 0), timestamp: 60_000 }); // a second line of the same order
    l.add(ev('a', 'x', 10, 'view'));
    l.add(ev('a', 'x', 14));
    const s = l.learn(() => undefined, 5);
    expect(s.workspace).toEqual({ purchases: 2, repeats: 1, share: 0.5, medianDays: 14 });
    expect(s.categories).toEqual({});
    expect(figuresFor(s, 'anything')).toBe(s.workspace);
    expect(decodeRebuy(encodeRebuy(s))).toEqual(s);
    expect(decodeRebuy(new TextEncoder().encode('{"version":9}'))).toBeNull();
  });
});

describe("the shop's due window", () => {
  it('is learned from when its customers re-buy, in their usual intervals', () => {
    // Coffee every 18-24 days: re-buys come at 0.8-1.2 of the usual interval, never at 0.6 or 1.5.
    const s = learned();
    expect(s.timing).toBeDefined();
    expect(s.timing!.repeats).toBeGreaterThan(60 * 14);
    expect(s.timing!.early).toBeGreaterThan(0.75);
    expect(s.timing!.early).toBeLessThan(1);
    expect(s.timing!.late).toBeGreaterThan(1);
    expect(s.timing!.late).toBeLessThan(1.3);
    expect(decodeRebuy(encodeRebuy(s))).toEqual(s);
  });

  it('is left to the defaults with too few re-buys, and when stored figures carry none or a broken one', () => {
    const l = new RebuyLearner();
    for (let k = 0; k < MIN_TIMING_EVIDENCE; k++) l.add(ev('a', 'x', 10 * k)); // one person: one re-buy short
    expect(l.learn(() => 'coffee', 0).timing).toBeUndefined();
    l.add(ev('a', 'x', 10 * MIN_TIMING_EVIDENCE));
    const t = l.learn(() => 'coffee', 0).timing!;
    expect(t.repeats).toBe(MIN_TIMING_EVIDENCE);
    expect(t.early).toBeCloseTo(1, 6); // every 10 days exactly: one interval, early or late
    expect(t.late).toBeCloseTo(1, 6);
    const s = learned();
    const broken = { ...s, timing: { early: 2, late: 1, repeats: 9 } };
    expect(decodeRebuy(encodeRebuy(broken))?.timing).toBeUndefined();
  });

  it("decides when a bought item is due again: the shop's early end, else the default", () => {
    const s = learned();
    const mine = [ev('p', 'coffee1', 0), ev('p', 'coffee1', 20), ev('p', 'coffee1', 40)];
    // 0.7 of the person's 20 days: early for a shop whose earliest re-buys come at ~0.85, not for the default.
    const at = (40 + 14) * DAY;
    expect([...dueItems(mine, at, shop(1).leaf, s)]).toEqual([]);
    const { timing: _, ...untimed } = s;
    expect(0.7).toBeGreaterThan(DUE_FRACTION);
    expect([...dueItems(mine, at, shop(1).leaf, untimed)]).toEqual(['coffee1']);
  });
});

describe('where a due item lands', () => {
  const item = (over: Partial<DueItem>): DueItem => ({ intervalDays: 21, own: true, times: 3, share: 0.9, elapsed: 1, late: 1.3, ...over });

  it('above every model proposal (scores up to 1, trend and discovery up to 0.2) where most purchases are re-buys', () => {
    expect(ABOVE_MODELS).toBeGreaterThan(1.2);
    for (const times of [1, 2, 10]) expect(dueStrength(item({ times, own: times > 1 }))).toBeGreaterThanOrEqual(ABOVE_MODELS);
    expect(dueStrength(item({ times: 1, own: false, share: MOSTLY_REBUYS }))).toBeGreaterThanOrEqual(ABOVE_MODELS);
    expect(dueStrength(item({ times: 5 }))).toBeGreaterThan(dueStrength(item({ times: 1 })));
  });

  it("among the models' proposals where re-buying is common but most purchases are new", () => {
    expect(dueStrength(item({ share: COMMON_SHARE }))).toBeLessThan(1);
    expect(dueStrength(item({ times: 1, own: false, share: 0.3 }))).toBeLessThan(1);
  });

  it('lower once long overdue (replaced by another pick, or dropped), the more so the longer', () => {
    const timely = dueStrength(item({ elapsed: 1.2 }));
    expect(dueStrength(item({ elapsed: 1.3 }))).toBe(timely);
    expect(dueStrength(item({ elapsed: 2.6 }))).toBeCloseTo(timely / 2);
    expect(dueStrength(item({ elapsed: 13 }))).toBeLessThan(1);
    expect(dueStrength(item({ elapsed: 13, late: Infinity }))).toBe(timely);
  });
});

describe('items due again', () => {
  const s = learned();
  const leaf = shop(1).leaf;

  it("brings a coffee back once its interval has nearly passed: the person's own, else the category's", () => {
    const mine = [ev('p', 'coffee1', 0), ev('p', 'coffee1', 14), ev('p', 'coffee1', 28), ev('p', 'sofa1', 20)];
    expect([...dueItems(mine, 28 * DAY + 5 * DAY, leaf, s)]).toEqual([]);
    const due = dueItems(mine, 28 * DAY + 13 * DAY, leaf, s);
    expect([...due]).toEqual(['coffee1']); // the sofa never comes back
    expect(due.info.get('coffee1')).toMatchObject({ own: true, intervalDays: 14, times: 3 });
    expect(dueReason(due, 'coffee1')).toBe('You buy this every 2 weeks');

    const once = [ev('q', 'coffee2', 0)];
    expect([...dueItems(once, 10 * DAY, leaf, s)]).toEqual([]);
    const later = dueItems(once, 30 * DAY, leaf, s);
    expect([...later]).toEqual(['coffee2']);
    expect(dueReason(later, 'coffee2')).toMatch(/^Usually bought again after about 2[0-2] days$/);
  });

  it('keeps everything out where nobody re-buys, before any training, and after a return', () => {
    const l = new RebuyLearner();
    const rand = rng(7);
    for (let u = 0; u < 50; u++) l.add(ev(`u${u}`, `coffee${Math.floor(rand() * 30)}`, rand() * 300));
    const none = l.learn(leaf, 0);
    expect(none.categories['coffee'].share).toBe(0);
    const mine = [ev('p', 'coffee1', 0), ev('p', 'coffee1', 21)];
    expect([...dueItems(mine, 200 * DAY, leaf, none)]).toEqual([]);
    expect([...dueItems(mine, 200 * DAY, leaf, null)]).toEqual([]);
    expect([...dueItems([...mine, ev('p', 'coffee1', 22, 'return')], 200 * DAY, leaf, s)]).toEqual([]);
  });

  it('lifts due items by how common re-buying is and how settled the habit', () => {
    const catalog = new Catalog(['a', 'b', 'c'].map((id) => ({ id, title: id, available: true, updatedAt: 0 })));
    const due = new DueItems();
    due.add('a');
    due.info.set('a', { intervalDays: 21, own: true, times: 5, share: 0.9, elapsed: 1, late: 1.3 });
    due.add('b');
    due.info.set('b', { intervalDays: 21, own: false, times: 1, share: COMMON_SHARE, elapsed: 1, late: 1.3 });
    const scores = Float64Array.from([0.1, 0.1, 0.1]);
    boostDue(scores, due, catalog);
    expect(scores[0]).toBeCloseTo(0.1 + REPLENISH_BOOST * dueStrength(due.info.get('a')!));
    expect(scores[0]).toBeGreaterThan(scores[1]);
    expect(scores[1]).toBeGreaterThan(0.1);
    expect(scores[2]).toBe(0.1);
  });

  it('says the rhythm in words', () => {
    expect(everyPhrase(21)).toBe('every 3 weeks');
    expect(everyPhrase(22)).toBe('every 3 weeks');
    expect(everyPhrase(7)).toBe('every week');
    expect(everyPhrase(10)).toBe('every 10 days');
    expect(everyPhrase(61)).toBe('every 2 months');
  });
});
