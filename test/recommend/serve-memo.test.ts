import { describe, expect, it } from 'vitest';
import { Memo } from '../../src/recommend/recommend-service.ts';

describe("the served pages' memo (second chance)", () => {
  it('drops the oldest entry not used since, and gives a used one a second chance', () => {
    const m = new Memo<string, number>();
    m.set('a', 1, 3);
    m.set('b', 2, 3);
    m.set('c', 3, 3);
    expect(m.get('a')).toBe(1);
    m.set('d', 4, 3); // a was used: b goes
    expect([m.get('b'), m.size]).toEqual([undefined, 3]);
    m.set('e', 5, 3); // c was never used: it goes, a stays
    expect(m.get('c')).toBeUndefined();
    expect(m.get('a')).toBe(1);
    expect(m.get('d')).toBe(4);
    expect(m.get('e')).toBe(5);
  });

  it('keeps an entry used between insertions however many come, and never holds more than its cap', () => {
    const m = new Memo<string, number>();
    m.set('hot', 0, 10);
    for (let k = 0; k < 1000; k++) {
      m.set(`k${k}`, k, 10);
      expect(m.size).toBeLessThanOrEqual(10);
      expect(m.get('hot')).toBe(0);
    }
    // The newest entries are still there; the ones before them went.
    expect(m.get('k999')).toBe(999);
    expect(m.get('k0')).toBeUndefined();
  });

  it('replaces the value of a key already held', () => {
    const m = new Memo<string, number>();
    m.set('a', 1, 2);
    m.set('a', 2, 2);
    expect([m.get('a'), m.size]).toEqual([2, 1]);
  });
});
