import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/catalog.ts';
import type { StoredItem } from '../../../src/domain/schemas.ts';
import type { ServingModel } from '../../../src/recommend/workspace-state.ts';
import type { Recommender } from '../../../src/recommend/models/types.ts';
import { composePage, keepFilter, type PageFilters } from '../../../src/recommend/pipeline/page.ts';
import { scoreCatalog, SEEN_DISCOUNT, TREND_BLEND } from '../../../src/recommend/pipeline/score.ts';

const items: StoredItem[] = ['a', 'b', 'c', 'd', 'e', 'f'].map((id, k) => ({
  id,
  title: id,
  price: 10 * (k + 1),
  categories: [k < 4 ? 'Shoes' : 'Socks'],
  available: id !== 'f',
  updatedAt: k,
}));
const catalog = new Catalog(items);

/** A model that returns fixed scores for any history (and explains every item by the first entry). */
function fixed(scores: number[]): ServingModel {
  const recommender = {
    name: 'fixed',
    score: (h: readonly unknown[]) => ({ scores: Float32Array.from(scores), because: Int32Array.from(scores, () => (h.length ? 0 : -1)) }),
  } as unknown as Recommender;
  return {
    info: { name: 'fixed', trainedAt: 1, seconds: 0, users: 1, items: scores.length, interactions: 1 },
    recommender,
    itemIds: items.map((i) => i.id),
    toCatalog: Int32Array.from(items, (_, k) => k),
    modelIndex: new Map(items.map((it, k) => [it.id, k])),
  } as ServingModel;
}

const history = [{ entry: { item: 0, weight: 1, time: 0 }, event: null, itemId: 'a' }];
const base = { history, anchors: [], catalogSize: catalog.size, updatedAt: (i: number) => i, seen: [] as number[], trend: true, seenDiscount: true, now: 0 };

describe('scoreCatalog', () => {
  it('adds the personal model onto a small trend prior, normalised to the best item', () => {
    const r = scoreCatalog({ ...base, models: { fallback: fixed([1, 0, 0, 0, 0, 0]), personal: fixed([0, 2, 4, 0, 0, 0]), generic: null, itemToItem: null } });
    expect(r.scores[0]).toBeCloseTo(TREND_BLEND, 9);
    expect(r.scores[2]).toBeCloseTo(1, 9);
    expect(r.scores[1]).toBeCloseTo(0.5, 9);
    expect(r.personalHits).toBe(2);
    expect(r.because[2]).toBe(0);
    expect(r.trend[0]).toBeCloseTo(TREND_BLEND, 9);
  });

  it('discounts items already seen unless the stage is off', () => {
    const models = { fallback: null, personal: fixed([0, 1, 1, 0, 0, 0]), generic: null, itemToItem: null };
    const on = scoreCatalog({ ...base, seen: [1], models });
    const off = scoreCatalog({ ...base, seen: [1], seenDiscount: false, models });
    expect(on.scores[1]).toBeLessThan(on.scores[2]);
    expect(on.scores[1] - on.trend[1]).toBeCloseTo((on.scores[2] - on.trend[2]) * SEEN_DISCOUNT, 6);
    expect(off.scores[1]).toBeCloseTo(off.scores[2], 9);
  });

  it('without any model, newer catalogue items come first', () => {
    const r = scoreCatalog({ ...base, history: [], models: { fallback: null, personal: null, generic: null, itemToItem: null } });
    expect(r.scores[5]).toBeGreaterThan(r.scores[0]);
    expect(r.personalHits).toBe(0);
  });
});

describe('page', () => {
  const filters = (f: Partial<PageFilters> = {}): PageFilters => ({
    excluded: new Set(),
    seen: new Set(),
    excludeSeen: false,
    bought: new Set(),
    includePurchased: false,
    due: new Set(),
    ...f,
  });

  it('keeps only available items that pass every filter; a bought item returns only when due', () => {
    const keep = keepFilter(
      catalog,
      filters({ excluded: new Set(['a']), seen: new Set(['b']), excludeSeen: true, bought: new Set(['c', 'd']), due: new Set(['d']), maxPrice: 45 }),
    );
    expect(items.map((_, i) => keep(i))).toEqual([false, false, false, true, false, false]);
    const cat = keepFilter(catalog, filters({ category: 'socks' }));
    expect(items.map((_, i) => cat(i))).toEqual([false, false, false, false, true, false]);
  });

  it("diversity caps a category's share of the page; turned off, the scores alone decide", () => {
    const scores = new Float64Array([6, 5, 4, 3, 2, 1]);
    const keep = keepFilter(catalog, filters());
    const opts = { rules: [], context: 'home' as const, n: 4, maxCategoryShare: 0.5 };
    expect(composePage(scores.slice(), catalog, keep, { ...opts, diversity: true }).top).toEqual([0, 1, 4, 2]);
    expect(composePage(scores.slice(), catalog, keep, { ...opts, diversity: false }).top).toEqual([0, 1, 2, 3]);
  });

  it('applies business rules and pins, and names them', () => {
    const scores = new Float64Array([6, 5, 4, 3, 2, 1]);
    const page = composePage(scores, catalog, keepFilter(catalog, filters()), {
      rules: [
        { kind: 'bury', match: { itemIds: ['a'] }, name: 'bury a' },
        { kind: 'pin', itemId: 'e', position: 1 },
      ],
      context: 'home',
      n: 3,
      maxCategoryShare: 1,
      diversity: true,
    });
    expect(page.top).toEqual([4, 1, 2]);
    expect(page.applied).toEqual(['bury a', 'pin e at 1']);
  });
});
