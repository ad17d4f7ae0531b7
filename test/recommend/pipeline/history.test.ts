import { describe, expect, it } from 'vitest';
import type { EventType, StoredEvent } from '../../../src/domain/schemas.ts';
import { DEFAULT_EVENT_WEIGHTS } from '../../../src/domain/weights.ts';
import { personHistory, type HistoryOptions } from '../../../src/recommend/pipeline/history.ts';
import { storedEvent } from '../../stored-event.ts';

const DAY = 86_400_000;
const NOW = Date.UTC(2026, 11, 1);

function ev(itemId: string, type: EventType, timestamp: number, value: number | null = null): StoredEvent {
  return storedEvent(`${itemId}-${timestamp}`, 'u', { type, itemId, value, timestamp });
}

const index = new Map([
  ['a', 0],
  ['b', 1],
  ['c', 2],
]);
const opts = (o: Partial<HistoryOptions> = {}): HistoryOptions => ({ weights: DEFAULT_EVENT_WEIGHTS, halfLifeDays: 30, context: 'home', now: NOW, ...o });

describe('personHistory', () => {
  it("counts age back from the person's latest event: last year's history weighs as it did when it happened", () => {
    const recent = [ev('a', 'view', NOW - 40 * DAY), ev('b', 'purchase', NOW - 10 * DAY)];
    const imported = recent.map((e) => ({ ...e, timestamp: e.timestamp - 400 * DAY }));
    const w = (h: ReturnType<typeof personHistory>) => h.map((p) => p.entry.weight);
    expect(w(personHistory(imported, index, opts()))).toEqual(w(personHistory(recent, index, opts())));
    // Within the history, the older event counts half after one half-life (30 days before the latest).
    const [a, b] = w(personHistory(recent, index, opts()));
    expect(b).toBe(DEFAULT_EVENT_WEIGHTS.purchase);
    expect(a).toBeCloseTo(DEFAULT_EVENT_WEIGHTS.view / 2, 6);
  });

  it('declared taste (ratings, likes) does not fade with age; views do', () => {
    const h = personHistory([ev('a', 'rating', NOW - 300 * DAY, 5), ev('b', 'like', NOW - 300 * DAY), ev('c', 'view', NOW)], index, opts());
    expect(h[0].entry.weight).toBeCloseTo(1.2, 9);
    expect(h[1].entry.weight).toBe(DEFAULT_EVENT_WEIGHTS.like);
    const old = personHistory([ev('a', 'view', NOW - 300 * DAY), ev('c', 'view', NOW)], index, opts());
    expect(old[0].entry.weight).toBeLessThan(0.01);
  });

  it('without the recency stage every event keeps its type weight', () => {
    const h = personHistory([ev('a', 'view', NOW - 400 * DAY), ev('b', 'view', NOW)], index, opts({ halfLifeDays: null }));
    expect(h.map((p) => p.entry.weight)).toEqual([1, 1]);
  });

  it('a low rating is a weak positive by default, a negative one only with explicit ratings', () => {
    const events = [ev('a', 'rating', NOW, 1), ev('b', 'rating', NOW, 5)];
    const [one, five] = personHistory(events, index, opts()).map((p) => p.entry.weight);
    expect(one).toBeGreaterThan(0);
    expect(five).toBeGreaterThan(one);
    const explicit = personHistory(events, index, opts({ ratings: 'explicit' })).map((p) => p.entry.weight);
    expect(explicit[0]).toBeLessThan(0);
  });

  it('skips items the model does not know and events about no item; the item in view leads on an item page', () => {
    const events = [ev('zzz', 'purchase', NOW), { ...ev('a', 'search', NOW), itemId: null }, ev('a', 'view', NOW)];
    const h = personHistory(events, index, opts({ context: 'item', itemId: 'c' }));
    expect(h.map((p) => p.itemId)).toEqual(['a', 'c']);
    expect(h[1].event).toBeNull();
    expect(h[1].entry.weight).toBeGreaterThan(h[0].entry.weight);
  });

  it('in the cart context, what is in the cart weighs three times as much', () => {
    const events = [ev('a', 'add_to_cart', NOW), ev('b', 'add_to_cart', NOW)];
    const home = personHistory(events, index, opts());
    const cart = personHistory(events, index, opts({ context: 'cart' }));
    expect(cart[0].entry.weight).toBeCloseTo(3 * home[0].entry.weight, 9);
  });
});
