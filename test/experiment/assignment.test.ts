import { describe, expect, it } from 'vitest';
import { assignVariant, bucketOf, propensityOf, variantAt } from '../../src/experiment/assignment.ts';

const variants = [
  { name: 'a', weight: 1 },
  { name: 'b', weight: 3 },
];

describe('deterministic assignment', () => {
  it('gives the same variant for the same experiment and person, every time', () => {
    for (let i = 0; i < 50; i++) expect(assignVariant('exp', `p${i}`, variants)).toBe(assignVariant('exp', `p${i}`, variants));
  });

  it('splits people by weight (1:3 within a few points over 20,000 people)', () => {
    let b = 0;
    for (let i = 0; i < 20_000; i++) if (assignVariant('exp', `person-${i}`, variants).name === 'b') b++;
    expect(b / 20_000).toBeGreaterThan(0.74);
    expect(b / 20_000).toBeLessThan(0.76);
  });

  it('assigns independently across experiments: being in b of one says nothing of the other', () => {
    const even = [
      { name: 'x', weight: 1 },
      { name: 'y', weight: 1 },
    ];
    let both = 0;
    let first = 0;
    for (let i = 0; i < 20_000; i++) {
      const inFirst = assignVariant('one', `u${i}`, even).name === 'x';
      if (inFirst) first++;
      if (inFirst && assignVariant('two', `u${i}`, even).name === 'x') both++;
    }
    expect(both / first).toBeGreaterThan(0.48);
    expect(both / first).toBeLessThan(0.52);
  });

  it('buckets are uniform in [0, 1) (each tenth holds about a tenth)', () => {
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 50_000; i++) counts[Math.floor(bucketOf(`k:${i}`) * 10)]++;
    for (const c of counts) expect(Math.abs(c - 5000)).toBeLessThan(300);
  });

  it('reads cumulative weight shares, the last bucket edge included', () => {
    expect(variantAt(variants, 0).name).toBe('a');
    expect(variantAt(variants, 0.2499).name).toBe('a');
    expect(variantAt(variants, 0.25).name).toBe('b');
    expect(variantAt(variants, 0.9999999).name).toBe('b');
    expect(propensityOf(variants, variants[1])).toBe(0.75);
  });
});
