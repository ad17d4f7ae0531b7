import { describe, expect, it } from 'vitest';
import { Cooccurrence } from '../../../src/recommend/models/cooccurrence.ts';
import { Popularity } from '../../../src/recommend/models/popularity.ts';
import { topK } from '../../../src/recommend/models/top-k.ts';
import { Trending } from '../../../src/recommend/models/trending.ts';
import { ModelFitError, type HistoryEntry, type Recommender } from '../../../src/recommend/models/types.ts';
import { DAY, NOW, interactions } from './fixtures.ts';

const t = NOW - DAY;

describe('Popularity', () => {
  // i0: u0 three views + u1 one click → 2 people; i1: 3 people; i2: u1 dislikes, u2 buys → 1; i3: only a return → 0.
  const data = interactions(3, 4, [
    [0, 0, 1, t],
    [0, 0, 1, t],
    [0, 0, 1, t],
    [1, 0, 1.5, t],
    [0, 1, 1, t],
    [1, 1, 5, t],
    [2, 1, 1, t],
    [1, 2, -3, t],
    [2, 2, 5, t],
    [0, 3, -4, t],
  ]);

  it('counts distinct people with a positive interaction, not events or weights', () => {
    const m = new Popularity();
    m.fit(data);
    expect(Array.from(m.itemCounts)).toEqual([2, 3, 1, 0]);
    expect(Array.from(m.score([], NOW).scores)).toEqual([2, 3, 1, 0]);
  });

  it('scores the same for everyone, whatever the history', () => {
    const m = new Popularity();
    m.fit(data);
    expect(m.score([{ item: 2, weight: 5, time: t }], NOW).scores).toEqual(m.score([], NOW).scores);
  });

  it('answers similar() with the most popular other items that anyone liked', () => {
    const m = new Popularity();
    m.fit(data);
    const s = m.similar(1, 10);
    expect(Array.from(s.items)).toEqual([0, 2]);
    expect(Array.from(s.scores)).toEqual([2, 1]);
    expect(Array.from(m.similar(0, 1).items)).toEqual([1]);
  });

  it('refits from scratch', () => {
    const m = new Popularity();
    m.fit(data);
    m.fit(interactions(1, 2, [[0, 1, 1, t]]));
    expect(Array.from(m.itemCounts)).toEqual([0, 1]);
  });
});

describe('Trending', () => {
  it('prefers recent interactions over old ones with the same count', () => {
    // Two people each for i0 (a month ago) and i1 (yesterday); i2 also two people, two weeks ago.
    const data = interactions(4, 3, [
      [0, 0, 1, NOW - 30 * DAY],
      [1, 0, 1, NOW - 30 * DAY],
      [2, 1, 1, NOW - DAY],
      [3, 1, 1, NOW - DAY],
      [0, 2, 1, NOW - 14 * DAY],
      [1, 2, 1, NOW - 14 * DAY],
    ]);
    const m = new Trending();
    m.fit(data);
    const { scores } = m.score([], NOW);
    expect(scores[1]).toBeGreaterThan(scores[2]);
    expect(scores[2]).toBeGreaterThan(scores[0]);
    expect(Array.from(topK(scores, 3))).toEqual([1, 2, 0]);
    // With the default reference (the newest interaction), yesterday's items are not decayed at all.
    expect(scores[1]).toBeCloseTo(2, 5);
  });

  it('decays each interaction by its half-life, caps strong weights at 5, ignores negative ones', () => {
    const m = new Trending({ halfLifeDays: 7, now: NOW });
    m.fit(
      interactions(3, 4, [
        [0, 0, 1, NOW - 7 * DAY], // 1 × ½
        [1, 1, 1, NOW], // 1
        [2, 2, 2, NOW - 14 * DAY], // 2 × ¼
        [0, 3, -3, NOW], // a dislike: nothing
        [1, 3, 10, NOW - 7 * DAY], // capped to 5, × ½
      ]),
    );
    const s = Array.from(m.score([], NOW).scores);
    expect(s[0]).toBeCloseTo(0.5, 6);
    expect(s[1]).toBeCloseTo(1, 6);
    expect(s[2]).toBeCloseTo(0.5, 6);
    expect(s[3]).toBeCloseTo(2.5, 6);
  });

  it('answers similar() with the hottest other items', () => {
    const m = new Trending({ halfLifeDays: 7, now: NOW });
    m.fit(
      interactions(2, 4, [
        [0, 0, 1, NOW - 7 * DAY],
        [1, 1, 1, NOW],
        [0, 2, 3, NOW],
      ]),
    );
    expect(Array.from(m.similar(2, 10).items)).toEqual([1, 0]);
    expect(Array.from(m.similar(1, 1).items)).toEqual([2]);
  });
});

describe('Cooccurrence', () => {
  const A = 0,
    B = 1,
    C = 2,
    D = 3;
  // u0 and u1 view A then buy B; u2 views A and C; u3 only views D.
  const data = interactions(4, 4, [
    [0, A, 1, t],
    [0, B, 1, t + 1],
    [0, B, 5, t + 2],
    [0, A, 1, t + 3],
    [1, A, 1, t],
    [1, B, 5, t + 1],
    [2, A, 1, t],
    [2, C, 1, t + 1],
    [3, D, 1, t],
  ]);
  const fitted = () => {
    const m = new Cooccurrence();
    m.fit(data);
    return m;
  };

  it('learns that people who view A also buy B', () => {
    const m = fitted();
    const s = m.similar(A, 10);
    expect(Array.from(s.items)).toEqual([B, C]);
    // Source side: A has 3 people; target side: B's strength is 5 + 5 = 10, C's is 1.
    expect(s.scores[0]).toBeCloseTo(10 / Math.sqrt(3 * 10), 5);
    expect(s.scores[1]).toBeCloseTo(1 / Math.sqrt(3 * 1), 5);
    // B's only neighbour is A (two people, A's strength 3); D has none.
    expect(Array.from(m.similar(B, 10).items)).toEqual([A]);
    expect(m.similar(B, 10).scores[0]).toBeCloseTo(2 / Math.sqrt(2 * 3), 5);
    expect(Array.from(m.similar(D, 10).items)).toEqual([]);
  });

  it('limits similar() to n', () => {
    expect(Array.from(fitted().similar(A, 1).items)).toEqual([B]);
  });

  it('ranks B first for a history of [A], explaining it by that history entry', () => {
    const m = fitted();
    const history: HistoryEntry[] = [{ item: A, weight: 1, time: NOW }];
    const { scores, because } = m.score(history, NOW);
    expect(topK(scores, 1)[0]).toBe(B);
    expect(Array.from(topK(scores, 4, (i) => scores[i] > 0))).toEqual([B, C]);
    expect(scores[A]).toBe(0);
    expect(scores[D]).toBe(0);
    expect(because).toBeDefined();
    expect(because![B]).toBe(0);
    expect(because![C]).toBe(0);
    expect(because![D]).toBe(-1);
  });

  it('points `because` at the history entry that contributed most', () => {
    const m = fitted();
    const history: HistoryEntry[] = [
      { item: D, weight: 1, time: NOW - 2 }, // no neighbours
      { item: A, weight: 1, time: NOW - 1 },
      { item: C, weight: 1, time: NOW }, // C → A
    ];
    const { scores, because } = m.score(history, NOW);
    expect(because![B]).toBe(1);
    expect(because![A]).toBe(2);
    expect(scores[A]).toBeCloseTo(1 / Math.sqrt(3), 5);
    // Scores add up over the history and scale with each entry's weight.
    const double = m.score([{ item: A, weight: 2, time: NOW }], NOW).scores;
    expect(double[B]).toBeCloseTo(2 * scores[B], 5);
  });

  it('gives all-zero scores and no reasons for an empty history', () => {
    const { scores, because } = fitted().score([], NOW);
    expect(scores).toHaveLength(4);
    expect(Array.from(scores)).toEqual([0, 0, 0, 0]);
    expect(Array.from(because!)).toEqual([-1, -1, -1, -1]);
  });

  it('ignores history entries outside the catalogue or with zero weight', () => {
    const m = fitted();
    const { scores } = m.score(
      [
        { item: 99, weight: 1, time: NOW },
        { item: -1, weight: 1, time: NOW },
        { item: A, weight: 0, time: NOW },
      ],
      NOW,
    );
    expect(Array.from(scores)).toEqual([0, 0, 0, 0]);
  });

  it('answers similar() for an unknown item with an empty list', () => {
    const m = fitted();
    for (const item of [4, 99, -1]) {
      const s = m.similar(item, 5);
      expect(s.items).toHaveLength(0);
      expect(s.scores).toHaveLength(0);
    }
  });

  it('only counts the newest maxItemsPerUser items of each person', () => {
    const m = new Cooccurrence({ neighbours: 50, maxItemsPerUser: 1 });
    m.fit(
      interactions(1, 2, [
        [0, A, 1, t],
        [0, B, 5, t + 1],
      ]),
    );
    expect(Array.from(m.similar(A, 5).items)).toEqual([]);
    expect(Array.from(m.similar(B, 5).items)).toEqual([]);
    const m2 = new Cooccurrence({ neighbours: 50, maxItemsPerUser: 2 });
    m2.fit(
      interactions(1, 2, [
        [0, A, 1, t],
        [0, B, 5, t + 1],
      ]),
    );
    expect(Array.from(m2.similar(A, 5).items)).toEqual([B]);
  });

  it('keeps each person’s newest items when they have more than maxItemsPerUser', () => {
    // Seen in the order A, B, C; only the two newest (B, C) count.
    const m = new Cooccurrence({ neighbours: 50, maxItemsPerUser: 2 });
    m.fit(
      interactions(1, 3, [
        [0, A, 1, t],
        [0, B, 1, t + 1],
        [0, C, 1, t + 2],
      ]),
    );
    expect(Array.from(m.similar(B, 5).items)).toEqual([C]);
    expect(Array.from(m.similar(C, 5).items)).toEqual([B]);
    expect(Array.from(m.similar(A, 5).items)).toEqual([]);
  });

  it('learns nothing from items a person only disliked or returned', () => {
    // u0 viewed A and returned C; u1 viewed A and bought B.
    const m = new Cooccurrence();
    m.fit(
      interactions(2, 3, [
        [0, A, 1, t],
        [0, C, -4, t + 1],
        [1, A, 1, t],
        [1, B, 5, t + 1],
      ]),
    );
    expect(Array.from(m.similar(A, 5).items)).toEqual([B]);
    expect(Array.from(m.similar(C, 5).items)).toEqual([]);
    expect(Array.from(m.score([{ item: C, weight: 1, time: NOW }], NOW).scores)).toEqual([0, 0, 0]);
  });

  it('keeps at most `neighbours` per item', () => {
    const m = new Cooccurrence({ neighbours: 1, maxItemsPerUser: 200 });
    m.fit(data);
    expect(Array.from(m.similar(A, 10).items)).toEqual([B]);
  });

  it('refuses to fit without items', () => {
    expect(() => new Cooccurrence().fit(interactions(0, 0, []))).toThrow(ModelFitError);
  });
});

describe('save and load', () => {
  const data = interactions(4, 5, [
    [0, 0, 1, NOW - 20 * DAY],
    [0, 1, 5, NOW - 19 * DAY],
    [0, 2, 1, NOW - 3 * DAY],
    [1, 0, 1, NOW - 10 * DAY],
    [1, 1, 3, NOW - 9 * DAY],
    [1, 3, -3, NOW - 9 * DAY],
    [2, 2, 1.5, NOW - DAY],
    [2, 3, 1, NOW],
    [2, 0, 1, NOW - 2 * DAY],
    [3, 4, 5, NOW - 40 * DAY],
    [3, 1, 1, NOW - 40 * DAY],
  ]);
  const history: HistoryEntry[] = [
    { item: 0, weight: 1, time: NOW - DAY },
    { item: 2, weight: 5, time: NOW },
  ];

  const cases: Array<{ name: string; make: () => Recommender; load: (b: Uint8Array) => Recommender }> = [
    { name: 'popularity', make: () => new Popularity(), load: (b) => Popularity.load(b) },
    { name: 'trending', make: () => new Trending({ halfLifeDays: 3 }), load: (b) => Trending.load(b) },
    { name: 'cooccurrence', make: () => new Cooccurrence({ neighbours: 2, maxItemsPerUser: 10 }), load: (b) => Cooccurrence.load(b) },
  ];

  for (const c of cases) {
    it(`${c.name}: a loaded model scores and answers similar() exactly like the fitted one`, () => {
      const m = c.make();
      m.fit(data);
      const bytes = m.save();
      // As a blob read from a database: inside a larger buffer, at an odd offset.
      const host = new Uint8Array(bytes.length + 7);
      host.set(bytes, 3);
      const loaded = c.load(host.subarray(3, 3 + bytes.length));
      expect(loaded.name).toBe(c.name);
      const before = m.score(history, NOW);
      const after = loaded.score(history, NOW);
      expect(Array.from(after.scores)).toEqual(Array.from(before.scores));
      expect(after.because === undefined).toBe(before.because === undefined);
      if (before.because) expect(Array.from(after.because!)).toEqual(Array.from(before.because));
      expect(before.scores.some((s) => s > 0)).toBe(true);
      for (let i = 0; i < data.nItems; i++) {
        const a = m.similar(i, 3);
        const b = loaded.similar(i, 3);
        expect(Array.from(b.items)).toEqual(Array.from(a.items));
        expect(Array.from(b.scores)).toEqual(Array.from(a.scores));
      }
      // Saving the loaded model gives the same bytes.
      expect(Array.from(loaded.save())).toEqual(Array.from(bytes));
    });
  }

  it('trending keeps its configuration', () => {
    const m = new Trending({ halfLifeDays: 3, now: NOW });
    m.fit(data);
    expect(Trending.load(m.save()).config).toEqual({ halfLifeDays: 3, now: NOW });
  });

  it('cooccurrence keeps its configuration', () => {
    const m = new Cooccurrence({ neighbours: 2, maxItemsPerUser: 10 });
    m.fit(data);
    expect(Cooccurrence.load(m.save()).config).toEqual({ neighbours: 2, maxItemsPerUser: 10 });
  });

  it('each model refuses another model’s bytes', () => {
    const pop = new Popularity();
    pop.fit(data);
    const tr = new Trending();
    tr.fit(data);
    const co = new Cooccurrence();
    co.fit(data);
    expect(() => Trending.load(pop.save())).toThrow(/not a trending v1 model/);
    expect(() => Cooccurrence.load(tr.save())).toThrow(/not a cooccurrence v1 model/);
    expect(() => Popularity.load(co.save())).toThrow(/not a popularity v1 model/);
  });
});
