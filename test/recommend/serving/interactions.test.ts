import { describe, expect, it } from 'vitest';
import type { EventType } from '../../../src/domain/schemas.ts';
import { InteractionBuilder } from '../../../src/recommend/interactions.ts';
import { DEFAULT_EVENT_WEIGHTS } from '../../../src/domain/weights.ts';
import { Popularity } from '../../../src/recommend/models/popularity.ts';

const T = Date.UTC(2025, 0, 1);
const e = (subject: string, type: EventType, itemId: string | null, timestamp: number, value: number | null = null) => ({
  subject,
  type,
  itemId,
  timestamp,
  value,
});

describe('InteractionBuilder', () => {
  it('counts a rating as an interaction whose stars say how strongly: low ratings weaker, never negative (default)', () => {
    const b = new InteractionBuilder(['a']);
    for (let stars = 1; stars <= 5; stars++) b.add(e(`u${stars}`, 'rating', 'a', T + stars, stars));
    const w = Array.from(b.build().data.weights);
    expect(w).toHaveLength(5);
    for (const x of w) expect(x).toBeGreaterThan(0);
    for (let k = 1; k < w.length; k++) expect(w[k]).toBeGreaterThan(w[k - 1]);
  });

  it('keeps catalogue order, appends unknown items, and skips events without an item or weight (explicit ratings)', () => {
    const b = new InteractionBuilder(['a', 'b', 'c'], DEFAULT_EVENT_WEIGHTS, 'explicit');
    b.add(e('u1', 'view', 'c', T + 1));
    b.add(e('u1', 'search', null, T + 2)); // no item
    b.add(e('u2', 'impression', 'a', T + 3)); // weight 0
    b.add(e('u3', 'rating', 'b', T + 4, 3)); // 3 stars: weight 0
    b.add(e('u3', 'email_open', 'b', T + 5)); // weight 0
    b.add(e('u2', 'purchase', 'z', T + 6)); // not in the catalogue
    b.add(e('u1', 'dislike', 'a', T + 7)); // negative weights count
    b.add(e('u2', 'rating', 'b', T + 8, 5));
    expect(b.size).toBe(4);
    const { data, userIds, itemIds } = b.build();
    expect(itemIds).toEqual(['a', 'b', 'c', 'z']);
    // u3 only did zero-weight things: not a user at all.
    expect(userIds).toEqual(['u1', 'u2']);
    expect(data.nItems).toBe(4);
    expect(data.nUsers).toBe(2);
    expect(Array.from(data.users)).toEqual([0, 1, 0, 1]);
    expect(Array.from(data.items)).toEqual([2, 3, 0, 1]);
    expect(Array.from(data.weights)).toEqual([1, 5, -3, 3]);
    expect(Array.from(data.times)).toEqual([T + 1, T + 6, T + 7, T + 8]);
    expect(data.users).toBeInstanceOf(Int32Array);
    expect(data.items).toBeInstanceOf(Int32Array);
    expect(data.weights).toBeInstanceOf(Float32Array);
    expect(data.times).toBeInstanceOf(Float64Array);
  });

  it('keeps catalogue items nobody touched, and gives each id one index', () => {
    const b = new InteractionBuilder(['a', 'b', 'a']);
    b.add(e('u1', 'view', 'b', T));
    b.add(e('u1', 'click', 'b', T + 1));
    b.add(e('u2', 'view', 'x', T + 2));
    b.add(e('u2', 'view', 'x', T + 3));
    const { data, itemIds, userIds } = b.build();
    expect(itemIds).toEqual(['a', 'b', 'x']);
    expect(userIds).toEqual(['u1', 'u2']);
    expect(data.nItems).toBe(3);
    expect(Array.from(data.items)).toEqual([1, 1, 2, 2]);
    expect(Array.from(data.weights)).toEqual([1, 1.5, 1, 1]);
  });

  it('builds an empty set with the catalogue when there are no events', () => {
    const { data, itemIds, userIds } = new InteractionBuilder(['a', 'b']).build();
    expect(itemIds).toEqual(['a', 'b']);
    expect(userIds).toEqual([]);
    expect(data.nItems).toBe(2);
    expect(data.nUsers).toBe(0);
    expect(data.users).toHaveLength(0);
  });

  it('feeds a model directly', () => {
    const b = new InteractionBuilder(['a', 'b']);
    b.add(e('u1', 'view', 'b', T));
    b.add(e('u2', 'purchase', 'b', T));
    b.add(e('u2', 'view', 'a', T));
    const set = b.build();
    const m = new Popularity();
    m.fit(set.data);
    expect(Array.from(m.itemCounts)).toEqual([1, 2]);
  });
});
