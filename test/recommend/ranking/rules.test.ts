import { describe, expect, it } from 'vitest';
import type { StoredItem } from '../../../src/domain/schemas.ts';
import { diversify, matches, pin, scoreRules, type RuleT } from '../../../src/recommend/rules.ts';

const item = (id: string, extra: Partial<StoredItem> = {}): StoredItem => ({ id, title: id, available: true, updatedAt: 0, ...extra });
const ITEMS = [
  item('a', { categories: ['shoes'], attributes: { brand: 'Nike' } }),
  item('b', { categories: ['shoes'], attributes: { brand: 'Asics' }, tags: ['trail'] }),
  item('c', { categories: ['socks'], attributes: { brand: 'Nike', colours: ['red', 'blue'] } }),
  item('d', { categories: ['hats'] }),
];

describe('business rules', () => {
  it('matches on ids, category, tag and attribute (also list attributes), case-insensitively', () => {
    expect(ITEMS.filter((i) => matches(i, { category: 'SHOES' })).map((i) => i.id)).toEqual(['a', 'b']);
    expect(ITEMS.filter((i) => matches(i, { tag: 'trail' })).map((i) => i.id)).toEqual(['b']);
    expect(ITEMS.filter((i) => matches(i, { attribute: { key: 'brand', value: 'nike' } })).map((i) => i.id)).toEqual(['a', 'c']);
    expect(ITEMS.filter((i) => matches(i, { attribute: { key: 'colours', value: 'blue' } })).map((i) => i.id)).toEqual(['c']);
    expect(ITEMS.filter((i) => matches(i, { itemIds: ['d'], category: 'hats' })).map((i) => i.id)).toEqual(['d']);
  });

  it('boosts, buries, filters and excludes, only in the contexts named', () => {
    const scores = Float64Array.from([4, 3, 2, 1]);
    const rules: RuleT[] = [
      { kind: 'boost', match: { category: 'hats' }, factor: 10 },
      { kind: 'bury', match: { itemIds: ['a'] } },
      { kind: 'exclude', match: { category: 'socks' }, contexts: ['cart'] },
      { kind: 'filter', match: { attribute: { key: 'brand', value: 'Nike' } }, contexts: ['email'] },
    ];
    const home = scoreRules(ITEMS, scores, rules, 'home');
    expect(scores[3]).toBe(10);
    expect(scores[0]).toBeLessThan(0);
    expect([0, 1, 2, 3].filter(home.keep)).toEqual([0, 1, 2, 3]);
    const cart = scoreRules(ITEMS, Float64Array.from([1, 1, 1, 1]), rules, 'cart');
    expect([0, 1, 2, 3].filter(cart.keep)).toEqual([0, 1, 3]);
    const email = scoreRules(ITEMS, Float64Array.from([1, 1, 1, 1]), rules, 'email');
    expect([0, 1, 2, 3].filter(email.keep)).toEqual([0, 2]);
    expect(email.applied).toHaveLength(3); // the cart-only exclusion does not apply
  });

  it('pins items at their positions, skipping ones that are not allowed', () => {
    const idx = (id: string) => {
      const i = ITEMS.findIndex((x) => x.id === id);
      return i < 0 ? undefined : i;
    };
    const rules: RuleT[] = [
      { kind: 'pin', itemId: 'd', position: 1 },
      { kind: 'pin', itemId: 'c', position: 2 },
      { kind: 'pin', itemId: 'zz', position: 1 },
    ];
    expect(pin([0, 1, 2], rules, 'home', idx, () => true, 3).list).toEqual([3, 2, 0]);
    expect(pin([0, 1, 2], rules, 'home', idx, (i) => i !== 3, 3).list).toEqual([0, 2, 1]);
  });
});

describe('diversity', () => {
  it('keeps any one category to its share of the page, filling from the rest first', () => {
    const cat = (i: number) => (i < 6 ? 'shoes' : 'other');
    expect(diversify([0, 1, 2, 3, 4, 5, 6, 7], cat, 4, 0.5)).toEqual([0, 1, 6, 7]);
    // With nothing else left, the waiting ones fill the page.
    expect(diversify([0, 1, 2, 3], cat, 4, 0.5)).toEqual([0, 1, 2, 3]);
    expect(diversify([0, 1, 2, 3, 6], cat, 3, 1)).toEqual([0, 1, 2]);
  });
});
