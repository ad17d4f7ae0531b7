// personHistory's weights, checked value by value (the mutation run's fast tests for
// src/recommend/pipeline/history.ts).
import { describe, expect, it } from 'vitest';
import type { EventType, StoredEvent } from '../../../src/domain/schemas.ts';
import { DEFAULT_EVENT_WEIGHTS } from '../../../src/domain/weights.ts';
import { type HistoryOptions, personHistory } from '../../../src/recommend/pipeline/history.ts';
import { storedEvent } from '../../stored-event.ts';

const DAY = 86_400_000;
const T = Date.UTC(2026, 5, 1);

function ev(itemId: string | null, type: EventType, timestamp: number, value: number | null = null): StoredEvent {
  return storedEvent(`${itemId}-${type}-${timestamp}`, 'u', { type, itemId, value, timestamp });
}

const index = new Map([
  ['a', 10],
  ['b', 11],
  ['c', 12],
]);
const opts = (o: Partial<HistoryOptions> = {}): HistoryOptions => ({
  weights: DEFAULT_EVENT_WEIGHTS,
  halfLifeDays: 10,
  context: 'home',
  now: T + 5 * DAY,
  ...o,
});

describe('personHistory', () => {
  it('keeps each event as a model entry: its index, weight and time, with the event and item id', () => {
    const buy = ev('b', 'purchase', T);
    const h = personHistory([buy], index, opts());
    expect(h).toEqual([{ entry: { item: 11, weight: 5, time: T }, event: buy, itemId: 'b' }]);
  });

  it('decays by the half-life counted from the latest event, whatever the order of the events', () => {
    const h = personHistory([ev('a', 'view', T), ev('b', 'add_to_cart', T + 20 * DAY), ev('c', 'view', T + 10 * DAY)], index, opts());
    expect(h.map((p) => p.entry.weight)).toEqual([0.25, 3, 0.5]);
  });

  it('drops events with no weight (a search, a rating without a value) and non-finite ones', () => {
    const weights = { ...DEFAULT_EVENT_WEIGHTS, click: Number.POSITIVE_INFINITY };
    const h = personHistory([ev('a', 'search', T), ev('b', 'rating', T, null), ev('c', 'click', T), ev('a', 'like', T)], index, opts({ weights }));
    expect(h.map((p) => [p.itemId, p.event?.type])).toEqual([['a', 'like']]);
  });

  it('keeps negative evidence (a dislike) at its weight', () => {
    expect(personHistory([ev('a', 'dislike', T)], index, opts()).map((p) => p.entry.weight)).toEqual([-3]);
  });

  it('on an item page the item in view weighs three times the strongest event, at least 3, now and with no event', () => {
    const strong = personHistory([ev('a', 'purchase', T), ev('b', 'view', T)], index, opts({ context: 'item', itemId: 'c' }));
    expect(strong.at(-1)).toEqual({ entry: { item: 12, weight: 15, time: T + 5 * DAY }, event: null, itemId: 'c' });
    const weak = personHistory([ev('a', 'view', T - 30 * DAY), ev('b', 'dislike', T)], index, opts({ context: 'item', itemId: 'c' }));
    expect(weak.at(-1)?.entry.weight).toBe(3);
    expect(personHistory([], index, opts({ context: 'item', itemId: 'a' })).map((p) => p.entry.weight)).toEqual([3]);
  });

  it('adds no item in view on other pages, without an item id, or for an item the model does not know', () => {
    const events = [ev('a', 'view', T)];
    expect(personHistory(events, index, opts({ context: 'home', itemId: 'c' }))).toHaveLength(1);
    expect(personHistory(events, index, opts({ context: 'item' }))).toHaveLength(1);
    expect(personHistory(events, index, opts({ context: 'item', itemId: 'zzz' }))).toHaveLength(1);
  });

  it('in the cart only the cart additions weigh triple', () => {
    const h = personHistory([ev('a', 'add_to_cart', T), ev('b', 'view', T), ev('c', 'purchase', T)], index, opts({ context: 'cart' }));
    expect(h.map((p) => p.entry.weight)).toEqual([9, 1, 5]);
    const home = personHistory([ev('a', 'add_to_cart', T)], index, opts({ context: 'item' }));
    expect(home[0].entry.weight).toBe(3);
  });

  it('a rating keeps its weight however old, in either rating mode; a view does not', () => {
    const events = [ev('a', 'rating', T - 100 * DAY, 4), ev('b', 'view', T)];
    expect(personHistory(events, index, opts()).map((p) => p.entry.weight)).toEqual([1.1, 1]);
    expect(personHistory(events, index, opts({ ratings: 'explicit' })).map((p) => p.entry.weight)).toEqual([1.5, 1]);
    const dislike = personHistory([ev('a', 'dislike', T - 100 * DAY), ev('b', 'view', T)], index, opts());
    expect(dislike[0].entry.weight).toBe(-3);
  });
});
