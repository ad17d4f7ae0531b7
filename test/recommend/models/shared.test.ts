/**
 * The contract every model in src/recommend/models meets: on a checkerboard with a known answer a
 * withheld item ranks first, an empty history is handled, and save/load gives identical scores.
 */
import { describe, expect, it } from 'vitest';
import { Als } from '../../../src/recommend/models/als.ts';
import { ContentBased } from '../../../src/recommend/models/content.ts';
import { Ease } from '../../../src/recommend/models/ease.ts';
import { Ensemble } from '../../../src/recommend/models/ensemble.ts';
import { Hybrid } from '../../../src/recommend/models/hybrid.ts';
import { ItemKnn } from '../../../src/recommend/models/itemknn.ts';
import { restoreModel } from '../../../src/recommend/registry.ts';
import type { Recommender } from '../../../src/recommend/models/types.ts';
import { ITEMS_PER_GROUP, N_ITEMS, checkerboard, checkerboardTexts, groupHistory, groupOf, rankAmongUnseen } from './fixtures.ts';

interface Case {
  name: string;
  make: () => Recommender;
  load: (b: Uint8Array) => Recommender;
  /** Does an empty history mean "no opinion" (all NaN)? */
  emptyIsNoOpinion: boolean;
}

const withText = <T extends { fitText(d: ReturnType<typeof checkerboardTexts>): void }>(m: T): T => {
  m.fitText(checkerboardTexts());
  return m;
};

const CASES: Case[] = [
  { name: 'ease', make: () => new Ease({ lambda: 5 }), load: (b) => Ease.load(b), emptyIsNoOpinion: true },
  { name: 'ease (restricted catalog)', make: () => new Ease({ lambda: 5, maxItems: 20 }), load: (b) => Ease.load(b), emptyIsNoOpinion: true },
  { name: 'als', make: () => new Als({ factors: 8, regularization: 0.5, alpha: 5, iterations: 10 }), load: (b) => Als.load(b), emptyIsNoOpinion: true },
  { name: 'itemknn (cosine)', make: () => new ItemKnn({ neighbors: 10, shrink: 2 }), load: (b) => ItemKnn.load(b), emptyIsNoOpinion: true },
  { name: 'itemknn (bm25)', make: () => new ItemKnn({ similarity: 'bm25', neighbors: 10 }), load: (b) => ItemKnn.load(b), emptyIsNoOpinion: true },
  { name: 'content', make: () => withText(new ContentBased()), load: (b) => ContentBased.load(b), emptyIsNoOpinion: true },
  {
    name: 'ensemble (ease + als)',
    make: () => new Ensemble([new Ease({ lambda: 5 }), new Als({ factors: 8, regularization: 0.5, alpha: 5 })], [0.6, 0.4]),
    load: (b) => Ensemble.load(b, restoreModel),
    emptyIsNoOpinion: true,
  },
  { name: 'hybrid', make: () => withText(new Hybrid(new Ease({ lambda: 5 }))), load: (b) => Hybrid.load(b, restoreModel), emptyIsNoOpinion: false },
];

const bitsEqual = (a: Float32Array, b: Float32Array) =>
  a.length === b.length && a.every((v, i) => Object.is(v, b[i]) || (Number.isNaN(v) && Number.isNaN(b[i])));

describe.each(CASES)('$name', ({ make, load, emptyIsNoOpinion }) => {
  const data = checkerboard();
  const model = make();
  model.fit(data, { seed: 3 });

  it("ranks a withheld item of the user's group first", () => {
    for (const withheld of [3, ITEMS_PER_GROUP + 5, 2 * ITEMS_PER_GROUP]) {
      const h = groupHistory(groupOf(withheld), withheld);
      const { scores, because } = model.score(h, 1_900_000_000_000);
      expect(scores.length).toBe(N_ITEMS);
      expect(rankAmongUnseen(scores, h, withheld)).toBe(0);
      if (because) {
        expect(because.length).toBe(N_ITEMS);
        expect(because[withheld]).toBeGreaterThanOrEqual(0);
        expect(because[withheld]).toBeLessThan(h.length);
      }
    }
  });

  it('handles an empty history', () => {
    const { scores } = model.score([], 0);
    expect(scores.length).toBe(N_ITEMS);
    if (emptyIsNoOpinion) expect(scores.every((v) => Number.isNaN(v))).toBe(true);
    else expect(scores.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('ignores history entries for unknown items', () => {
    const unknown = [
      { item: 10_000, weight: 1, time: 0 },
      { item: -1, weight: 1, time: 0 },
      { item: N_ITEMS, weight: 5, time: 4 },
    ];
    const alone = model.score(unknown, 0).scores;
    expect(alone.length).toBe(N_ITEMS);
    // Exactly as if they were not there: alone like an empty history, beside a real one like that history.
    expect(bitsEqual(alone, model.score([], 0).scores)).toBe(true);
    const h = groupHistory(1, 12);
    expect(bitsEqual(model.score([...h, ...unknown], 5).scores, model.score(h, 5).scores)).toBe(true);
  });

  it('finds similar items in the same group', () => {
    const { items, scores } = model.similar(1, 4);
    expect(items.length).toBeGreaterThan(0);
    expect(items.length).toBeLessThanOrEqual(4);
    expect([...items]).not.toContain(1);
    expect(groupOf(items[0])).toBe(0);
    for (let k = 1; k < scores.length; k++) expect(scores[k]).toBeLessThanOrEqual(scores[k - 1]);
  });

  it('round-trips through save/load with identical scores', () => {
    const bytes = model.save();
    for (const restored of [load(bytes), restoreModel(bytes.slice())]) {
      expect(restored.name).toBe(model.name);
      for (const h of [groupHistory(0, 3), groupHistory(2, 20), []]) {
        expect(bitsEqual(restored.score(h, 5).scores, model.score(h, 5).scores)).toBe(true);
      }
      const a = model.similar(9, 5);
      const b = restored.similar(9, 5);
      expect([...b.items]).toEqual([...a.items]);
      expect(bitsEqual(b.scores, a.scores)).toBe(true);
    }
  });

  it('is deterministic for a seed', () => {
    const again = make();
    again.fit(data, { seed: 3 });
    const h = groupHistory(1, 12);
    expect(bitsEqual(again.score(h, 5).scores, model.score(h, 5).scores)).toBe(true);
  });
});
