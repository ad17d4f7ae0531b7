import { describe, expect, it } from 'vitest';
import { Ease } from '../../../src/recommend/models/ease.ts';
import { ModelFitError, type Interactions } from '../../../src/recommend/models/types.ts';

function interactions(pairs: Array<[number, number, number?]>, nUsers: number, nItems: number): Interactions {
  return {
    nUsers,
    nItems,
    users: Int32Array.from(pairs, (p) => p[0]),
    items: Int32Array.from(pairs, (p) => p[1]),
    weights: Float32Array.from(pairs, (p) => p[2] ?? 1),
    times: new Float64Array(pairs.length),
  };
}

/** Inverse of a 3×3 by cofactors. */
function inv3(a: number[]): number[] {
  const [A, B, C, D, E, F, G, H, I] = a;
  const det = A * (E * I - F * H) - B * (D * I - F * G) + C * (D * H - E * G);
  return [E * I - F * H, C * H - B * I, B * F - C * E, F * G - D * I, A * I - C * G, C * D - A * F, D * H - E * G, B * G - A * H, A * E - B * D].map(
    (v) => v / det,
  );
}

describe('EASE', () => {
  // Users: {0,1}, {0,1,2}, {1,2}, {0}.  XᵀX = [[3,2,1],[2,3,2],[1,2,2]].
  const data = interactions(
    [
      [0, 0],
      [0, 1],
      [1, 0],
      [1, 1],
      [1, 2],
      [2, 1],
      [2, 2],
      [3, 0],
    ],
    4,
    3,
  );

  it('matches the closed form B = I − P·diag(1/diag P) on a hand-sized example', () => {
    const lambda = 1;
    const m = new Ease({ lambda });
    m.fit(data);
    const P = inv3([3 + lambda, 2, 1, 2, 3 + lambda, 2, 1, 2, 2 + lambda]);
    const B = (i: number, j: number) => (i === j ? 0 : -P[i * 3 + j] / P[j * 3 + j]);
    // A history of item 0 scores row 0 of B; of items 0 and 2, the sum of rows 0 and 2.
    const s0 = m.score([{ item: 0, weight: 1, time: 0 }], 0).scores;
    for (let j = 0; j < 3; j++) expect(s0[j]).toBeCloseTo(B(0, j), 6);
    const s02 = m.score(
      [
        { item: 0, weight: 1, time: 0 },
        { item: 2, weight: 1, time: 0 },
      ],
      0,
    ).scores;
    for (let j = 0; j < 3; j++) expect(s02[j]).toBeCloseTo(B(0, j) + B(2, j), 6);
  });

  it('a new event changes scores at once (no refit)', () => {
    const m = new Ease({ lambda: 1 });
    m.fit(data);
    const before = m.score([{ item: 0, weight: 1, time: 0 }], 0).scores[2];
    const after = m.score(
      [
        { item: 0, weight: 1, time: 0 },
        { item: 1, weight: 1, time: 1 },
      ],
      1,
    ).scores[2];
    expect(after).toBeGreaterThan(before);
  });

  it('explains each score by the history entry contributing most', () => {
    const m = new Ease({ lambda: 1 });
    m.fit(data);
    const h = [
      { item: 0, weight: 1, time: 0 },
      { item: 2, weight: 1, time: 5 },
    ];
    const { because } = m.score(h, 10);
    // Item 1 co-occurs with both; B(2,1) > B(0,1) here since item 2 is rarer.
    expect(because![1]).toBe(1);
  });

  it('models only the most active items when the catalog is larger than maxItems', () => {
    const m = new Ease({ lambda: 1, maxItems: 2 });
    m.fit(data); // item activity: 0 → 3, 1 → 3, 2 → 2
    expect(m.modelledItems).toBe(2);
    const s = m.score([{ item: 0, weight: 1, time: 0 }], 0).scores;
    expect(Number.isFinite(s[1])).toBe(true);
    expect(Number.isNaN(s[2])).toBe(true);
    // History items outside the modelled set are ignored.
    expect(m.score([{ item: 2, weight: 1, time: 0 }], 0).scores.every(Number.isNaN)).toBe(true);
  });

  it('drops net-negative interactions (a like then a stronger dislike)', () => {
    const m = new Ease({ lambda: 1 });
    m.fit(
      interactions(
        [
          [0, 0],
          [0, 1],
          [0, 1, -3],
          [1, 0],
          [1, 1],
        ],
        2,
        2,
      ),
    );
    const s = m.score([{ item: 0, weight: 1, time: 0 }], 0).scores;
    // XᵀX = [[2,1],[1,1]] ⇒ P ∝ [[2,−1],[−1,3]], B(0,1) = 1/3.
    expect(s[1]).toBeCloseTo(1 / 3, 6);
  });

  it('refuses data without positive interactions, and bad options', () => {
    expect(() => new Ease().fit(interactions([[0, 0, -1]], 1, 1))).toThrow(ModelFitError);
    expect(() => new Ease({ lambda: 0 })).toThrow(RangeError);
    expect(() => new Ease({ dropout: 1 })).toThrow(RangeError);
  });

  it('decays old history entries when a half-life is set', () => {
    const m = new Ease({ lambda: 1, historyHalfLifeDays: 1, signal: 'weight' });
    m.fit(data);
    const day = 86_400_000;
    const fresh = m.score([{ item: 0, weight: 1, time: 10 * day }], 10 * day).scores[1];
    const old = m.score([{ item: 0, weight: 1, time: 9 * day }], 10 * day).scores[1];
    expect(old).toBeCloseTo(fresh / 2, 6);
  });
});

describe('EASE head size by memory', () => {
  it('models only the most active items whose dense matrices fit in memoryBytes; the rest get no opinion', async () => {
    const { easeItemsWithin } = await import('../../../src/recommend/models/ease.ts');
    expect(easeItemsWithin(12 * 100 * 100)).toBe(100);
    expect(easeItemsWithin(12 * 100 * 100 - 1)).toBe(99);
    expect(easeItemsWithin(0)).toBe(1);
    // Item i is used by 10 − i users: items 0..3 are the four most active.
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < 10; i++) for (let u = 0; u < 10 - i; u++) pairs.push([u, i]);
    const data = interactions(pairs, 10, 10);
    const m = new Ease({ lambda: 1, memoryBytes: 12 * 4 * 4 });
    expect(m.headSize()).toBe(4);
    m.fit(data);
    expect(m.modelledItems).toBe(4);
    const s = m.score([{ item: 0, weight: 1, time: 0 }], 0).scores;
    for (let i = 1; i < 4; i++) expect(Number.isFinite(s[i])).toBe(true);
    for (let i = 4; i < 10; i++) expect(Number.isNaN(s[i])).toBe(true);
    // maxItems still caps it when memory is plentiful, and the default budget models all 10 here.
    expect(new Ease({ maxItems: 3, memoryBytes: 1e12 }).headSize()).toBe(3);
    const auto = new Ease({ lambda: 1 });
    auto.fit(data);
    expect(auto.modelledItems).toBe(10);
  });
});
