// The page filters and the page's composition, one condition at a time (the mutation run's fast tests
// for src/recommend/pipeline/page.ts and stages.ts).
import { describe, expect, it } from 'vitest';
import { Catalog } from '../../../src/catalog/catalog.ts';
import type { StoredItem } from '../../../src/domain/schemas.ts';
import { composePage, keepFilter, type PageFilters } from '../../../src/recommend/pipeline/page.ts';
import { stageOn } from '../../../src/recommend/pipeline/stages.ts';

const item = (id: string, price: number | undefined, categories?: string[], available = true): StoredItem => ({
  id,
  title: id,
  price,
  categories,
  available,
  updatedAt: 0,
});

const catalog = new Catalog([
  item('p0', 0, ['Home', 'Mugs']),
  item('p10', 10, ['Home', 'Mugs']),
  item('p20', 20, ['Garden', 'Outdoor', 'mugs']),
  item('free', undefined, ['Home', 'Plates']),
  item('off', 5, ['Home', 'Plates'], false),
  item('p30', 30),
]);
const ids = (keep: (i: number) => boolean) => catalog.items.filter((_, i) => keep(i)).map((it) => it.id);

const filters = (f: Partial<PageFilters> = {}): PageFilters => ({
  excluded: new Set(),
  seen: new Set(),
  excludeSeen: false,
  bought: new Set(),
  includePurchased: false,
  due: new Set(),
  ...f,
});

describe('keepFilter', () => {
  it('keeps every available item when nothing is asked', () => {
    expect(ids(keepFilter(catalog, filters()))).toEqual(['p0', 'p10', 'p20', 'free', 'p30']);
  });

  it('leaves out excluded items, and seen ones only with excludeSeen', () => {
    expect(ids(keepFilter(catalog, filters({ excluded: new Set(['p10']) })))).toEqual(['p0', 'p20', 'free', 'p30']);
    expect(ids(keepFilter(catalog, filters({ seen: new Set(['p10']) })))).toEqual(['p0', 'p10', 'p20', 'free', 'p30']);
    expect(ids(keepFilter(catalog, filters({ seen: new Set(['p10']), excludeSeen: true })))).toEqual(['p0', 'p20', 'free', 'p30']);
  });

  it('leaves out bought items unless purchases are included or the item is due again', () => {
    const bought = new Set(['p0', 'p20']);
    expect(ids(keepFilter(catalog, filters({ bought })))).toEqual(['p10', 'free', 'p30']);
    expect(ids(keepFilter(catalog, filters({ bought, includePurchased: true })))).toEqual(['p0', 'p10', 'p20', 'free', 'p30']);
    expect(ids(keepFilter(catalog, filters({ bought, due: new Set(['p20']) })))).toEqual(['p10', 'p20', 'free', 'p30']);
    // Due but never bought: no different from any other item.
    expect(ids(keepFilter(catalog, filters({ due: new Set(['p10']) })))).toEqual(['p0', 'p10', 'p20', 'free', 'p30']);
  });

  it('keeps to a category, any of the item’s, in any case', () => {
    expect(ids(keepFilter(catalog, filters({ category: 'MUGS' })))).toEqual(['p0', 'p10', 'p20']);
    expect(ids(keepFilter(catalog, filters({ category: '' })))).toEqual(['p0', 'p10', 'p20', 'free', 'p30']);
  });

  it('keeps to a price range, both ends included; an item without a price is outside any range', () => {
    expect(ids(keepFilter(catalog, filters({ minPrice: 10 })))).toEqual(['p10', 'p20', 'p30']);
    expect(ids(keepFilter(catalog, filters({ maxPrice: 20 })))).toEqual(['p0', 'p10', 'p20']);
    expect(ids(keepFilter(catalog, filters({ minPrice: 0, maxPrice: 10 })))).toEqual(['p0', 'p10']);
  });
});

describe('composePage', () => {
  const keepAll = keepFilter(catalog, filters());
  const opts = { rules: [], context: 'home' as const, n: 3, maxCategoryShare: 1, diversity: false };

  it('takes the n best allowed items, best first; unscored (NaN) items are no candidates', () => {
    const scores = new Float64Array([1, 3, 2, 9, 8, Number.NaN]);
    const page = composePage(scores, catalog, keepAll, opts);
    expect(page.top).toEqual([3, 1, 2]);
    expect(page.pinned.size).toBe(0);
    expect(page.applied).toEqual([]);
    const few = composePage(new Float64Array([1, Number.NaN, Number.NaN, Number.NaN, 5, Number.NaN]), catalog, keepAll, { ...opts, n: 10 });
    expect(few.top).toEqual([0]);
  });

  it('looks deep enough into the candidates for diversity to fill the page', () => {
    // Five mugs lead; the one plate comes sixth: with n = 2 and half the page per category, it gets in.
    const mugs = new Catalog([...Array.from({ length: 5 }, (_, k) => item(`m${k}`, 1, ['Mugs'])), item('plate', 1, ['Plates'])]);
    const keep = keepFilter(mugs, filters());
    const page = composePage(new Float64Array([6, 5, 4, 3, 2, 1]), mugs, keep, { ...opts, n: 2, maxCategoryShare: 0.5, diversity: true });
    expect(page.top).toEqual([0, 5]);
  });

  it('groups by the last category, in any case; items without categories are never held back', () => {
    const scores = new Float64Array([9, 8, 7, 6, 1, 5]);
    const page = composePage(scores, catalog, keepAll, { ...opts, n: 4, maxCategoryShare: 0.25, diversity: true });
    // p0 and p10 (Mugs) and p20 (mugs) share a leaf: one of them, then the plate and the uncategorised item, then a waiting mug.
    expect(page.top).toEqual([0, 3, 5, 1]);
  });

  it('leaves out what the page filters or the rules leave out, and does not pin it', () => {
    const scores = new Float64Array([9, 8, 7, 6, 1, 5]);
    const keep = keepFilter(catalog, filters({ excluded: new Set(['p0']) }));
    const page = composePage(scores, catalog, keep, {
      ...opts,
      rules: [
        { kind: 'exclude', match: { itemIds: ['p10'] } },
        { kind: 'pin', itemId: 'p0', position: 1 },
        { kind: 'pin', itemId: 'p10', position: 1 },
        { kind: 'pin', itemId: 'p30', position: 2 },
      ],
    });
    expect(page.top).toEqual([2, 5, 3]);
    expect([...page.pinned]).toEqual([5]);
    expect(page.applied).toEqual(['exclude {"itemIds":["p10"]}', 'pin p30 at 2']);
  });

  it('rescores in place with boosts', () => {
    const scores = new Float64Array([1, 2, 3, 4, 1, 5]);
    const page = composePage(scores, catalog, keepAll, { ...opts, rules: [{ kind: 'boost', match: { itemIds: ['p0'] }, factor: 10 }] });
    expect(scores[0]).toBe(10);
    expect(page.top).toEqual([0, 5, 3]);
  });
});

describe('stageOn', () => {
  it('an explicit setting wins; otherwise on, except seenDiscount', () => {
    expect(stageOn(undefined, 'diversity')).toBe(true);
    expect(stageOn(undefined, 'seenDiscount')).toBe(false);
    expect(stageOn({ trend: false }, 'diversity')).toBe(true);
    expect(stageOn({ diversity: false }, 'diversity')).toBe(false);
    expect(stageOn({ seenDiscount: true }, 'seenDiscount')).toBe(true);
    expect(stageOn({ seenDiscount: undefined }, 'seenDiscount')).toBe(false);
  });
});
