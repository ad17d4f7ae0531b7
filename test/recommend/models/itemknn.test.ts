import { describe, expect, it } from 'vitest';
import { ItemKnn } from '../../../src/recommend/models/itemknn.ts';
import type { Interactions } from '../../../src/recommend/models/types.ts';

function interactions(pairs: Array<[number, number]>, nUsers: number, nItems: number): Interactions {
  return {
    nUsers,
    nItems,
    users: Int32Array.from(pairs, (p) => p[0]),
    items: Int32Array.from(pairs, (p) => p[1]),
    weights: new Float32Array(pairs.length).fill(1),
    times: new Float64Array(pairs.length),
  };
}

// Item 0: users {0,1,2}; item 1: users {0,1}; item 2: users {2,3}; item 3: user {3}.
const data = interactions(
  [
    [0, 0],
    [1, 0],
    [2, 0],
    [0, 1],
    [1, 1],
    [2, 2],
    [3, 2],
    [3, 3],
  ],
  4,
  4,
);

describe('item kNN', () => {
  it('computes cosine with shrinkage: |common| / (√|i|·√|j| + shrink)', () => {
    const m = new ItemKnn({ shrink: 1, neighbors: 10 });
    m.fit(data);
    const { items, scores } = m.similar(0, 10);
    // sim(0,1) = 2/(√3·√2 + 1), sim(0,2) = 1/(√3·√2 + 1); item 3 shares no user.
    expect([...items]).toEqual([1, 2]);
    expect(scores[0]).toBeCloseTo(2 / (Math.sqrt(6) + 1), 6);
    expect(scores[1]).toBeCloseTo(1 / (Math.sqrt(6) + 1), 6);
  });

  it('sums neighbour similarities over the history and keeps the strongest reason', () => {
    const m = new ItemKnn({ shrink: 0, neighbors: 10 });
    m.fit(data);
    const h = [
      { item: 1, weight: 1, time: 0 },
      { item: 3, weight: 1, time: 1 },
    ];
    const { scores, because } = m.score(h, 2);
    // score(0) = sim(1,0) = 2/√6; score(2) = sim(3,2) = 1/√2.
    expect(scores[0]).toBeCloseTo(2 / Math.sqrt(6), 6);
    expect(scores[2]).toBeCloseTo(1 / Math.sqrt(2), 6);
    expect(because![0]).toBe(0);
    expect(because![2]).toBe(1);
  });

  it('keeps only the configured number of neighbours', () => {
    const m = new ItemKnn({ neighbors: 1 });
    m.fit(data);
    expect(m.similar(0, 5).items.length).toBe(1);
  });

  it('BM25 weighting discounts prolific users', () => {
    // Items 0 and 1 share a prolific user (4, who has everything); items 0 and 2 share user 0, who
    // has only those two. Co-occurrence counts are equal; BM25 prefers the pair from the picky user.
    const pairs: Array<[number, number]> = [
      [0, 0],
      [0, 2],
      [1, 1],
      [1, 3],
      [2, 1],
      [2, 3],
    ];
    for (let i = 0; i < 6; i++) pairs.push([4, i]);
    const d = interactions(pairs, 5, 6);
    const m = new ItemKnn({ similarity: 'bm25', neighbors: 10 });
    m.fit(d);
    expect(m.name).toBe('itemknn-bm25');
    const { items } = m.similar(0, 10);
    expect(items[0]).toBe(2);
  });
});
